/**
 * The composition root's second half: what dispatch needs from the areas (who a caller is, and how each
 * kind of resource resolves), from their services only. Kept apart from areas.ts so that a cloud
 * function's bundle carries its own area and these few lookups, not every area.
 */
import { canteenResource } from '../features/canteen/canteen.service';
import { matterResource } from '../features/matters/matters.service';
import { memberByOpenid } from '../features/members/members.service';
import { regionPath, regionResource } from '../features/regions/regions.service';
import { unitResource } from '../features/units/units.service';
import type { Resolvers } from './scope';

export { memberByOpenid, regionPath };

/** Events get their resolver with their area; until then they are unknown resources. */
export const resolvers: Resolvers = {
  region: regionResource,
  grid: regionResource,
  canteen: canteenResource,
  unit: unitResource,
  matter: matterResource,
};
