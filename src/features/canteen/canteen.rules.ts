/** Pure rules of the elderly canteen (no I/O): ages, tiers, eligibility, statuses, ID numbers, ids. */
import { shanghaiDay, shanghaiDayStart } from '../../lib/time';
import { CATEGORY_LABELS, ELDER_STATUS_LABELS } from './canteen.labels';
import type { ElderCategory, ElderStatus, EligibilityRule, MealType, PriceSchedule, PriceTier } from './canteen.schema';

// ---------------------------------------------------------------- defaults

/** The campaign's prices: 75+ pay 2 yuan, 60–74 pay 5 yuan; a meal costs 12 yuan (the rest is subsidy). */
export const DEFAULT_TIERS: PriceTier[] = [
  { minAge: 75, price: 200 },
  { minAge: 60, price: 500 },
];
export const DEFAULT_MEAL_COST = 1200;
export const DEFAULT_ELIGIBILITY: EligibilityRule = { minAge: 60, categories: ['left_behind', 'alone', 'hardship', 'other'] };
export const DEFAULT_ABSENCE_DAYS = 3;
/** A mistaken check-in can be undone this long after it was made. */
export const UNDO_WINDOW_MS = 10 * 60 * 1000;

// ---------------------------------------------------------------- days and ages

/** True for a real calendar day 'YYYY-MM-DD' (rejects 2025-02-30). */
export const isRealDay = (day: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(shanghaiDayStart(day).getTime()) && shanghaiDay(shanghaiDayStart(day)) === day;

export const monthOf = (day: string): string => day.slice(0, 7);

/** Whole days from `a` to `b` (both 'YYYY-MM-DD'). */
export const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Age in completed years on `day`. The birthday counts from its own date (a 75th birthday today is 75
 * today). A 29 February birthday is reached on 1 March in common years: (3,1) is the first date after
 * (2,29), the same reading as a plain month/day comparison.
 */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

// ---------------------------------------------------------------- prices

/** The schedule in force on `day`: the latest whose `from` ≤ day; null before the first. */
export function scheduleOn(prices: readonly PriceSchedule[], day: string): PriceSchedule | null {
  let best: PriceSchedule | null = null;
  for (const p of prices) if (p.from <= day && (!best || p.from >= best.from)) best = p;
  return best;
}

export const tierKeyOf = (t: Pick<PriceTier, 'minAge'>): string => `t${t.minAge}`;

/** '75岁及以上' for the top tier, '60-74岁' for the others (given the tiers above them). */
export function tierLabel(tiers: readonly PriceTier[], key: string): string {
  const sorted = [...tiers].sort((a, b) => b.minAge - a.minAge);
  const i = sorted.findIndex((t) => tierKeyOf(t) === key);
  if (i < 0) return key.replace(/^t(\d+)$/, '$1岁档');
  const t = sorted[i]!;
  return i === 0 ? `${t.minAge}岁及以上` : `${t.minAge}-${sorted[i - 1]!.minAge - 1}岁`;
}

export interface Price {
  tierKey: string;
  tierLabel: string;
  price: number;
  mealCost: number;
  subsidy: number;
}

/** What an elder of `age` pays on `day`; null when no schedule is in force or no tier covers the age. */
export function priceFor(prices: readonly PriceSchedule[], day: string, age: number): Price | null {
  const s = scheduleOn(prices, day);
  if (!s) return null;
  const tier = [...s.tiers].sort((a, b) => b.minAge - a.minAge).find((t) => age >= t.minAge);
  if (!tier) return null;
  return {
    tierKey: tierKeyOf(tier),
    tierLabel: tierLabel(s.tiers, tierKeyOf(tier)),
    price: tier.price,
    mealCost: s.mealCost,
    subsidy: Math.max(0, s.mealCost - tier.price),
  };
}

/**
 * Adds a schedule. It must start today or later (history is never rewritten); one starting on the same
 * day as a future one replaces it. Returns the Chinese reason when it is refused.
 */
export function addSchedule(prices: readonly PriceSchedule[], next: PriceSchedule, today: string): { ok: true; prices: PriceSchedule[] } | { ok: false; reason: string } {
  if (!isRealDay(next.from)) return { ok: false, reason: '生效日期无效' };
  if (next.from < today) return { ok: false, reason: '价格只能从今天或以后生效，不能修改历史' };
  const ages = next.tiers.map((t) => t.minAge);
  if (new Set(ages).size !== ages.length) return { ok: false, reason: '各档起始年龄不能重复' };
  if (next.tiers.some((t) => t.price > next.mealCost)) return { ok: false, reason: '个人缴费不能高于餐标' };
  const kept = prices.filter((p) => p.from !== next.from);
  const tiers = [...next.tiers].sort((a, b) => b.minAge - a.minAge);
  return { ok: true, prices: [...kept, { ...next, tiers }].sort((a, b) => a.from.localeCompare(b.from)) };
}

// ---------------------------------------------------------------- eligibility

export type Ineligible = { ok: false; reason: 'too_young' | 'no_category'; message: string };

/** 60+ on the meal day (the canteen's minAge) and at least one of the canteen's categories. */
export function eligibility(rule: EligibilityRule, elder: { birthDate: string; categories: readonly ElderCategory[] }, day: string): { ok: true; age: number } | Ineligible {
  const age = ageOn(elder.birthDate, day);
  if (age < rule.minAge) return { ok: false, reason: 'too_young', message: `未满 ${rule.minAge} 周岁（现 ${age} 岁）` };
  if (rule.categories.length > 0 && !elder.categories.some((c) => rule.categories.includes(c))) {
    return { ok: false, reason: 'no_category', message: `不属于${rule.categories.map((c) => CATEGORY_LABELS[c]).join('、')}老人` };
  }
  return { ok: true, age };
}

// ---------------------------------------------------------------- statuses

export const NEXT_STATUS: Record<ElderStatus, readonly ElderStatus[]> = {
  applied: ['approved', 'rejected'],
  approved: ['suspended', 'moved', 'deceased'],
  rejected: ['approved'],
  suspended: ['approved', 'moved', 'deceased'],
  moved: ['approved'],
  deceased: [],
};

export function statusError(from: ElderStatus, to: ElderStatus): string | null {
  if (NEXT_STATUS[from].includes(to)) return null;
  if (from === to) return `已是“${ELDER_STATUS_LABELS[to]}”状态`;
  return `“${ELDER_STATUS_LABELS[from]}”不能改为“${ELDER_STATUS_LABELS[to]}”`;
}

/** Why an elder in this status cannot eat with the subsidy; null for approved. */
export function statusRefusal(status: ElderStatus): { code: string; message: string } | null {
  switch (status) {
    case 'approved':
      return null;
    case 'applied':
      return { code: 'CANTEEN.NOT_APPROVED', message: '助餐申请尚未审核通过' };
    case 'rejected':
      return { code: 'CANTEEN.NOT_APPROVED', message: '助餐申请未通过' };
    case 'suspended':
      return { code: 'CANTEEN.SUSPENDED', message: '助餐资格已暂停' };
    case 'moved':
      return { code: 'CANTEEN.INACTIVE', message: '已迁出，不能享受助餐' };
    case 'deceased':
      return { code: 'CANTEEN.INACTIVE', message: '该人员已注销，不能就餐' };
  }
}

// ---------------------------------------------------------------- ID numbers

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export interface IdInfo {
  normalised: string;
  birthDate: string;
  gender: 'male' | 'female';
  masked: string;
}

/** An 18-digit resident ID (GB 11643): checksum, a real birth date, gender from the 17th digit. */
export function parseIdNumber(raw: string): { ok: true; info: IdInfo } | { ok: false; message: string } {
  const id = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, message: '身份证号应为 18 位' };
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  if (ID_CHECK[sum % 11] !== id[17]) return { ok: false, message: '身份证号校验位不正确' };
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isRealDay(birthDate) || birthDate < '1890-01-01') return { ok: false, message: '身份证号中的出生日期无效' };
  return {
    ok: true,
    info: { normalised: id, birthDate, gender: Number(id[16]) % 2 === 1 ? 'male' : 'female', masked: maskIdNumber(id) },
  };
}

/** 610902195001011234 → 610***********1234. */
export const maskIdNumber = (id: string): string => `${id.slice(0, 3)}${'*'.repeat(Math.max(0, id.length - 7))}${id.slice(-4)}`;

/** The check digit for 17 digits: lets tests and demo data build valid numbers. */
export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

// ---------------------------------------------------------------- ids

export const mealId = (elderId: string, day: string, meal: MealType): string => `meal:${elderId}:${day}:${meal}`;
export const dayCounterId = (canteenId: string, day: string): string => `cday:${canteenId}:${day}`;
export const monthCounterId = (scope: 'c' | 'd', id: string, month: string): string => `cmon:${scope}:${id}:${month}`;
export const markerId = (bucket: 'cd' | 'cm' | 'dd' | 'dm', scopeId: string, period: string, elderId: string): string => `mk:${bucket}:${scopeId}:${period}:${elderId}`;
export const idHashKeyId = (hash: string): string => `idh:${hash}`;
export const anomalyId = (kind: string, elderId: string, day: string, canteenId: string): string => `an:${kind}:${elderId}:${day}:${canteenId}`;
export const careAlertId = (kind: string, elderId: string, since: string): string => `care:${kind}:${elderId}:${since}`;

/** The Shanghai 10-minute window an instant falls in: the key of the failed-code counter. */
export const failureWindow = (at: Date): string => new Date(Math.floor(at.getTime() / 600_000) * 600_000).toISOString().slice(0, 16);

export const last4 = (phone: string | null | undefined): string | null => (phone && phone.length >= 4 ? phone.slice(-4) : null);

// ---------------------------------------------------------------- absences

/**
 * Whether a regular has stopped coming. `mealDays` are the elder's recent meal days (any order);
 * `servingDays` the canteen's serving days up to and including `today`, ascending.
 * Regular: ate on at least half of the 14 serving days before the last meal. Missed: the last
 * `absenceDays` serving days before today have no meal. Returns the last meal day, or null.
 */
export function missedStreak(mealDays: readonly string[], servingDays: readonly string[], today: string, absenceDays: number): string | null {
  if (mealDays.length === 0) return null;
  const last = [...mealDays].sort().at(-1)!;
  const past = servingDays.filter((d) => d < today);
  const after = past.filter((d) => d > last);
  if (after.length < absenceDays) return null;
  const before = past.filter((d) => d <= last).slice(-14);
  if (before.length === 0) return null;
  const ate = new Set(mealDays);
  const attended = before.filter((d) => ate.has(d)).length;
  return attended * 2 >= before.length && attended >= 4 ? last : null;
}

/** Yuan with two decimals for reports: 1250 → '12.50'. */
export const yuan = (fen: number): string => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
