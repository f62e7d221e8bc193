/** Committee scoring: sums kept on write equal the plain arithmetic, replacing a scorer's scores is exact. */
import fc from 'fast-check';
import { PRINCIPLES } from '../../src/features/matters/matters.labels';
import { applyScores, DEFAULT_WEIGHTS, emptySums, type Scores, summarize, validScores, validWeights } from '../../src/features/matters/scoring.rules';

const s = (small: number, impact: number, feasible: number, benefit: number): Scores => ({ small, impact, feasible, benefit });

test('scores are whole numbers 1 to 5; weights non-negative, not all zero', () => {
  expect(validScores(s(1, 5, 3, 4))).toBe(true);
  expect(validScores(s(0, 5, 3, 4))).toBe(false);
  expect(validScores(s(1, 6, 3, 4))).toBe(false);
  expect(validScores(s(1, 2.5, 3, 4))).toBe(false);
  expect(validWeights({ small: 0, impact: 0, feasible: 0, benefit: 0 })).toBe(false);
  expect(validWeights({ small: -1, impact: 1, feasible: 1, benefit: 1 })).toBe(false);
  expect(validWeights({ small: 0, impact: 2, feasible: 1, benefit: 1 })).toBe(true);
});

test('mean, spread and the weighted total of two scorers', () => {
  const sums = applyScores(applyScores(emptySums(), s(5, 4, 3, 2), 1), s(3, 4, 5, 2), 1);
  const out = summarize(sums, { small: 1, impact: 1, feasible: 2, benefit: 0 })!;
  expect(out.mean).toEqual(s(4, 4, 4, 2));
  expect(out.spread).toEqual(s(1, 0, 1, 0));
  expect(out.total).toBe(4);
  expect(summarize(emptySums(), DEFAULT_WEIGHTS)).toBeNull();
});

test('property: any sequence of scoring and re-scoring equals scoring the final scores once', () => {
  const scores = fc.record({ small: fc.integer({ min: 1, max: 5 }), impact: fc.integer({ min: 1, max: 5 }), feasible: fc.integer({ min: 1, max: 5 }), benefit: fc.integer({ min: 1, max: 5 }) });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(4), scores), { maxLength: 40 }), (events) => {
      const latest = new Map<number, Scores>();
      let sums = emptySums();
      for (const [who, sc] of events) {
        const before = latest.get(who);
        if (before) sums = applyScores(sums, before, -1);
        sums = applyScores(sums, sc, 1);
        latest.set(who, sc);
      }
      const once = [...latest.values()].reduce((acc, sc) => applyScores(acc, sc, 1), emptySums());
      expect(sums).toEqual(once);
      if (latest.size) {
        const sum = summarize(sums, DEFAULT_WEIGHTS)!;
        for (const p of PRINCIPLES) {
          const xs = [...latest.values()].map((v) => v[p]);
          const m = xs.reduce((a, b) => a + b, 0) / xs.length;
          expect(sum.mean[p]).toBeCloseTo(m, 2);
          expect(sum.spread[p]).toBeCloseTo(Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length), 2);
        }
      }
    }),
  );
});
