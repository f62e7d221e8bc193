import { z } from 'zod';
import { UNIT_TYPES } from './units.labels';

export { UNIT_TYPE_LABELS, UNIT_TYPES } from './units.labels';

export const UnitType = z.enum(UNIT_TYPES);

/**
 * A co-building unit (共建单位). Registered under a home region (a district or a community: whoever
 * registered it manages it); linked to the communities it serves. Its contacts hold `unit_contact` grants
 * naming it (`grant.unitId`).
 */
export const Unit = z.object({
  _id: z.string(),
  name: z.string().trim().min(1).max(60),
  type: UnitType,
  /** The region that registered it (district or community). */
  homeRegionId: z.string(),
  /** Region ids from the city down to the home region (scope checks). */
  path: z.array(z.string()),
  /** The communities it is linked to (共建). */
  communityIds: z.array(z.string()),
  /** The unit's party-organisation head, serving as a community's part-time committee member (兼职委员). */
  partyHead: z.object({ name: z.string().max(30), communityId: z.string().optional() }).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type Unit = z.infer<typeof Unit>;
