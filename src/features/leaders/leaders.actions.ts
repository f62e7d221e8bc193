/**
 * Leaders' claims (领导认领). A claim is its own document (`claim:<matter>:<leader>`, so a second claim by the
 * same leader is refused by its id) and the matter's `claimedBy` is kept in the same transaction through the
 * matters service: two leaders claiming one matter at once both end up on it (the loser retries on the
 * matter's `_rev`). Notes (协调记录) are the claiming leader's own.
 */
import { AppError } from '../../lib/errors';
import { shanghaiDay } from '../../lib/time';
import { defineArea, type ActionContext } from '../../server/action';
import { withRetry } from '../../server/conflict-retry';
import { assertOwnPhotos } from '../../server/files/photos';
import { readAll } from '../../server/read-all';
import type { Stored, Where } from '../../server/store/store';
import { getMatter, type Matter, mattersByIds, mattersOfRegion, recordClaim } from '../matters/matters.service';
import { createInvitation, membersByIds, rosterOf } from '../members/members.service';
import { getRegion, getRegions, type Region } from '../regions/regions.service';
import { unitsByIds } from '../units/units.service';
import { claimNotes, claims } from './leaders.collections';
import { claimId, LEADER_REGION_KINDS, leaderCovers, wallOrder } from './leaders.rules';
import { type Claim, leadersContract, type WallRow } from './leaders.schema';

export const LeadersErrors = {
  BAD_REGION: 'LEADERS.BAD_REGION',
  ALREADY_CLAIMED: 'LEADERS.ALREADY_CLAIMED',
  CLAIM_NOT_FOUND: 'LEADERS.CLAIM_NOT_FOUND',
  NOT_A_LEADER: 'LEADERS.NOT_A_LEADER',
  LEADER_REQUIRED: 'LEADERS.LEADER_REQUIRED',
  DATE_IN_FUTURE: 'LEADERS.DATE_IN_FUTURE',
  UNSAFE_CONTENT: 'LEADERS.UNSAFE_CONTENT',
} as const;
const E = LeadersErrors;

const ADMINS = ['district_admin', 'city_admin'] as const;
const WALL_MAX = 5000;
const NOTES_PAGE = 20;

const me = (ctx: ActionContext) => ctx.caller.member!;
const badRegion = () => new AppError(E.BAD_REGION, '请选择区县或市');
const notClaimed = () => new AppError(E.CLAIM_NOT_FOUND, '尚未认领这件实事');

/** Who the claim is for: the calling leader, or (for a district admin) a leader of the matter's region. */
async function claimant(ctx: ActionContext, m: Stored<Matter>, leaderId: string | undefined): Promise<{ memberId: string; name: string }> {
  const self = me(ctx);
  if (!leaderId || leaderId === self._id) {
    if (!ctx.grants.some((g) => g.role === 'leader')) throw new AppError(E.LEADER_REQUIRED, '请选择认领的领导');
    return { memberId: self._id, name: self.name };
  }
  if (!ctx.grants.some((g) => g.role === 'district_admin')) throw new AppError(E.LEADER_REQUIRED, '只有区级管理员可以为领导登记认领');
  const [leader] = await membersByIds(ctx.store, [leaderId]);
  const regions = leader?.grants.filter((g) => g.role === 'leader').map((g) => g.regionId) ?? [];
  if (!leader || !leaderCovers(regions, m.path)) throw new AppError(E.NOT_A_LEADER, '该人员不是这件实事所在辖区的认领领导');
  return { memberId: leader._id, name: leader.name };
}

/** Matters as the leaders' pages show them: community, lead unit and claimants by name. */
async function matterRows(ctx: ActionContext, ms: Stored<Matter>[]) {
  const unitIds = ms.flatMap((m) => (m.leadUnitId ? [m.leadUnitId] : []));
  const [unitNames, communityNames] = await Promise.all([
    unitsByIds(ctx.store, unitIds).then((us) => new Map(us.map((u) => [u._id, u.name]))),
    getRegions(ctx.store, [...new Set(ms.map((m) => m.communityId))]).then((rs) => new Map(rs.map((r) => [r._id, r.name]))),
  ]);
  return new Map(ms.map((m) => [m._id, {
    matterId: m._id, title: m.title, communityId: m.communityId, communityName: communityNames.get(m.communityId) ?? '',
    state: m.state, progress: m.progress, leadUnitName: m.leadUnitId ? (unitNames.get(m.leadUnitId) ?? null) : null,
    claimedBy: m.claimedBy.map((c) => c.name),
  }]));
}

async function wallRows(ctx: ActionContext, cs: Stored<Claim>[]): Promise<WallRow[]> {
  const rows = await matterRows(ctx, await mattersByIds(ctx.store, cs.map((c) => c.matterId)));
  return cs.flatMap((c) => {
    const r = rows.get(c.matterId);
    return r ? [{ ...r, leaderId: c.leaderId, leaderName: c.leaderName, claimedAt: c.claimedAt, notes: c.notes }] : [];
  });
}

/** The matter's region field for a district, the city or a community. */
async function regionWhere(
  ctx: ActionContext, regionId: string, allowCommunity: boolean,
): Promise<{ region: Stored<Region>; where: { districtId: string } | { cityId: string } | { communityId: string } }> {
  const r = await getRegion(ctx.store, regionId);
  if (r?.kind === 'district') return { region: r, where: { districtId: r._id } };
  if (r?.kind === 'city') return { region: r, where: { cityId: r._id } };
  if (allowCommunity && r?.kind === 'community') return { region: r, where: { communityId: r._id } };
  throw badRegion();
}

export const leadersArea = defineArea('leaders', leadersContract, {
  inviteLeader: {
    roles: ADMINS,
    scope: (input) => input.regionId,
    async run(input, ctx) {
      const region = await getRegion(ctx.store, input.regionId);
      if (!region || !(LEADER_REGION_KINDS as readonly string[]).includes(region.kind)) throw new AppError(E.BAD_REGION, '认领领导只能邀请到区县或市级');
      // District and city grants have no community; the invitation's community field carries the region itself (listLeaders reads it).
      const invitation = await createInvitation(
        ctx.store,
        { role: 'leader', regionId: region._id, regionName: region.name, communityId: region._id, createdBy: me(ctx)._id },
        ctx.now(),
      );
      ctx.log.info('leader invited', { requestId: ctx.requestId, regionId: region._id });
      return invitation;
    },
  },

  listLeaders: {
    roles: ADMINS,
    scope: (input) => input.regionId,
    async run(input, ctx) {
      const { region } = await regionWhere(ctx, input.regionId, false);
      // Leaders of the region and of the regions above it (a city's leaders may claim in every district).
      const levels = await getRegions(ctx.store, region.path);
      const rows = (await Promise.all(levels.map((l) => rosterOf(ctx.store, l._id, 'leader')))).flat();
      const people = new Map((await membersByIds(ctx.store, rows.map((r) => r.memberId))).map((m) => [m._id, m]));
      const items = rows.flatMap((r) => {
        const m = people.get(r.memberId);
        // Grants are the truth: a roster row whose grant is gone is ignored.
        if (!m || !m.grants.some((g) => g.role === 'leader' && g.regionId === r.regionId)) return [];
        return [{ memberId: m._id, name: m.name, regionId: r.regionId, regionName: r.regionName }];
      });
      items.sort((a, b) => a.name.localeCompare(b.name, 'zh'));
      return { items };
    },
  },

  claimableMatters: {
    roles: ['leader', ...ADMINS],
    scope: (input) => input.regionId,
    async run(input, ctx) {
      const { where } = await regionWhere(ctx, input.regionId, true);
      const page = await mattersOfRegion(ctx.store, where, input.year, input.cursor);
      const rows = await matterRows(ctx, page.items);
      const self = me(ctx)._id;
      return {
        items: page.items.map((m) => ({ ...rows.get(m._id)!, mine: m.claimedBy.some((c) => c.memberId === self) })),
        nextCursor: page.nextCursor,
      };
    },
  },

  claimMatter: {
    roles: ['leader', 'district_admin'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const m = (await getMatter(ctx.store, input.matterId))!;
      const leader = await claimant(ctx, m, input.leaderId);
      const id = claimId(m._id, leader.memberId);
      const saved = await withRetry(
        () =>
          ctx.store.transaction(async (tx) => {
            if (await tx.collection(claims).get(id)) throw new AppError(E.ALREADY_CLAIMED, `${leader.name}已认领这件实事`);
            const now = ctx.now().toISOString();
            await tx.collection(claims).insert(
              {
                matterId: m._id, leaderId: leader.memberId, leaderName: leader.name, communityId: m.communityId, districtId: m.districtId, cityId: m.cityId,
                year: m.year, claimedAt: now, recordedBy: me(ctx)._id, notes: 0, lastNoteAt: null,
              },
              { id },
            );
            return recordClaim(tx, m._id, leader, 'add', now);
          }),
        { duplicates: true },
      );
      ctx.log.info('matter claimed', { requestId: ctx.requestId, matterId: m._id });
      return { claimId: id, claimedBy: saved.claimedBy.map((c) => c.name) };
    },
  },

  unclaimMatter: {
    roles: ['leader', 'district_admin'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const m = (await getMatter(ctx.store, input.matterId))!;
      const leader = await claimant(ctx, m, input.leaderId);
      const id = claimId(m._id, leader.memberId);
      // The claim's notes stay: claimed again, the same id finds them.
      const saved = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const c = await tx.collection(claims).get(id);
          if (!c) throw notClaimed();
          await tx.collection(claims).remove(id, c._rev);
          return recordClaim(tx, m._id, leader, 'remove', ctx.now().toISOString());
        }),
      );
      return { claimedBy: saved.claimedBy.map((c) => c.name) };
    },
  },

  myClaims: {
    roles: ['leader'],
    scope: () => null,
    async run(_input, ctx) {
      const { items } = await readAll(ctx.store.collection(claims), { where: { leaderId: me(ctx)._id }, orderBy: { field: 'claimedAt', direction: 'desc' } }, 1000);
      return { items: await wallRows(ctx, items) };
    },
  },

  addNote: {
    roles: ['leader'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      if (input.date > shanghaiDay(ctx.now())) throw new AppError(E.DATE_IN_FUTURE, '协调日期不能晚于今天');
      const id = claimId(input.matterId, me(ctx)._id);
      if (!(await ctx.store.collection(claims).get(id))) throw new AppError(E.CLAIM_NOT_FOUND, '您尚未认领这件实事，不能记录协调情况');
      const verdict = await ctx.safety.check(input.text, ctx.caller.openid);
      if (!verdict.ok) throw new AppError(E.UNSAFE_CONTENT, `内容包含不适宜发布的词语（${verdict.reason}），请修改后再提交`);
      await assertOwnPhotos(ctx.files, input.photos, ctx.caller.openid);
      const noteId = `note-${ctx.newId()}`;
      const saved = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const c = await tx.collection(claims).get(id);
          if (!c) throw notClaimed();
          const now = ctx.now().toISOString();
          await tx.collection(claimNotes).insert(
            { claimId: id, matterId: c.matterId, leaderId: c.leaderId, leaderName: c.leaderName, date: input.date, text: input.text, photos: input.photos, at: now },
            { id: noteId },
          );
          return tx.collection(claims).update(id, c._rev, { notes: c.notes + 1, lastNoteAt: now });
        }),
      );
      return { _id: noteId, notes: saved.notes };
    },
  },

  listNotes: {
    roles: ['leader', ...ADMINS],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const page = await ctx.store.collection(claimNotes).find({ where: { matterId: input.matterId }, orderBy: { field: 'at', direction: 'desc' }, limit: NOTES_PAGE, cursor: input.cursor });
      const ids = page.items.flatMap((n) => n.photos);
      const urls = ids.length ? await ctx.files.urls(ids) : {};
      return {
        items: page.items.map((n) => ({ ...n, photos: n.photos.map((fileId) => ({ fileId, url: urls[fileId] ?? '' })) })),
        nextCursor: page.nextCursor,
      };
    },
  },

  claimWall: {
    roles: ['leader', ...ADMINS],
    scope: (input) => input.regionId,
    async run(input, ctx) {
      const { region, where } = await regionWhere(ctx, input.regionId, false);
      const { items, truncated } = await readAll(ctx.store.collection(claims), { where: { ...where, year: input.year } as Where }, WALL_MAX);
      const rows = (await wallRows(ctx, items)).sort(wallOrder);
      return { regionName: region.name, leaders: new Set(items.map((c) => c.leaderId)).size, claims: items.length, items: rows, truncated };
    },
  },
});
