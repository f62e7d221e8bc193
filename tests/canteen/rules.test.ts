import {
  DEFAULT_ELIGIBILITY, DEFAULT_TIERS, addSchedule, ageOn, eligibility, idCheckDigit, maskIdNumber, mealId, missedStreak, monthOf,
  parseIdNumber, priceFor, scheduleOn, statusError, statusRefusal, tierLabel, yuan,
} from '../../src/features/canteen/canteen.rules';
import type { PriceSchedule } from '../../src/features/canteen/canteen.schema';
import { shanghaiDay } from '../../src/lib/time';

describe('ageOn: completed years on the meal day', () => {
  test.each([
    ['1950-03-03', '2025-03-03', 75], // 75th birthday today → 75 today
    ['1950-03-04', '2025-03-03', 74], // tomorrow
    ['1950-03-02', '2025-03-03', 75],
    ['1950-12-31', '2025-01-01', 74],
    ['1965-01-01', '2025-01-01', 60],
    ['1965-01-02', '2025-01-01', 59],
    // 29 February birthdays: reached on 1 March in common years, on 29 February in leap years.
    ['1950-02-29'.replace('1950', '1948'), '2023-02-28', 74],
    ['1948-02-29', '2023-03-01', 75],
    ['1948-02-29', '2024-02-28', 75],
    ['1948-02-29', '2024-02-29', 76],
    ['1952-02-29', '2027-02-28', 74],
    ['1952-02-29', '2027-03-01', 75],
  ])('born %s, on %s → %i', (birth, day, age) => {
    expect(ageOn(birth, day)).toBe(age);
  });
});

describe('the meal day is a day in Asia/Shanghai', () => {
  test.each([
    ['2025-03-02T15:59:59.999Z', '2025-03-02'], // 23:59:59 in Shanghai
    ['2025-03-02T16:00:00.000Z', '2025-03-03'], // midnight in Shanghai, still the 2nd in UTC
    ['2025-03-03T15:59:59.999Z', '2025-03-03'],
  ])('%s → %s', (iso, day) => {
    expect(shanghaiDay(new Date(iso))).toBe(day);
  });

  test('a 75th birthday starts at Shanghai midnight, not UTC midnight', () => {
    const birth = '1950-03-03';
    const before = shanghaiDay(new Date('2025-03-02T15:59:59.999Z'));
    const after = shanghaiDay(new Date('2025-03-02T16:00:00.000Z'));
    expect(priceFor([{ from: '2024-01-01', mealCost: 1200, tiers: DEFAULT_TIERS }], before, ageOn(birth, before))?.price).toBe(500);
    expect(priceFor([{ from: '2024-01-01', mealCost: 1200, tiers: DEFAULT_TIERS }], after, ageOn(birth, after))?.price).toBe(200);
  });
});

const PRICES: PriceSchedule[] = [
  { from: '2024-01-01', mealCost: 1200, tiers: DEFAULT_TIERS },
  { from: '2025-07-01', mealCost: 1500, tiers: [{ minAge: 80, price: 0 }, { minAge: 75, price: 300 }, { minAge: 60, price: 600 }] },
];

describe('priceFor: the tier by age, the schedule by day', () => {
  test.each([
    // day, age → price, subsidy, tier
    ['2025-03-03', 75, 200, 1000, 't75'],
    ['2025-03-03', 74, 500, 700, 't60'],
    ['2025-03-03', 60, 500, 700, 't60'],
    ['2025-03-03', 99, 200, 1000, 't75'],
    ['2025-06-30', 80, 200, 1000, 't75'], // the day before the change: old prices
    ['2025-07-01', 80, 0, 1500, 't80'], // the change's first day
    ['2025-07-01', 75, 300, 1200, 't75'],
    ['2025-07-01', 74, 600, 900, 't60'],
  ])('on %s aged %i pays %i (subsidy %i, %s)', (day, age, price, subsidy, tier) => {
    expect(priceFor(PRICES, day, age)).toMatchObject({ price, subsidy, tierKey: tier });
  });

  test('no tier under the lowest age, no schedule before the first', () => {
    expect(priceFor(PRICES, '2025-03-03', 59)).toBeNull();
    expect(priceFor(PRICES, '2023-12-31', 80)).toBeNull();
    expect(scheduleOn(PRICES, '2023-12-31')).toBeNull();
  });

  test('tier labels', () => {
    expect(tierLabel(DEFAULT_TIERS, 't75')).toBe('75岁及以上');
    expect(tierLabel(DEFAULT_TIERS, 't60')).toBe('60-74岁');
  });
});

describe('addSchedule: a price change takes effect on a date and never rewrites history', () => {
  const today = '2025-03-03';
  test('from today or later is appended, earlier schedules kept', () => {
    const r = addSchedule(PRICES.slice(0, 1), { from: '2025-04-01', mealCost: 1300, tiers: [{ minAge: 60, price: 500 }, { minAge: 75, price: 200 }] }, today);
    expect(r.ok && r.prices.map((p) => p.from)).toEqual(['2024-01-01', '2025-04-01']);
    expect(r.ok && r.prices[1]!.tiers.map((t) => t.minAge)).toEqual([75, 60]);
    expect(r.ok && priceFor(r.prices, '2025-03-31', 76)?.subsidy).toBe(1000);
    expect(r.ok && priceFor(r.prices, '2025-04-01', 76)?.subsidy).toBe(1100);
  });
  test.each([
    ['2025-03-02', '价格只能从今天或以后生效，不能修改历史'],
    ['2025-02-30', '生效日期无效'],
  ])('from %s is refused', (from, reason) => {
    expect(addSchedule(PRICES, { from, mealCost: 1200, tiers: DEFAULT_TIERS }, today)).toEqual({ ok: false, reason });
  });
  test('same-day schedule replaces a future one; duplicate ages and prices above cost are refused', () => {
    const r = addSchedule(PRICES, { from: '2025-07-01', mealCost: 1400, tiers: DEFAULT_TIERS }, today);
    expect(r.ok && r.prices).toHaveLength(2);
    expect(r.ok && r.prices[1]!.mealCost).toBe(1400);
    expect(addSchedule(PRICES, { from: today, mealCost: 1200, tiers: [{ minAge: 60, price: 1 }, { minAge: 60, price: 2 }] }, today).ok).toBe(false);
    expect(addSchedule(PRICES, { from: today, mealCost: 100, tiers: DEFAULT_TIERS }, today).ok).toBe(false);
  });
});

describe('eligibility: 60+ on the meal day and at least one category', () => {
  test.each([
    ['1965-03-03', ['alone'], '2025-03-03', true], // 60th birthday today
    ['1965-03-04', ['alone'], '2025-03-03', false],
    ['1950-01-01', [], '2025-03-03', false],
    ['1950-01-01', ['other'], '2025-03-03', true],
    // A 29 February 60th birthday always falls in a leap year (60 is a multiple of 4).
    ['1964-02-29', ['hardship'], '2024-02-28', false],
    ['1964-02-29', ['hardship'], '2024-02-29', true],
  ] as const)('born %s %j on %s → %s', (birthDate, categories, day, ok) => {
    expect(eligibility(DEFAULT_ELIGIBILITY, { birthDate, categories: [...categories] }, day).ok).toBe(ok);
  });

  test('configurable per canteen: another minimum age, or any elder of age', () => {
    expect(eligibility({ minAge: 70, categories: ['alone'] }, { birthDate: '1960-01-01', categories: ['alone'] }, '2025-03-03')).toMatchObject({ ok: false, reason: 'too_young' });
    expect(eligibility({ minAge: 60, categories: [] }, { birthDate: '1960-01-01', categories: [] }, '2025-03-03')).toEqual({ ok: true, age: 65 });
    expect(eligibility({ minAge: 60, categories: ['hardship'] }, { birthDate: '1950-01-01', categories: ['alone'] }, '2025-03-03')).toMatchObject({ ok: false, reason: 'no_category' });
  });
});

describe('statuses', () => {
  test.each([
    ['applied', 'approved', null],
    ['applied', 'rejected', null],
    ['approved', 'suspended', null],
    ['suspended', 'approved', null],
    ['approved', 'moved', null],
    ['moved', 'approved', null],
    ['approved', 'deceased', null],
    ['deceased', 'approved', '“已故”不能改为“已通过”'],
    ['approved', 'approved', '已是“已通过”状态'],
    ['applied', 'suspended', '“待审核”不能改为“暂停”'],
  ] as const)('%s → %s', (from, to, error) => {
    expect(statusError(from, to)).toBe(error);
  });

  test('only approved elders eat; each other status has its code', () => {
    expect(statusRefusal('approved')).toBeNull();
    expect(statusRefusal('applied')?.code).toBe('CANTEEN.NOT_APPROVED');
    expect(statusRefusal('suspended')?.code).toBe('CANTEEN.SUSPENDED');
    expect(statusRefusal('moved')?.code).toBe('CANTEEN.INACTIVE');
    expect(statusRefusal('deceased')?.code).toBe('CANTEEN.INACTIVE');
  });
});

describe('ID numbers', () => {
  const valid = (first17: string) => first17 + idCheckDigit(first17);
  test('birth date and gender from a valid number, masked to first 3 and last 4', () => {
    const id = valid('61090219500303124');
    const r = parseIdNumber(id);
    expect(r).toEqual({ ok: true, info: { normalised: id, birthDate: '1950-03-03', gender: 'female', masked: `610***********${id.slice(-4)}` } });
    expect(maskIdNumber(id)).not.toContain('19500303');
    expect(parseIdNumber(valid('61090219500303113'))).toMatchObject({ ok: true, info: { gender: 'male' } });
  });
  test.each([
    ['61090219500303123', '身份证号应为 18 位'],
    ['610902195003031230'.slice(0, 17) + 'Y', '身份证号应为 18 位'],
  ])('%s is refused', (id, message) => {
    expect(parseIdNumber(id)).toEqual({ ok: false, message });
  });
  test('a wrong check digit and an unreal birth date are refused; lower-case x and full-width digits are read', () => {
    const id = valid('61090219500303123');
    const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    expect(parseIdNumber(wrong)).toEqual({ ok: false, message: '身份证号校验位不正确' });
    expect(parseIdNumber(valid('61090219500230123'))).toEqual({ ok: false, message: '身份证号中的出生日期无效' });
    const withX = ['6109021950030312', '6109021950030313', '6109021950030314', '6109021950030315', '6109021950030316', '6109021950030317', '6109021950030318', '6109021950030319']
      .flatMap((a) => ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].map((b) => a + b))
      .find((f) => idCheckDigit(f) === 'X')!;
    expect(parseIdNumber(`${withX}x`).ok).toBe(true);
    expect(parseIdNumber(id.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))).ok).toBe(true);
  });
});

describe('ids, money, absences', () => {
  test('the meal id is the one-meal-a-day rule', () => {
    expect(mealId('el-1', '2025-03-03', 'lunch')).toBe('meal:el-1:2025-03-03:lunch');
    expect(monthOf('2025-03-03')).toBe('2025-03');
    expect(yuan(1250)).toBe('12.50');
    expect(yuan(200)).toBe('2.00');
    expect(yuan(-5)).toBe('-0.05');
  });

  const days = (from: string, n: number) => Array.from({ length: n }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
  const serving = days('2025-02-01', 31); // 1 Feb .. 3 Mar
  test('a regular who missed 3 serving days in a row is flagged once, with the last meal day', () => {
    const ate = days('2025-02-14', 14); // 14 Feb .. 27 Feb
    expect(missedStreak(ate, serving, '2025-03-03', 3)).toBe('2025-02-27'); // missed 28 Feb, 1, 2 Mar
    expect(missedStreak(ate, serving, '2025-03-02', 3)).toBeNull(); // only 2 missed so far
  });
  test('someone who rarely comes is not a regular', () => {
    expect(missedStreak(['2025-02-10', '2025-02-20'], serving, '2025-03-03', 3)).toBeNull();
    expect(missedStreak([], serving, '2025-03-03', 3)).toBeNull();
  });
});
