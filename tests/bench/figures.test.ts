import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figure, formatTable, isOverBudget, percentile, summarize, writeFigures } from '../../bench/lib/figures';

describe('percentile (nearest rank)', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  test.each([
    [50, 50],
    [99, 99],
    [1, 1],
    [100, 100],
    [0, 1],
    [99.5, 100],
  ])('p%d of 1..100 is %d', (p, expected) => {
    expect(percentile(oneToHundred, p)).toBe(expected);
  });

  test('small arrays', () => {
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2], 50)).toBe(1);
    expect(percentile([1, 2], 51)).toBe(2);
    expect(percentile([1, 2, 3, 4], 75)).toBe(3);
    expect(percentile([1, 2, 3, 4], 76)).toBe(4);
  });

  test('empty array is NaN', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  test('sorts numerically, leaves the input alone', () => {
    const input = [10, 9, 100, 2, 1, 3, 4, 5, 6, 7, 8];
    const copy = [...input];
    const s = summarize(input);
    expect(input).toEqual(copy);
    expect(s).toEqual({ count: 11, min: 1, p50: 6, p90: 10, p99: 100, max: 100, mean: 155 / 11 });
  });

  test('one slow request out of 1000 does not move p99, two out of 100 do', () => {
    expect(summarize([...Array(999).fill(1), 500]).p99).toBe(1);
    expect(summarize([...Array(98).fill(1), 500, 500]).p99).toBe(500);
  });

  test('empty', () => {
    const s = summarize([]);
    expect(s.count).toBe(0);
    expect(s.p50).toBeNaN();
  });
});

describe('figures', () => {
  test('ratio is computed from the baseline; optional fields are left out', () => {
    expect(figure({ name: 'list.throughput', value: 2000, unit: 'req/s', better: 'higher', baseline: 8000 })).toEqual({
      name: 'list.throughput', value: 2000, unit: 'req/s', better: 'higher', baseline: 8000, ratio: 0.25,
    });
    expect(Object.keys(figure({ name: 'x', value: 1, unit: 'ms', better: 'lower' })).sort()).toEqual(['better', 'name', 'unit', 'value']);
  });

  test('over budget follows `better`', () => {
    expect(isOverBudget(figure({ name: 'p99', value: 50, unit: 'ms', budget: 50, better: 'lower' }))).toBe(false);
    expect(isOverBudget(figure({ name: 'p99', value: 50.1, unit: 'ms', budget: 50, better: 'lower' }))).toBe(true);
    expect(isOverBudget(figure({ name: 'r', value: 0.24, unit: '×', budget: 0.25, better: 'higher' }))).toBe(true);
    expect(isOverBudget(figure({ name: 'r', value: 0.25, unit: '×', budget: 0.25, better: 'higher' }))).toBe(false);
    expect(isOverBudget(figure({ name: 'n', value: Number.NaN, unit: 'ms', budget: 50, better: 'lower' }))).toBe(true);
    expect(isOverBudget(figure({ name: 'n', value: 1e9, unit: 'ms', better: 'lower' }))).toBe(false);
  });

  test('writes { figures: [...] } JSON and prints OVER BUDGET in the table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'figures-'));
    try {
      const figs = [
        figure({ name: 'list.p99', value: 70, unit: 'ms', budget: 50, better: 'lower' }),
        figure({ name: 'list.errors', value: 0, unit: 'count', budget: 0, better: 'lower' }),
      ];
      const file = join(dir, 'out', 'latest.json');
      writeFigures(file, figs);
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { figures: Record<string, unknown>[] };
      expect(Object.keys(parsed)).toEqual(['figures']);
      expect(parsed.figures).toEqual([
        { name: 'list.p99', value: 70, unit: 'ms', budget: 50, better: 'lower' },
        { name: 'list.errors', value: 0, unit: 'count', budget: 0, better: 'lower' },
      ]);
      const table = formatTable(figs).split('\n');
      expect(table[2]).toMatch(/^list\.p99 .*OVER BUDGET$/);
      expect(table[3]).toMatch(/^list\.errors .* ok$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
