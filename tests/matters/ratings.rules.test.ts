/** Satisfaction, the dissatisfaction line and the refusals around ratings: tables, boundaries first. */
import {
  addRating, DEFAULT_ATTENTION, dissatisfiedShare, NO_RATINGS, overThreshold, ratingRaisesAttention, ratingRefusal, ratingsOverThreshold,
  type Satisfaction, satisfactionRate,
} from '../../src/features/matters/results.rules';

const sat = (satisfied: number, basic: number, dissatisfied: number): Satisfaction => ({ satisfied, basic, dissatisfied, total: satisfied + basic + dissatisfied });

describe('satisfaction rate = (满意 + 基本满意) / total', () => {
  test.each([
    [sat(0, 0, 0), null],
    [sat(1, 0, 0), 1],
    [sat(0, 1, 0), 1],
    [sat(0, 0, 1), 0],
    [sat(1, 1, 1), 0.667],
    [sat(2, 1, 1), 0.75],
    [sat(7, 0, 3), 0.7],
  ])('%o → %p', (s, rate) => expect(satisfactionRate(s)).toBe(rate));

  test('dissatisfied share, null before any rating', () => {
    expect(dissatisfiedShare(NO_RATINGS)).toBeNull();
    expect(dissatisfiedShare(sat(2, 0, 1))).toBe(0.333);
  });

  test('adding a rating moves one level and the total', () => {
    expect(addRating(sat(1, 1, 1), 'basic')).toEqual({ satisfied: 1, basic: 2, dissatisfied: 1, total: 4 });
    expect(addRating(NO_RATINGS, 'dissatisfied')).toEqual({ satisfied: 0, basic: 0, dissatisfied: 1, total: 1 });
  });
});

describe('the line: 不满意 at or above 30 % once there are at least 5 ratings (default)', () => {
  test.each([
    // [dissatisfied, total, over]
    [4, 4, false], // all unhappy but fewer than 5 ratings
    [1, 5, false], // 20 %
    [2, 5, true], // 40 %
    [2, 7, false], // 28.6 %
    [3, 10, true], // exactly 30 %
    [29, 100, false],
    [30, 100, true],
    [0, 0, false],
  ])('%i of %i → %p', (bad, total, over) => expect(overThreshold(bad, total, DEFAULT_ATTENTION)).toBe(over));

  test('a configured line (50 % of at least 2)', () => {
    const rule = { share: 0.5, minRatings: 2 };
    expect(overThreshold(1, 1, rule)).toBe(false);
    expect(overThreshold(1, 2, rule)).toBe(true);
    expect(overThreshold(2, 5, rule)).toBe(false);
  });

  test('a rating raises the flag only when it crosses the line', () => {
    expect(ratingRaisesAttention(sat(3, 0, 1), sat(3, 0, 2), DEFAULT_ATTENTION)).toBe(true); // 1/4 → 2/5
    expect(ratingRaisesAttention(sat(3, 0, 2), sat(3, 0, 3), DEFAULT_ATTENTION)).toBe(false); // already over
    expect(ratingRaisesAttention(sat(3, 1, 1), sat(4, 1, 1), DEFAULT_ATTENTION)).toBe(false); // 1/6
    expect(ratingsOverThreshold(sat(3, 0, 1), DEFAULT_ATTENTION)).toBe(false);
  });
});

describe('who may rate what', () => {
  test.each([
    ['planning', 'MATTERS.NOT_ACCEPTED'],
    ['in_progress', 'MATTERS.NOT_ACCEPTED'],
    ['completed', 'MATTERS.NOT_ACCEPTED'],
    ['accepted', null],
    ['reopened', 'MATTERS.RATING_CLOSED'],
  ] as const)('%s → %p', (state, code) => expect(ratingRefusal(state)?.code ?? null).toBe(code));
});
