import { z } from 'zod';
import { defineContract } from '../../lib/contract';
import { ROLES } from './members.labels';

export { ROLE_LABELS, ROLES } from './members.labels';

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** A role held over one region (community for residents/admins, grid for grid workers, …). */
export const Grant = z.object({
  role: Role,
  regionId: z.string(),
  regionName: z.string().optional(),
  building: z.string().max(20).optional(),
  unit: z.string().max(20).optional(),
  /** canteen_staff only: the canteen (its community is `regionId`). */
  canteenId: z.string().optional(),
  /** unit_contact only: the co-building unit (its home region is `regionId`). */
  unitId: z.string().optional(),
});
export type Grant = z.infer<typeof Grant>;

export const Member = z.object({
  _id: z.string(),
  openid: z.string(),
  name: z.string().min(1).max(30),
  phone: z.string().max(20).optional(),
  grants: z.array(Grant),
  createdAt: z.string(),
});
export type Member = z.infer<typeof Member>;

/** One-time code a community admin hands to new staff; its `_id` is the code itself. */
export const Invitation = z.object({
  _id: z.string(),
  role: Role,
  /** The region the grant will cover: the community, or one of its grids for a grid worker. */
  regionId: z.string(),
  regionName: z.string(),
  communityId: z.string(),
  /** canteen_staff invitations: the canteen the grant will cover. */
  canteenId: z.string().optional(),
  /** unit_contact invitations: the unit the grant will cover. */
  unitId: z.string().optional(),
  /** Member id of the inviting admin. */
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  /** Member id of the person who redeemed it. */
  usedBy: z.string().nullable(),
  usedAt: z.string().nullable(),
});
export type Invitation = z.infer<typeof Invitation>;

/** `_id` = `openid:<openid>`: the deterministic id that keeps one member per openid. */
export const OpenidLink = z.object({ _id: z.string(), memberId: z.string() });
export type OpenidLink = z.infer<typeof OpenidLink>;

/**
 * One row per grant, `_id` = `roster:<memberId>:<role>:<regionId>`, so people can be listed by
 * community and role (grants live inside members, where the store cannot query them).
 * `communityId` is the grant's community (a grid's parent); null for district and city grants.
 */
export const RosterEntry = z.object({
  _id: z.string(),
  memberId: z.string(),
  role: Role,
  regionId: z.string(),
  regionName: z.string(),
  communityId: z.string().nullable(),
  createdAt: z.string(),
});
export type RosterEntry = z.infer<typeof RosterEntry>;

/** What the client knows about the signed-in person. Phone is masked even to its owner on screen. */
export const MeView = z.object({
  openid: z.string(),
  member: z
    .object({
      _id: z.string(),
      name: z.string(),
      phoneMasked: z.string().nullable(),
      grants: z.array(Grant),
    })
    .nullable(),
});
export type MeView = z.infer<typeof MeView>;

export const StaffRole = z.enum(['grid_worker', 'community_admin']);

const Phone = z.string().regex(/^1\d{10}$/, '请输入 11 位手机号');
const PersonName = z.string().trim().min(1, '请填写姓名').max(30, '姓名最多 30 个字');

export const membersContract = defineContract({
  me: { input: z.object({}), output: MeView },
  joinCommunity: {
    input: z.object({
      communityId: z.string().min(1),
      name: PersonName,
      phone: Phone.optional(),
      building: z.string().trim().min(1, '请填写楼栋').max(20),
      unit: z.string().trim().max(20).optional(),
    }),
    output: MeView,
  },
  createInvitation: {
    /** `gridId` (grid workers only) narrows the grant to one grid of the community. */
    input: z
      .object({ communityId: z.string().min(1), role: StaffRole, gridId: z.string().min(1).optional() })
      .refine((i) => !i.gridId || i.role === 'grid_worker', { message: '只有网格员可以指定网格', path: ['gridId'] }),
    output: z.object({ code: z.string(), role: StaffRole, expiresAt: z.string() }),
  },
  redeemInvitation: {
    input: z.object({ code: z.string().trim().min(6).max(16), name: PersonName, phone: Phone.optional() }),
    output: MeView,
  },
  /** Gives an existing staff member of the community a grid worker grant on one of its grids (no new invitation). */
  assignGrid: {
    input: z.object({ communityId: z.string().min(1), memberId: z.string().min(1), gridId: z.string().min(1) }),
    output: z.object({ memberId: z.string(), gridId: z.string(), regionName: z.string() }),
  },
  listStaff: {
    input: z.object({ communityId: z.string().min(1) }),
    output: z.object({
      items: z.array(
        z.object({
          memberId: z.string(),
          name: z.string(),
          phoneMasked: z.string().nullable(),
          role: Role,
          regionId: z.string(),
          regionName: z.string(),
        }),
      ),
    }),
  },
});
