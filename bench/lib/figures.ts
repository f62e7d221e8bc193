import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * One measured figure. The JSON shape of bench/out/*.json is `{ figures: Figure[] }`;
 * later issues add figures, never fields that change the meaning of these.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The limit from the issue, in the figure's unit. */
  budget?: number;
  better: 'lower' | 'higher';
  /** The same quantity measured on a reference (bare server, hello-world build). */
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
}

export interface FiguresFile {
  figures: Figure[];
  /** Free-form context (run time, machine); readers must not depend on it. */
  meta?: Record<string, unknown>;
}

/** Builds a figure, computing `ratio` from `baseline` when there is one. */
export function figure(f: Omit<Figure, 'ratio'> & { ratio?: number }): Figure {
  const out: Figure = { name: f.name, value: f.value, unit: f.unit, better: f.better };
  if (f.budget !== undefined) out.budget = f.budget;
  if (f.baseline !== undefined) {
    out.baseline = f.baseline;
    out.ratio = f.ratio ?? (f.baseline === 0 ? Number.NaN : f.value / f.baseline);
  } else if (f.ratio !== undefined) {
    out.ratio = f.ratio;
  }
  return out;
}

export function isOverBudget(f: Figure): boolean {
  if (f.budget === undefined) return false;
  if (!Number.isFinite(f.value)) return true;
  return f.better === 'lower' ? f.value > f.budget : f.value < f.budget;
}

/**
 * Nearest-rank percentile (p in 0..100) of an ascending-sorted array: the smallest value such that
 * at least p% of the samples are ≤ it. NaN for an empty array.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  if (p >= 100) return sorted[sorted.length - 1]!;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

export interface LatencySummary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Summarises latencies (any unit); does not modify the input. */
export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const arr = Array.from(sorted);
  let sum = 0;
  for (const v of arr) sum += v;
  return {
    count: arr.length,
    min: arr.length ? arr[0]! : Number.NaN,
    p50: percentile(arr, 50),
    p90: percentile(arr, 90),
    p99: percentile(arr, 99),
    max: arr.length ? arr[arr.length - 1]! : Number.NaN,
    mean: arr.length ? sum / arr.length : Number.NaN,
  };
}

const fmt = (v: number | undefined): string => {
  if (v === undefined) return '';
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && abs < 1) return v.toPrecision(3);
  if (abs < 10) return v.toFixed(2);
  if (abs < 100) return v.toFixed(1);
  return Math.round(v).toLocaleString('en-US');
};

/** A plain-text table: name, value, unit, budget, baseline, ratio, verdict. */
export function formatTable(figures: readonly Figure[]): string {
  const head = ['figure', 'value', 'unit', 'budget', 'baseline', 'ratio', ''];
  const rows = figures.map((f) => [
    f.name,
    fmt(f.value),
    f.unit,
    f.budget === undefined ? '' : `${f.better === 'lower' ? '≤' : '≥'} ${fmt(f.budget)}`,
    fmt(f.baseline),
    f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}×`,
    f.budget === undefined ? '' : isOverBudget(f) ? 'OVER BUDGET' : 'ok',
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const right = new Set([1, 3, 4, 5]);
  const line = (r: string[]) =>
    r.map((c, i) => (right.has(i) ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join('  ').trimEnd();
  return [line(head), width.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Writes `{ figures, meta? }` as pretty JSON, creating the folder. Non-finite numbers become null. */
export function writeFigures(file: string, figures: readonly Figure[], meta?: Record<string, unknown>): FiguresFile {
  const data: FiguresFile = meta ? { figures: [...figures], meta } : { figures: [...figures] };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return data;
}

/** The figures that are over budget, for a closing summary line. */
export const overBudget = (figures: readonly Figure[]): Figure[] => figures.filter(isOverBudget);
