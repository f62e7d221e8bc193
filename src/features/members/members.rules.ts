import type { Region } from '../regions/regions.schema';
import type { Grant, Role } from './members.schema';

/** Pure membership rules (no I/O): invitation codes, their validity, and how grants combine. */

/** No 0/O, 1/I/L: codes are read aloud and typed from paper. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** A fresh code from a source of random bytes (crypto.getRandomValues on server and client). */
export function generateCode(randomBytes: (n: number) => Uint8Array): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 31).
  const limit = 256 - (256 % CODE_ALPHABET.length);
  let code = '';
  while (code.length < CODE_LENGTH) {
    for (const b of randomBytes(CODE_LENGTH * 2)) {
      if (b < limit) code += CODE_ALPHABET[b % CODE_ALPHABET.length];
      if (code.length === CODE_LENGTH) break;
    }
  }
  return code;
}

/** What a person types → the stored code: full-width folded, upper case, spaces and dashes dropped. */
export function normaliseCode(raw: string): string {
  return raw.normalize('NFKC').toUpperCase().replace(/[\s-]+/g, '');
}

export function isWellFormedCode(code: string): boolean {
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c));
}

export const invitationExpiry = (createdAt: Date): string => new Date(createdAt.getTime() + INVITATION_TTL_MS).toISOString();

export type InvitationState = 'valid' | 'used' | 'expired';

/** Used wins over expired: telling someone “already used” is the more useful answer. */
export function invitationState(inv: { usedBy: string | null; expiresAt: string }, now: Date): InvitationState {
  if (inv.usedBy !== null) return 'used';
  return now.getTime() >= Date.parse(inv.expiresAt) ? 'expired' : 'valid';
}

export const STAFF_ROLES: readonly Role[] = ['grid_worker', 'community_admin', 'canteen_staff', 'unit_contact', 'leader'];
export const isStaffRole = (role: Role): boolean => STAFF_ROLES.includes(role);

/**
 * Adds a grant. One grant per (role, region): a resident who joins the same community again keeps
 * one resident grant whose building/unit are the latest given; other roles are not duplicated.
 */
export function mergeGrant(grants: readonly Grant[], grant: Grant): Grant[] {
  // Canteen staff hold one grant per canteen (a community may run several); unit contacts one per unit.
  const i = grants.findIndex((g) => g.role === grant.role && g.regionId === grant.regionId && g.canteenId === grant.canteenId && g.unitId === grant.unitId);
  if (i < 0) return [...grants, grant];
  const next = [...grants];
  next[i] = grant.role === 'resident' ? grant : { ...grants[i]!, regionName: grant.regionName ?? grants[i]!.regionName };
  return next;
}

/** Deterministic ids: one member per openid, one roster row per grant. */
export const openidLinkId = (openid: string): string => `openid:${openid}`;
export const rosterId = (memberId: string, g: Pick<Grant, 'role' | 'regionId' | 'canteenId' | 'unitId'>): string =>
  `roster:${memberId}:${g.role}:${g.regionId}${g.canteenId ? `:${g.canteenId}` : ''}${g.unitId ? `:unit:${g.unitId}` : ''}`;

/** The community a region belongs to (itself, or a grid's parent); null above community level. */
export function communityIdOf(region: Pick<Region, '_id' | 'kind' | 'parentId'>): string | null {
  if (region.kind === 'community') return region._id;
  if (region.kind === 'grid') return region.parentId;
  return null;
}
