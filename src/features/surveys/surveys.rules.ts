/**
 * Pure rules of questionnaires (no I/O), shared by the answering page and the server: definition
 * checks, skip logic, answer validation, and the tally counters an answer adds.
 */
import {
  KEY_RE, MAX_COUNTERS, MAX_CROSS_DIMENSIONS, MAX_OPTIONS, MAX_RANKING_OPTIONS, OTHER_TEXT_MAX, QUESTION_TYPE_LABELS,
  RATING_MAX, TEXTAREA_MAX, TEXT_MAX,
} from './surveys.labels';
import type { Definition, Phase, Question, QuestionResult, ShowIf, SurveyStatus } from './surveys.schema';

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

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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

// ---------------------------------------------------------------- uniqueness

/** The household key of an address: full-width folded, spaces dropped, case folded. */
export function addressKey(building: string, unit?: string | null): string {
  const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  return `${norm(building)}|${norm(unit ?? '')}`;
}

/** One answer per person: `ans:<surveyId>:<who>`; per household: `ans:<surveyId>:hh:<who>`. */
export const answerId = (surveyId: string, who: string, perHousehold: boolean): string =>
  perHousehold ? `ans:${surveyId}:hh:${who}` : `ans:${surveyId}:${who}`;

export const TALLY_SHARDS = 4;

/** Spreads answers over tally shards (FNV-1a of the answer id): no single hot counter document. */
export function shardOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % TALLY_SHARDS;
}

/**
 * Tally documents: the main one per shard, and per shard one per group of each cross-tab dimension
 * (`by` = dimension question, `group` = its option or NO_ANSWER). Small documents: an answer's
 * increments rewrite a few kilobytes, not every counter of the questionnaire.
 */
export const tallyId = (surveyId: string, shard: number, by: string | null = null, group: string | null = null): string =>
  by ? `tally:${surveyId}:${shard}:x:${by}:${group}` : `tally:${surveyId}:${shard}`;

/** The groups of a cross-tab dimension: its options, then “not answered”. */
export const groupsOf = (dim: Question): string[] => [...(dim.options ?? []).map((o) => o.id), NO_ANSWER];

// ---------------------------------------------------------------- tallies

/** Group of a cross-tab dimension for an answer that skipped it. */
export const NO_ANSWER = '_none';

function questionDeltas(q: Question, v: AnswerValue, add: (path: string, d: number) => void): void {
  const base = `q.${q.id}`;
  add(`${base}.n`, 1);
  switch (q.type) {
    case 'single':
      add(`${base}.o.${(v as SingleAnswer).pick}`, 1);
      break;
    case 'multiple':
      for (const id of (v as MultipleAnswer).picks) add(`${base}.o.${id}`, 1);
      break;
    case 'rating':
      add(`${base}.o.v${v as number}`, 1);
      break;
    case 'number':
      add(`${base}.sum`, v as number);
      break;
    case 'matrix':
      for (const [row, col] of Object.entries(v as Record<string, string>)) add(`${base}.m.${row}.${col}`, 1);
      break;
    case 'ranking':
      (v as string[]).forEach((id, i) => {
        add(`${base}.rank.${id}`, i + 1);
        if (i === 0) add(`${base}.o.${id}`, 1);
      });
      break;
    default:
      break;
  }
}

export interface TallyDeltas {
  /** Dotted counter paths of the main tally → amount. */
  main: Record<string, number>;
  /** Per dimension question id: the answer's group and its counters (same paths as main, without `staff`). */
  cross: Record<string, { group: string; deltas: Record<string, number> }>;
}

/** What one (checked) answer adds to the tallies. Text questions only count as answered. */
export function tallyDeltas(def: Pick<Definition, 'questions'>, answers: CleanAnswers, staffEntered: boolean): TallyDeltas {
  const body: Record<string, number> = { n: 1 };
  const add = (path: string, d: number) => {
    body[path] = (body[path] ?? 0) + d;
  };
  for (const q of def.questions) {
    const v = answers[q.id];
    if (v !== undefined) questionDeltas(q, v, add);
  }
  const main = { ...body, ...(staffEntered ? { staff: 1 } : {}) };
  const cross: TallyDeltas['cross'] = {};
  for (const d of dimensionsOf(def)) {
    const group = (answers[d.id] as SingleAnswer | undefined)?.pick ?? NO_ANSWER;
    cross[d.id] = { group, deltas: body };
  }
  return { main, cross };
}

/** Nested counters (as stored) → sum of several shards. */
export function addCounters(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(from)) {
    if (typeof v === 'number') into[k] = ((into[k] as number | undefined) ?? 0) + v;
    else if (isObj(v)) into[k] = addCounters(isObj(into[k]) ? (into[k] as Record<string, unknown>) : {}, v);
  }
  return into;
}

/** Flat dotted deltas → nested counters (for recounts in tests and tools). */
export function nestCounters(flat: Record<string, number>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, n] of Object.entries(flat)) {
    const parts = path.split('.');
    let cur = out;
    for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
    const last = parts[parts.length - 1]!;
    cur[last] = ((cur[last] as number | undefined) ?? 0) + n;
  }
  return out;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const sub = (v: unknown, k: string): Record<string, unknown> => (isObj(v) && isObj(v[k]) ? (v[k] as Record<string, unknown>) : {});
const pct = (n: number, of: number): number => (of > 0 ? Math.round((n / of) * 1000) / 10 : 0);
const round2 = (v: number) => Math.round(v * 100) / 100;

/** One question's results from its counters (`q.<id>` of a tally). */
export function questionResult(q: Question, c: Record<string, unknown>): QuestionResult {
  const answered = num(c.n);
  const o = sub(c, 'o');
  const base: QuestionResult = { id: q.id, type: q.type, title: q.title, answered };
  switch (q.type) {
    case 'single':
    case 'multiple':
      return {
        ...base,
        counts: (q.options ?? []).map((x) => ({
          id: x.id, label: x.label, count: num(o[x.id]), percent: pct(num(o[x.id]), answered), ...(x.other ? { other: true } : {}),
        })),
      };
    case 'rating': {
      const counts = Array.from({ length: RATING_MAX }, (_, i) => {
        const n = num(o[`v${i + 1}`]);
        return { id: `v${i + 1}`, label: `${i + 1} 星`, count: n, percent: pct(n, answered) };
      });
      const sum = counts.reduce((s, x, i) => s + x.count * (i + 1), 0);
      return { ...base, counts, average: answered ? round2(sum / answered) : null };
    }
    case 'number':
      return { ...base, average: answered ? round2(num(c.sum) / answered) : null };
    case 'matrix': {
      const m = sub(c, 'm');
      const cols = q.scale ?? [];
      return {
        ...base,
        matrix: {
          columns: cols.map((x) => ({ id: x.id, label: x.label })),
          rows: (q.rows ?? []).map((r) => {
            const counts = cols.map((x) => num(sub(m, r.id)[x.id]));
            return { id: r.id, label: r.label, answered: counts.reduce((s, n) => s + n, 0), counts };
          }),
        },
      };
    }
    case 'ranking': {
      const rank = sub(c, 'rank');
      return {
        ...base,
        ranking: (q.options ?? []).map((x) => ({
          id: x.id,
          label: x.label,
          averageRank: answered ? round2(num(rank[x.id]) / answered) : null,
          first: num(o[x.id]),
        })),
      };
    }
    default:
      return base;
  }
}

/** Every question's results from a (summed) tally body `{ n, q: {…} }`. */
export function resultsOf(def: Pick<Definition, 'questions'>, body: Record<string, unknown>): QuestionResult[] {
  const qs = sub(body, 'q');
  return def.questions.map((q) => questionResult(q, sub(qs, q.id)));
}

export const counterTotal = (body: Record<string, unknown>, key = 'n'): number => num(body[key]);
export const counterGroup = sub;

// ---------------------------------------------------------------- readable answers (export, preview)

/** An answer as people read it: option labels, “其他：…”, matrix rows, ranking order. */
export function answerLabel(q: Question, v: unknown): string {
  if (v === undefined || v === null) return '';
  const label = (id: string) => q.options?.find((o) => o.id === id)?.label ?? id;
  switch (q.type) {
    case 'single': {
      const a = v as SingleAnswer;
      return a.other ? `${label(a.pick)}：${a.other}` : label(a.pick);
    }
    case 'multiple': {
      const a = v as MultipleAnswer;
      const otherId = q.options?.find((o) => o.other)?.id;
      return a.picks.map((id) => (id === otherId && a.other ? `${label(id)}：${a.other}` : label(id))).join('；');
    }
    case 'rating':
      return `${v as number} 星`;
    case 'matrix':
      return (q.rows ?? [])
        .filter((r) => (v as Record<string, string>)[r.id])
        .map((r) => `${r.label}：${q.scale?.find((c) => c.id === (v as Record<string, string>)[r.id])?.label ?? ''}`)
        .join('；');
    case 'ranking':
      return (v as string[]).map((id, i) => `${i + 1}.${label(id)}`).join(' ');
    default:
      return String(v);
  }
}

/** The matrix value of one row (export has one column per row). */
export const matrixCell = (q: Question, v: unknown, rowId: string): string => {
  const col = isObj(v) ? (v as Record<string, string>)[rowId] : undefined;
  return col ? (q.scale?.find((c) => c.id === col)?.label ?? '') : '';
};

// ---------------------------------------------------------------- builder helpers

/** A fresh id not used by `taken`: q1, q2 … / a, b … style. */
export function nextKey(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let i = 1; ; i++) if (!used.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** Copies a question under new ids (duplicate in the builder); conditions pointing at it are not copied. */
export function duplicateQuestion(def: Pick<Definition, 'questions'>, index: number): Question[] {
  const q = def.questions[index];
  if (!q) return def.questions;
  const copy: Question = { ...q, id: nextKey('q', def.questions.map((x) => x.id)), title: `${q.title}（副本）` };
  return [...def.questions.slice(0, index + 1), copy, ...def.questions.slice(index + 1)];
}

/** Moves a question; a condition that would then point forward is reported by definitionProblems. */
export function moveQuestion<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const next = [...list];
  const [it] = next.splice(from, 1);
  next.splice(to, 0, it!);
  return next;
}
