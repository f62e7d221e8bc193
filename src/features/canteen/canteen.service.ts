/** The canteen's door for other areas: a canteen as a scope resource, and care alerts for grid workers. */
import { AppError } from '../../lib/errors';
import type { ResolvedResource } from '../../server/scope';
import type { Store, Stored } from '../../server/store/store';
import { regionPath } from '../regions/regions.service';
import { canteens, careAlerts } from './canteen.collections';
import type { CareAlert } from './canteen.schema';

export type { CareAlert };

/**
 * A canteen: its community's path, and its own staff (canteen_staff grants naming it). A missing canteen
 * is 食堂不存在 (dispatch resolves scopes after the role check, so only staff and admins learn it).
 */
export async function canteenResource(store: Store, id: string): Promise<ResolvedResource | null> {
  const c = await store.collection(canteens).get(id);
  if (!c) throw new AppError('CANTEEN.NOT_FOUND', '食堂不存在');
  const path = await regionPath(store, c.communityId);
  return path ? { path, holds: (g) => g.role === 'canteen_staff' && g.canteenId === id } : null;
}

/** A community's care alerts since an instant, newest first (at most 100). */
export const recentCareAlerts = async (store: Store, communityId: string, since: string): Promise<Stored<CareAlert>[]> =>
  (await store.collection(careAlerts).find({ where: { communityId, createdAt: { gte: since } }, orderBy: { field: 'createdAt', direction: 'desc' }, limit: 100 })).items;

export const careAlert = (store: Store, id: string): Promise<Stored<CareAlert> | null> => store.collection(careAlerts).get(id);
