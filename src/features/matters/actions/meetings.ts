/**
 * Resident council meetings (居民议事会): scheduled with place and agenda, attended by scanning the meeting's
 * QR code (or counted by staff), minutes and photos, and an outcome per agenda item. An adopted item feeds the
 * demand list in the same transaction: its support votes join the demand as anonymous backers (a show of hands
 * names no one), and a new proposal becomes a demand.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../lib/errors';
import { hash128 } from '../../../lib/hash';
import type { ActionContext, AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { assertOwnPhotos } from '../../../server/files/photos';
import type { Stored } from '../../../server/store/store';
import { ancestry } from '../../regions/regions.service';
import { attendance, demands, meetings } from '../matters.collections';
import { type Meeting, mattersContract } from '../matters.schema';
import { attachSource, insertDemand, MattersErrors, newDemand, yearOf } from './demands';

export const MeetingErrors = {
  NOT_FOUND: 'MATTERS.MEETING_NOT_FOUND',
  BAD_CODE: 'MATTERS.BAD_ATTENDANCE_CODE',
  ATTENDANCE_CLOSED: 'MATTERS.ATTENDANCE_CLOSED',
  NOT_STARTED: 'MATTERS.MEETING_NOT_STARTED',
  OUTCOME_RECORDED: 'MATTERS.OUTCOME_RECORDED',
  NO_SUCH_ITEM: 'MATTERS.NO_SUCH_AGENDA_ITEM',
  VOTES_EXCEED_PRESENT: 'MATTERS.VOTES_EXCEED_PRESENT',
} as const;

/** Scanning in is open from two hours before the start to six hours after it. */
const SCAN_BEFORE_MS = 2 * 3600_000;
const SCAN_AFTER_MS = 6 * 3600_000;

type MeetingDoc = Stored<Meeting>;
const notFound = () => new AppError(MeetingErrors.NOT_FOUND, '找不到这次议事会');
const meetingScope = async (input: { id: string }, ctx: ActionContext) => (await ctx.store.collection(meetings).get(input.id))?.communityId ?? null;
const isStaff = (ctx: ActionContext) => ctx.grants.some((g) => g.role === 'community_admin');
const attendees = (m: Meeting) => m.scanned + m.countedByHand;

function viewOf(m: MeetingDoc, ctx: ActionContext) {
  const { _rev, token, ...rest } = m;
  return { ...rest, attendees: attendees(m), ...(isStaff(ctx) ? { token } : {}) };
}

/** Constant-time: a guessed code learns nothing from how long the refusal took. */
function tokenMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const READERS = ['community_admin', 'district_admin', 'city_admin', 'resident'] as const;

export const meetingActions = {
  scheduleMeeting: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const { idOf } = await ancestry(ctx.store, input.communityId);
      const by = ctx.caller.member!._id;
      const id = `mt${hash128(`${input.communityId}:${by}:${input.requestId}`)}`;
      const token = randomBytes(12).toString('base64url');
      const saved = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const again = await tx.collection(meetings).get(id);
          if (again) return again;
          for (const item of input.agenda) {
            if (!item.demandId) continue;
            const d = await tx.collection(demands).get(item.demandId);
            if (!d || d.communityId !== input.communityId) throw new AppError(MattersErrors.DEMAND_NOT_FOUND, `议题“${item.title}”关联的需求不在本社区的需求清单中`);
          }
          const now = ctx.now().toISOString();
          return tx.collection(meetings).insert({
            communityId: input.communityId, districtId: idOf('district'), cityId: idOf('city'), year: yearOf(new Date(input.startsAt)),
            title: input.title, place: input.place, startsAt: new Date(input.startsAt).toISOString(),
            agenda: input.agenda.map((a) => ({ title: a.title, demandId: a.demandId, outcome: null, votes: null })),
            token, scanned: 0, countedByHand: 0, minutes: '', photos: [], status: 'scheduled', createdAt: now, updatedAt: now,
          }, { id });
        }),
        { duplicates: true },
      );
      return viewOf(saved, ctx);
    },
  },

  getMeeting: {
    roles: READERS,
    scope: meetingScope,
    async run(input, ctx) {
      const m = await ctx.store.collection(meetings).get(input.id);
      if (!m) throw notFound();
      return viewOf(m, ctx);
    },
  },

  listMeetings: {
    roles: READERS,
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const page = await ctx.store.collection(meetings).find({ where: { communityId: input.communityId, year: input.year }, orderBy: { field: 'startsAt', direction: 'desc' }, limit: 20, cursor: input.cursor ?? null });
      return { items: page.items.map((m) => viewOf(m, ctx)), nextCursor: page.nextCursor };
    },
  },

  attendMeeting: {
    roles: ['resident'],
    scope: meetingScope,
    async run(input, ctx) {
      const memberId = ctx.caller.member!._id;
      return withRetry(
        () =>
          ctx.store.transaction(async (tx) => {
            const m = await tx.collection(meetings).get(input.id);
            if (!m) throw notFound();
            if (!tokenMatches(m.token, input.token)) throw new AppError(MeetingErrors.BAD_CODE, '签到码无效，请扫描会场的签到二维码');
            const t = ctx.now().getTime();
            const start = Date.parse(m.startsAt);
            if (t < start - SCAN_BEFORE_MS || t > start + SCAN_AFTER_MS) throw new AppError(MeetingErrors.ATTENDANCE_CLOSED, '不在签到时间内（会前 2 小时至会后 6 小时）');
            const aid = `att:${m._id}:${memberId}`;
            if (await tx.collection(attendance).get(aid)) return { attendees: attendees(m) };
            await tx.collection(attendance).insert({ meetingId: m._id, memberId, at: ctx.now().toISOString() }, { id: aid });
            const after = await tx.collection(meetings).update(m._id, m._rev, { scanned: m.scanned + 1, updatedAt: ctx.now().toISOString() });
            return { attendees: attendees(after) };
          }),
        { duplicates: true },
      );
    },
  },

  countAttendees: {
    roles: ['community_admin'],
    scope: meetingScope,
    async run(input, ctx) {
      return withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const m = await tx.collection(meetings).get(input.id);
          if (!m) throw notFound();
          const after = await tx.collection(meetings).update(m._id, m._rev, { countedByHand: input.countedByHand, updatedAt: ctx.now().toISOString() });
          return { attendees: attendees(after) };
        }),
      );
    },
  },

  recordOutcome: {
    roles: ['community_admin'],
    scope: meetingScope,
    async run(input, ctx) {
      const by = ctx.caller.member!._id;
      return withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const m = await tx.collection(meetings).get(input.id);
          if (!m) throw notFound();
          const now = ctx.now().toISOString();
          if (now < m.startsAt) throw new AppError(MeetingErrors.NOT_STARTED, '议事会还没开始，不能记录表决结果');
          const item = m.agenda[input.item];
          if (!item) throw new AppError(MeetingErrors.NO_SUCH_ITEM, '没有这个议题');
          if (item.outcome) throw new AppError(MeetingErrors.OUTCOME_RECORDED, `议题“${item.title}”的结果已记录`);
          const v = input.votes;
          if (v.support + v.oppose + v.abstain > attendees(m)) {
            throw new AppError(MeetingErrors.VOTES_EXCEED_PRESENT, `表决合计 ${v.support + v.oppose + v.abstain} 票，多于到会的 ${attendees(m)} 人（请先核对签到人数）`);
          }
          let demandId = item.demandId;
          if (input.outcome === 'adopted') {
            let d = demandId ? await tx.collection(demands).get(demandId) : null;
            if (demandId && (!d || d.status !== 'open')) throw new AppError('MATTERS.DEMAND_NOT_OPEN', `议题关联的需求已合并或已确定，请先处理需求清单`);
            if (!d) {
              demandId = `dm${hash128(`council:${m._id}:${input.item}`)}`;
              d = await insertDemand(tx, demandId, newDemand({ communityId: m.communityId, districtId: m.districtId, cityId: m.cityId, year: m.year, title: item.title, description: '', category: input.category, by, now }));
            }
            await attachSource(tx, d, `dsrc:council:${m._id}:${input.item}`, {
              demandId: d._id, communityId: m.communityId, kind: 'council', ref: m._id, excerpt: `${m.title}：${item.title}（赞成 ${v.support}）`,
              backers: [], anonymous: v.support, note: null, at: now, by, movedFrom: null,
            }, now);
          }
          const agenda = m.agenda.map((a, i) => (i === input.item ? { ...a, demandId: input.outcome === 'adopted' ? demandId : a.demandId, outcome: input.outcome, votes: v } : a));
          await tx.collection(meetings).update(m._id, m._rev, { agenda, updatedAt: now });
          return { demandId: input.outcome === 'adopted' ? demandId : null };
        }),
        { duplicates: true },
      );
    },
  },

  closeMeeting: {
    roles: ['community_admin'],
    scope: meetingScope,
    async run(input, ctx) {
      await assertOwnPhotos(ctx.files, input.photos, ctx.caller.openid);
      const saved = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const m = await tx.collection(meetings).get(input.id);
          if (!m) throw notFound();
          if (ctx.now().toISOString() < m.startsAt) throw new AppError(MeetingErrors.NOT_STARTED, '议事会还没开始');
          return tx.collection(meetings).update(m._id, m._rev, { minutes: input.minutes, photos: input.photos, status: 'held', updatedAt: ctx.now().toISOString() });
        }),
      );
      return viewOf(saved, ctx);
    },
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
