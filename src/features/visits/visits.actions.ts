/**
 * Household visits (入户走访): a community admin keeps the grids, the household ledger and the visit
 * rules; grid workers see only their grids' households and record visits (idempotently, from an offline
 * outbox); residents' requests become suggestions with source 'visit'. Residents never see any of it.
 */
import { AppError, ErrorCodes, forbidden, isAppError } from '../../lib/errors';
import { maskPhone } from '../../lib/mask';
import { shanghaiDay, shanghaiDayEnd, shanghaiDayStart } from '../../lib/time';
import { defineArea, type ActionContext } from '../../server/action';
import { withRetry } from '../../server/conflict-retry';
import { regionPath } from '../../server/dispatch';
import { assertOwnPhotos, FileErrors } from '../../server/files/photos';
import type { Collection, Fields, Store, Stored, TxCollection, TxStore, Where } from '../../server/store/store';
import { members, roster } from '../members/members.collections';
import type { Member } from '../members/members.schema';
import { regions } from '../regions/regions.collections';
import type { Region } from '../regions/regions.schema';
import { suggestions } from '../suggestions/suggestions.collections';
import { newSuggestionRecord } from '../suggestions/suggestions.record';
import { dayBounds, excerpt } from '../suggestions/suggestions.rules';
import { careAlerts } from '../canteen/canteen.collections';
import { alertsDone, gridMonths, households, visitMarks, visitRules, visits, workerMonths } from './visits.collections';
import {
  DEFAULT_RULES, addressKey, byGridName, coverageRate, displayAddress, everyDaysFor, gridMonthId, householdAuthorId, householdId,
  householdMonthMark, laterOf, monthBounds, monthOf, nextDueAt, overdueDays, requestSuggestionId, rulesId, visitId,
  wasDueInMonth, weekStart, workerHouseholdMark, workerMonthId,
} from './visits.rules';
import {
  EXPORT_MAX, visitsContract,
  type CoverageRow, type FeedFilter, type FeedItem, type GridView, type Household, type HouseholdView, type ImportReport,
  type Visit, type VisitRules, type VisitView,
} from './visits.schema';

export const VisitErrors = {
  HOUSEHOLD_NOT_FOUND: 'VISITS.HOUSEHOLD_NOT_FOUND',
  HOUSEHOLD_EXISTS: 'VISITS.HOUSEHOLD_EXISTS',
  GRID_NOT_FOUND: 'VISITS.GRID_NOT_FOUND',
  GRID_EXISTS: 'VISITS.GRID_EXISTS',
  COMMUNITY_NOT_FOUND: 'VISITS.COMMUNITY_NOT_FOUND',
  NOT_FOUND: 'VISITS.NOT_FOUND',
  BAD_TIME: 'VISITS.BAD_TIME',
  BAD_FOLLOW_UP: 'VISITS.BAD_FOLLOW_UP',
  ID_TAKEN: 'VISITS.ID_TAKEN',
  BAD_FILE: 'VISITS.BAD_FILE',
  ALERT_NOT_FOUND: 'VISITS.ALERT_NOT_FOUND',
} as const;

/** Visits may be recorded up to this long after they happened (a phone offline for weeks). */
const MAX_AGE_MS = 90 * 24 * 3600_000;
/** Clock skew allowed for a phone's visit time. */
const SKEW_MS = 10 * 60_000;
const IMPORT_BATCH = 100;
const DUE_PAGE = 50;
const WEEK_PAGE = 50;
const HISTORY = 20;
const ISSUES_SHOWN = 200;
const TAG_SCAN = 1000;

function H(s: Store): Collection<Household>;
function H(s: TxStore): TxCollection<Household>;
function H(s: TxStore) {
  return s.collection(households);
}
function V(s: Store): Collection<Visit>;
function V(s: TxStore): TxCollection<Visit>;
function V(s: TxStore) {
  return s.collection(visits);
}
const hasCode = (e: unknown, code: string) => isAppError(e) && e.code === code;
/** `household:<id>` → the household id; other refs (e.g. `elder:<id>`) are not in the ledger. */
const alertHousehold = (ref: string): string | null => (ref.startsWith('household:') ? ref.slice('household:'.length) : null);
const householdNotFound = () => new AppError(VisitErrors.HOUSEHOLD_NOT_FOUND, '住户不存在或已被删除');

function me(ctx: ActionContext): Stored<Member> {
  if (!ctx.caller.member) throw forbidden('请先加入社区');
  return ctx.caller.member;
}

async function findAll<T>(col: Collection<T>, where: Where, max = 10_000): Promise<Stored<T>[]> {
  const out: Stored<T>[] = [];
  let cursor: string | null = null;
  do {
    const page = await col.find({ where, limit: 100, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

// ---------------------------------------------------------------- regions

async function community(ctx: ActionContext, id: string): Promise<Stored<Region>> {
  const c = await ctx.store.collection(regions).get(id);
  if (!c || c.kind !== 'community') throw new AppError(VisitErrors.COMMUNITY_NOT_FOUND, '社区不存在');
  return c;
}

async function grid(ctx: ActionContext, id: string): Promise<Stored<Region>> {
  const g = await ctx.store.collection(regions).get(id);
  if (!g || g.kind !== 'grid' || !g.parentId) throw new AppError(VisitErrors.GRID_NOT_FOUND, '网格不存在');
  return g;
}

/** A community's grids in their numbered order (第一网格, 第二网格, …). */
const gridsOf = (ctx: ActionContext, communityId: string) =>
  findAll(ctx.store.collection(regions), { parentId: communityId }).then((rs) => rs.filter((r) => r.kind === 'grid').sort(byGridName));

/** The grids a grid worker's grants cover: a grant on a grid, or on a whole community (all its grids). */
async function workerGridIds(ctx: ActionContext): Promise<string[]> {
  const ids = new Set<string>();
  for (const g of ctx.grants.filter((x) => x.role === 'grid_worker')) {
    const r = await ctx.store.collection(regions).get(g.regionId);
    if (r?.kind === 'grid') ids.add(r._id);
    else if (r?.kind === 'community') for (const gr of await gridsOf(ctx, r._id)) ids.add(gr._id);
  }
  return [...ids];
}

async function gridNames(ctx: ActionContext, ids: string[]): Promise<Map<string, string>> {
  return new Map((await ctx.store.collection(regions).getMany([...new Set(ids)])).map((g) => [g._id, g.name]));
}

/** Whether the caller's (already role-filtered) grants cover a region. */
async function covers(ctx: ActionContext, regionId: string): Promise<boolean> {
  const path = await regionPath(ctx, regionId);
  return !!path && ctx.grants.some((g) => path.includes(g.regionId));
}

// ---------------------------------------------------------------- rules and schedules

async function loadRules(store: Store, communityId: string): Promise<Pick<VisitRules, 'intervals' | 'defaultEveryDays'>> {
  const r = await store.collection(visitRules).get(rulesId(communityId));
  return r ?? DEFAULT_RULES;
}

const today = (ctx: ActionContext) => shanghaiDay(ctx.now());

function householdView(h: Stored<Household>, gridName: string, day: string, fullPhone: boolean): HouseholdView {
  return {
    _id: h._id,
    communityId: h.communityId,
    gridId: h.gridId,
    gridName,
    building: h.building,
    unit: h.unit,
    room: h.room,
    address: displayAddress(h),
    headName: h.headName,
    membersCount: h.membersCount,
    phone: fullPhone ? h.phone : maskPhone(h.phone),
    tags: h.tags,
    note: h.note,
    everyDays: h.everyDays,
    lastVisitAt: h.lastVisitAt,
    dueDay: h.nextDueAt ? shanghaiDay(new Date(h.nextDueAt)) : null,
    overdueDays: overdueDays(h.nextDueAt, day),
    visitCount: h.visitCount,
  };
}

async function views(ctx: ActionContext, list: Stored<Household>[], fullPhone = false): Promise<HouseholdView[]> {
  const names = await gridNames(ctx, list.map((h) => h.gridId));
  const day = today(ctx);
  return list.map((h) => householdView(h, names.get(h.gridId) ?? '', day, fullPhone));
}

// ---------------------------------------------------------------- visits

async function visitViews(ctx: ActionContext, list: Stored<Visit>[]): Promise<VisitView[]> {
  const ids = [...new Set(list.flatMap((v) => v.photos))];
  const urls = ids.length ? await ctx.files.urls(ids) : {};
  return list.map((v) => ({
    _id: v._id,
    clientId: v.clientId,
    householdId: v.householdId,
    gridId: v.gridId,
    address: v.address,
    headName: v.headName,
    workerName: v.workerName,
    visitedAt: v.visitedAt,
    kind: v.kind,
    findings: v.findings,
    requests: v.requests,
    photoUrls: v.photos.flatMap((id) => (urls[id] ? [urls[id]] : [])),
    photoConsent: v.photoConsent,
    location: v.location,
    followUpOf: v.followUpOf,
    recordedAt: v.recordedAt,
  }));
}

const feedItem = (v: Stored<Visit>): FeedItem => ({
  _id: v._id,
  householdId: v.householdId,
  gridId: v.gridId,
  address: v.address,
  headName: v.headName,
  workerName: v.workerName,
  visitedAt: v.visitedAt,
  kind: v.kind,
  excerpt: excerpt(v.findings),
  requestCount: v.requests.length,
  photoCount: v.photos.length,
});

const NEWEST = { field: 'visitedAt', direction: 'desc' } as const;

function feedWhere(f: FeedFilter): Where {
  let range: ReturnType<typeof dayBounds>;
  try {
    range = dayBounds(f.from, f.to);
  } catch (e) {
    const message = e instanceof Error ? e.message : '日期无效';
    throw new AppError(ErrorCodes.INPUT_INVALID, message, [{ path: [message.startsWith('结束') ? 'to' : 'from'], message }]);
  }
  const where: Where = { communityId: f.communityId };
  if (f.gridId) where.gridId = f.gridId;
  if (f.workerId) where.workerId = f.workerId;
  if (f.kind) where.kind = f.kind;
  if (range) where.visitedAt = range;
  return where;
}

/** Inserts a document, or adds `deltas` to it when it already exists. Inside a transaction. */
async function addTo<T>(col: TxCollection<T>, id: string, base: Fields<T>, deltas: Record<string, number>): Promise<void> {
  if (await col.get(id)) {
    await col.increment(id, deltas);
    return;
  }
  const doc = { ...base } as Record<string, unknown>;
  for (const [k, d] of Object.entries(deltas)) doc[k] = ((doc[k] as number | undefined) ?? 0) + d;
  await col.insert(doc as Fields<T>, { id });
}

/** True when this insert created the marker (the first time), false when it was already there. */
async function mark(tx: TxStore, id: string, at: string): Promise<boolean> {
  if (await tx.collection(visitMarks).get(id)) return false;
  await tx.collection(visitMarks).insert({ at }, { id });
  return true;
}

// ---------------------------------------------------------------- grids

async function gridViews(ctx: ActionContext, communityId: string, grids: Stored<Region>[]): Promise<GridView[]> {
  const c = await ctx.store.collection(regions).get(communityId);
  const entries = await findAll(ctx.store.collection(roster), { communityId, role: 'grid_worker' });
  const people = new Map((await ctx.store.collection(members).getMany([...new Set(entries.map((e) => e.memberId))])).map((m) => [m._id, m]));
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

// ---------------------------------------------------------------- coverage

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

  const entries = (await findAll(ctx.store.collection(roster), { communityId, role: 'grid_worker' })).filter(
    (e) => e.regionId === communityId || byGrid.has(e.regionId),
  );
  const ids = [...new Set(entries.map((e) => e.memberId))];
  const people = new Map((await ctx.store.collection(members).getMany(ids)).map((m) => [m._id, m]));
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

// ---------------------------------------------------------------- households: write

/** Visit-derived fields are kept; the schedule follows the (new) tags. */
function scheduled(h: { tags: Household['tags']; lastVisitAt: string | null; createdAt: string }, rules: Pick<VisitRules, 'intervals' | 'defaultEveryDays'>) {
  const everyDays = everyDaysFor(h.tags, rules);
  return { everyDays, nextDueAt: nextDueAt(h.lastVisitAt, everyDays, h.createdAt) };
}

interface LedgerFields {
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

function newHousehold(communityId: string, f: LedgerFields, now: string, rules: Pick<VisitRules, 'intervals' | 'defaultEveryDays'>): Fields<Household> {
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

const sameLedger = (h: Household, f: LedgerFields) =>
  h.gridId === f.gridId && h.building === f.building && h.unit === f.unit && h.room === f.room && h.headName === f.headName &&
  h.membersCount === f.membersCount && h.phone === f.phone && h.note === f.note && h.tags.join() === f.tags.join();

async function importRows(ctx: ActionContext, communityId: string, rows: LedgerFields[]) {
  const rules = await loadRules(ctx.store, communityId);
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
    const batch = rows.slice(i, i + IMPORT_BATCH);
    const counts = await withRetry(() =>
      ctx.store.transaction(async (tx) => {
        const now = ctx.now().toISOString();
        const ids = batch.map((r) => householdId(communityId, addressKey(r)));
        const have = new Map((await H(tx).getMany(ids)).map((h) => [h._id, h]));
        const n = { created: 0, updated: 0, unchanged: 0 };
        for (let j = 0; j < batch.length; j++) {
          const f = batch[j]!;
          const h = have.get(ids[j]!);
          if (!h) {
            await H(tx).insert(newHousehold(communityId, f, now, rules), { id: ids[j]! });
            n.created++;
          } else if (sameLedger(h, f)) n.unchanged++;
          else {
            await H(tx).update(h._id, h._rev, { ...f, ...scheduled({ ...h, tags: f.tags }, rules), updatedAt: now });
            n.updated++;
          }
        }
        return n;
      }),
    );
    created += counts.created;
    updated += counts.updated;
    unchanged += counts.unchanged;
  }
  return { created, updated, unchanged };
}

/** The household, with the dispatch scope already checked against its grid. */
async function householdOf(ctx: ActionContext, id: string): Promise<Stored<Household>> {
  const h = await H(ctx.store).get(id);
  if (!h) throw householdNotFound();
  return h;
}

const householdScope = async (input: { id?: string; householdId?: string }, ctx: ActionContext) =>
  (await H(ctx.store).get((input.householdId ?? input.id)!))?.gridId ?? null;

// ---------------------------------------------------------------- the area

export const visitsArea = defineArea('visits', visitsContract, {
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
      const g = await ctx.store.collection(regions).insert({ kind: 'grid', name: input.name, parentId: c._id, path: [...c.path, id] }, { id });
      return (await gridViews(ctx, c._id, [g]))[0]!;
    },
  },

  myGrids: {
    roles: ['grid_worker'],
    async run(_input, ctx) {
      const ids = await workerGridIds(ctx);
      const grids = await ctx.store.collection(regions).getMany(ids);
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
      let cursor: string | null = null;
      do {
        const page = await H(ctx.store).find({ where: { communityId: input.communityId }, orderBy: { field: 'addressKey', direction: 'asc' }, limit: 100, cursor });
        cursor = page.nextCursor;
        for (const h0 of page.items) {
          if (everyDaysFor(h0.tags, rules) === h0.everyDays) continue;
          await withRetry(async () => {
            const h = (await H(ctx.store).get(h0._id))!;
            await H(ctx.store).update(h._id, h._rev, scheduled(h, rules));
          });
          rescheduled++;
        }
      } while (cursor);
      return { rescheduled };
    },
  },

  /**
   * A grid's ledger (or only the households due by today), phones masked. Tags are not indexed (an
   * array): a tag filter reads on through the grid's pages until the page is full or TAG_SCAN rows were read.
   */
  households: {
    roles: ['grid_worker', 'community_admin'],
    scope: (input) => input.gridId,
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
    scope: (input) => input.gridId,
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
        const path = await regionPath(ctx, g._id);
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

  importTemplate: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const c = await community(ctx, input.communityId);
      const { buildTemplate, XLSX_TYPE } = await import('./visits.export');
      const bytes = await buildTemplate({ communityName: c.name, gridNames: (await gridsOf(ctx, c._id)).map((g) => g.name), at: ctx.now().toISOString() });
      const file = await ctx.files.put(bytes, { ownerOpenid: ctx.caller.openid, contentType: XLSX_TYPE, ext: 'xlsx', folder: 'exports' });
      const url = (await ctx.files.urls([file.fileId]))[file.fileId]!;
      return { fileId: file.fileId, url, count: 0 };
    },
  },

  /**
   * A ledger uploaded by the caller: `check` only reports; `apply` writes only when every row is valid;
   * `apply_valid` writes the valid rows and reports the rest. Re-import updates (ids from addresses).
   */
  importHouseholds: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const c = await community(ctx, input.communityId);
      const meta = await ctx.files.stat(input.fileId);
      if (!meta) throw new AppError(FileErrors.NOT_FOUND, '文件不存在或已失效，请重新上传');
      if (meta.ownerOpenid !== ctx.caller.openid) throw new AppError(FileErrors.NOT_OWNER, '只能导入自己上传的文件');
      const bytes = await ctx.files.read(input.fileId);
      if (!bytes) throw new AppError(FileErrors.NOT_FOUND, '文件不存在或已失效，请重新上传');
      const { readLedger, checkLedger, LedgerFileError } = await import('./visits.import');
      let raw;
      try {
        raw = await readLedger(bytes);
      } catch (e) {
        if (e instanceof LedgerFileError) throw new AppError(VisitErrors.BAD_FILE, e.message);
        throw e;
      }
      const grids = await gridsOf(ctx, c._id);
      const check = checkLedger(raw, { gridsByName: new Map(grids.map((g) => [g.name, g._id])), ...(grids.length === 1 ? { defaultGridId: grids[0]!._id } : {}) });
      const report: ImportReport = {
        mode: input.mode,
        rows: check.rows,
        valid: check.valid.length,
        issues: check.issues.slice(0, ISSUES_SHOWN),
        issueCount: check.issues.length,
        badLines: check.badLines,
        applied: false,
        created: 0,
        updated: 0,
        unchanged: 0,
      };
      const write = input.mode === 'apply_valid' || (input.mode === 'apply' && check.issues.length === 0);
      if (!write || check.valid.length === 0) return report;
      const counts = await importRows(ctx, c._id, check.valid);
      ctx.log.info('households imported', { requestId: ctx.requestId, communityId: c._id, ...counts, skipped: check.badLines });
      return { ...report, applied: true, ...counts };
    },
  },

  /** The ledger in the template's columns plus visit columns; full phones (the community admin keeps the ledger). */
  exportXlsx: {
    roles: ['community_admin'],
    scope: (input) => input.gridId ?? input.communityId,
    async run(input, ctx) {
      const c = await community(ctx, input.communityId);
      if (input.gridId && (await grid(ctx, input.gridId)).parentId !== c._id) throw new AppError(VisitErrors.GRID_NOT_FOUND, '该社区下没有这个网格');
      const where: Where = input.gridId ? { gridId: input.gridId } : { communityId: c._id };
      const rows: Stored<Household>[] = [];
      let cursor: string | null = null;
      do {
        const page = await H(ctx.store).find({ where, orderBy: { field: 'addressKey', direction: 'asc' }, limit: 100, cursor });
        rows.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && rows.length < EXPORT_MAX);
      const names = await gridNames(ctx, rows.map((h) => h.gridId));
      const order = new Map((await gridsOf(ctx, c._id)).map((g, i) => [g._id, i]));
      rows.sort((a, b) => (order.get(a.gridId) ?? 0) - (order.get(b.gridId) ?? 0) || a.addressKey.localeCompare(b.addressKey, 'zh', { numeric: true }));
      const { buildLedgerExport, XLSX_TYPE } = await import('./visits.export');
      const bytes = await buildLedgerExport(
        rows.map((h) => ({ household: h, gridName: names.get(h.gridId) ?? '', dueDay: h.nextDueAt ? shanghaiDay(new Date(h.nextDueAt)) : null })),
        { communityName: c.name, at: ctx.now().toISOString(), truncated: cursor !== null, masked: (p) => p ?? '' },
      );
      const file = await ctx.files.put(bytes, { ownerOpenid: ctx.caller.openid, contentType: XLSX_TYPE, ext: 'xlsx', folder: 'exports' });
      const url = (await ctx.files.urls([file.fileId]))[file.fileId]!;
      return { fileId: file.fileId, url, count: rows.length, truncated: cursor !== null };
    },
  },

  /**
   * A visit note from the phone's outbox. Idempotent: the id comes from the worker and the client's id,
   * so a retry returns the first result and files no suggestion twice. Photos are uploaded before.
   */
  record: {
    roles: ['grid_worker'],
    scope: householdScope,
    async run(input, ctx) {
      const member = me(ctx);
      const id = visitId(member._id, input.clientId);
      const existing = await V(ctx.store).get(id);
      if (existing) {
        if (existing.workerId !== member._id) throw new AppError(VisitErrors.ID_TAKEN, '走访编号冲突，请重新保存');
        return (await visitViews(ctx, [existing]))[0]!;
      }
      const h0 = await householdOf(ctx, input.householdId);
      const now = ctx.now();
      const at = Date.parse(input.visitedAt);
      if (at > now.getTime() + SKEW_MS) throw new AppError(VisitErrors.BAD_TIME, '走访时间不能晚于现在，请检查手机时间');
      if (at < now.getTime() - MAX_AGE_MS) throw new AppError(VisitErrors.BAD_TIME, '只能补录 90 天内的走访');
      const visitedAt = new Date(at).toISOString();
      if (input.followUpOf) {
        const earlier = await V(ctx.store).get(input.followUpOf);
        if (!earlier || earlier.householdId !== h0._id) throw new AppError(VisitErrors.BAD_FOLLOW_UP, '回访只能关联这一户以前的走访记录');
      }
      const photos = [...new Set(input.photos)];
      await assertOwnPhotos(ctx.files, photos, ctx.caller.openid);

      const path = (await regionPath(ctx, h0.communityId)) ?? [];
      const ancestors = await ctx.store.collection(regions).getMany(path);
      const idOf = (kind: Region['kind']) => ancestors.find((r) => r.kind === kind)?._id ?? '';
      const month = monthOf(visitedAt);
      const address = displayAddress(h0);

      const stored = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const again = await V(tx).get(id);
          if (again) return again;
          const h = await H(tx).get(h0._id);
          if (!h) throw householdNotFound();
          const recordedAt = ctx.now().toISOString();
          const requests = input.requests.map((r, i) => ({ text: r.text, category: r.category, suggestionId: requestSuggestionId(id, i) }));
          for (const r of requests) {
            if (await tx.collection(suggestions).get(r.suggestionId)) continue;
            await tx.collection(suggestions).insert(
              newSuggestionRecord({
                communityId: h.communityId,
                districtId: idOf('district'),
                cityId: idOf('city'),
                author: { id: householdAuthorId(h._id), openid: ctx.caller.openid, name: h.headName, phone: h.phone, address },
                showName: false,
                source: 'visit',
                category: r.category,
                text: r.text,
                place: address,
                origin: { kind: 'visit', id, householdId: h._id },
                now: recordedAt,
              }),
              { id: r.suggestionId },
            );
          }
          const v = await V(tx).insert(
            {
              clientId: input.clientId,
              communityId: h.communityId,
              gridId: h.gridId,
              householdId: h._id,
              address,
              headName: h.headName,
              workerId: member._id,
              workerName: member.name,
              visitedAt,
              month,
              kind: input.kind,
              findings: input.findings,
              requests,
              photos,
              photoConsent: input.photoConsent,
              location: input.location ?? null,
              followUpOf: input.followUpOf ?? null,
              recordedAt,
            },
            { id },
          );
          const firstInMonth = await mark(tx, householdMonthMark(h._id, month), recordedAt);
          const wasDue = firstInMonth && wasDueInMonth(h.nextDueAt, month);
          const last = laterOf(h.lastVisitAt, visitedAt);
          await H(tx).update(h._id, h._rev, {
            lastVisitAt: last,
            lastVisitMonth: monthOf(last),
            nextDueAt: nextDueAt(last, h.everyDays, h.createdAt),
            visitCount: h.visitCount + 1,
            updatedAt: recordedAt,
          });
          await addTo(tx.collection(gridMonths), gridMonthId(h.gridId, month), { communityId: h.communityId, gridId: h.gridId, month, visits: 0, households: 0, dueVisited: 0 }, {
            visits: 1,
            households: firstInMonth ? 1 : 0,
            dueVisited: wasDue ? 1 : 0,
          });
          const workerFirst = await mark(tx, workerHouseholdMark(member._id, h._id, month), recordedAt);
          await addTo(tx.collection(workerMonths), workerMonthId(member._id, month), { communityId: h.communityId, workerId: member._id, month, visits: 0, households: 0 }, {
            visits: 1,
            households: workerFirst ? 1 : 0,
          });
          return v;
        }),
      );
      if (stored.workerId !== member._id) throw new AppError(VisitErrors.ID_TAKEN, '走访编号冲突，请重新保存');
      ctx.log.info('visit recorded', { requestId: ctx.requestId, visitId: stored._id, requests: stored.requests.length, photos: stored.photos.length });
      return (await visitViews(ctx, [stored]))[0]!;
    },
  },

  /** One visit note: its grid's workers and the community admin (residents have no visit action at all). */
  visit: {
    roles: ['grid_worker', 'community_admin'],
    scope: async (input, ctx) => (await V(ctx.store).get(input.id))?.gridId ?? null,
    async run(input, ctx) {
      const v = await V(ctx.store).get(input.id);
      if (!v) throw new AppError(VisitErrors.NOT_FOUND, '走访记录不存在');
      return (await visitViews(ctx, [v]))[0]!;
    },
  },

  today: {
    roles: ['grid_worker'],
    async run(_input, ctx) {
      const member = me(ctx);
      const gridIds = await workerGridIds(ctx);
      const day = today(ctx);
      const due = gridIds.length
        ? await H(ctx.store).find({
            where: { gridId: { in: gridIds }, nextDueAt: { lt: shanghaiDayEnd(day).toISOString() } },
            orderBy: { field: 'nextDueAt', direction: 'asc' },
            limit: DUE_PAGE,
          })
        : { items: [], nextCursor: null };
      const since = shanghaiDayStart(weekStart(day)).toISOString();
      const weekWhere = { workerId: member._id, visitedAt: { gte: since } };
      const [week, weekCount] = await Promise.all([V(ctx.store).find({ where: weekWhere, orderBy: NEWEST, limit: WEEK_PAGE }), V(ctx.store).count(weekWhere)]);

      // Alerts of the last 30 days for the worker's communities, routed to the household's grid when known.
      const grids = await ctx.store.collection(regions).getMany(gridIds);
      const communityIds = [...new Set(grids.map((g) => g.parentId!))];
      const from = new Date(ctx.now().getTime() - 30 * 24 * 3600_000).toISOString();
      const raw = (
        await Promise.all(
          communityIds.map((cid) => ctx.store.collection(careAlerts).find({ where: { communityId: cid, createdAt: { gte: from } }, orderBy: { field: 'createdAt', direction: 'desc' }, limit: 100 })),
        )
      ).flatMap((p) => p.items);
      const done = new Set((await ctx.store.collection(alertsDone).getMany(raw.map((a) => a._id))).map((d) => d._id));
      const open = raw.filter((a) => !done.has(a._id));
      const linked = new Map((await H(ctx.store).getMany(open.flatMap((a) => alertHousehold(a.householdOrElderRef) ?? []))).map((h) => [h._id, h]));
      const alerts = open.flatMap((a) => {
        const hid = alertHousehold(a.householdOrElderRef);
        const h = hid ? linked.get(hid) : undefined;
        if (h && !gridIds.includes(h.gridId)) return [];
        return [{ _id: a._id, kind: a.kind, reason: a.reason, householdId: h?._id ?? null, address: h ? displayAddress(h) : null, createdAt: a.createdAt }];
      });
      return { due: await views(ctx, due.items), dueMore: due.nextCursor !== null, alerts, week: week.items.map(feedItem), weekCount };
    },
  },

  /** Routed alerts: the household's (or the alert's) grid decides who may clear it; community-wide ones, any of its grid workers or its admin. */
  resolveAlert: {
    roles: ['grid_worker', 'community_admin'],
    async run(input, ctx) {
      const alert = await ctx.store.collection(careAlerts).get(input.id);
      if (!alert) throw new AppError(VisitErrors.ALERT_NOT_FOUND, '提醒不存在');
      const hid = alertHousehold(alert.householdOrElderRef);
      const h = hid ? await H(ctx.store).get(hid) : null;
      const allowed = h
        ? await covers(ctx, h.gridId)
        : (await covers(ctx, alert.communityId)) ||
          (await ctx.store.collection(regions).getMany(await workerGridIds(ctx))).some((g) => g.parentId === alert.communityId);
      if (!allowed) throw forbidden('您无权处理该提醒');
      try {
        await ctx.store.collection(alertsDone).insert({ resolvedAt: ctx.now().toISOString(), by: me(ctx)._id }, { id: alert._id });
      } catch (e) {
        if (!hasCode(e, ErrorCodes.DUPLICATE)) throw e;
      }
      return { ok: true as const };
    },
  },

  feed: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const page = await V(ctx.store).find({ where: feedWhere(input), orderBy: NEWEST, limit: input.limit, cursor: input.cursor });
      return { items: page.items.map(feedItem), nextCursor: page.nextCursor };
    },
  },

  /** This month, per grid and per worker: counters kept by `record` plus one indexed count per grid. */
  coverage: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      await community(ctx, input.communityId);
      return coverageOf(ctx, input.communityId);
    },
  },
});
