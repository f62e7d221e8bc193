/**
 * Committee scoring on the four principles (pure; client and server). Each scorer gives 1–5 per principle;
 * a demand keeps running sums and sums of squares on write, so its mean and spread come without reading
 * the scores again, and a scorer who changes their mind replaces their earlier scores exactly.
 */
import { PRINCIPLES, type Principle } from './matters.labels';

export type Scores = Record<Principle, number>;
export type Weights = Record<Principle, number>;

export interface ScoreSums {
  n: number;
  sum: Scores;
  sumSq: Scores;
}

export const DEFAULT_WEIGHTS: Weights = { small: 1, impact: 1, feasible: 1, benefit: 1 };

const zeros = (): Scores => ({ small: 0, impact: 0, feasible: 0, benefit: 0 });
export const emptySums = (): ScoreSums => ({ n: 0, sum: zeros(), sumSq: zeros() });

export const validScores = (s: Scores): boolean => PRINCIPLES.every((p) => Number.isInteger(s[p]) && s[p] >= 1 && s[p] <= 5);
export const validWeights = (w: Weights): boolean => PRINCIPLES.every((p) => Number.isFinite(w[p]) && w[p] >= 0) && PRINCIPLES.some((p) => w[p] > 0);

/** Adds (+1) or takes back (−1) one scorer's scores. */
export function applyScores(sums: ScoreSums, s: Scores, sign: 1 | -1): ScoreSums {
  const sum = { ...sums.sum };
  const sumSq = { ...sums.sumSq };
  for (const p of PRINCIPLES) {
    sum[p] += sign * s[p];
    sumSq[p] += sign * s[p] * s[p];
  }
  const n = sums.n + sign;
  if (n < 0) throw new Error('score sums would count fewer than zero scorers');
  return { n, sum, sumSq };
}

export interface ScoreSummary {
  n: number;
  mean: Scores;
  /** Population standard deviation per principle: how far the committee disagrees. */
  spread: Scores;
  /** Weighted mean of the four means, on the same 1–5 scale. */
  total: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function summarize(sums: ScoreSums, weights: Weights): ScoreSummary | null {
  if (sums.n === 0) return null;
  const mean = zeros();
  const spread = zeros();
  for (const p of PRINCIPLES) {
    const m = sums.sum[p] / sums.n;
    mean[p] = round2(m);
    spread[p] = round2(Math.sqrt(Math.max(0, sums.sumSq[p] / sums.n - m * m)));
  }
  const wsum = PRINCIPLES.reduce((a, p) => a + weights[p], 0);
  const total = PRINCIPLES.reduce((a, p) => a + (weights[p] * sums.sum[p]) / sums.n, 0) / wsum;
  return { n: sums.n, mean, spread, total: round2(total) };
}
