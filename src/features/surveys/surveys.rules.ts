/**
 * Pure rules of questionnaires (no I/O), shared by the answering page and the server: definition
 * checks, skip logic and answer validation. Counting lives in surveys.tally.rules.ts, the builder's helpers in
 * surveys.builder.rules.ts.
 */
import {
  KEY_RE, MAX_COUNTERS, MAX_CROSS_DIMENSIONS, MAX_OPTIONS, MAX_RANKING_OPTIONS, OTHER_TEXT_MAX, QUESTION_TYPE_LABELS,
  RATING_MAX, TEXTAREA_MAX, TEXT_MAX,
} from './surveys.labels';
import type { Definition, Phase, Question, ShowIf, SurveyStatus } from './surveys.schema';

export interface Problem {
  /** e.g. ['questions', 2, 'showIf'] for a definition, [questionId] for an answer. */
  path: (string | number)[];
  message: string;
}

const CHOICE = new Set<Question['type']>(['single', 'multiple', 'ranking']);
const no = (i: number) => `第${i + 1}题`;

// ---------------------------------------------------------------- the definition

/** Counters one answer can touch in the main tally of a question (bounded by the definition limits). */
export function questionCounters(q: Question): number {
  const opts = q.options?.length ?? 0;
  switch (q.type) {
    case 'single':
    case 'multiple':
      return 1 + opts;
    case 'rating':
      return 1 + RATING_MAX;
    case 'number':
      return 2;
    case 'matrix':
      return 1 + (q.rows?.length ?? 0) * (q.scale?.length ?? 0);
    case 'ranking':
      return 1 + 2 * opts;
    default:
      return 1;
  }
}

/** The single-choice questions results can be cross-tabulated by. */
export const dimensionsOf = (def: Pick<Definition, 'questions'>): Question[] =>
  def.questions.filter((q) => q.type === 'single' && q.crossTab);

/** Main counters plus, per dimension, one copy per option (and one for “not answered”). */
export function counterCount(def: Pick<Definition, 'questions'>): number {
  const main = 2 + def.questions.reduce((s, q) => s + questionCounters(q), 0);
  return main + dimensionsOf(def).reduce((s, d) => s + ((d.options?.length ?? 0) + 1) * (main - 1), 0);
}

function showIfProblems(def: Definition, i: number, s: ShowIf): Problem[] {
  const path = ['questions', i, 'showIf'];
  const at = def.questions.findIndex((q) => q.id === s.questionId);
  if (at < 0) return [{ path, message: `${no(i)}的显示条件引用了不存在的题目` }];
  if (at === i) return [{ path, message: `${no(i)}的显示条件不能引用本题` }];
  if (at > i) return [{ path, message: `${no(i)}的显示条件引用了后面的${no(at)}，只能引用前面的题目` }];
  const ref = def.questions[at]!;
  if (s.op === 'notAnswered') return s.values.length ? [{ path, message: `${no(i)}的条件“未作答”不需要选项` }] : [];
  if (ref.type !== 'single' && ref.type !== 'multiple') {
    return [{ path, message: `${no(i)}的显示条件只能按单选题或多选题的选项判断（${no(at)}是${QUESTION_TYPE_LABELS[ref.type]}）` }];
  }
  if (s.values.length === 0) return [{ path, message: `${no(i)}的显示条件需要选择${no(at)}的选项` }];
  if (s.op === 'equals' && s.values.length !== 1) return [{ path, message: `${no(i)}的条件“等于”只能选一个选项` }];
  const ids = new Set(ref.options?.map((o) => o.id));
  const bad = s.values.find((v) => !ids.has(v));
  return bad ? [{ path, message: `${no(i)}的显示条件用了${no(at)}中不存在的选项` }] : [];
}

function duplicateIds(items: { id: string }[] | undefined): string | null {
  const seen = new Set<string>();
  for (const it of items ?? []) {
    if (seen.has(it.id)) return it.id;
    seen.add(it.id);
  }
  return null;
}

function questionProblems(def: Definition, q: Question, i: number): Problem[] {
  const out: Problem[] = [];
  const p = (field: string, message: string) => out.push({ path: ['questions', i, field], message });
  const opts = q.options ?? [];
  const kind = QUESTION_TYPE_LABELS[q.type];
  if (CHOICE.has(q.type)) {
    if (opts.length === 0) p('options', `${no(i)}（${kind}）还没有选项`);
    else if (opts.length < 2) p('options', `${no(i)}（${kind}）至少需要 2 个选项`);
    const dup = duplicateIds(opts);
    if (dup) p('options', `${no(i)}有重复的选项编号“${dup}”`);
    const others = opts.filter((o) => o.other).length;
    if (others > 1) p('options', `${no(i)}只能有一个“其他（请注明）”选项`);
    if (others && q.type === 'ranking') p('options', `${no(i)}（排序题）不能有“其他（请注明）”选项`);
    if (q.type === 'ranking' && opts.length > MAX_RANKING_OPTIONS) p('options', `${no(i)}（排序题）最多 ${MAX_RANKING_OPTIONS} 个选项`);
    if (opts.length > MAX_OPTIONS) p('options', `${no(i)}最多 ${MAX_OPTIONS} 个选项`);
  } else if (opts.length) p('options', `${no(i)}（${kind}）不需要选项`);
  if (q.type === 'multiple') {
    const min = q.minPicks ?? 0;
    const max = q.maxPicks ?? opts.length;
    if (min > max) p('minPicks', `${no(i)}的最少选择数不能大于最多选择数`);
    if (opts.length && max > opts.length) p('maxPicks', `${no(i)}最多可选 ${opts.length} 项（共 ${opts.length} 个选项）`);
  } else if (q.minPicks !== undefined || q.maxPicks !== undefined) p('maxPicks', `${no(i)}不是多选题，不能设置选择数量`);
  if (q.type === 'number') {
    if (q.min !== undefined && q.max !== undefined && q.min > q.max) p('min', `${no(i)}的最小值不能大于最大值`);
  } else if (q.min !== undefined || q.max !== undefined) p('min', `${no(i)}不是数字题，不能设置取值范围`);
  if (q.type === 'matrix') {
    if (!q.rows?.length) p('rows', `${no(i)}（矩阵题）还没有行`);
    if ((q.scale?.length ?? 0) < 2) p('scale', `${no(i)}（矩阵题）至少需要 2 个评价等级`);
    const dr = duplicateIds(q.rows);
    if (dr) p('rows', `${no(i)}有重复的行编号“${dr}”`);
    const dc = duplicateIds(q.scale);
    if (dc) p('scale', `${no(i)}有重复的等级编号“${dc}”`);
  } else if (q.rows?.length || q.scale?.length) p('rows', `${no(i)}不是矩阵题，不需要行和等级`);
  if (q.crossTab && q.type !== 'single') p('crossTab', `${no(i)}不是单选题，不能用于交叉分析`);
  if (q.showIf) out.push(...showIfProblems(def, i, q.showIf));
  return out;
}

/** Every problem of a definition, in question order; empty when it can be saved and published. */
export function definitionProblems(def: Definition): Problem[] {
  const out: Problem[] = [];
  if (def.questions.length === 0) out.push({ path: ['questions'], message: '问卷至少需要一道题' });
  const seen = new Map<string, number>();
  def.questions.forEach((q, i) => {
    if (!KEY_RE.test(q.id)) out.push({ path: ['questions', i, 'id'], message: `${no(i)}的编号格式有误` });
    const first = seen.get(q.id);
    if (first !== undefined) out.push({ path: ['questions', i, 'id'], message: `${no(i)}与${no(first)}的编号重复（“${q.id}”）` });
    else seen.set(q.id, i);
  });
  def.questions.forEach((q, i) => out.push(...questionProblems(def, q, i)));
  const dims = dimensionsOf(def).length;
  if (dims > MAX_CROSS_DIMENSIONS) out.push({ path: ['questions'], message: `最多 ${MAX_CROSS_DIMENSIONS} 道单选题可用于交叉分析（现在有 ${dims} 道）` });
  else if (out.length === 0) {
    const n = counterCount(def);
    if (n > MAX_COUNTERS) out.push({ path: ['questions'], message: `统计项过多（${n} 个，上限 ${MAX_COUNTERS}），请减少交叉分析的题目或选项` });
  }
  return out;
}

/** Settings that must hold to publish. */
export function scheduleProblems(s: { openAt: string; closeAt: string }, now: Date): Problem[] {
  const out: Problem[] = [];
  const open = Date.parse(s.openAt);
  const close = Date.parse(s.closeAt);
  if (!(close > open)) out.push({ path: ['settings', 'closeAt'], message: '结束时间必须晚于开始时间' });
  else if (close <= now.getTime()) out.push({ path: ['settings', 'closeAt'], message: '结束时间已过，请重新设置' });
  return out;
}

// ---------------------------------------------------------------- phase

export function phaseOf(s: { status: SurveyStatus; openAt: string; closeAt: string }, now: Date): Phase {
  if (s.status === 'draft') return 'draft';
  if (s.status === 'closed') return 'closed';
  const t = now.getTime();
  if (t < Date.parse(s.openAt)) return 'not_open';
  if (t >= Date.parse(s.closeAt)) return 'closed';
  return 'open';
}

// ---------------------------------------------------------------- answers and skip logic

export type SingleAnswer = { pick: string; other?: string };
export type MultipleAnswer = { picks: string[]; other?: string };
export type AnswerValue = SingleAnswer | MultipleAnswer | string | number | Record<string, string> | string[];
export type CleanAnswers = Record<string, AnswerValue>;

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a raw value counts as an answer at all (empty text, no picks, nothing → not answered). */
export function isAnswered(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (typeof v === 'number') return true;
  if (Array.isArray(v)) return v.length > 0;
  if (isObj(v)) {
    if ('pick' in v) return typeof v.pick === 'string' && v.pick !== '';
    if ('picks' in v) return Array.isArray(v.picks) && v.picks.length > 0;
    return Object.keys(v).length > 0;
  }
  return true;
}

function picked(v: unknown): string[] {
  if (!isObj(v)) return [];
  if (typeof v.pick === 'string') return [v.pick];
  if (Array.isArray(v.picks)) return v.picks.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Whether a question's condition holds, given the answers of visible earlier questions. */
export function conditionHolds(s: ShowIf, visibleAnswers: Record<string, unknown>): boolean {
  const v = visibleAnswers[s.questionId];
  if (s.op === 'notAnswered') return !isAnswered(v);
  const picks = picked(v);
  if (s.op === 'equals') return picks.includes(s.values[0]!);
  return s.values.some((x) => picks.includes(x));
}

/**
 * The questions shown for these answers, in order. Conditions only look back, so one pass decides:
 * an answer to a hidden question does not count (a question that depends on it sees “not answered”).
 */
export function visibleQuestions(def: Pick<Definition, 'questions'>, answers: Record<string, unknown>): Question[] {
  const seen: Record<string, unknown> = {};
  const out: Question[] = [];
  for (const q of def.questions) {
    if (q.showIf && !conditionHolds(q.showIf, seen)) continue;
    out.push(q);
    if (q.id in answers) seen[q.id] = answers[q.id];
  }
  return out;
}

type Checked = { ok: true; value: AnswerValue } | { ok: false; message: string };
const bad = (message: string): Checked => ({ ok: false, message });

function checkOther(q: Question, pickIds: string[], other: unknown): { ok: true; other?: string } | { ok: false; message: string } {
  const otherOpt = q.options?.find((o) => o.other);
  const chose = !!otherOpt && pickIds.includes(otherOpt.id);
  if (!chose) return { ok: true };
  const text = typeof other === 'string' ? other.trim() : '';
  if (!text) return { ok: false, message: `请填写“${otherOpt!.label}”的具体内容` };
  if (Array.from(text).length > OTHER_TEXT_MAX) return { ok: false, message: `“其他”最多 ${OTHER_TEXT_MAX} 字` };
  return { ok: true, other: text };
}

/** Checks one answered value against its question; returns the cleaned value. */
export function checkValue(q: Question, v: unknown): Checked {
  const ids = new Set(q.options?.map((o) => o.id));
  switch (q.type) {
    case 'single': {
      if (!isObj(v) || typeof v.pick !== 'string') return bad('请选择一个选项');
      if (!ids.has(v.pick)) return bad('选项无效，请重新选择');
      const o = checkOther(q, [v.pick], v.other);
      if (!o.ok) return o;
      return { ok: true, value: o.other ? { pick: v.pick, other: o.other } : { pick: v.pick } };
    }
    case 'multiple': {
      if (!isObj(v) || !Array.isArray(v.picks) || !v.picks.every((x) => typeof x === 'string')) return bad('请选择选项');
      const picks = v.picks as string[];
      if (new Set(picks).size !== picks.length) return bad('选项重复');
      if (picks.some((x) => !ids.has(x))) return bad('选项无效，请重新选择');
      const min = q.minPicks ?? 0;
      const max = q.maxPicks ?? ids.size;
      if (picks.length < min) return bad(`请至少选择 ${min} 项`);
      if (picks.length > max) return bad(`最多选择 ${max} 项`);
      const o = checkOther(q, picks, v.other);
      if (!o.ok) return o;
      // Stored in the questionnaire's option order, whatever order they were tapped in.
      const ordered = (q.options ?? []).map((x) => x.id).filter((id) => picks.includes(id));
      return { ok: true, value: o.other ? { picks: ordered, other: o.other } : { picks: ordered } };
    }
    case 'text':
    case 'textarea': {
      if (typeof v !== 'string') return bad('请填写文字');
      const text = v.trim();
      const max = q.type === 'text' ? TEXT_MAX : TEXTAREA_MAX;
      if (Array.from(text).length > max) return bad(`最多 ${max} 字`);
      return { ok: true, value: text };
    }
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return bad('请填写数字');
      if (q.integer && !Number.isInteger(v)) return bad('请填写整数');
      if (q.min !== undefined && v < q.min) return bad(`不能小于 ${q.min}`);
      if (q.max !== undefined && v > q.max) return bad(`不能大于 ${q.max}`);
      return { ok: true, value: v };
    }
    case 'rating': {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > RATING_MAX) return bad(`请选择 1–${RATING_MAX} 星`);
      return { ok: true, value: v };
    }
    case 'matrix': {
      if (!isObj(v)) return bad('请为每一行选择');
      const rows = new Set(q.rows?.map((r) => r.id));
      const cols = new Set(q.scale?.map((c) => c.id));
      const out: Record<string, string> = {};
      for (const [row, col] of Object.entries(v)) {
        if (!rows.has(row) || typeof col !== 'string' || !cols.has(col)) return bad('选项无效，请重新选择');
        out[row] = col;
      }
      if (q.required && Object.keys(out).length < rows.size) {
        const missing = q.rows!.find((r) => !(r.id in out))!;
        return bad(`请为“${missing.label}”选择`);
      }
      return { ok: true, value: out };
    }
    case 'ranking': {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return bad('请排序');
      const order = v as string[];
      if (new Set(order).size !== order.length || order.some((x) => !ids.has(x))) return bad('排序无效，请重新排序');
      if (order.length !== ids.size) return bad('请为所有选项排序');
      return { ok: true, value: [...order] };
    }
  }
}

export type AnswerCheck = { ok: true; answers: CleanAnswers } | { ok: false; problems: Problem[] };

/**
 * An answer against its questionnaire: unknown question ids are refused; answers to hidden
 * questions are dropped; visible required questions must be answered; each value must fit its type.
 */
export function checkAnswers(def: Pick<Definition, 'questions'>, raw: Record<string, unknown>): AnswerCheck {
  const problems: Problem[] = [];
  const known = new Set(def.questions.map((q) => q.id));
  for (const id of Object.keys(raw)) if (!known.has(id)) problems.push({ path: [id], message: '问卷中没有这道题' });
  const answers: CleanAnswers = {};
  const seen: Record<string, unknown> = {};
  for (const q of def.questions) {
    if (q.showIf && !conditionHolds(q.showIf, seen)) continue;
    const v = raw[q.id];
    if (!isAnswered(v)) {
      if (q.required) problems.push({ path: [q.id], message: q.type === 'matrix' ? '请为每一行选择' : '此题为必答题' });
      continue;
    }
    const c = checkValue(q, v);
    if (!c.ok) {
      problems.push({ path: [q.id], message: c.message });
      continue;
    }
    // Conditions see cleaned values only: an invalid answer cannot open a follow-up question.
    answers[q.id] = c.value;
    seen[q.id] = c.value;
  }
  return problems.length ? { ok: false, problems } : { ok: true, answers };
}

/** Per-question messages for the answering page. */
export const problemsByQuestion = (problems: Problem[]): Record<string, string> =>
  Object.fromEntries(problems.map((p) => [String(p.path[0]), p.message]));

/** Answered visible questions / visible questions, 0–1, for the progress bar. */
export function progressOf(def: Pick<Definition, 'questions'>, answers: Record<string, unknown>): { done: number; total: number } {
  const shown = visibleQuestions(def, answers);
  return { done: shown.filter((q) => isAnswered(answers[q.id])).length, total: shown.length };
}
