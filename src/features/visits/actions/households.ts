/** The household ledger, one household at a time. */
import { AppError, ErrorCodes, forbidden } from '../../../lib/errors';
import { shanghaiDayEnd } from '../../../lib/time';
import type { AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { regionPath } from '../../regions/regions.service';
import type { Fields, Stored, Where } from '../../../server/store/store';
import { addressKey, everyDaysFor, householdId, nextDueAt } from '../visits.rules';
import { type Household, type VisitRules, visitsContract } from '../visits.schema';
import { grid, H, hasCode, householdOf, householdScope, loadRules, NEWEST, today, V, views, VisitErrors, visitViews } from './shared';

const HISTORY = 20;

const TAG_SCAN = 1000;

/** Visit-derived fields are kept; the schedule follows the (new) tags. */
export function scheduled(h: { tags: Household['tags']; lastVisitAt: string | null; createdAt: string }, rules: Pick<VisitRules, 'intervals' | 'defaultEveryDays'>) {
  const everyDays = everyDaysFor(h.tags, rules);
  return { everyDays, nextDueAt: nextDueAt(h.lastVisitAt, everyDays, h.createdAt) };
}

export interface LedgerFields {
  gridId: string;
  building: string;
  unit: string;
  room: string;
  headName: string;
  membersCount: number;
  phone: string | null;
  tags: Household['tags'];
  note: string;
}

export function newHousehold(communityId: string, f: LedgerFields, now: string, rules: Pick<VisitRules, 'intervals' | 'defaultEveryDays'>): Fields<Household> {
  return {
    communityId,
    ...f,
    addressKey: addressKey(f),
    ...scheduled({ tags: f.tags, lastVisitAt: null, createdAt: now }, rules),
    lastVisitAt: null,
    lastVisitMonth: '',
    visitCount: 0,
    createdAt: now,
    updatedAt: now,
  };
}

export const householdActions = {
  /**
   * A grid's ledger (or only the households due by today), phones masked. Tags are not indexed (an
   * array): a tag filter reads on through the grid's pages until the page is full or TAG_SCAN rows were read.
   */
  households: {
    roles: ['grid_worker', 'community_admin'],
    scope: (input) => ({ grid: input.gridId }),
    async run(input, ctx) {
      await grid(ctx, input.gridId);
      const query: { where: Where; orderBy: { field: string; direction: 'asc' } } = input.dueOnly
        ? { where: { gridId: input.gridId, nextDueAt: { lt: shanghaiDayEnd(today(ctx)).toISOString() } }, orderBy: { field: 'nextDueAt', direction: 'asc' } }
        : { where: { gridId: input.gridId }, orderBy: { field: 'addressKey', direction: 'asc' } };
      const items: Stored<Household>[] = [];
      let cursor = input.cursor ?? null;
      let scanned = 0;
      if (!input.tag) {
        const page = await H(ctx.store).find({ ...query, limit: input.limit, cursor });
        return { items: await views(ctx, page.items), nextCursor: page.nextCursor };
      }
      do {
        const from = cursor;
        const page = await H(ctx.store).find({ ...query, limit: 100, cursor: from });
        scanned += page.items.length;
        const matches = page.items.filter((h) => h.tags.includes(input.tag!));
        const need = input.limit - items.length;
        if (matches.length > need) {
          // Stop right after the last one taken: the same read again, cut there, gives its cursor.
          const cut = page.items.indexOf(matches[need - 1]!) + 1;
          cursor = (await H(ctx.store).find({ ...query, limit: cut, cursor: from })).nextCursor;
          items.push(...matches.slice(0, need));
          break;
        }
        items.push(...matches);
        cursor = page.nextCursor;
      } while (cursor && items.length < input.limit && scanned < TAG_SCAN);
      return { items: await views(ctx, items), nextCursor: cursor };
    },
  },

  /** One household in full (its grid worker and the community admin need the phone) with its latest visits. */
  household: {
    roles: ['grid_worker', 'community_admin'],
    scope: householdScope,
    async run(input, ctx) {
      const h = await householdOf(ctx, input.id);
      const history = await V(ctx.store).find({ where: { householdId: h._id }, orderBy: NEWEST, limit: HISTORY });
      return { household: (await views(ctx, [h], true))[0]!, visits: await visitViews(ctx, history.items) };
    },
  },

  createHousehold: {
    roles: ['grid_worker', 'community_admin'],
    scope: (input) => ({ grid: input.gridId }),
    async run(input, ctx) {
      const g = await grid(ctx, input.gridId);
      const communityId = g.parentId!;
      const fields: LedgerFields = { ...input, phone: input.phone ?? null };
      const id = householdId(communityId, addressKey(fields));
      const now = ctx.now().toISOString();
      try {
        const h = await H(ctx.store).insert(newHousehold(communityId, fields, now, await loadRules(ctx.store, communityId)), { id });
        return (await views(ctx, [h], true))[0]!;
      } catch (e) {
        if (hasCode(e, ErrorCodes.DUPLICATE)) throw new AppError(VisitErrors.HOUSEHOLD_EXISTS, '该地址的住户已在台账中');
        throw e;
      }
    },
  },

  /** Everything but the address (the household's identity); moving it to another grid is for the community admin. */
  updateHousehold: {
    roles: ['grid_worker', 'community_admin'],
    scope: householdScope,
    async run(input, ctx) {
      const h0 = await householdOf(ctx, input.id);
      if (input.gridId && input.gridId !== h0.gridId) {
        const g = await grid(ctx, input.gridId);
        const admin = ctx.grants.filter((x) => x.role === 'community_admin');
        const path = await regionPath(ctx.store, g._id);
        if (g.parentId !== h0.communityId || !admin.some((x) => path?.includes(x.regionId))) throw forbidden('只有社区管理员可以把住户调整到本社区的其他网格');
      }
      const rules = await loadRules(ctx.store, h0.communityId);
      const h = await withRetry(async () => {
        const cur = await householdOf(ctx, input.id);
        return H(ctx.store).update(cur._id, cur._rev, {
          gridId: input.gridId ?? cur.gridId,
          headName: input.headName,
          membersCount: input.membersCount,
          phone: input.phone ?? null,
          tags: input.tags,
          note: input.note,
          ...scheduled({ ...cur, tags: input.tags }, rules),
          updatedAt: ctx.now().toISOString(),
        });
      });
      return (await views(ctx, [h], true))[0]!;
    },
  },
} satisfies Partial<AreaActions<typeof visitsContract>>;
