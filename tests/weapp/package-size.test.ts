/**
 * The weapp build (dist/weapp, built by `npm test` before jest) against the package budgets of
 * issue 8: the main package ≤ 500 KB, each sub-package ≤ 400 KB, and zod in no package — pages take
 * labels from zod-free `*.labels.ts` files (dependency-cruiser keeps the imports so; this checks the build).
 * KB = 1024 bytes; source maps are not counted (users do not download them). `npm run size` prints the same.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const DIST = path.resolve(__dirname, '../../dist/weapp');
const MAIN_KB = 500;
const SUB_KB = 400;
/** Names zod's classes give themselves at run time; they survive minification. */
const ZOD_MARKERS = ['"$ZodType"', '"$ZodError"'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith('.map') ? [] : [p];
  });
}

const built = existsSync(path.join(DIST, 'app.json'));
const maybe = built ? describe : describe.skip;
if (!built) console.log('weapp package budgets: skipped, no dist/weapp (run `npx taro build --type weapp`; npm test does)');

maybe('weapp package budgets', () => {
  const app = JSON.parse(readFileSync(path.join(DIST, 'app.json'), 'utf8')) as { subPackages?: { root: string }[] };
  const subs = (app.subPackages ?? []).map((s) => s.root.replace(/^\/+|\/+$/g, ''));
  const all = files(DIST).map((f) => ({ f, rel: path.relative(DIST, f).split(path.sep).join('/'), size: statSync(f).size }));
  const subOf = (rel: string) => subs.find((s) => rel.startsWith(`${s}/`));
  const kb = (list: typeof all) => list.reduce((n, x) => n + x.size, 0) / 1024;

  test(`the main package is at most ${MAIN_KB} KB`, () => {
    const main = all.filter((x) => !subOf(x.rel));
    expect(main.length).toBeGreaterThan(5);
    expect(Math.round(kb(main))).toBeLessThanOrEqual(MAIN_KB);
  });

  test(`each sub-package is at most ${SUB_KB} KB`, () => {
    expect(subs.length).toBeGreaterThan(0);
    const over = subs.map((s) => [s, Math.round(kb(all.filter((x) => subOf(x.rel) === s)))] as const).filter(([, size]) => size > SUB_KB);
    expect(over).toEqual([]);
  });

  test('no package carries zod', () => {
    const withZod = all.filter((x) => x.rel.endsWith('.js') && ZOD_MARKERS.some((m) => readFileSync(x.f, 'utf8').includes(m))).map((x) => x.rel);
    expect(withZod).toEqual([]);
  });
});
