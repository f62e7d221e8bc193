/**
 * Plain constants of questionnaires (no zod): labels and limits that pages and surveys.rules.ts use,
 * so the answering and builder pages do not pull the schema module and zod into their packages.
 * surveys.schema.ts builds its enums and limits from these.
 */
export const QUESTION_TYPES = ['single', 'multiple', 'text', 'textarea', 'number', 'rating', 'matrix', 'ranking'] as const;
export type QuestionTypeName = (typeof QUESTION_TYPES)[number];

export const QUESTION_TYPE_LABELS: Record<QuestionTypeName, string> = {
  single: '单选题',
  multiple: '多选题',
  text: '填空题',
  textarea: '简答题',
  number: '数字题',
  rating: '评分题',
  matrix: '矩阵单选题',
  ranking: '排序题',
};

export const SHOW_IF_OPS = ['equals', 'oneOf', 'notAnswered'] as const;
export type ShowIfOp = (typeof SHOW_IF_OPS)[number];
export const SHOW_IF_LABELS: Record<ShowIfOp, string> = { equals: '等于', oneOf: '是其中之一', notAnswered: '未作答' };

export const SURVEY_STATUSES = ['draft', 'published', 'closed'] as const;
export type SurveyStatusName = (typeof SURVEY_STATUSES)[number];
export const SURVEY_STATUS_LABELS: Record<SurveyStatusName, string> = { draft: '草稿', published: '已发布', closed: '已结束' };

/** Question, option, row and column ids name tally counters (`q.<id>.o.<id>`): short identifiers. */
export const KEY_RE = /^[a-z][a-z0-9]{0,15}$/;

export const MAX_QUESTIONS = 50;
export const MAX_OPTIONS = 30;
export const MAX_MATRIX_ROWS = 20;
export const MAX_MATRIX_COLUMNS = 10;
export const MAX_RANKING_OPTIONS = 10;
export const TEXT_MAX = 100;
export const TEXTAREA_MAX = 1000;
export const OTHER_TEXT_MAX = 100;
export const RATING_MAX = 5;
/** Single-choice questions usable as cross-tab dimensions (age band, building …). */
export const MAX_CROSS_DIMENSIONS = 5;
/** All tally counters of one questionnaire (main + cross-tabs); keeps tally documents small. */
export const MAX_COUNTERS = 20_000;
