/** Answering: residents once per person or household, staff entering paper forms. */
import { AppError, ErrorCodes, forbidden } from '../../../lib/errors';
import type { ActionContext, AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import type { Stored } from '../../../server/store/store';
import { surveyAnswers, surveyTallies, surveyTexts } from '../surveys.collections';
import { checkAnswers, type CleanAnswers, phaseOf } from '../surveys.rules';
import { addressKey, answerId, shardOf, tallyDeltas, tallyId } from '../surveys.tally.rules';
import { type AnswerRecord, type Survey, surveysContract } from '../surveys.schema';
import { asIssues, col, type Doc, hasCode, keyed, LIST_PAGE, load, me, notFound, residentAnswerId, residentGrant, staffGrant, summary, SurveyErrors, surveyScope, surveyView } from './shared';

interface Submission {
  id: string;
  answers: CleanAnswers;
  staffEntered: boolean;
  enteredBy: string | null;
  respondentName: string | null;
  respondentAddress: string | null;
}

const prefixed = (deltas: Record<string, number>) => Object.fromEntries(Object.entries(deltas).map(([k, v]) => [`c.${k}`, v]));

function assertOpen(s: Doc, now: Date, version: number): void {
  const phase = phaseOf(s, now);
  if (phase === 'closed') throw new AppError(SurveyErrors.CLOSED, '问卷已结束，感谢关注');
  if (phase === 'not_open') throw new AppError(SurveyErrors.NOT_OPEN, `问卷尚未开始，开始时间：${new Date(Date.parse(s.openAt) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')}`);
  if (phase === 'draft') throw notFound();
  if (s.version !== version) throw new AppError(SurveyErrors.VERSION_CHANGED, '问卷内容已更新，请刷新后重新填写');
}

function checked(s: Doc, raw: Record<string, unknown>): CleanAnswers {
  const r = checkAnswers(s, raw);
  if (!r.ok) throw new AppError(SurveyErrors.INVALID_ANSWER, r.problems[0]!.message, asIssues(r.problems));
  return r.answers;
}

/** Texts of an answer to list and search in results (never with who wrote them). */
function textsOf(s: Survey, answers: CleanAnswers): { questionId: string; text: string; other: boolean }[] {
  const out: { questionId: string; text: string; other: boolean }[] = [];
  for (const q of s.questions) {
    const v = answers[q.id];
    if (v === undefined) continue;
    if (q.type === 'text' || q.type === 'textarea') out.push({ questionId: q.id, text: v as string, other: false });
    else if ((q.type === 'single' || q.type === 'multiple') && (v as { other?: string }).other) {
      out.push({ questionId: q.id, text: (v as { other: string }).other, other: true });
    }
  }
  return out;
}

/**
 * The answer, its tallies, its texts and the question lock in one store transaction: the insert of the
 * deterministic id fails for a second answer and takes the tally increments down with it.
 */
async function record(ctx: ActionContext, surveyId: string, version: number, sub: Submission): Promise<Stored<AnswerRecord>> {
  return withRetry(() =>
    ctx.store.transaction(async (tx) => {
      const now = ctx.now();
      const s = await load(tx, surveyId);
      assertOpen(s, now, version);
      const shard = shardOf(sub.id);
      const at = now.toISOString();
      const doc = await tx.collection(surveyAnswers).insert(
        {
          surveyId: s._id,
          communityId: s.communityId,
          answers: sub.answers,
          staffEntered: sub.staffEntered,
          enteredBy: sub.enteredBy,
          respondentName: s.anonymous ? null : sub.respondentName,
          respondentAddress: s.anonymous ? null : sub.respondentAddress,
          shard,
          createdAt: at,
        },
        { id: sub.id },
      );
      const deltas = tallyDeltas(s, sub.answers, sub.staffEntered);
      await tx.collection(surveyTallies).increment(tallyId(s._id, shard), prefixed(deltas.main));
      for (const [by, x] of Object.entries(deltas.cross)) await tx.collection(surveyTallies).increment(tallyId(s._id, shard, by, x.group), prefixed(x.deltas));
      for (const t of textsOf(s, sub.answers)) {
        await tx.collection(surveyTexts).insert({ surveyId: s._id, ...t, staffEntered: sub.staffEntered, createdAt: at }, { id: `${sub.id}:${t.questionId}` });
      }
      if (!s.locked) await col(tx).update(s._id, s._rev, { locked: true });
      return doc;
    }),
  );
}

const alreadyAnswered = (perHousehold: boolean) =>
  new AppError(SurveyErrors.ALREADY_ANSWERED, perHousehold ? '您家已经填写过这份问卷，感谢参与' : '您已经填写过这份问卷，感谢参与');

export const answerActions = {
  /** Published questionnaires of the caller's community, open ones first; whether they answered each. */
  list: {
    roles: ['resident'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const member = me(ctx);
      const grant = residentGrant(ctx, input.communityId);
      const page = await col(ctx.store).find({
        where: { communityId: input.communityId, status: 'published' },
        orderBy: { field: 'openAt', direction: 'desc' },
        limit: LIST_PAGE,
      });
      const now = ctx.now();
      const ids = page.items.map((s) => {
        try {
          return residentAnswerId(s, member, grant);
        } catch {
          return null;
        }
      });
      const done = new Set((await ctx.store.collection(surveyAnswers).getMany(ids.filter((x): x is string => !!x))).map((a) => a._id));
      const items = page.items.map((s, i) => summary(s, now, { answered: !!ids[i] && done.has(ids[i]!) }));
      const rank = { open: 0, not_open: 1, closed: 2, draft: 3 } as const;
      items.sort((a, b) => rank[a.phase] - rank[b.phase]);
      return { items };
    },
  },

  /** The questionnaire to fill in: residents of its community and its staff (for paper entry and preview). */
  get: {
    roles: ['resident', 'grid_worker', 'community_admin'],
    async run(input, ctx) {
      const member = me(ctx);
      const s = await load(ctx.store, input.id);
      const grant = residentGrant(ctx, s.communityId);
      const staff = await staffGrant(ctx, s.communityId);
      if (!grant && !staff) throw forbidden('这份问卷只面向本社区居民');
      if (s.status === 'draft' && !staff) throw notFound();
      let answered = false;
      if (grant) {
        try {
          answered = !!(await ctx.store.collection(surveyAnswers).get(residentAnswerId(s, member, grant)));
        } catch (e) {
          if (!hasCode(e, SurveyErrors.NO_ADDRESS)) throw e;
        }
      }
      return surveyView(s, ctx.now(), answered);
    },
  },

  submit: {
    roles: ['resident'],
    scope: surveyScope,
    async run(input, ctx) {
      const member = me(ctx);
      const s0 = await load(ctx.store, input.surveyId);
      const grant = residentGrant(ctx, s0.communityId);
      if (!grant) throw forbidden('这份问卷只面向本社区居民');
      assertOpen(s0, ctx.now(), input.version);
      const answers = checked(s0, input.answers);
      const id = residentAnswerId(s0, member, grant);
      try {
        const doc = await record(ctx, s0._id, input.version, {
          id, answers, staffEntered: false, enteredBy: null,
          respondentName: member.name, respondentAddress: `${grant.building ?? ''}${grant.unit ?? ''}` || null,
        });
        return { surveyId: s0._id, createdAt: doc.createdAt };
      } catch (e) {
        if (hasCode(e, ErrorCodes.DUPLICATE)) throw alreadyAnswered(s0.perHousehold);
        throw e;
      }
    },
  },

  /** 代录: grid workers and admins of the community enter a paper questionnaire; marked and counted as such. */
  staffSubmit: {
    roles: ['grid_worker', 'community_admin'],
    async run(input, ctx) {
      const member = me(ctx);
      const s0 = await load(ctx.store, input.surveyId);
      if (!(await staffGrant(ctx, s0.communityId))) throw forbidden('您无权为其他社区代录问卷');
      assertOpen(s0, ctx.now(), input.version);
      const answers = checked(s0, input.answers);
      const r = input.respondent;
      // Per household: the paper counts for that address. Per person: each paper sheet is its own answer,
      // and the client's request id makes a retry land on the same one.
      const id = s0.perHousehold
        ? answerId(s0._id, keyed(s0, addressKey(r.building, r.unit)), true)
        : answerId(s0._id, `paper-${keyed(s0, `${member._id}:${input.requestId}`)}`, false);
      try {
        const doc = await record(ctx, s0._id, input.version, {
          id, answers, staffEntered: true, enteredBy: member._id,
          respondentName: r.name || null, respondentAddress: `${r.building}${r.unit ?? ''}`,
        });
        return { surveyId: s0._id, createdAt: doc.createdAt };
      } catch (e) {
        if (!hasCode(e, ErrorCodes.DUPLICATE)) throw e;
        const prior = await ctx.store.collection(surveyAnswers).get(id);
        if (!s0.perHousehold && prior?.enteredBy === member._id) return { surveyId: s0._id, createdAt: prior.createdAt };
        throw new AppError(SurveyErrors.ALREADY_ANSWERED, '该户已经填写过这份问卷');
      }
    },
  },
} satisfies Partial<AreaActions<typeof surveysContract>>;
