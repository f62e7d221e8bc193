import { z } from 'zod';
import { defineContract } from '../../lib/contract';
import { Category } from '../suggestions/suggestions.schema';
import {
  KEY_RE, MAX_MATRIX_COLUMNS, MAX_MATRIX_ROWS, MAX_OPTIONS, MAX_QUESTIONS, QUESTION_TYPES, SHOW_IF_OPS, SURVEY_STATUSES,
} from './surveys.labels';

/**
 * Questionnaires (调查问卷). The shapes here are deliberately loose where consistency matters
 * (options of a choice question, skip-logic references, min ≤ max): surveys.rules.ts checks those
 * and answers with the exact problem in Chinese, which zod alone cannot phrase.
 */

export {
  KEY_RE, MAX_COUNTERS, MAX_CROSS_DIMENSIONS, MAX_MATRIX_COLUMNS, MAX_MATRIX_ROWS, MAX_OPTIONS, MAX_QUESTIONS, MAX_RANKING_OPTIONS,
  OTHER_TEXT_MAX, QUESTION_TYPE_LABELS, QUESTION_TYPES, RATING_MAX, SHOW_IF_LABELS, SURVEY_STATUS_LABELS, TEXTAREA_MAX, TEXT_MAX,
} from './surveys.labels';

export const QuestionType = z.enum(QUESTION_TYPES);
export type QuestionType = z.infer<typeof QuestionType>;

export const Key = z.string().regex(KEY_RE, '编号只能用小写字母和数字，以字母开头，最多 16 位');


const Label = z.string().trim().min(1, '请填写文字').max(100, '最多 100 字');

export const Option = z.object({
  id: Key,
  label: Label,
  /** “其他（请注明）”: choosing it asks for a text. */
  other: z.boolean().optional(),
});
export type Option = z.infer<typeof Option>;

export const Cell = z.object({ id: Key, label: Label });
export type Cell = z.infer<typeof Cell>;

/** Show the question only when an earlier answer matches. */
export const ShowIf = z.object({
  questionId: Key,
  op: z.enum(SHOW_IF_OPS),
  /** Option ids of the earlier (single or multiple choice) question; empty for notAnswered. */
  values: z.array(Key).max(MAX_OPTIONS).default([]),
});
export type ShowIf = z.infer<typeof ShowIf>;


export const Question = z.object({
  id: Key,
  type: QuestionType,
  title: z.string().trim().min(1, '请填写题目').max(200, '题目最多 200 字'),
  description: z.string().trim().max(300).optional(),
  required: z.boolean().default(false),
  /** single, multiple, ranking */
  options: z.array(Option).max(MAX_OPTIONS).optional(),
  /** multiple: how many picks. */
  minPicks: z.number().int().min(0).optional(),
  maxPicks: z.number().int().min(1).optional(),
  /** number */
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  integer: z.boolean().optional(),
  /** matrix: rows × a shared scale. */
  rows: z.array(Cell).max(MAX_MATRIX_ROWS).optional(),
  scale: z.array(Cell).max(MAX_MATRIX_COLUMNS).optional(),
  showIf: ShowIf.optional(),
  /** single only: results can be cross-tabulated by this question. */
  crossTab: z.boolean().optional(),
});
export type Question = z.infer<typeof Question>;

export const Definition = z.object({
  title: z.string().trim().min(1, '请填写问卷标题').max(60, '标题最多 60 字'),
  intro: z.string().trim().max(1000, '说明最多 1000 字').default(''),
  questions: z.array(Question).min(1, '问卷至少需要一道题').max(MAX_QUESTIONS, `问卷最多 ${MAX_QUESTIONS} 道题`),
});
export type Definition = z.infer<typeof Definition>;

const Instant = z.string().datetime({ offset: true, message: '时间格式有误' });

export const Settings = z.object({
  openAt: Instant,
  closeAt: Instant,
  anonymous: z.boolean().default(false),
  /** One answer per household (the address residents joined with) instead of one per person. */
  perHousehold: z.boolean().default(false),
  /** The community's households, for the response rate; null when unknown. */
  households: z.number().int().min(1).max(1_000_000).nullable().default(null),
});
export type Settings = z.infer<typeof Settings>;

export const SurveyStatus = z.enum(SURVEY_STATUSES);
export type SurveyStatus = z.infer<typeof SurveyStatus>;

/** What a resident sees: draft / not yet open / open / closed. */
export const Phase = z.enum(['draft', 'not_open', 'open', 'closed']);
export type Phase = z.infer<typeof Phase>;

/** The stored questionnaire. `answerKey` keys the hash that stands for an anonymous answerer; never sent out. */
export const Survey = Definition.extend({
  _id: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  openAt: z.string(),
  closeAt: z.string(),
  anonymous: z.boolean(),
  perHousehold: z.boolean(),
  households: z.number().nullable(),
  status: SurveyStatus,
  /** 1, 2 …: a locked questionnaire changes only as a new version (a new record). */
  version: z.number().int(),
  previousId: z.string().nullable(),
  /** Set by the first answer: questions can no longer change. */
  locked: z.boolean(),
  answerKey: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type Survey = z.infer<typeof Survey>;

/**
 * A submitted answer. `_id` is `ans:<surveyId>:<who>`: one per person (or household), enforced by the
 * store. For an anonymous questionnaire `who` is a keyed hash and no name or address is kept.
 */
export const AnswerRecord = z.object({
  _id: z.string(),
  surveyId: z.string(),
  communityId: z.string(),
  answers: z.record(z.string(), z.unknown()),
  staffEntered: z.boolean(),
  /** Member id of the staff who entered a paper questionnaire (代录). */
  enteredBy: z.string().nullable(),
  /** Named questionnaires only. */
  respondentName: z.string().nullable(),
  respondentAddress: z.string().nullable(),
  /** Tally shard this answer was counted in. */
  shard: z.number().int(),
  createdAt: z.string(),
});
export type AnswerRecord = z.infer<typeof AnswerRecord>;

/** A text answer (or an “other” text), listed and searched in results; never names its author. */
export const TextRecord = z.object({
  _id: z.string(),
  surveyId: z.string(),
  questionId: z.string(),
  text: z.string(),
  /** The “其他” text of a choice question. */
  other: z.boolean(),
  staffEntered: z.boolean(),
  createdAt: z.string(),
});
export type TextRecord = z.infer<typeof TextRecord>;

/** Counters: `n`, `staff`, `q.<qid>.…` (main) or `<groupOption>.…` (cross-tab by one question). */
export const TallyRecord = z.object({
  _id: z.string(),
  surveyId: z.string(),
  /** null for the main tally, else the dimension question id. */
  by: z.string().nullable(),
  shard: z.number().int(),
  c: z.record(z.string(), z.unknown()),
});
export type TallyRecord = z.infer<typeof TallyRecord>;

// ---------------------------------------------------------------- views

export const SurveySummary = z.object({
  _id: z.string(),
  title: z.string(),
  status: SurveyStatus,
  phase: Phase,
  openAt: z.string(),
  closeAt: z.string(),
  version: z.number().int(),
  questionCount: z.number().int(),
  answered: z.boolean().optional(),
  answers: z.number().int().optional(),
});
export type SurveySummary = z.infer<typeof SurveySummary>;

/** The questionnaire as a resident fills it in. */
export const SurveyView = Definition.extend({
  _id: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  openAt: z.string(),
  closeAt: z.string(),
  anonymous: z.boolean(),
  perHousehold: z.boolean(),
  status: SurveyStatus,
  phase: Phase,
  version: z.number().int(),
  /** Whether the caller (or their household) has already answered. */
  answered: z.boolean(),
});
export type SurveyView = z.infer<typeof SurveyView>;

export const AdminSurveyView = SurveyView.extend({
  _rev: z.number().int(),
  households: z.number().nullable(),
  locked: z.boolean(),
  previousId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type AdminSurveyView = z.infer<typeof AdminSurveyView>;

const Count = z.object({
  id: z.string(),
  label: z.string(),
  count: z.number().int(),
  percent: z.number(),
  /** The “其他（请注明）” option: its texts are listed with the `texts` action. */
  other: z.boolean().optional(),
});

export const QuestionResult = z.object({
  id: z.string(),
  type: QuestionType,
  title: z.string(),
  /** Answers that include this question. */
  answered: z.number().int(),
  /** single / multiple / rating: per option (rating: 1–5 stars). */
  counts: z.array(Count).optional(),
  /** rating / number */
  average: z.number().nullable().optional(),
  /** matrix: rows × scale. */
  matrix: z
    .object({
      columns: z.array(z.object({ id: z.string(), label: z.string() })),
      rows: z.array(z.object({ id: z.string(), label: z.string(), answered: z.number().int(), counts: z.array(z.number().int()) })),
    })
    .optional(),
  /** ranking: average position (1 = first) and how often ranked first. */
  ranking: z.array(z.object({ id: z.string(), label: z.string(), averageRank: z.number().nullable(), first: z.number().int() })).optional(),
});
export type QuestionResult = z.infer<typeof QuestionResult>;

export const ResultsView = z.object({
  surveyId: z.string(),
  title: z.string(),
  anonymous: z.boolean(),
  total: z.number().int(),
  staffEntered: z.number().int(),
  households: z.number().nullable(),
  /** total / households, 0–1; null when households is unknown. */
  responseRate: z.number().nullable(),
  questions: z.array(QuestionResult),
  /** Single-choice questions results can be cross-tabulated by. */
  dimensions: z.array(z.object({ id: z.string(), title: z.string() })),
});
export type ResultsView = z.infer<typeof ResultsView>;

export const CrossTabView = z.object({
  by: z.object({ id: z.string(), title: z.string() }),
  groups: z.array(z.object({ id: z.string(), label: z.string(), total: z.number().int(), questions: z.array(QuestionResult) })),
});
export type CrossTabView = z.infer<typeof CrossTabView>;

export const TextItem = z.object({ _id: z.string(), text: z.string(), other: z.boolean(), staffEntered: z.boolean(), createdAt: z.string() });
export type TextItem = z.infer<typeof TextItem>;

/** The portable definition (export / import between communities). */
export const DEFINITION_FORMAT = 'shishi-survey/1';
export const PortableDefinition = Definition.extend({ format: z.literal(DEFINITION_FORMAT) });
export type PortableDefinition = z.infer<typeof PortableDefinition>;

// ---------------------------------------------------------------- inputs

const Id = z.string().min(1).max(120);
const Cursor = z.string().max(500).nullable().optional();
const RequestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式有误');
/** Answers by question id; surveys.rules.ts checks each against its question. */
export const Answers = z.record(z.string().max(40), z.unknown()).refine((a) => Object.keys(a).length <= MAX_QUESTIONS + 10, '答案过多');

export const Respondent = z.object({
  building: z.string().trim().min(1, '请填写楼栋').max(20),
  unit: z.string().trim().max(20).optional(),
  name: z.string().trim().max(30).optional(),
});

export const surveysContract = defineContract({
  create: { input: z.object({ communityId: Id, definition: Definition, settings: Settings }), output: AdminSurveyView },
  /** Drafts, and published questionnaires nobody has answered yet. */
  update: { input: z.object({ id: Id, definition: Definition, settings: Settings }), output: AdminSurveyView },
  publish: { input: z.object({ id: Id }), output: AdminSurveyView },
  close: { input: z.object({ id: Id }), output: AdminSurveyView },
  /** A locked questionnaire's questions change only in a new version (a new draft linked to it). */
  newVersion: { input: z.object({ id: Id }), output: AdminSurveyView },
  adminList: { input: z.object({ communityId: Id, cursor: Cursor }), output: z.object({ items: z.array(SurveySummary), nextCursor: z.string().nullable() }) },
  adminGet: { input: z.object({ id: Id }), output: AdminSurveyView },
  /** Published questionnaires of a community, for its residents. */
  list: { input: z.object({ communityId: Id }), output: z.object({ items: z.array(SurveySummary) }) },
  get: { input: z.object({ id: Id }), output: SurveyView },
  submit: {
    input: z.object({ surveyId: Id, version: z.number().int(), answers: Answers }),
    output: z.object({ surveyId: z.string(), createdAt: z.string() }),
  },
  /** A paper questionnaire entered by staff (代录). `requestId` makes a retry land on the same answer. */
  staffSubmit: {
    input: z.object({ surveyId: Id, version: z.number().int(), answers: Answers, respondent: Respondent, requestId: RequestId }),
    output: z.object({ surveyId: z.string(), createdAt: z.string() }),
  },
  results: { input: z.object({ surveyId: Id }), output: ResultsView },
  crossTab: { input: z.object({ surveyId: Id, by: Key }), output: CrossTabView },
  texts: {
    input: z.object({ surveyId: Id, questionId: Key, q: z.string().trim().max(50).optional(), cursor: Cursor }),
    output: z.object({ items: z.array(TextItem), nextCursor: z.string().nullable() }),
  },
  exportXlsx: {
    input: z.object({ surveyId: Id }),
    output: z.object({ fileId: z.string(), url: z.string(), count: z.number().int(), truncated: z.boolean() }),
  },
  exportDefinition: { input: z.object({ id: Id }), output: PortableDefinition },
  importDefinition: { input: z.object({ communityId: Id, definition: z.unknown(), settings: Settings }), output: AdminSurveyView },
  /** Turns an option (or a text answer) of the results into a suggestion in the box (source 'survey'). */
  toSuggestion: {
    input: z
      .object({
        surveyId: Id,
        questionId: Key,
        optionId: Key.optional(),
        textId: Id.optional(),
        category: Category,
        text: z.string().trim().min(5, '内容至少 5 个字').max(500, '内容最多 500 字'),
      })
      .refine((i) => (i.optionId ? 1 : 0) + (i.textId ? 1 : 0) === 1, { message: '请选择一个选项或一条文字答案', path: ['optionId'] }),
    output: z.object({ suggestionId: z.string(), created: z.boolean() }),
  },
});
