/**
 * Pure rules of questionnaires' counting (no I/O): one answer per person or household, the sharded tallies
 * an answer adds, and the results read back from them.
 */
import { RATING_MAX } from './surveys.labels';
import { dimensionsOf, type SingleAnswer, type MultipleAnswer, type AnswerValue, type CleanAnswers, isObj } from './surveys.rules';
import type { Definition, Question, QuestionResult } from './surveys.schema';

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
