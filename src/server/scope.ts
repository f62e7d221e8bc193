/**
 * Resource scopes: an action names what it touches (a region, a canteen, a grid; later a unit, a matter,
 * an event). One resolver per kind maps it to its region path and to the grants held on the resource
 * itself; dispatch checks once. Resolvers are wired by the composition root (access.ts).
 */
import { AppError } from '../lib/errors';
import type { Grant } from '../features/members/members.schema';
import type { Store } from './store/store';

export type ResourceKind = 'region' | 'canteen' | 'grid' | 'unit' | 'matter' | 'event';
export type Resource = { region: string } | { canteen: string } | { grid: string } | { unit: string } | { matter: string } | { event: string };
/** A bare string is a region id; null skips the check (e.g. “my own” actions). */
export type ScopeTarget = Resource | string | null;

export interface ResolvedResource {
  /** Region ids from the city down to the resource's own region. */
  path: string[];
  /** Grants held on this very resource (a canteen's staff); absent for plain regions. */
  holds?: (g: Grant) => boolean;
}

export type Resolver = (store: Store, id: string) => Promise<ResolvedResource | null>;
export type Resolvers = Partial<Record<ResourceKind, Resolver>>;

export const ScopeErrors = { UNKNOWN_RESOURCE: 'SCOPE.UNKNOWN_RESOURCE' } as const;

/** A grant bound to one resource (a canteen's staff, a unit's contact) covers that resource, not its neighbours in the region. */
const isBound = (g: Grant): boolean => !!g.canteenId || !!g.unitId;

function kindOf(target: Resource): [ResourceKind, string] {
  const [entry] = Object.entries(target) as [ResourceKind, string][];
  if (!entry) throw new AppError(ScopeErrors.UNKNOWN_RESOURCE, '未知的资源类型');
  return entry;
}

/** The grants (already filtered by role) that cover the target, and the target's region path (null if none). */
export async function resolveScope(
  resolvers: Resolvers, store: Store, grants: Grant[], target: ScopeTarget,
): Promise<{ grants: Grant[]; path: string[] | null }> {
  if (target === null) return { grants, path: null };
  const [kind, id] = typeof target === 'string' ? (['region', target] as const) : kindOf(target);
  const resolve = resolvers[kind];
  if (!resolve) throw new AppError(ScopeErrors.UNKNOWN_RESOURCE, `未知的资源类型：${kind}`);
  const r = await resolve(store, id);
  if (!r) return { grants: [], path: null };
  if (!r.holds) return { grants: grants.filter((g) => r.path.includes(g.regionId)), path: r.path };
  return { grants: grants.filter((g) => r.holds!(g) || (!isBound(g) && r.path.includes(g.regionId))), path: r.path };
}

export const grantsCovering = async (resolvers: Resolvers, store: Store, grants: Grant[], target: ScopeTarget): Promise<Grant[]> =>
  (await resolveScope(resolvers, store, grants, target)).grants;

const DENIED: Record<ResourceKind, string> = {
  region: '您无权操作该社区或区域的数据',
  grid: '您无权操作该网格的数据',
  canteen: '您不是该食堂的工作人员，也不管理它所在的社区',
  unit: '您无权操作该共建单位的数据',
  matter: '您无权操作该实事的数据',
  event: '您无权操作该活动的数据',
};

/** The refusal, in words that name what was refused. */
export const deniedMessage = (target: ScopeTarget): string =>
  typeof target === 'object' && target !== null ? (DENIED[Object.keys(target)[0] as ResourceKind] ?? DENIED.region) : DENIED.region;
