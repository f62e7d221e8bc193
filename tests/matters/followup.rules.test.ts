/** 回访 timing in Shanghai days, the refusals of completion, 验收 and reopening, and what a 回访 raises. */
import {
  acceptanceRefusal, addDays, completionRefusal, DEFAULT_ATTENTION, followUpDue, followUpDueDay, followUpRaisesAttention, reopenRefusal,
} from '../../src/features/matters/results.rules';

describe('回访 falls 28 days (or as configured) after 验收, due from Shanghai midnight', () => {
  test.each([
    ['2025-03-03', 28, '2025-03-31'],
    ['2025-02-01', 28, '2025-03-01'], // across a short February
    ['2024-02-01', 28, '2024-02-29'], // leap year
    ['2025-12-20', 28, '2026-01-17'], // across the year
    ['2025-03-03', 7, '2025-03-10'],
  ])('%s + %i → %s', (day, days, due) => expect(followUpDueDay(day, days)).toBe(due));

  test('the default is 28 days', () => expect(followUpDueDay('2025-03-03')).toBe('2025-03-31'));
  test('addDays is calendar arithmetic', () => expect(addDays('2025-03-31', 1)).toBe('2025-04-01'));

  test('due at 00:00 in Shanghai (16:00 UTC the day before), not a second earlier', () => {
    expect(followUpDue('2025-03-31', new Date('2025-03-30T15:59:59.999Z'))).toBe(false);
    expect(followUpDue('2025-03-31', new Date('2025-03-30T16:00:00.000Z'))).toBe(true);
    expect(followUpDue('2025-03-31', new Date('2025-04-20T10:00:00.000Z'))).toBe(true);
  });
});

describe('completion, 验收 and reopening', () => {
  test.each([
    ['in_progress', 99, 'MATTERS.PROGRESS_INCOMPLETE'],
    ['in_progress', 100, null],
    ['reopened', 100, null],
    ['planning', 0, 'MATTERS.PROGRESS_INCOMPLETE'],
    ['completed', 100, 'MATTERS.ALREADY_COMPLETED'],
    ['accepted', 100, 'MATTERS.ALREADY_COMPLETED'],
  ] as const)('complete %s at %i%% → %p', (state, progress, code) => expect(completionRefusal(state, progress)?.code ?? null).toBe(code));

  test('the refusal says how far it is, in Chinese', () => expect(completionRefusal('in_progress', 80)?.message).toContain('80%'));

  test.each([
    ['in_progress', '2025-03-03', 'MATTERS.NOT_COMPLETED'],
    ['accepted', '2025-03-03', 'MATTERS.ALREADY_ACCEPTED'],
    ['completed', '2025-03-04', 'MATTERS.ACCEPTANCE_DATE_IN_FUTURE'],
    ['completed', '2025-02-27', 'MATTERS.ACCEPTANCE_DATE_TOO_EARLY'],
    ['completed', '2025-02-28', null],
    ['completed', '2025-03-03', null],
  ] as const)('accept %s on %s → %p', (state, date, code) => expect(acceptanceRefusal(state, date, '2025-02-28', '2025-03-03')?.code ?? null).toBe(code));

  test.each([
    ['accepted', null],
    ['completed', null],
    ['in_progress', 'MATTERS.CANNOT_REOPEN'],
    ['reopened', 'MATTERS.CANNOT_REOPEN'],
  ] as const)('reopen %s → %p', (state, code) => expect(reopenRefusal(state)?.code ?? null).toBe(code));
});

describe('what a 回访 raises', () => {
  test('problems found always raise it; works raises it only when answers pass the line', () => {
    expect(followUpRaisesAttention('problems', null, DEFAULT_ATTENTION)).toBe(true);
    expect(followUpRaisesAttention('works', null, DEFAULT_ATTENTION)).toBe(false);
    expect(followUpRaisesAttention('works', { problems: 2, total: 4 }, DEFAULT_ATTENTION)).toBe(false); // too few answers
    expect(followUpRaisesAttention('works', { problems: 2, total: 7 }, DEFAULT_ATTENTION)).toBe(false); // 28.6 %
    expect(followUpRaisesAttention('works', { problems: 3, total: 10 }, DEFAULT_ATTENTION)).toBe(true); // 30 %
  });
});
