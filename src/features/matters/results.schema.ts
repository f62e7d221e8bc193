/**
 * How a matter ends (issue 10, items 5–6): completion, 验收, the public result (实施结果公开), residents' ratings,
 * 回访 and reopening. `closingFields` are the optional groups the Matter record carries; `resultsContract` is
 * spread into mattersContract. Kept apart from matters.schema.ts, which imports it (never the other way).
 */
import { z } from 'zod';
import { defineContract } from '../../lib/contract';
import { FOLLOW_UP_OUTCOMES, RATING_COMMENT_MAX, RATING_LEVELS } from './results.rules';

export const RatingLevel = z.enum(RATING_LEVELS);
export const FollowUpOutcome = z.enum(FOLLOW_UP_OUTCOMES);

const Id = z.string().min(1).max(100);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const Cursor = z.string().max(500).nullable().optional();
const Fen = z.number().int('金额以分为单位，须为整数').min(0, '金额不能为负').max(10_000_000_000, '金额过大');
const Person = z.object({ memberId: z.string().nullable(), name: z.string() });

export const SatisfactionSchema = z.object({
  satisfied: z.number().int().nonnegative(),
  basic: z.number().int().nonnegative(),
  dissatisfied: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

export const AttentionRuleSchema = z.object({
  share: z.number().min(0.05, '比例至少 5%').max(1, '比例最多 100%'),
  minRatings: z.number().int().min(1).max(10_000),
});

/** The optional groups a Matter record carries once it nears its end. */
export const closingFields = {
  completion: z.object({ at: z.string(), day: z.string(), by: z.string() }).nullable().optional(),
  /** 验收: the community admin plus at least one residents' representative (a resident member, or a named person). */
  acceptance: z.object({
    date: z.string(),
    acceptedBy: Person,
    representatives: z.array(Person),
    notes: z.string(),
    photos: z.array(z.string()),
    at: z.string(),
  }).nullable().optional(),
  /** 实施结果公开. Budget and spending are the figures given at publication. */
  result: z.object({
    summary: z.string(),
    pairs: z.array(z.object({ before: z.string(), after: z.string(), caption: z.string() })),
    budget: z.number().int(),
    spent: z.number().int(),
    spendingNote: z.string(),
    publishedAt: z.string(),
    updatedAt: z.string(),
    by: z.string(),
  }).nullable().optional(),
  /** Counts per level, kept in the same transaction as each rating (never recounted on read). */
  satisfaction: SatisfactionSchema.optional(),
  /** When the community admin must respond, and 回访's timing. */
  closingRules: z.object({ followUpDays: z.number().int(), attention: AttentionRuleSchema }).optional(),
  followUp: z.object({
    days: z.number().int(),
    dueDay: z.string(),
    state: z.enum(['scheduled', 'surveying', 'done']),
    surveyId: z.string().nullable(),
    startedAt: z.string().nullable(),
    outcome: FollowUpOutcome.nullable(),
    notes: z.string(),
    photos: z.array(z.string()),
    /** The questionnaire's answers when the outcome was recorded. */
    answers: z.object({ works: z.number().int(), problems: z.number().int(), total: z.number().int() }).nullable(),
    recordedAt: z.string().nullable(),
    recordedBy: z.string().nullable(),
  }).nullable().optional(),
  /** Raised by dissatisfaction or a 回访 with problems; the admin's response (or a reopening) lowers it. */
  attention: z.object({
    open: z.boolean(),
    reasons: z.array(z.enum(['ratings', 'follow_up'])),
    since: z.string().nullable(),
    responses: z.array(z.object({ text: z.string(), at: z.string(), by: z.string(), reopened: z.boolean() })),
  }).optional(),
  reopenings: z.array(z.object({ reason: z.string(), at: z.string(), by: z.string() })).optional(),
};

/** A resident's rating (`rating:<matter>:<member>`: one per resident per matter). Never shown with who wrote it. */
export const Rating = z.object({
  _id: z.string(),
  matterId: z.string(),
  communityId: z.string(),
  memberId: z.string(),
  /** For the 回访 message (consent checked at send); never sent out. */
  openid: z.string(),
  level: RatingLevel,
  comment: z.string().nullable(),
  /** For the paged list of comments. */
  commented: z.boolean(),
  at: z.string(),
});
export type Rating = z.infer<typeof Rating>;

/** What staff actions answer with: the matter's state and its closing groups. */
export const ClosingView = z.object({
  _id: z.string(),
  title: z.string(),
  communityId: z.string(),
  state: z.enum(['planning', 'in_progress', 'completed', 'accepted', 'reopened']),
  progress: z.number().int(),
  ...closingFields,
});
export type ClosingView = z.infer<typeof ClosingView>;

export const SatisfactionView = SatisfactionSchema.extend({ rate: z.number().nullable() });

/** The public result page: no personal data beyond masked names. */
export const ResultView = z.object({
  matterId: z.string(),
  title: z.string(),
  year: z.number().int(),
  state: ClosingView.shape.state,
  progress: z.number().int(),
  acceptance: z.object({ date: z.string(), representatives: z.array(z.string()), notes: z.string(), photos: z.array(z.string()) }).nullable(),
  result: z.object({
    summary: z.string(),
    pairs: z.array(z.object({ before: z.string(), after: z.string(), caption: z.string() })),
    budget: z.number().int(),
    spent: z.number().int(),
    spendingNote: z.string(),
    publishedAt: z.string(),
  }).nullable(),
  units: z.array(z.object({ name: z.string(), lead: z.boolean() })),
  leaders: z.array(z.string()),
  satisfaction: SatisfactionView,
  followUp: z.object({ dueDay: z.string(), state: z.enum(['scheduled', 'surveying', 'done']), outcome: FollowUpOutcome.nullable() }).nullable(),
  /** The caller's own rating, if they rated; residents may rate while `canRate`. */
  mine: RatingLevel.nullable(),
  canRate: z.boolean(),
  /** Display URLs of the photos above, by file id (a photo whose file is gone has none). */
  urls: z.record(z.string(), z.string()),
});
export type ResultView = z.infer<typeof ResultView>;

const MatterKey = z.object({ matterId: Id });
const Photos = z.array(Id).max(9, '最多 9 张照片');

export const BoardItem = z.object({
  matterId: z.string(),
  title: z.string(),
  year: z.number().int(),
  state: ClosingView.shape.state,
  progress: z.number().int(),
  satisfaction: SatisfactionView,
  followUp: z.object({ dueDay: z.string(), state: z.enum(['scheduled', 'surveying', 'done']), due: z.boolean() }).nullable(),
  attention: z.array(z.enum(['ratings', 'follow_up'])).nullable(),
});
export type BoardItem = z.infer<typeof BoardItem>;

/** The printable 实施结果公开 sheet: the result as posted on the notice board, with the community's name and the dates. */
export const ResultSheet = z.object({
  communityName: z.string(),
  title: z.string(),
  year: z.number().int(),
  startedAt: z.string().nullable(),
  completedDay: z.string().nullable(),
  acceptance: z.object({ date: z.string(), representatives: z.array(z.string()), notes: z.string() }),
  result: ResultView.shape.result.unwrap(),
  units: ResultView.shape.units,
  leaders: z.array(z.string()),
  satisfaction: SatisfactionView,
  urls: z.record(z.string(), z.string()),
  /** Shanghai day the sheet is printed (its 落款 date). */
  today: z.string(),
});
export type ResultSheet = z.infer<typeof ResultSheet>;

export const resultsContract = defineContract({
  /** The 实施结果公开 sheet to print (H5) or show (WeChat): only once the result is published. */
  resultSheet: { input: MatterKey, output: ResultSheet },
  /** The community admin declares the work done: only at 100 % progress. Tells the people behind it. */
  completeMatter: { input: MatterKey, output: ClosingView },
  /** 验收 by the community admin and at least one residents' representative; schedules 回访. */
  acceptMatter: {
    input: MatterKey.extend({
      date: Day,
      representatives: z
        .array(z.union([
          z.object({ memberId: Id }),
          z.object({ name: z.string().trim().min(2, '代表姓名至少 2 个字').max(20, '代表姓名最多 20 字') }),
        ]))
        .min(1, '验收须有至少一名居民代表参加')
        .max(10),
      notes: z.string().trim().min(5, '请填写验收意见（至少 5 个字）').max(1000),
      photos: Photos.min(1, '请上传至少一张验收照片'),
      followUpDays: z.number().int().min(7, '回访至少在验收 7 天后').max(180, '回访最晚在验收 180 天后').optional(),
      attention: AttentionRuleSchema.optional(),
    }),
    output: ClosingView,
  },
  /** 实施结果公开: before/after pairs (the matter's own photos or the admin's uploads), money against budget. */
  publishResult: {
    input: MatterKey.extend({
      summary: z.string().trim().min(5, '请填写实施结果（至少 5 个字）').max(1000),
      pairs: z.array(z.object({ before: Id, after: Id, caption: z.string().trim().max(40).default('') })).min(1, '请至少提供一组前后对比照片').max(6),
      /** Absent: the plan's budget and spending. */
      budget: Fen.optional(),
      spent: Fen.optional(),
      spendingNote: z.string().trim().max(200).default(''),
    }),
    output: ClosingView,
  },
  getResult: { input: MatterKey, output: ResultView },
  /** One rating per resident of the matter's community, once it is accepted. */
  rateMatter: {
    input: MatterKey.extend({ level: RatingLevel, comment: z.string().trim().max(RATING_COMMENT_MAX, `评价最多 ${RATING_COMMENT_MAX} 字`).optional() }),
    output: z.object({ mine: RatingLevel, satisfaction: SatisfactionView }),
  },
  /** Comments with their level and time, newest first; never who wrote them. */
  listRatingComments: {
    input: MatterKey.extend({ cursor: Cursor }),
    output: z.object({ items: z.array(z.object({ _id: z.string(), level: RatingLevel, comment: z.string(), at: z.string() })), nextCursor: z.string().nullable() }),
  },
  /** The admin's board of endings: awaiting 验收, 回访 due or running, and matters that need a response. */
  closingBoard: {
    input: z.object({ communityId: Id, year: z.number().int().min(2020).max(2100) }),
    output: z.object({ items: z.array(BoardItem) }),
  },
  /** 回访 when due: a one-question questionnaire to the community's residents; the people behind it are told. */
  startFollowUp: { input: MatterKey, output: ClosingView },
  recordFollowUp: {
    input: MatterKey.extend({
      outcome: FollowUpOutcome,
      notes: z.string().trim().min(5, '请填写回访情况（至少 5 个字）').max(1000),
      photos: Photos.default([]),
    }),
    output: ClosingView,
  },
  respondToAttention: { input: MatterKey.extend({ response: z.string().trim().min(5, '请填写回应（至少 5 个字）').max(500) }), output: ClosingView },
  reopenMatter: { input: MatterKey.extend({ reason: z.string().trim().min(5, '请写明重新启动的原因（至少 5 个字）').max(500) }), output: ClosingView },
});
