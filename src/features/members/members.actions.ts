import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { AppError } from '../../lib/errors';
import { maskPhone } from '../../lib/mask';
import { defineArea, type ActionContext } from '../../server/action';
import { withRetry } from '../../server/conflict-retry';
import { readAll } from '../../server/read-all';
import type { Stored, TxStore } from '../../server/store/store';
import { getRegion, type Region } from '../regions/regions.service';
import { invitations, members, openidLinks, roster } from './members.collections';
import {
  STAFF_ROLES, generateCode, invitationExpiry, invitationState, isWellFormedCode, mergeGrant, normaliseCode, openidLinkId,
  rosterId,
} from './members.rules';
import { membersContract, type Grant, type Member, type MeView } from './members.schema';

/** Members: who a person is, which communities they live in, and which staff roles they hold. */

export const MembersErrors = {
  COMMUNITY_NOT_FOUND: 'MEMBERS.COMMUNITY_NOT_FOUND',
  GRID_NOT_FOUND: 'MEMBERS.GRID_NOT_FOUND',
  MEMBER_NOT_FOUND: 'MEMBERS.MEMBER_NOT_FOUND',
  INVITATION_NOT_FOUND: 'MEMBERS.INVITATION_NOT_FOUND',
  INVITATION_USED: 'MEMBERS.INVITATION_USED',
  INVITATION_EXPIRED: 'MEMBERS.INVITATION_EXPIRED',
} as const;

export function meView(openid: string, m: Member | null): MeView {
  return {
    openid,
    member: m ? { _id: m._id, name: m.name, phoneMasked: maskPhone(m.phone), grants: m.grants } : null,
  };
}

interface Person {
  name: string;
  phone?: string;
}

/**
 * Inside a transaction: the caller's member record with `grant` merged in, created on first use.
 * The openid link's deterministic id makes a concurrent second creation fail with STORE.DUPLICATE.
 */
async function upsertMemberWithGrant(
  tx: TxStore,
  ctx: ActionContext,
  person: Person,
  grant: Grant,
  communityId: string | null,
): Promise<Stored<Member>> {
  const openid = ctx.caller.openid;
  const now = ctx.now().toISOString();
  const link = await tx.collection(openidLinks).get(openidLinkId(openid));
  let member: Stored<Member>;
  if (!link) {
    const memberId = ctx.newId();
    await tx.collection(openidLinks).insert({ memberId }, { id: openidLinkId(openid) });
    member = await tx.collection(members).insert(
      { openid, name: person.name, ...(person.phone ? { phone: person.phone } : {}), grants: [grant], createdAt: now },
      { id: memberId },
    );
  } else {
    const current = await tx.collection(members).get(link.memberId);
    if (!current) throw new Error('openid link points to a missing member');
    member = await tx.collection(members).update(current._id, current._rev, {
      name: person.name,
      ...(person.phone ? { phone: person.phone } : {}),
      grants: mergeGrant(current.grants, grant),
    });
  }
  const rid = rosterId(member._id, grant);
  if (!(await tx.collection(roster).get(rid))) {
    await tx.collection(roster).insert(
      { memberId: member._id, role: grant.role, regionId: grant.regionId, regionName: grant.regionName ?? '', communityId, createdAt: now },
      { id: rid },
    );
  }
  return member;
}

/** Re-runs `fn` when a concurrent writer won a race (CloudBase has no serialised transactions). */
/** Conflicts, and races on deterministic ids (two redeems, one code), are settled by running again. */
const retrying = <R>(fn: () => Promise<R>): Promise<R> => withRetry(fn, { duplicates: true });

// node:crypto: CloudBase's older Node runtimes have no global Web Crypto.
const randomBytes = (n: number): Uint8Array => cryptoRandomBytes(n);

export const membersArea = defineArea('members', membersContract, {
  me: {
    roles: 'signed-in',
    run: async (_input, ctx) => meView(ctx.caller.openid, ctx.caller.member),
  },

  joinCommunity: {
    roles: 'signed-in',
    run: async (input, ctx) => {
      const community = await getRegion(ctx.store, input.communityId);
      if (!community || community.kind !== 'community') {
        throw new AppError(MembersErrors.COMMUNITY_NOT_FOUND, '找不到该社区，请重新选择');
      }
      const grant: Grant = {
        role: 'resident',
        regionId: community._id,
        regionName: community.name,
        building: input.building,
        ...(input.unit ? { unit: input.unit } : {}),
      };
      const member = await retrying(() =>
        ctx.store.transaction((tx) => upsertMemberWithGrant(tx, ctx, { name: input.name, phone: input.phone }, grant, community._id)),
      );
      return meView(ctx.caller.openid, member);
    },
  },

  createInvitation: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    run: async (input, ctx) => {
      const community = await getRegion(ctx.store, input.communityId);
      if (!community || community.kind !== 'community') {
        throw new AppError(MembersErrors.COMMUNITY_NOT_FOUND, '找不到该社区');
      }
      let region: Region = community;
      if (input.gridId) {
        const grid = await getRegion(ctx.store, input.gridId);
        if (!grid || grid.kind !== 'grid' || grid.parentId !== community._id) {
          throw new AppError(MembersErrors.GRID_NOT_FOUND, '该社区下没有这个网格');
        }
        region = { ...grid, name: `${community.name}${grid.name}` };
      }
      const now = ctx.now();
      const expiresAt = invitationExpiry(now);
      const code = await retrying(async () => {
        const candidate = generateCode(randomBytes);
        await ctx.store.collection(invitations).insert(
          {
            role: input.role,
            regionId: region._id,
            regionName: region.name,
            communityId: community._id,
            createdBy: ctx.caller.member!._id,
            createdAt: now.toISOString(),
            expiresAt,
            usedBy: null,
            usedAt: null,
          },
          { id: candidate },
        );
        return candidate;
      });
      ctx.log.info('invitation created', { requestId: ctx.requestId, role: input.role, regionId: region._id });
      return { code, role: input.role, expiresAt };
    },
  },

  redeemInvitation: {
    roles: 'signed-in',
    run: async (input, ctx) => {
      const code = normaliseCode(input.code);
      const notFound = () => new AppError(MembersErrors.INVITATION_NOT_FOUND, '邀请码不存在，请核对后重新输入');
      if (!isWellFormedCode(code)) throw notFound();
      const member = await retrying(() =>
        ctx.store.transaction(async (tx) => {
          const inv = await tx.collection(invitations).get(code);
          if (!inv) throw notFound();
          const state = invitationState(inv, ctx.now());
          if (state === 'used') throw new AppError(MembersErrors.INVITATION_USED, '该邀请码已被使用');
          if (state === 'expired') throw new AppError(MembersErrors.INVITATION_EXPIRED, '该邀请码已过期，请联系社区管理员重新生成');
          const grant: Grant = { role: inv.role, regionId: inv.regionId, regionName: inv.regionName, ...(inv.canteenId ? { canteenId: inv.canteenId } : {}), ...(inv.unitId ? { unitId: inv.unitId } : {}) };
          const m = await upsertMemberWithGrant(tx, ctx, { name: input.name, phone: input.phone }, grant, inv.communityId);
          // The expected _rev makes the code one-time even where transactions do not serialise.
          await tx.collection(invitations).update(inv._id, inv._rev, { usedBy: m._id, usedAt: ctx.now().toISOString() });
          return m;
        }),
      );
      ctx.log.info('invitation redeemed', { requestId: ctx.requestId, memberId: member._id });
      return meView(ctx.caller.openid, member);
    },
  },

  assignGrid: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    run: async (input, ctx) => {
      const community = await getRegion(ctx.store, input.communityId);
      const grid = await getRegion(ctx.store, input.gridId);
      if (!community || community.kind !== 'community') throw new AppError(MembersErrors.COMMUNITY_NOT_FOUND, '找不到该社区');
      if (!grid || grid.kind !== 'grid' || grid.parentId !== community._id) throw new AppError(MembersErrors.GRID_NOT_FOUND, '该社区下没有这个网格');
      const grant: Grant = { role: 'grid_worker', regionId: grid._id, regionName: `${community.name}${grid.name}` };
      // Only people already on this community's staff: residents are invited, not assigned.
      // A query, so it runs before the transaction (CloudBase allows only reads by id inside one).
      const staffHere = await ctx.store.collection(roster).find({ where: { memberId: input.memberId }, limit: 100 });
      if (!staffHere.items.some((e) => e.communityId === community._id && STAFF_ROLES.includes(e.role))) {
        throw new AppError(MembersErrors.MEMBER_NOT_FOUND, '该人员不是本社区的工作人员，请先发送邀请码');
      }
      await retrying(() =>
        ctx.store.transaction(async (tx) => {
          const m = await tx.collection(members).get(input.memberId);
          if (!m) throw new AppError(MembersErrors.MEMBER_NOT_FOUND, '该人员不是本社区的工作人员，请先发送邀请码');
          await tx.collection(members).update(m._id, m._rev, { grants: mergeGrant(m.grants, grant) });
          const rid = rosterId(m._id, grant);
          if (!(await tx.collection(roster).get(rid))) {
            await tx.collection(roster).insert(
              { memberId: m._id, role: grant.role, regionId: grid._id, regionName: grant.regionName!, communityId: community._id, createdAt: ctx.now().toISOString() },
              { id: rid },
            );
          }
        }),
      );
      return { memberId: input.memberId, gridId: grid._id, regionName: grant.regionName! };
    },
  },

  listStaff: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    run: async (input, ctx) => {
      const { items: entries } = await readAll(ctx.store.collection(roster), { where: { communityId: input.communityId, role: { in: [...STAFF_ROLES] } } }, 2000);
      const people = new Map(
        (await ctx.store.collection(members).getMany([...new Set(entries.map((e) => e.memberId))])).map((m) => [m._id, m]),
      );
      const items = entries.flatMap((e) => {
        const m = people.get(e.memberId);
        // Grants are the truth; a roster row whose grant is gone is ignored.
        if (!m || !m.grants.some((g) => g.role === e.role && g.regionId === e.regionId)) return [];
        return [{ memberId: m._id, name: m.name, phoneMasked: maskPhone(m.phone), role: e.role, regionId: e.regionId, regionName: e.regionName }];
      });
      items.sort((a, b) => a.role.localeCompare(b.role) || a.regionId.localeCompare(b.regionId) || a.name.localeCompare(b.name, 'zh'));
      return { items };
    },
  },
});
