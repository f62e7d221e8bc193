#!/usr/bin/env node
/**
 * `npm run size`: package sizes against the budgets of issue 2 and the Taro hello-world baseline
 * (../shared/TOOLCHAIN.md). Prints a table and writes bench/out/size.json as `{ figures: [...] }`.
 * KB = 1024 bytes. Source maps (*.map) are not counted: they are not part of what users download.
 * Builds what is missing; `--rebuild` (or SIZE_REBUILD=1) rebuilds everything first.
 * `--only=weapp,functions` (or SIZE_ONLY) measures just those parts (weapp, functions, h5).
 * Each cloud function's cold start is timed in fresh node processes (median of 3): `require` of
 * index.js, and `require` plus a first call (which loads the CloudBase SDK bundled beside it).
 * Exits non-zero only when a build is missing and cannot be built; over budget is reported, not fatal.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tsImport } from 'tsx/esm/api';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const { figure, formatTable, writeFigures, overBudget } = await tsImport('../bench/lib/figures.ts', import.meta.url);

const KB = 1024;
/** Taro 4.2.1 hello world, measured on this kind of machine (../shared/TOOLCHAIN.md). */
const BASELINE = { weappTotalKB: 306, h5TotalKB: 352, h5GzipJsKB: 107 };
const BUDGET = { mainKB: 500, subKB: 400, functionKB: 1.5 * 1024, requireMs: 300 };
const COLD_RUNS = 3;

const rebuild = process.argv.includes('--rebuild') || process.env.SIZE_REBUILD === '1';
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? process.env.SIZE_ONLY;
const only = new Set((onlyArg || 'weapp,functions,h5').split(',').map((p) => p.trim()));
const problems = [];
const notes = [];
const figures = [];

/** Every file under `dir` (relative paths with '/'), skipping source maps. */
function walk(dir) {
  const out = [];
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile() && !e.name.endsWith('.map')) out.push({ rel: relative(dir, p).split(sep).join('/'), size: statSync(p).size, path: p });
    }
  };
  visit(dir);
  return out;
}

const newestMtime = (dir) => {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const f of walk(dir)) newest = Math.max(newest, statSync(f.path).mtimeMs);
  return newest;
};

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status === 0;
}

/** Builds when `ready()` is false (or on --rebuild); returns whether the output is there afterwards. */
function ensure(label, ready, cmd, args) {
  if (ready() && !rebuild) return true;
  console.log(`${label}: ${rebuild ? 'rebuilding' : 'missing, building'}…`);
  const ok = run(cmd, args) && ready();
  if (!ok) problems.push(`${label}: missing and could not be built (\`${cmd} ${args.join(' ')}\`)`);
  return ok;
}

const warnIfStale = (label, distDir) => {
  const src = newestMtime(join(root, 'src'));
  const dist = newestMtime(distDir);
  if (src > dist) notes.push(`${label} is older than src/ — run \`npm run size -- --rebuild\` for current figures`);
};

const kb = (bytes) => bytes / KB;

// --- weapp: main package vs sub-packages -------------------------------------------------------
const weappDir = join(root, 'dist/weapp');
if (only.has('weapp') && ensure('dist/weapp', () => existsSync(join(weappDir, 'app.json')), 'npx', ['taro', 'build', '--type', 'weapp'])) {
  warnIfStale('dist/weapp', weappDir);
  const app = JSON.parse(readFileSync(join(weappDir, 'app.json'), 'utf8'));
  const subs = [...(app.subPackages ?? []), ...(app.subpackages ?? [])].map((s) => String(s.root).replace(/^\/+|\/+$/g, ''));
  const files = walk(weappDir);
  const bucket = new Map([['', 0], ...subs.map((s) => [s, 0])]);
  const mainFiles = [];
  for (const f of files) {
    const sub = subs.find((s) => f.rel === s || f.rel.startsWith(s + '/'));
    bucket.set(sub ?? '', bucket.get(sub ?? '') + f.size);
    if (!sub) mainFiles.push(f);
  }
  const total = files.reduce((s, f) => s + f.size, 0);
  figures.push(figure({ name: 'weapp.main', value: kb(bucket.get('')), unit: 'KB', budget: BUDGET.mainKB, better: 'lower', baseline: BASELINE.weappTotalKB }));
  for (const s of subs) {
    figures.push(figure({ name: `weapp.sub.${s}`, value: kb(bucket.get(s)), unit: 'KB', budget: BUDGET.subKB, better: 'lower' }));
  }
  figures.push(figure({ name: 'weapp.total', value: kb(total), unit: 'KB', better: 'lower', baseline: BASELINE.weappTotalKB }));
  const top = mainFiles.sort((a, b) => b.size - a.size).slice(0, 8);
  notes.push(`largest files in the weapp main package: ${top.map((f) => `${f.rel} ${kb(f.size).toFixed(1)} KB`).join(', ')}`);
  if (subs.length === 0) notes.push('app.json declares no sub-packages');
}

// --- cloud functions: one bundled index.js each -------------------------------------------------
const fnRoot = join(root, 'cloudfunctions');
const fnDirs = existsSync(fnRoot)
  ? readdirSync(fnRoot, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
      .filter((e) => ['main.ts', 'package.json', 'index.js'].some((f) => existsSync(join(fnRoot, e.name, f))))
      .map((e) => e.name)
  : [];
const SDK_FILE = 'cloudbase-sdk.js';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** A fresh process: ms to require `file`, then (with `call`) ms until its first call answers. */
function coldTimes(file, call) {
  const script = `
    const t0 = process.hrtime.bigint();
    const m = require(process.argv[1]);
    const t1 = process.hrtime.bigint();
    const ms = (a, b) => Number(b - a) / 1e6;
    if (process.argv[2] !== 'call') { process.stdout.write('TIMES ' + JSON.stringify([ms(t0, t1)]) + '\\n'); process.exit(0); }
    // An unknown action: the services start (and load the SDK) but nothing reaches the network.
    m.main({ action: '__size_probe__' }, {}).then((r) => {
      const t2 = process.hrtime.bigint();
      process.stdout.write('TIMES ' + JSON.stringify([ms(t0, t1), ms(t0, t2), r.error && r.error.code]) + '\\n');
      process.exit(0);
    });`;
  // As SCF sets it: outside SCF the SDK's init probes a metadata server. No credentials.
  const env = { ...process.env, TENCENTCLOUD_RUNENV: 'SCF', TENCENTCLOUD_REGION: 'ap-shanghai', SCF_NAMESPACE: 'size', TENCENTCLOUD_SECRETID: '', TENCENTCLOUD_SECRETKEY: '' };
  const r = spawnSync(process.execPath, ['-e', script, file, call ? 'call' : 'load'], { cwd: dirname(file), env, encoding: 'utf8', timeout: 60_000 });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('TIMES '));
  if (!line) throw new Error(`timing ${relative(root, file)} failed: ${(r.stderr ?? '').slice(0, 300)}`);
  return JSON.parse(line.slice('TIMES '.length));
}

if (!only.has('functions')) {
  // skipped
} else if (fnDirs.length === 0) {
  problems.push('cloudfunctions/: no function folders found');
} else if (ensure('cloudfunctions/*/index.js', () => fnDirs.every((d) => existsSync(join(fnRoot, d, 'index.js')) && existsSync(join(fnRoot, d, SDK_FILE))), 'npm', ['run', 'build:functions'])) {
  for (const d of fnDirs) {
    const size = statSync(join(fnRoot, d, 'index.js')).size + statSync(join(fnRoot, d, SDK_FILE)).size;
    figures.push(figure({ name: `function.${d}`, value: kb(size), unit: 'KB', budget: BUDGET.functionKB, better: 'lower' }));
  }
  const sdkAlone = Array.from({ length: COLD_RUNS }, () => coldTimes(join(fnRoot, fnDirs[0], SDK_FILE), false)[0]);
  figures.push(figure({ name: 'function.sdk.require', value: median(sdkAlone), unit: 'ms', better: 'lower' }));
  for (const d of fnDirs) {
    const runs = Array.from({ length: COLD_RUNS }, () => coldTimes(join(fnRoot, d, 'index.js'), true));
    const codes = new Set(runs.map((r) => r[2]));
    if (codes.size !== 1 || !codes.has('ACTION.UNKNOWN')) problems.push(`function ${d}: the first call answered ${[...codes].join(', ')}, not ACTION.UNKNOWN`);
    figures.push(figure({ name: `function.${d}.require`, value: median(runs.map((r) => r[0])), unit: 'ms', budget: BUDGET.requireMs, better: 'lower' }));
    figures.push(figure({ name: `function.${d}.first_call`, value: median(runs.map((r) => r[1])), unit: 'ms', better: 'lower' }));
  }
  notes.push(
    `function.<area>.require: a fresh process's require of index.js; .first_call: require plus the first call, which loads ${SDK_FILE} ` +
      `(the SDK, function.sdk.require on its own) — a real cold start pays first_call. Median of ${COLD_RUNS}; machine load moves these.`,
  );
}

// --- H5: total and gzipped JS -------------------------------------------------------------------
const h5Dir = join(root, 'dist/h5');
if (only.has('h5') && ensure('dist/h5', () => existsSync(join(h5Dir, 'index.html')), 'npx', ['taro', 'build', '--type', 'h5'])) {
  warnIfStale('dist/h5', h5Dir);
  const files = walk(h5Dir);
  const js = files.filter((f) => /\.(m?js)$/.test(f.rel));
  const total = files.reduce((s, f) => s + f.size, 0);
  const jsRaw = js.reduce((s, f) => s + f.size, 0);
  // Each file gzipped on its own at the default level, as a web server would send it.
  const jsGz = js.reduce((s, f) => s + gzipSync(readFileSync(f.path)).length, 0);
  figures.push(figure({ name: 'h5.total', value: kb(total), unit: 'KB', better: 'lower', baseline: BASELINE.h5TotalKB }));
  figures.push(figure({ name: 'h5.js', value: kb(jsRaw), unit: 'KB', better: 'lower' }));
  figures.push(figure({ name: 'h5.js_gzip', value: kb(jsGz), unit: 'KB', better: 'lower', baseline: BASELINE.h5GzipJsKB }));
}

// --- report -----------------------------------------------------------------------------------
console.log('\nPackage sizes (KB = 1024 bytes; *.map not counted)\n');
if (figures.length) console.log(formatTable(figures));
for (const n of notes) console.log(`\nnote: ${n}`);
console.log(
  `\nbaselines: weapp ${BASELINE.weappTotalKB} KB and H5 ${BASELINE.h5TotalKB} KB = Taro hello world; ` +
    `H5 gzipped JS ${BASELINE.h5GzipJsKB} KB = a 2-page Taro build (../shared/TOOLCHAIN.md)`,
);
const over = overBudget(figures);
if (over.length) console.log(`\nOVER BUDGET: ${over.map((f) => f.name).join(', ')}`);
else if (figures.some((f) => f.budget !== undefined)) console.log('\nAll size budgets met.');
const out = join(root, 'bench/out/size.json');
writeFigures(out, figures, { at: new Date().toISOString(), baselines: BASELINE, notes });
console.log(`\nwrote ${relative(root, out)}`);
if (problems.length) {
  for (const p of problems) console.error(`error: ${p}`);
  process.exit(1);
}
