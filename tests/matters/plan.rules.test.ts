/** Plan rules: weights, dates, progress roll-up, the evidence gate and overdue at Shanghai midnight. */
import {
  addDays, budgetTotal, datesRefusal, evidenceRefusal, freshPhotos, hasStarted, isOverdue, nextDueOf, PlanErrors, progressOf, reuseRefusal, weightRefusal,
} from '../../src/features/matters/plan.rules';

const ms = (id: string, weight: number, due: string, done = false) => ({ id, weight, start: '2025-03-01', due, done: done ? { at: 'x' } : null });

describe('weights', () => {
  test.each([
    [[], 100, null],
    [[40, 30], 30, null],
    [[40, 30], 31, PlanErrors.WEIGHT_OVER],
    [[100], 1, PlanErrors.WEIGHT_OVER],
    [[], 101, PlanErrors.WEIGHT_OVER],
  ])('existing %j + %i → %s', (existing, add, code) => {
    expect(weightRefusal(existing.map((weight) => ({ weight })), add)?.code ?? null).toBe(code);
  });

  test('the message says how much is left', () => {
    expect(weightRefusal([{ weight: 70 }], 40)?.message).toContain('最多还能设 30%');
  });
});

describe('dates', () => {
  test.each([
    ['2025-03-01', '2025-03-01', null],
    ['2025-03-01', '2025-04-30', null],
    ['2025-03-02', '2025-03-01', PlanErrors.DUE_BEFORE_START],
    ['2025-02-30', '2025-03-01', PlanErrors.BAD_DAY],
    ['2025-03-01', '2025-3-9', PlanErrors.BAD_DAY],
  ])('%s → %s: %s', (start, due, code) => {
    expect(datesRefusal(start, due)?.code ?? null).toBe(code);
  });
});

describe('progress roll-up and the earliest open due day', () => {
  test('progress is the sum of the weights of done milestones', () => {
    expect(progressOf([])).toBe(0);
    expect(progressOf([ms('a', 40, '2025-03-10', true), ms('b', 30, '2025-03-20'), ms('c', 30, '2025-03-05', true)])).toBe(70);
    expect(progressOf([ms('a', 60, '2025-03-10', true), ms('b', 40, '2025-03-20', true)])).toBe(100);
  });

  test('the earliest due day among open milestones; null when all are done', () => {
    expect(nextDueOf([ms('a', 40, '2025-03-10', true), ms('b', 30, '2025-03-20'), ms('c', 30, '2025-03-15')])).toBe('2025-03-15');
    expect(nextDueOf([ms('a', 40, '2025-03-10', true)])).toBeNull();
    expect(nextDueOf([])).toBeNull();
  });
});

describe('overdue at Shanghai midnight', () => {
  test.each([
    ['2025-03-10T23:59:59+08:00', false],
    ['2025-03-11T00:00:00+08:00', true],
    ['2025-03-10T16:00:00Z', true], // 00:00 +08 on the 11th, written in UTC
    ['2025-03-10T15:59:59.999Z', false],
    ['2025-03-10T00:00:00+08:00', false],
  ])('due 2025-03-10, now %s → %s', (now, overdue) => {
    expect(isOverdue('2025-03-10', new Date(now))).toBe(overdue);
  });

  test('no due day, never overdue', () => {
    expect(isOverdue(null, new Date('2030-01-01T00:00:00Z'))).toBe(false);
  });

  test('a milestone starts at 00:00 +08 of its start day', () => {
    expect(hasStarted('2025-03-05', new Date('2025-03-04T23:59:59+08:00'))).toBe(false);
    expect(hasStarted('2025-03-05', new Date('2025-03-05T00:00:00+08:00'))).toBe(true);
  });
});

describe('the evidence gate', () => {
  const start = '2025-03-05';
  test('no photo → refused', () => {
    expect(evidenceRefusal(start, [])?.code).toBe(PlanErrors.NO_PHOTO);
  });
  test('only photos from before the start day (Shanghai) → refused', () => {
    expect(evidenceRefusal(start, ['2025-03-04T15:59:59.999Z', '2025-02-01T00:00:00Z'])?.code).toBe(PlanErrors.PHOTO_TOO_OLD);
  });
  test('one photo from 00:00 +08 of the start day on is enough', () => {
    expect(evidenceRefusal(start, ['2025-03-04T16:00:00.000Z'])).toBeNull();
    expect(evidenceRefusal(start, ['2025-02-01T00:00:00Z', '2025-03-06T09:00:00Z'])).toBeNull();
  });
});

describe('one photo, one milestone', () => {
  test('fresh photos are those from the start day on; all of them used elsewhere → refused', () => {
    const photos = [{ fileId: 'a', uploadedAt: '2025-03-04T15:59:59.999Z' }, { fileId: 'b', uploadedAt: '2025-03-04T16:00:00.000Z' }];
    expect(freshPhotos('2025-03-05', photos).map((p) => p.fileId)).toEqual(['b']);
    expect(reuseRefusal(['b'], new Set(['b']))?.code).toBe(PlanErrors.PHOTO_REUSED);
    expect(reuseRefusal(['b', 'c'], new Set(['b']))).toBeNull();
    expect(reuseRefusal([], new Set())).toBeNull();
  });
});

describe('days and money', () => {
  test('addDays crosses months and years in Shanghai days', () => {
    expect(addDays('2025-02-27', 3)).toBe('2025-03-02');
    expect(addDays('2024-12-30', 3)).toBe('2025-01-02');
    expect(addDays('2025-03-03', -7)).toBe('2025-02-24');
  });
  test('the budget total is the sum over sources, in fen', () => {
    expect(budgetTotal({ fiscal: 1_200_000_00, donation: 5_000_00 })).toBe(1_205_000_00);
    expect(budgetTotal({})).toBe(0);
  });
});
