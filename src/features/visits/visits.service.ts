/** The household visits' door for other areas: counts from the household ledger, never a household's details. */
import { readAll } from '../../server/read-all';
import type { Store } from '../../server/store/store';
import { households } from './visits.collections';
import type { Household } from './visits.schema';

/** A community's ledger is a few thousand households; counting reads them once. */
const MAX_HOUSEHOLDS = 20_000;

const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').replace(/(号楼|幢|栋)$/, '');

/**
 * Households (and their members) of a community in the given buildings (any, when none given) carrying any of
 * the given tags (any, when none given). '1栋', '1号楼' and '1幢' name the same building.
 */
export async function countHouseholds(store: Store, communityId: string, filter: { buildings: string[]; tags: Household['tags'] }): Promise<{ households: number; people: number; truncated: boolean }> {
  const all = await readAll(store.collection(households), { where: { communityId } }, MAX_HOUSEHOLDS);
  const buildings = new Set(filter.buildings.map(norm));
  const picked = all.items.filter((h) => (buildings.size === 0 || buildings.has(norm(h.building))) && (filter.tags.length === 0 || h.tags.some((t) => filter.tags.includes(t))));
  return { households: picked.length, people: picked.reduce((n, h) => n + h.membersCount, 0), truncated: all.truncated };
}
