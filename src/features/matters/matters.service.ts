/**
 * The matters area's door for other areas: the year's matters (read by id or by community), a matter as a
 * scope resource, and the claims the leaders area records on a matter.
 */
import { AppError } from '../../lib/errors';
import type { ResolvedResource } from '../../server/scope';
import { readAll } from '../../server/read-all';
import type { Fields, Page, Store, Stored, TxStore } from '../../server/store/store';
import { matterUnitLinks, matters } from './matters.collections';
import type { Demand, Matter } from './matters.schema';

export type { Matter };

export const matterId = (demandId: string): string => `matter:${demandId}`;

/** A matter as the fixed list creates it: planning, no units, no claims, no progress. */
export const newMatter = (d: Stored<Demand>, path: string[], now: string): Fields<Matter> => ({
  communityId: d.communityId, districtId: d.districtId, cityId: d.cityId, year: d.year,
  demandId: d._id, title: d.title, category: d.category, path,
  state: 'planning', leadUnitId: null, supportUnitIds: [], claimedBy: [], progress: 0, createdAt: now, updatedAt: now,
});

export const mattersByIds = (store: Store | TxStore, ids: string[]): Promise<Stored<Matter>[]> => store.collection(matters).getMany([...new Set(ids)]);
export const getMatter = (store: Store | TxStore, id: string): Promise<Stored<Matter> | null> => store.collection(matters).get(id);

/** A matter: its community's path, and the contacts of its lead and supporting units. */
export async function matterResource(store: Store, id: string): Promise<ResolvedResource | null> {
  const m = await store.collection(matters).get(id);
  if (!m) throw new AppError('MATTERS.MATTER_NOT_FOUND', '找不到这件实事');
  const unitIds = [m.leadUnitId, ...m.supportUnitIds].filter((u): u is string => !!u);
  return { path: m.path, holds: (g) => g.role === 'unit_contact' && !!g.unitId && unitIds.includes(g.unitId) };
}

const notFound = () => new AppError('MATTERS.MATTER_NOT_FOUND', '找不到这件实事');

export const matterUnitLinkId = (matterId: string, unitId: string): string => `mu:${matterId}:${unitId}`;

/**
 * Inside the caller's transaction: a matter's lead and supporting units (the units area has checked them),
 * with the unit links (`matters_unit_links`) kept in step so each unit can list its matters.
 */
export async function setMatterUnits(tx: TxStore, id: string, lead: string | null, supports: string[], now: string): Promise<Stored<Matter>> {
  const m = await tx.collection(matters).get(id);
  if (!m) throw notFound();
  const links = tx.collection(matterUnitLinks);
  const roles = new Map<string, 'lead' | 'support'>(supports.map((u) => [u, 'support']));
  if (lead) roles.set(lead, 'lead');
  for (const u of [m.leadUnitId, ...m.supportUnitIds]) if (u && !roles.has(u)) await links.remove(matterUnitLinkId(id, u));
  for (const [unitId, role] of roles) {
    const lid = matterUnitLinkId(id, unitId);
    const cur = await links.get(lid);
    if (!cur) await links.insert({ matterId: id, unitId, communityId: m.communityId, year: m.year, role }, { id: lid });
    else if (cur.role !== role) await links.update(lid, cur._rev, { role });
  }
  return tx.collection(matters).update(id, m._rev, { leadUnitId: lead, supportUnitIds: supports, updatedAt: now });
}

/** A unit's matters (newest year first) with its part in each. */
export async function mattersOfUnit(store: Store, unitId: string): Promise<{ matter: Stored<Matter>; role: 'lead' | 'support' }[]> {
  const { items } = await readAll(store.collection(matterUnitLinks), { where: { unitId }, orderBy: { field: 'year', direction: 'desc' } }, 1000);
  const found = new Map((await mattersByIds(store, items.map((l) => l.matterId))).map((m) => [m._id, m]));
  return items.flatMap((l) => {
    const matter = found.get(l.matterId);
    return matter ? [{ matter, role: l.role }] : [];
  });
}

/** One page of a region's matters of a year: a community's, a district's or the city's. */
export const mattersOfRegion = (
  store: Store,
  region: { communityId: string } | { districtId: string } | { cityId: string },
  year: number,
  cursor: string | null,
  limit = 20,
): Promise<Page<Matter>> => store.collection(matters).find({ where: { ...region, year }, limit, cursor });

/**
 * Inside the leaders area's transaction: a leader added to (or removed from) the matter's `claimedBy`. On the
 * matter's `_rev`, so two leaders claiming at once both end up on it (the loser's transaction is retried).
 */
export async function recordClaim(tx: TxStore, id: string, leader: { memberId: string; name: string }, op: 'add' | 'remove', now: string): Promise<Stored<Matter>> {
  const m = await tx.collection(matters).get(id);
  if (!m) throw notFound();
  const others = m.claimedBy.filter((c) => c.memberId !== leader.memberId);
  const claimedBy = op === 'add' ? [...others, leader] : others;
  return tx.collection(matters).update(id, m._rev, { claimedBy, updatedAt: now });
}
