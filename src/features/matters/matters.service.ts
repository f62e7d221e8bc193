/**
 * The matters area's door for other areas: the year's matters (read by id or by community), a matter as a
 * scope resource, and the claims the leaders area records on a matter.
 */
import { AppError } from '../../lib/errors';
import type { ResolvedResource } from '../../server/scope';
import type { Fields, Store, Stored, TxStore } from '../../server/store/store';
import { matters } from './matters.collections';
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
