/** The members area's door for other areas: who a caller is, staff rosters, staff invitations. */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { ErrorCodes, isAppError } from '../../lib/errors';
import { readAll } from '../../server/read-all';
import type { Store, Stored } from '../../server/store/store';
import { invitations, members, roster } from './members.collections';
import { generateCode, invitationExpiry } from './members.rules';
import type { Invitation, Member, RosterEntry } from './members.schema';

export const memberByOpenid = async (store: Store, openid: string): Promise<Stored<Member> | null> =>
  (await store.collection(members).find({ where: { openid }, limit: 1 })).items[0] ?? null;

export const membersByIds = (store: Store, ids: string[]): Promise<Stored<Member>[]> => store.collection(members).getMany([...new Set(ids)]);

/** Roster rows of a community for one role (the member's grants remain the truth). */
export const rosterOf = async (store: Store, communityId: string, role: RosterEntry['role']): Promise<Stored<RosterEntry>[]> =>
  (await readAll(store.collection(roster), { where: { communityId, role } })).items;

/**
 * The people holding a unit_contact grant for this unit (the member's grants are the truth; roster rows find them).
 * Unit contacts are few (hundreds in a city), so the role's rows are read and filtered by their id's unit.
 */
export async function unitContacts(store: Store, unitId: string): Promise<Stored<Member>[]> {
  const rows = (await readAll(store.collection(roster), { where: { role: 'unit_contact' } }, 5000)).items.filter((r) => r._id.endsWith(`:unit:${unitId}`));
  const found = await membersByIds(store, rows.map((r) => r.memberId));
  return found.filter((m) => m.grants.some((g) => g.role === 'unit_contact' && g.unitId === unitId));
}

const randomBytes = (n: number): Uint8Array => cryptoRandomBytes(n);

/** A one-time invitation code (a collision with an existing code is retried with a fresh one). */
export async function createInvitation(
  store: Store,
  inv: Omit<Invitation, '_id' | 'createdAt' | 'expiresAt' | 'usedBy' | 'usedAt'>,
  now: Date,
): Promise<{ code: string; expiresAt: string }> {
  const expiresAt = invitationExpiry(now);
  for (let attempt = 0; ; attempt++) {
    const code = generateCode(randomBytes);
    try {
      await store.collection(invitations).insert({ ...inv, createdAt: now.toISOString(), expiresAt, usedBy: null, usedAt: null }, { id: code });
      return { code, expiresAt };
    } catch (e) {
      if (!(isAppError(e) && e.code === ErrorCodes.DUPLICATE) || attempt >= 5) throw e;
    }
  }
}
