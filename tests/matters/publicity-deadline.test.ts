/** The refusal to fix the list during 公示 names its end in Asia/Shanghai time, not as a UTC date. */
import { DEFAULT_CONFIG, fixRefusal, recordStep, type Slate, startPublicity } from '../../src/features/matters/matters.rules';
import { STEPS } from '../../src/features/matters/matters.labels';

test('公示 begun ten past midnight in Shanghai ends on the Shanghai day seven days on, and the message says so', () => {
  let s: Slate = { steps: [], publicity: null, fixedAt: null };
  for (const step of STEPS) {
    const r = recordStep(s, { step, date: '2026-12-01', expected: 10, present: 9, votes: { d1: { for: 9, against: 0, abstain: 0 } } }, DEFAULT_CONFIG);
    if ('code' in r) throw new Error(r.message);
    s = { ...s, steps: [...s.steps, r.record] };
  }
  // 2026-12-03 00:10 in Shanghai is still 2026-12-02 in UTC.
  const start = new Date('2026-12-02T16:10:00.000Z');
  const publicity = startPublicity(s, start, DEFAULT_CONFIG);
  if ('code' in publicity) throw new Error(publicity.message);
  s = { ...s, publicity };
  const refusal = fixRefusal(s, new Date('2026-12-09T16:09:00.000Z'), 0, 0, DEFAULT_CONFIG);
  expect(refusal?.code).toBe('MATTERS.PUBLICITY_RUNNING');
  expect(refusal?.message).toBe('公示期到 2026-12-10 00:10 结束，结束后才能确定清单');
  expect(fixRefusal(s, new Date('2026-12-09T16:10:00.000Z'), 0, 0, DEFAULT_CONFIG)).toBeNull();
});
