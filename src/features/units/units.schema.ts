import { z } from 'zod';
import { defineContract } from '../../lib/contract';
import { Matter } from '../matters/matters.schema';
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
  /** The district of the home region: a district's registry lists every unit registered in it. */
  districtId: z.string(),
  /** Region ids from the city down to the home region (scope checks). */
  path: z.array(z.string()),
  /** The communities it is linked to (共建); `units_links` holds the same links, queryable by community. */
  communityIds: z.array(z.string()),
  /** The unit's party-organisation head, serving as a community's part-time committee member (兼职委员). */
  partyHead: z.object({ name: z.string().max(30), communityId: z.string().optional() }).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
});
export type Unit = z.infer<typeof Unit>;

/** `link:<unit>:<community>`: a unit linked to a community, so a community's units can be listed. */
export const UnitLink = z.object({ _id: z.string(), unitId: z.string(), communityId: z.string(), at: z.string() });
export type UnitLink = z.infer<typeof UnitLink>;

/** `name:<homeRegion>:<name>`: one unit of a name per home region (a rename moves it). */
export const UnitName = z.object({ _id: z.string(), unitId: z.string() });
export type UnitName = z.infer<typeof UnitName>;

const Id = z.string().min(1).max(100);
const Name = z.string().trim().min(2, '单位名称至少 2 个字').max(60, '单位名称最多 60 个字');
const PartyHeadValue = z.object({ name: z.string().trim().min(2, '请填写兼职委员姓名').max(30), communityId: Id.optional() });
const PartyHead = PartyHeadValue.nullable().default(null);

export const UnitView = Unit.omit({ createdBy: true }).extend({
  homeRegionName: z.string(),
  communities: z.array(z.object({ _id: z.string(), name: z.string() })),
  partyHeadCommunityName: z.string().nullable(),
});
export type UnitView = z.infer<typeof UnitView>;

/** The matter's own states (one definition, in the matters contract). */
const MatterState = Matter.shape.state;

/** One of a unit's matters, as its contacts and admins see it. */
export const UnitMatterRow = z.object({
  matterId: z.string(),
  title: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  year: z.number().int(),
  role: z.enum(['lead', 'support']),
  state: MatterState,
  progress: z.number().int(),
});
export type UnitMatterRow = z.infer<typeof UnitMatterRow>;

const UnitRow = UnitView.pick({ _id: true, name: true, type: true, homeRegionId: true, homeRegionName: true, communityIds: true, partyHead: true }).extend({
  /** Whether the caller manages it (its home region is theirs), or only sees it linked to their community. */
  managed: z.boolean(),
});

export const unitsContract = defineContract({
  /** A district or community admin registers a unit under their region (a community's own units are linked to it at once). */
  registerUnit: {
    input: z.object({ homeRegionId: Id, name: Name, type: UnitType, partyHead: PartyHead }),
    output: UnitView,
  },
  updateUnit: {
    // Absent fields stay as they are (no defaults here: an absent 兼职委员 is not a removed one).
    input: z.object({ unitId: Id, name: Name.optional(), type: UnitType.optional(), partyHead: PartyHeadValue.nullable().optional() }),
    output: UnitView,
  },
  /** Links a community of the unit's home region (共建). */
  linkCommunity: { input: z.object({ unitId: Id, communityId: Id }), output: UnitView },
  /** Refused while the unit leads or supports a matter of that community. */
  unlinkCommunity: { input: z.object({ unitId: Id, communityId: Id }), output: UnitView },
  /** A district's registry (every unit registered in it), or the units linked to a community. */
  listUnits: {
    input: z.object({ regionId: Id, cursor: z.string().max(500).nullable().default(null) }),
    output: z.object({ items: z.array(UnitRow), nextCursor: z.string().nullable() }),
  },
  /** A unit's page: its record, linked communities and matters. */
  getUnit: { input: z.object({ unitId: Id }), output: UnitView.extend({ matters: z.array(UnitMatterRow) }) },
  /** The units a unit contact works for. */
  myUnits: { input: z.object({}).default({}), output: z.object({ items: z.array(z.object({ _id: z.string(), name: z.string() })) }) },
  /** A one-time code for a unit contact (共建单位联系人). */
  inviteContact: { input: z.object({ unitId: Id }), output: z.object({ code: z.string(), expiresAt: z.string() }) },
  /** A community's matters of a year with their units, for the admin who assigns them. */
  communityMatters: {
    input: z.object({ communityId: Id, year: z.number().int().min(2000).max(2100), cursor: z.string().max(500).nullable().default(null) }),
    output: z.object({
      items: z.array(z.object({
        matterId: z.string(), title: z.string(), state: MatterState, progress: z.number().int(),
        lead: z.object({ _id: z.string(), name: z.string() }).nullable(),
        supports: z.array(z.object({ _id: z.string(), name: z.string() })),
      })),
      nextCursor: z.string().nullable(),
    }),
  },
  /** A community admin sets a matter's lead unit (牵头单位) and supporting units: units linked to that community. */
  assignMatterUnits: {
    input: z.object({ matterId: Id, leadUnitId: Id.nullable(), supportUnitIds: z.array(Id).max(10, '配合单位最多 10 个').default([]) }),
    output: z.object({ matterId: z.string(), leadUnitId: z.string().nullable(), supportUnitIds: z.array(z.string()) }),
  },
});
