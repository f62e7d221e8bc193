/** Pure rules the builder and exports share: answers as people read them, fresh ids, copying and moving questions. */
import { isObj, type MultipleAnswer, type SingleAnswer } from './surveys.rules';
import type { Definition, Question } from './surveys.schema';

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
