/** Pure visit rules: addresses and ids, schedules and due dates, months and coverage. */
import {
  DEFAULT_RULES, addDays, addressKey, byGridName, coverageRate, gridNumber, displayAddress, everyDaysFor, householdId, monthBounds, monthOf, nextDueAt,
  overdueDays, parseTags, requestSuggestionId, visitId, wasDueInMonth, weekStart,
} from '../../src/features/visits/visits.rules';
import { checkLedger, type RawRow } from '../../src/features/visits/visits.import';

describe('addresses: the same place written differently is one household', () => {
  test.each([
    [{ building: '3栋', unit: '2单元', room: '501' }, '3-2-501'],
    [{ building: '３号楼', unit: '2', room: '501室' }, '3-2-501'],
    [{ building: ' 3 幢', unit: '2门', room: '501号' }, '3-2-501'],
    [{ building: 'A座', unit: '', room: '1201' }, 'A--1201'],
  ])('%j → %s', (a, key) => expect(addressKey(a)).toBe(key));

  test('ids are deterministic, opaque and separate per community', () => {
    const a = householdId('comm-peixin', '3-2-501');
    expect(a).toMatch(/^hh[0-9a-f]{32}$/);
    expect(householdId('comm-peixin', '3-2-501')).toBe(a);
    expect(householdId('comm-xiaojiaba', '3-2-501')).not.toBe(a);
    expect(visitId('m-1', 'client-0001')).toBe(visitId('m-1', 'client-0001'));
    expect(visitId('m-1', 'client-0001')).not.toBe(visitId('m-2', 'client-0001'));
    expect(requestSuggestionId('vt1', 0)).not.toBe(requestSuggestionId('vt1', 1));
  });

  test('display address adds the words only to bare numbers', () => {
    expect(displayAddress({ building: '3', unit: '2', room: '501' })).toBe('3栋2单元501室');
    expect(displayAddress({ building: '3栋', unit: '', room: '501室' })).toBe('3栋501室');
  });

  test('tags: separators, duplicates and unknown words', () => {
    expect(parseTags('独居老人、低保,独居老人 重点关注')).toEqual({ tags: ['独居老人', '低保', '重点关注'], unknown: [] });
    expect(parseTags('独居老人；五保户')).toEqual({ tags: ['独居老人'], unknown: ['五保户'] });
    expect(parseTags('')).toEqual({ tags: [], unknown: [] });
  });
});

describe('schedules', () => {
  test('the shortest interval among the tags wins; untagged falls back to the default', () => {
    expect(everyDaysFor(['独居老人', '重点关注'], DEFAULT_RULES)).toBe(7);
    expect(everyDaysFor(['重点关注', '低保'], DEFAULT_RULES)).toBe(14);
    expect(everyDaysFor([], DEFAULT_RULES)).toBeNull();
    expect(everyDaysFor([], { intervals: {}, defaultEveryDays: 90 })).toBe(90);
    expect(everyDaysFor(['独居老人'], { intervals: { 独居老人: 3 }, defaultEveryDays: 90 })).toBe(3);
  });

  test('due: a Shanghai day after the last visit; never visited → due from entry; no schedule → null', () => {
    // Visited 2025-03-03 23:30 Shanghai (15:30Z): weekly → due 2025-03-10 (00:00 Shanghai = 03-09T16:00Z).
    expect(nextDueAt('2025-03-03T15:30:00.000Z', 7, '2025-01-01T00:00:00.000Z')).toBe('2025-03-09T16:00:00.000Z');
    // 2025-03-03 16:30Z is already 03-04 in Shanghai.
    expect(nextDueAt('2025-03-03T16:30:00.000Z', 7, '2025-01-01T00:00:00.000Z')).toBe('2025-03-10T16:00:00.000Z');
    expect(nextDueAt(null, 7, '2025-03-05T02:00:00.000Z')).toBe('2025-03-04T16:00:00.000Z');
    expect(nextDueAt('2025-03-03T02:00:00.000Z', null, '2025-01-01T00:00:00.000Z')).toBeNull();
  });

  test('overdue days: boundaries', () => {
    const due = '2025-03-09T16:00:00.000Z'; // 2025-03-10 Shanghai
    expect(overdueDays(due, '2025-03-09')).toBe(-1);
    expect(overdueDays(due, '2025-03-10')).toBe(0);
    expect(overdueDays(due, '2025-03-12')).toBe(2);
    expect(overdueDays(null, '2025-03-12')).toBeNull();
  });

  test('days and weeks', () => {
    expect(addDays('2025-02-27', 2)).toBe('2025-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(weekStart('2025-03-03')).toBe('2025-03-03'); // Monday
    expect(weekStart('2025-03-09')).toBe('2025-03-03'); // Sunday
    expect(weekStart('2025-03-01')).toBe('2025-02-24'); // Saturday
  });
});

describe('months and coverage', () => {
  test('a month is Shanghai time', () => {
    expect(monthOf('2025-02-28T16:30:00.000Z')).toBe('2025-03');
    expect(monthOf('2025-02-28T15:59:59.999Z')).toBe('2025-02');
    expect(monthBounds('2025-03')).toEqual({ start: '2025-02-28T16:00:00.000Z', end: '2025-03-31T16:00:00.000Z' });
    expect(monthBounds('2025-12')).toEqual({ start: '2025-11-30T16:00:00.000Z', end: '2025-12-31T16:00:00.000Z' });
  });

  test('due in a month: due before its end (overdue included); not scheduled is never due', () => {
    expect(wasDueInMonth('2025-03-31T15:59:59.000Z', '2025-03')).toBe(true);
    expect(wasDueInMonth('2025-03-31T16:00:00.000Z', '2025-03')).toBe(false);
    expect(wasDueInMonth('2024-11-01T00:00:00.000Z', '2025-03')).toBe(true);
    expect(wasDueInMonth(null, '2025-03')).toBe(false);
  });

  test('rate = due visited / (due visited + due not visited)', () => {
    expect(coverageRate(0, 0)).toEqual({ due: 0, rate: null });
    expect(coverageRate(3, 1)).toEqual({ due: 4, rate: 0.75 });
    expect(coverageRate(1, 2)).toEqual({ due: 3, rate: 0.333 });
    expect(coverageRate(5, 0)).toEqual({ due: 5, rate: 1 });
  });
});

describe('ledger rows', () => {
  const grids = new Map([['第一网格', 'g1'], ['第二网格', 'g2']]);
  const row = (line: number, cells: RawRow['cells']): RawRow => ({
    line,
    cells: { grid: '第一网格', building: '3栋', unit: '2单元', room: String(500 + line), headName: '王桂芳', membersCount: '2', ...cells },
  });

  test('good rows pass with their values', () => {
    const r = checkLedger([row(2, { phone: '13800000000', tags: '独居老人、低保' }), row(3, { grid: '第二网格', phone: '0915-3212345' })], { gridsByName: grids });
    expect(r.issues).toEqual([]);
    expect(r.valid.map((v) => [v.line, v.gridId, v.tags, v.phone, v.membersCount])).toEqual([
      [2, 'g1', ['独居老人', '低保'], '13800000000', 2],
      [3, 'g2', [], '0915-3212345', 2],
    ]);
  });

  test('bad rows are reported by line and column; duplicates on the later line', () => {
    const r = checkLedger(
      [
        row(2, {}),
        row(3, { grid: '第九网格' }),
        row(4, { membersCount: '两' }),
        row(5, { headName: '', phone: '12345' }),
        row(6, { tags: '五保户' }),
        { line: 7, cells: { grid: '第一网格', building: '3栋', unit: '2', room: '502', headName: '李四', membersCount: '1' } },
        row(8, { membersCount: '' }),
      ],
      { gridsByName: grids },
    );
    expect(r.valid.map((v) => v.line)).toEqual([2]);
    expect(r.issues.map((i) => [i.line, i.column])).toEqual([
      [3, '网格'],
      [4, '家庭人数'],
      [5, '户主姓名'],
      [5, '联系电话'],
      [6, '标签'],
      [7, '房号'],
      [8, '家庭人数'],
    ]);
    expect(r.issues.find((i) => i.line === 7)!.message).toContain('第 2 行');
    expect(r.issues.find((i) => i.line === 4)!.message).toBe('家庭人数应为数字');
    expect(r.issues.find((i) => i.line === 8)!.message).toBe('请填写家庭人数');
    expect(r.badLines).toBe(6);
  });

  test('an empty grid cell uses the default grid, else it is an error', () => {
    expect(checkLedger([row(2, { grid: '' })], { gridsByName: grids, defaultGridId: 'g1' }).valid[0]!.gridId).toBe('g1');
    expect(checkLedger([row(2, { grid: '' })], { gridsByName: grids }).issues[0]).toMatchObject({ line: 2, column: '网格', message: '请填写所属网格' });
  });
});

describe('grid order', () => {
  test.each([
    ['第一网格', 1], ['第三网格', 3], ['第十网格', 10], ['第十一网格', 11], ['第二十网格', 20], ['第二十三网格', 23], ['第12网格', 12], ['东区', null],
  ])('%s → %s', (name, n) => expect(gridNumber(name as string)).toBe(n));
  test('sorted by number, unnumbered last', () => {
    expect(['第十网格', '东区', '第二网格', '第一网格'].map((name) => ({ name })).sort(byGridName).map((g) => g.name)).toEqual(['第一网格', '第二网格', '第十网格', '东区']);
  });
});
