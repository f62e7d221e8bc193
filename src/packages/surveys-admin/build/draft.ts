/** Builder state helpers: blank questions per type and default settings (pure). */
import { nextKey } from '../../../features/surveys/surveys.builder.rules';
import type { Question, QuestionType, Settings } from '../../../features/surveys/surveys.schema';

const DAY = 86400_000;

export const defaultSettings = (now: Date): Settings => ({
  openAt: now.toISOString(),
  closeAt: new Date(now.getTime() + 14 * DAY).toISOString(),
  anonymous: false,
  perHousehold: false,
  households: null,
});

const opts = (...labels: string[]) => labels.map((label, i) => ({ id: String.fromCharCode(97 + i), label }));

export function blankQuestion(type: QuestionType, taken: string[]): Question {
  const base = { id: nextKey('q', taken), type, title: '', required: true };
  switch (type) {
    case 'single':
    case 'multiple':
    case 'ranking':
      return { ...base, options: opts('选项1', '选项2') };
    case 'matrix':
      return { ...base, rows: [{ id: 'r1', label: '项目1' }], scale: opts('满意', '一般', '不满意') };
    default:
      return base;
  }
}

/** Options from lines of text, keeping ids of unchanged positions (a, b, c …). */
export function linesToCells(text: string, prefix = ''): { id: string; label: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((label, i) => ({ id: prefix ? `${prefix}${i + 1}` : i < 26 ? String.fromCharCode(97 + i) : `o${i}`, label }));
}

/** 'YYYY-MM-DD' (Shanghai) ↔ ISO instant at the start of that day / end of that day. */
export const dayOf = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
export const startOfDay = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`)).toISOString();
export const endOfDay = (day: string) => new Date(Date.parse(`${day}T23:59:59+08:00`)).toISOString();
