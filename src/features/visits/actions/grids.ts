/** Grids and the community's visit rules. */
import { AppError } from '../../../lib/errors';
import type { ActionContext, AreaActions } from '../../../server/action';
import { readAll } from '../../../server/read-all';
import { withRetry } from '../../../server/conflict-retry';
import type { Stored } from '../../../server/store/store';
import { membersByIds, rosterOf } from '../../members/members.service';
import { addGrid, getRegion, getRegions, type Region } from '../../regions/regions.service';
import { visitRules } from '../visits.collections';
import { everyDaysFor, rulesId } from '../visits.rules';
import { type GridView, visitsContract } from '../visits.schema';
import { scheduled } from './households';
import { community, gridsOf, H, loadRules, VisitErrors, workerGridIds } from './shared';

async function gridViews(ctx: ActionContext, communityId: string, grids: Stored<Region>[]): Promise<GridView[]> {
  const c = await getRegion(ctx.store, communityId);
  const entries = await rosterOf(ctx.store, communityId, 'grid_worker');
  const people = new Map((await membersByIds(ctx.store, entries.map((e) => e.memberId))).map((m) => [m._id, m]));
  return Promise.all(
    grids.map(async (g) => ({
      _id: g._id,
      name: g.name,
      communityId,
      communityName: c?.name ?? '',
      workers: entries
        .filter((e) => e.regionId === g._id || e.regionId === communityId)
        .flatMap((e) => {
          const m = people.get(e.memberId);
          // Grants are the truth: a roster row whose grant is gone is ignored.
          return m && m.grants.some((x) => x.role === 'grid_worker' && x.regionId === e.regionId) ? [{ memberId: m._id, name: m.name }] : [];
        }),
      households: await H(ctx.store).count({ gridId: g._id }),
    })),
  );
}

export const gridActions = {
  grids: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      await community(ctx, input.communityId);
      return { items: await gridViews(ctx, input.communityId, await gridsOf(ctx, input.communityId)) };
    },
  },

  /** A new grid (网格) under the community; grid workers are then invited to it or assigned (members). */
  createGrid: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const c = await community(ctx, input.communityId);
      if ((await gridsOf(ctx, c._id)).some((g) => g.name === input.name)) throw new AppError(VisitErrors.GRID_EXISTS, '本社区已有同名网格');
      const id = `grid-${ctx.newId()}`;
      const g = await addGrid(ctx.store, c, input.name, id);
      return (await gridViews(ctx, c._id, [g]))[0]!;
    },
  },

  myGrids: {
    roles: ['grid_worker'],
    async run(_input, ctx) {
      const ids = await workerGridIds(ctx);
      const grids = await getRegions(ctx.store, ids);
      const byCommunity = new Map<string, Stored<Region>[]>();
      for (const g of grids) byCommunity.set(g.parentId!, [...(byCommunity.get(g.parentId!) ?? []), g]);
      const out: GridView[] = [];
      for (const [cid, gs] of byCommunity) out.push(...(await gridViews(ctx, cid, gs)));
      return { items: out };
    },
  },

  rules: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      await community(ctx, input.communityId);
      return { communityId: input.communityId, ...(await loadRules(ctx.store, input.communityId)) };
    },
  },

  /** New intervals; every household of the community is rescheduled (only those whose interval changed are written). */
  setRules: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      await community(ctx, input.communityId);
      const rules = { intervals: input.intervals, defaultEveryDays: input.defaultEveryDays };
      const id = rulesId(input.communityId);
      await withRetry(async () => {
        const doc = { communityId: input.communityId, ...rules, updatedAt: ctx.now().toISOString() };
        const cur = await ctx.store.collection(visitRules).get(id);
        if (cur) await ctx.store.collection(visitRules).update(id, cur._rev, doc);
        else await ctx.store.collection(visitRules).insert(doc, { id });
      });
      let rescheduled = 0;
      const all = await readAll(H(ctx.store), { where: { communityId: input.communityId }, orderBy: { field: 'addressKey', direction: 'asc' } }, Infinity);
      for (const h0 of all.items) {
        if (everyDaysFor(h0.tags, rules) === h0.everyDays) continue;
        await withRetry(async () => {
          const h = (await H(ctx.store).get(h0._id))!;
          await H(ctx.store).update(h._id, h._rev, scheduled(h, rules));
        });
        rescheduled++;
      }
      return { rescheduled };
    },
  },
} satisfies Partial<AreaActions<typeof visitsContract>>;
