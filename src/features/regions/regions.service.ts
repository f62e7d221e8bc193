/** The regions area's door for other areas: lookups, ancestry, grids; and the region resource for scopes. */
import { readAll } from '../../server/read-all';
import type { ResolvedResource } from '../../server/scope';
import { baseStore, type Store, type Stored, type TxStore } from '../../server/store/store';
import { regions } from './regions.collections';
import type { Region } from './regions.schema';

export type { Region };

/** Region ancestry changes rarely; cached per store (a function instance or the local host). */
const pathCache = new WeakMap<object, Map<string, string[]>>();

/** Region ids from the city down to `regionId`, or null when it does not exist. */
export async function regionPath(store: Store, regionId: string): Promise<string[] | null> {
  let cache = pathCache.get(baseStore(store));
  if (!cache) pathCache.set(baseStore(store), (cache = new Map()));
  const hit = cache.get(regionId);
  if (hit) return hit;
  const region = await store.collection(regions).get(regionId);
  if (!region) return null;
  cache.set(regionId, region.path);
  return region.path;
}

export const getRegion = (store: Store | TxStore, id: string): Promise<Stored<Region> | null> => store.collection(regions).get(id);
export const getRegions = (store: Store | TxStore, ids: string[]): Promise<Stored<Region>[]> => store.collection(regions).getMany(ids);
export const regionName = async (store: Store, id: string): Promise<string> => (await getRegion(store, id))?.name ?? '';

export const childrenOf = async (store: Store, parentId: string): Promise<Stored<Region>[]> =>
  (await readAll(store.collection(regions), { where: { parentId } }, Infinity)).items;

/** The regions on a region's path (itself included), by kind. */
export async function ancestry(store: Store, regionId: string): Promise<{ regions: Stored<Region>[]; idOf: (kind: Region['kind']) => string }> {
  const path = (await regionPath(store, regionId)) ?? [];
  const found = await getRegions(store, path);
  return { regions: found, idOf: (kind) => found.find((r) => r.kind === kind)?._id ?? '' };
}

/** A new grid under a community. */
export const addGrid = (store: Store, community: Stored<Region>, name: string, id: string): Promise<Stored<Region>> =>
  store.collection(regions).insert({ kind: 'grid', name, parentId: community._id, path: [...community.path, id] }, { id });

/** A region (or grid) as a scope resource: its path; no grants are held on a region itself. */
export async function regionResource(store: Store, id: string): Promise<ResolvedResource | null> {
  const path = await regionPath(store, id);
  return path ? { path } : null;
}
