/** Pure rules of household visits (no I/O): addresses and ids, schedules, coverage. Client and server. */
import { shanghaiDay, shanghaiDayStart } from '../../lib/time';
import { hash128 } from '../../lib/hash';
import { TAGS } from './visits.labels';
import type { Tag, VisitRules } from './visits.schema';

const DAY_MS = 24 * 3600_000;

// ---------------------------------------------------------------- addresses and ids

/** '３号楼 ' → '3', '2单元' → '2', '501室' → '501': the forms ledgers use for the same place. */
export function normalisePart(raw: string, suffixes: RegExp): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase().replace(suffixes, '');
}

const BUILDING_SUFFIX = /(号楼|栋|幢|座|楼|号)$/;
const UNIT_SUFFIX = /(单元|门洞|门)$/;
const ROOM_SUFFIX = /(室|号|户)$/;

/** The household's identity inside its community: normalised `building-unit-room`. */
export function addressKey(a: { building: string; unit: string; room: string }): string {
  return [normalisePart(a.building, BUILDING_SUFFIX), normalisePart(a.unit, UNIT_SUFFIX), normalisePart(a.room, ROOM_SUFFIX)].join('-');
}

/** '3栋' '2单元' '501' → '3栋2单元501室'; parts already carrying their word keep it. */
export function displayAddress(a: { building: string; unit: string; room: string }): string {
  const b = a.building.trim();
  const u = a.unit.trim();
  const r = a.room.trim();
  return `${b}${/^\d+$/.test(b) ? '栋' : ''}${u}${u && /^\d+$/.test(u) ? '单元' : ''}${r}${/^\d+$/.test(r) ? '室' : ''}`;
}

/** The same 128-bit hash as suggestion ids, with its own prefix (the id reveals no address). */
const hashed = (prefix: string, a: string, b: string): string => prefix + hash128(`${a}:${b}`);

/** Deterministic: the same address of the same community is the same household on every import. */
export const householdId = (communityId: string, key: string): string => hashed('hh', communityId, key);

/** Deterministic: the same note retried by the same worker is the same visit. */
export const visitId = (workerId: string, clientId: string): string => hashed('vt', workerId, clientId);

/** The suggestion filed for the i-th request of a visit: a retried visit files none twice. */
export const requestSuggestionId = (visitDocId: string, index: number): string => `sg${hash128(`${visitDocId}:request-${index}`)}`;

/** The author a visit's request is filed under: the household, not the worker who wrote it down. */
export const householdAuthorId = (id: string): string => `household:${id}`;

export const rulesId = (communityId: string): string => `rules:${communityId}`;
export const gridMonthId = (gridId: string, month: string): string => `cov:${gridId}:${month}`;
export const workerMonthId = (workerId: string, month: string): string => `wcov:${workerId}:${month}`;
export const householdMonthMark = (householdId: string, month: string): string => `hm:${month}:${householdId}`;
export const workerHouseholdMark = (workerId: string, householdId: string, month: string): string => `wm:${month}:${workerId}:${householdId}`;

/** Parses a ledger's tag cell: '独居老人、低保' / '独居老人,低保' / '独居老人 低保'. Unknown words are returned apart. */
export function parseTags(cell: string): { tags: Tag[]; unknown: string[] } {
  const words = cell.normalize('NFKC').split(/[、,，;；/\s]+/).map((w) => w.trim()).filter(Boolean);
  const tags: Tag[] = [];
  const unknown: string[] = [];
  for (const w of words) {
    if ((TAGS as readonly string[]).includes(w)) {
      if (!tags.includes(w as Tag)) tags.push(w as Tag);
    } else unknown.push(w);
  }
  return { tags, unknown };
}

const NUMERALS = '一二三四五六七八九';
/** '第三网格' → 3, '第12网格' → 12, '第十一网格' → 11: grids listed in their numbered order. */
export function gridNumber(name: string): number | null {
  const m = /(\d+|[一二三四五六七八九十]+)/.exec(name);
  if (!m) return null;
  const t = m[1]!;
  if (/^\d+$/.test(t)) return Number(t);
  const ten = t.indexOf('十');
  if (ten < 0) return NUMERALS.indexOf(t[0]!) + 1 || null;
  const tens = ten === 0 ? 1 : NUMERALS.indexOf(t[0]!) + 1;
  const ones = ten === t.length - 1 ? 0 : NUMERALS.indexOf(t[ten + 1]!) + 1;
  return tens * 10 + ones;
}

export const byGridName = (a: { name: string }, b: { name: string }): number =>
  (gridNumber(a.name) ?? Infinity) - (gridNumber(b.name) ?? Infinity) || a.name.localeCompare(b.name, 'zh');

// ---------------------------------------------------------------- schedules

/** What a community gets until its admin sets its own. */
export const DEFAULT_RULES: Omit<VisitRules, 'communityId' | 'updatedAt'> = {
  intervals: { 独居老人: 7, 重点关注: 14, 空巢: 30, 残疾: 30, 低保: 30, 留守儿童: 30 },
  defaultEveryDays: null,
};

/** Days between visits for a household: the shortest interval among its tags, else the default. */
export function everyDaysFor(tags: readonly Tag[], rules: Pick<VisitRules, 'intervals' | 'defaultEveryDays'>): number | null {
  let best: number | null = null;
  for (const t of tags) {
    const d = rules.intervals[t];
    if (d !== undefined && (best === null || d < best)) best = d;
  }
  return best ?? rules.defaultEveryDays;
}

/** 'YYYY-MM-DD' plus n days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * When the next visit is due, as the UTC start of its Shanghai day: `everyDays` after the day of the
 * last visit; a household never visited is due from the day it entered the ledger. null: no schedule.
 */
export function nextDueAt(lastVisitAt: string | null, everyDays: number | null, since: string): string | null {
  if (everyDays === null) return null;
  const base = lastVisitAt === null ? shanghaiDay(new Date(since)) : addDays(shanghaiDay(new Date(lastVisitAt)), everyDays);
  return shanghaiDayStart(base).toISOString();
}

/** Days overdue on `today` (0 = due today, negative = days left); null when not scheduled. */
export function overdueDays(nextDue: string | null, today: string): number | null {
  if (nextDue === null) return null;
  const dueDay = shanghaiDay(new Date(nextDue));
  return Math.round((Date.parse(`${today}T00:00:00.000Z`) - Date.parse(`${dueDay}T00:00:00.000Z`)) / DAY_MS);
}

/** The later of two instants (null-safe): visits recorded out of order must not move lastVisitAt back. */
export const laterOf = (a: string | null, b: string): string => (a !== null && a > b ? a : b);

// ---------------------------------------------------------------- months and coverage

/** 'YYYY-MM' of an instant in Shanghai. */
export const monthOf = (iso: string): string => shanghaiDay(new Date(iso)).slice(0, 7);

/** UTC bounds of a Shanghai month: [start, end). */
export function monthBounds(month: string): { start: string; end: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { start: shanghaiDayStart(`${month}-01`).toISOString(), end: shanghaiDayStart(`${next}-01`).toISOString() };
}

/** Monday (Shanghai) of the week containing `day`. */
export function weekStart(day: string): string {
  const dow = new Date(`${day}T00:00:00.000Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, dow === 0 ? -6 : 1 - dow);
}

/** A household visited for the first time this month counts as due-and-visited if it was due before month end. */
export const wasDueInMonth = (nextDueBefore: string | null, month: string): boolean =>
  nextDueBefore !== null && nextDueBefore < monthBounds(month).end;

/** due = due households not yet visited this month + those visited while due (maintained on record). */
export function coverageRate(dueVisited: number, dueNotVisited: number): { due: number; rate: number | null } {
  const due = dueVisited + dueNotVisited;
  return { due, rate: due === 0 ? null : Math.round((dueVisited / due) * 1000) / 1000 };
}

/** 0.8125 → '81%'; null → '—'. */
export const percent = (rate: number | null): string => (rate === null ? '—' : `${Math.round(rate * 100)}%`);
