/**
 * 回访 (a set number of days after 验收, 28 by default): when due, the community admin starts it and a
 * one-question questionnaire goes to the community's residents through the surveys area (“现在用得怎么样？”);
 * the people behind the matter and everyone who rated it are told. The admin records the outcome (works /
 * problems, notes, photos). Problems, or too much dissatisfaction among ratings or answers, raise a flag the
 * admin must respond to; they may reopen the matter with a reason.
 */
import { AppError } from '../../../lib/errors';
import { shanghaiDateTime } from '../../../server/xlsx';
import type { ActionContext, AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { assertOwnPhotos } from '../../../server/files/photos';
import { readAll } from '../../../server/read-all';
import { openQuickPoll, quickPollCounts } from '../../surveys/surveys.service';
import { matters, ratings } from '../matters.collections';
import type { mattersContract } from '../matters.schema';
import { FOLLOW_UP_LABELS, FOLLOW_UP_SURVEY_DAYS, followUpDue, followUpRaisesAttention, reopenRefusal } from '../results.rules';
import { changeMatter, closingView, type MatterDoc, matterNotFound, me, noAttention, refused, rulesOf, satisfactionOf, satisfactionView } from './closing';
import { tellAuthors } from './tell';

export const FollowUpErrors = {
  NOT_ACCEPTED: 'MATTERS.NOT_ACCEPTED',
  NOT_DUE: 'MATTERS.FOLLOW_UP_NOT_DUE',
  ALREADY_STARTED: 'MATTERS.FOLLOW_UP_STARTED',
  ALREADY_DONE: 'MATTERS.FOLLOW_UP_DONE',
  NO_ATTENTION: 'MATTERS.NO_ATTENTION',
} as const;

/** Raters told at 回访, at most: a community's matter has hundreds to a few thousand. */
const MAX_TOLD = 5000;
const DAY_MS = 24 * 3600_000;

export const followUpSurveyId = (m: MatterDoc): string => `followup:${m._id}:${(m.reopenings ?? []).length}`;

/** The follow-up as it stands, refusing what is not yet (or no longer) open to it. */
function dueFollowUp(m: MatterDoc, now: Date) {
  if (m.state !== 'accepted' || !m.followUp) throw new AppError(FollowUpErrors.NOT_ACCEPTED, '实事验收后才能回访');
  if (m.followUp.state === 'done') throw new AppError(FollowUpErrors.ALREADY_DONE, '回访已记录');
  if (!followUpDue(m.followUp.dueDay, now)) throw new AppError(FollowUpErrors.NOT_DUE, `回访日期为 ${m.followUp.dueDay}，尚未到期`);
  return m.followUp;
}

/** Everyone who rated the matter: told with their consent (the port sends only if one is left). */
async function tellRaters(ctx: ActionContext, m: MatterDoc, status: string, text: string): Promise<void> {
  const rated = (await readAll(ctx.store.collection(ratings), { where: { matterId: m._id }, orderBy: { field: 'at', direction: 'asc' } }, MAX_TOLD)).items;
  for (const r of rated) {
    await ctx.notify.send({
      openid: r.openid,
      template: 'suggestion_reply',
      page: `packages/matters/result/index?id=${encodeURIComponent(m._id)}`,
      data: { title: m.title.slice(0, 20), status, reply: text, time: shanghaiDateTime(ctx.now().toISOString()) },
    });
  }
}

const STAFF = ['community_admin', 'district_admin', 'city_admin'] as const;

export const followUpActions = {
  closingBoard: {
    roles: STAFF,
    scope: (input) => input.communityId,
    async run(input, ctx) {
      // A community has at most ten matters a year; 回访 of last year's may fall in this one.
      const read = (year: number) => readAll(ctx.store.collection(matters), { where: { communityId: input.communityId, year } }, 100);
      const all = [...(await read(input.year - 1)).items, ...(await read(input.year)).items];
      const now = ctx.now();
      const items = all
        .filter((m) => m.year === input.year || m.attention?.open || (m.followUp && m.followUp.state !== 'done'))
        .map((m) => ({
          matterId: m._id,
          title: m.title,
          year: m.year,
          state: m.state,
          progress: m.progress,
          satisfaction: satisfactionView(satisfactionOf(m)),
          followUp: m.followUp && m.state === 'accepted' ? { dueDay: m.followUp.dueDay, state: m.followUp.state, due: m.followUp.state !== 'done' && followUpDue(m.followUp.dueDay, now) } : null,
          attention: m.attention?.open ? m.attention.reasons : null,
        }));
      // What needs the admin first: a response, then 回访 due, then 验收 awaited.
      const rank = (i: (typeof items)[number]) => (i.attention ? 0 : i.followUp?.due ? 1 : i.state === 'completed' ? 2 : 3);
      return { items: items.sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title)) };
    },
  },

  startFollowUp: {
    roles: ['community_admin'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const admin = me(ctx);
      const m0 = await ctx.store.collection(matters).get(input.matterId);
      if (!m0) throw matterNotFound();
      if (dueFollowUp(m0, ctx.now()).state !== 'scheduled') throw new AppError(FollowUpErrors.ALREADY_STARTED, '回访已经开始');
      const now = ctx.now();
      const surveyId = await withRetry(
        () =>
          openQuickPoll(ctx.store, {
            id: followUpSurveyId(m0),
            communityId: m0.communityId,
            title: `回访：${m0.title}`.slice(0, 60),
            intro: `“${m0.title}”已于 ${m0.acceptance?.date ?? ''} 验收。建好了还要管好，请告诉我们它现在用得怎么样。`,
            question: `“${m0.title}”现在用得怎么样？`.slice(0, 200),
            options: [
              { id: 'works', label: '正常好用' },
              { id: 'problems', label: '有问题（损坏、脏乱或无人管理）' },
            ],
            openAt: now.toISOString(),
            closeAt: new Date(now.getTime() + FOLLOW_UP_SURVEY_DAYS * DAY_MS).toISOString(),
            createdBy: admin._id,
          }, now.toISOString()),
        { duplicates: true },
      );
      // Two admins at once: both find the one questionnaire; the second transaction finds 回访 started.
      const m = await changeMatter(ctx, input.matterId, (cur, _tx, at) => {
        const f = dueFollowUp(cur, ctx.now());
        if (f.state !== 'scheduled') throw new AppError(FollowUpErrors.ALREADY_STARTED, '回访已经开始');
        return { followUp: { ...f, state: 'surveying', surveyId, startedAt: at } };
      });
      const text = `“${m.title}”验收已满 ${m.followUp!.days} 天，社区正在回访，请在问卷中告诉我们它现在用得怎么样`;
      await tellAuthors(ctx, [m.demandId], '回访中', () => text);
      await tellRaters(ctx, m, '回访中', text);
      return closingView(m);
    },
  },

  recordFollowUp: {
    roles: ['community_admin'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const by = me(ctx)._id;
      const m0 = await ctx.store.collection(matters).get(input.matterId);
      if (!m0) throw matterNotFound();
      const f0 = dueFollowUp(m0, ctx.now());
      await assertOwnPhotos(ctx.files, input.photos, ctx.caller.openid);
      const counts = f0.surveyId ? await quickPollCounts(ctx.store, f0.surveyId) : null;
      const answers = counts ? { works: counts.counts.works ?? 0, problems: counts.counts.problems ?? 0, total: counts.total } : null;
      const m = await changeMatter(ctx, input.matterId, (cur, _tx, now) => {
        const f = dueFollowUp(cur, ctx.now());
        const attention = cur.attention ?? noAttention;
        const raise = followUpRaisesAttention(input.outcome, answers, rulesOf(cur).attention);
        return {
          followUp: { ...f, state: 'done', outcome: input.outcome, notes: input.notes, photos: input.photos, answers, recordedAt: now, recordedBy: by },
          ...(raise ? { attention: { ...attention, open: true, reasons: [...new Set([...(attention.open ? attention.reasons : []), 'follow_up' as const])], since: attention.open ? attention.since : now } } : {}),
        };
      });
      await tellRaters(ctx, m, '已回访', `回访结果：${FOLLOW_UP_LABELS[input.outcome]}`);
      return closingView(m);
    },
  },

  respondToAttention: {
    roles: ['community_admin'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const by = me(ctx)._id;
      const m = await changeMatter(ctx, input.matterId, (cur, _tx, now) => {
        const a = cur.attention;
        if (!a?.open) throw new AppError(FollowUpErrors.NO_ATTENTION, '这件实事目前没有需要回应的问题');
        return { attention: { ...a, open: false, responses: [...a.responses, { text: input.response, at: now, by, reopened: false }] } };
      });
      return closingView(m);
    },
  },

  reopenMatter: {
    roles: ['community_admin'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const by = me(ctx)._id;
      const m = await changeMatter(ctx, input.matterId, (cur, _tx, now) => {
        const r = reopenRefusal(cur.state);
        if (r) throw refused(r);
        const a = cur.attention ?? noAttention;
        // Reopening answers an open flag; progress stays, new milestones carry the work on.
        return {
          state: 'reopened',
          reopenings: [...(cur.reopenings ?? []), { reason: input.reason, at: now, by }],
          attention: a.open ? { ...a, open: false, responses: [...a.responses, { text: input.reason, at: now, by, reopened: true }] } : a,
        };
      });
      await tellAuthors(ctx, [m.demandId], '重新整改', () => `“${m.title}”重新启动整改：${input.reason}`);
      return closingView(m);
    },
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
