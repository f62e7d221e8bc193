/** Helpers shared by the visits use cases: lookups, grids of a worker, views. */
import { AppError, forbidden, isAppError } from '../../../lib/errors';
import { maskPhone } from '../../../lib/mask';
import { shanghaiDay } from '../../../lib/time';
import type { ActionContext } from '../../../server/action';
import type { Resource } from '../../../server/scope';
import type { Collection, Store, Stored, TxCollection, TxStore } from '../../../server/store/store';
import type { Member } from '../../members/members.schema';
import { excerpt } from '../../../lib/text';
import { childrenOf, getRegion, getRegions, regionPath, type Region } from '../../regions/regions.service';
import { households, visitRules, visits } from '../visits.collections';
import { byGridName, DEFAULT_RULES, displayAddress, overdueDays, rulesId } from '../visits.rules';
import type { FeedItem, Household, HouseholdView, Visit, VisitRules, VisitView } from '../visits.schema';

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

export function H(s: Store): Collection<Household>;
export function H(s: TxStore): TxCollection<Household>;
export function H(s: TxStore) {
  return s.collection(households);
}

export function V(s: Store): Collection<Visit>;
export function V(s: TxStore): TxCollection<Visit>;
export function V(s: TxStore) {
  return s.collection(visits);
}

export const hasCode = (e: unknown, code: string) => isAppError(e) && e.code === code;

export const householdNotFound = () => new AppError(VisitErrors.HOUSEHOLD_NOT_FOUND, '住户不存在或已被删除');

export function me(ctx: ActionContext): Stored<Member> {
  if (!ctx.caller.member) throw forbidden('请先加入社区');
  return ctx.caller.member;
}

export async function community(ctx: ActionContext, id: string): Promise<Stored<Region>> {
  const c = await getRegion(ctx.store, id);
  if (!c || c.kind !== 'community') throw new AppError(VisitErrors.COMMUNITY_NOT_FOUND, '社区不存在');
  return c;
}

export async function grid(ctx: ActionContext, id: string): Promise<Stored<Region>> {
  const g = await getRegion(ctx.store, id);
  if (!g || g.kind !== 'grid' || !g.parentId) throw new AppError(VisitErrors.GRID_NOT_FOUND, '网格不存在');
  return g;
}

/** A community's grids in their numbered order (第一网格, 第二网格, …). */
export const gridsOf = (ctx: ActionContext, communityId: string) =>
  childrenOf(ctx.store, communityId).then((items) => items.filter((r) => r.kind === 'grid').sort(byGridName));

/** The grids a grid worker's grants cover: a grant on a grid, or on a whole community (all its grids). */
export async function workerGridIds(ctx: ActionContext): Promise<string[]> {
  const ids = new Set<string>();
  for (const g of ctx.grants.filter((x) => x.role === 'grid_worker')) {
    const r = await getRegion(ctx.store, g.regionId);
    if (r?.kind === 'grid') ids.add(r._id);
    else if (r?.kind === 'community') for (const gr of await gridsOf(ctx, r._id)) ids.add(gr._id);
  }
  return [...ids];
}

export async function gridNames(ctx: ActionContext, ids: string[]): Promise<Map<string, string>> {
  return new Map((await getRegions(ctx.store, [...new Set(ids)])).map((g) => [g._id, g.name]));
}

/** Whether the caller's (already role-filtered) grants cover a region. */
export async function covers(ctx: ActionContext, regionId: string): Promise<boolean> {
  const path = await regionPath(ctx.store, regionId);
  return !!path && ctx.grants.some((g) => path.includes(g.regionId));
}

export async function loadRules(store: Store, communityId: string): Promise<Pick<VisitRules, 'intervals' | 'defaultEveryDays'>> {
  const r = await store.collection(visitRules).get(rulesId(communityId));
  return r ?? DEFAULT_RULES;
}

export const today = (ctx: ActionContext) => shanghaiDay(ctx.now());

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

export async function views(ctx: ActionContext, list: Stored<Household>[], fullPhone = false): Promise<HouseholdView[]> {
  const names = await gridNames(ctx, list.map((h) => h.gridId));
  const day = today(ctx);
  return list.map((h) => householdView(h, names.get(h.gridId) ?? '', day, fullPhone));
}

/** What every view of a visit starts with: which household, who, when, what kind. */
const visitHeading = (v: Stored<Visit>) => ({
  _id: v._id,
  householdId: v.householdId,
  gridId: v.gridId,
  address: v.address,
  headName: v.headName,
  workerName: v.workerName,
  visitedAt: v.visitedAt,
  kind: v.kind,
});

export async function visitViews(ctx: ActionContext, list: Stored<Visit>[]): Promise<VisitView[]> {
  const ids = [...new Set(list.flatMap((v) => v.photos))];
  const urls = ids.length ? await ctx.files.urls(ids) : {};
  return list.map((v) => ({
    ...visitHeading(v),
    clientId: v.clientId,
    findings: v.findings,
    requests: v.requests,
    photoUrls: v.photos.flatMap((id) => (urls[id] ? [urls[id]] : [])),
    photoConsent: v.photoConsent,
    location: v.location,
    followUpOf: v.followUpOf,
    recordedAt: v.recordedAt,
  }));
}

export const feedItem = (v: Stored<Visit>): FeedItem => ({
  ...visitHeading(v),
  excerpt: excerpt(v.findings),
  requestCount: v.requests.length,
  photoCount: v.photos.length,
});

export const NEWEST = { field: 'visitedAt', direction: 'desc' } as const;

/** The household, with the dispatch scope already checked against its grid. */
export async function householdOf(ctx: ActionContext, id: string): Promise<Stored<Household>> {
  const h = await H(ctx.store).get(id);
  if (!h) throw householdNotFound();
  return h;
}

export const householdScope = async (input: { id?: string; householdId?: string }, ctx: ActionContext): Promise<Resource | null> => {
  const h = await H(ctx.store).get((input.householdId ?? input.id)!);
  return h ? { grid: h.gridId } : null;
};
