/** Coverage this month, per grid and per worker. */
import type { ActionContext, AreaActions } from '../../../server/action';
import { membersByIds, rosterOf } from '../../members/members.service';
import { gridMonths, workerMonths } from '../visits.collections';
import { coverageRate, gridMonthId, monthBounds, monthOf, workerMonthId } from '../visits.rules';
import { type CoverageRow, visitsContract } from '../visits.schema';
import { community, gridsOf, H } from './shared';

async function coverageOf(ctx: ActionContext, communityId: string) {
  const month = monthOf(ctx.now().toISOString());
  const { end } = monthBounds(month);
  const grids = await gridsOf(ctx, communityId);
  const counters = new Map((await ctx.store.collection(gridMonths).getMany(grids.map((g) => gridMonthId(g._id, month)))).map((c) => [c.gridId, c]));
  const gridRows: CoverageRow[] = await Promise.all(
    grids.map(async (g) => {
      const c = counters.get(g._id);
      const dueNotVisited = await H(ctx.store).count({ gridId: g._id, nextDueAt: { lt: end }, lastVisitMonth: { lt: month } });
      const dueVisited = c?.dueVisited ?? 0;
      return { id: g._id, name: g.name, visits: c?.visits ?? 0, visited: c?.households ?? 0, dueVisited, ...coverageRate(dueVisited, dueNotVisited) };
    }),
  );
  const byGrid = new Map(gridRows.map((r) => [r.id, r]));

  const entries = (await rosterOf(ctx.store, communityId, 'grid_worker')).filter(
    (e) => e.regionId === communityId || byGrid.has(e.regionId),
  );
  const ids = [...new Set(entries.map((e) => e.memberId))];
  const people = new Map((await membersByIds(ctx.store, ids)).map((m) => [m._id, m]));
  const wc = new Map((await ctx.store.collection(workerMonths).getMany(ids.map((id) => workerMonthId(id, month)))).map((c) => [c.workerId, c]));
  const workers: CoverageRow[] = ids.flatMap((id) => {
    const m = people.get(id);
    if (!m) return [];
    const regionIds = entries.filter((e) => e.memberId === id && m.grants.some((g) => g.role === 'grid_worker' && g.regionId === e.regionId)).map((e) => e.regionId);
    if (!regionIds.length) return [];
    const theirs = regionIds.includes(communityId) ? gridRows : gridRows.filter((r) => regionIds.includes(r.id));
    const due = theirs.reduce((s, r) => s + r.due, 0);
    const dueVisited = theirs.reduce((s, r) => s + r.dueVisited, 0);
    const c = wc.get(id);
    return [{ id, name: m.name, visits: c?.visits ?? 0, visited: c?.households ?? 0, due, dueVisited, rate: due ? Math.round((dueVisited / due) * 1000) / 1000 : null }];
  });
  workers.sort((a, b) => a.name.localeCompare(b.name, 'zh'));
  const sum = (k: 'visits' | 'visited' | 'dueVisited' | 'due') => gridRows.reduce((s, r) => s + r[k], 0);
  const dueVisited = sum('dueVisited');
  const total: CoverageRow = { id: communityId, name: '全社区', visits: sum('visits'), visited: sum('visited'), dueVisited, ...coverageRate(dueVisited, sum('due') - dueVisited) };
  return { month, grids: gridRows, workers, total };
}

export const coverageActions = {
  /** This month, per grid and per worker: counters kept by `record` plus one indexed count per grid. */
  coverage: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      await community(ctx, input.communityId);
      return coverageOf(ctx, input.communityId);
    },
  },
} satisfies Partial<AreaActions<typeof visitsContract>>;
