#!/usr/bin/env node
// `npm run build:functions`: bundles cloudfunctions/<area>/main.ts into one cloudfunctions/<area>/index.js each
// and checks every bundle against the size budget.
// Usage: node scripts/build-functions.mjs [area ...]
//
// A function's package.json `dependencies` stay outside its bundle and are installed by CloudBase
// (cloudbaserc.json must then say installDependency: true for it); everything else is bundled.
// esbuild's metafile of each bundle is written to dist/functions/<area>.meta.json (tests read it).
//
// @cloudbase/node-sdk (≈ 0.8 MB minified) is bundled on its own into cloudfunctions/<area>/cloudbase-sdk.js,
// which index.js requires on the first call that needs CloudBase: a cold `require` of index.js then parses
// only the area's code. The first such call pays for the SDK instead (scripts/size.mjs prints both).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localOnlyGuard } from './function-guard.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const fnRoot = join(root, 'cloudfunctions');
const BUDGET_BYTES = 1.5 * 1024 * 1024;
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

const wanted = process.argv.slice(2);
const all = readdirSync(fnRoot).filter((d) => existsSync(join(fnRoot, d, 'main.ts')));
const unknown = wanted.filter((a) => !all.includes(a));
if (unknown.length) {
  console.error(`build-functions: no cloudfunctions/<area>/main.ts for: ${unknown.join(', ')}`);
  process.exit(1);
}
const areas = wanted.length ? wanted : all;
if (areas.length === 0) {
  console.error('build-functions: no cloudfunctions/*/main.ts found');
  process.exit(1);
}

const rootDeps = readJson(join(root, 'package.json')).dependencies ?? {};
const rc = readJson(join(root, 'cloudbaserc.json'));
const problems = [];

/**
 * zod's `z` namespace carries every locale (≈ 250 KB minified) and cannot be tree-shaken;
 * the server only needs the default (en) and Chinese ones.
 */
const zodLocales = {
  name: 'zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), '../locales/index.js'), namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: 'export { default as en } from "./en.js";\nexport { default as zhCN } from "./zh-CN.js";\n',
      resolveDir: dirname(args.path),
    }));
  },
};

const metaDir = join(root, 'dist', 'functions');
mkdirSync(metaDir, { recursive: true });

const SDK_FILE = 'cloudbase-sdk.js';
/** index.js reaches the SDK through ./cloudbase-sdk.js, a file beside it. */
const sdkApart = {
  name: 'sdk-apart',
  setup(b) {
    b.onResolve({ filter: /^@cloudbase\/node-sdk$/ }, () => ({ path: `./${SDK_FILE}`, external: true }));
  },
};

/**
 * The SDK's `app.ai()` (and with it @cloudbase/ai, @cloudbase/app, a wx adapter and a streams polyfill,
 * ≈ 30 % of the SDK) is loaded by its entry but only used by `ai()`, which no function calls: left out.
 */
const sdkWithoutAi = {
  name: 'sdk-without-ai',
  setup(b) {
    b.onResolve({ filter: /^\.\/ai$/ }, (args) =>
      /[\\/]@cloudbase[\\/]node-sdk[\\/]dist[\\/]cloudbase\.js$/.test(args.importer) ? { path: 'no-ai', namespace: 'sdk-without-ai' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'sdk-without-ai' }, () => ({
      contents: 'exports.createAI = () => { throw new Error("app.ai() is left out of the function bundles (scripts/build-functions.mjs)"); };',
      loader: 'js',
    }));
  },
};

// The SDK once, for every function (the newest runtime any function declares).
const sdkOut = join(metaDir, SDK_FILE);
const sdkMajor = Math.max(...(rc.functions ?? []).map((f) => Number(/^Nodejs(\d+)\./.exec(f.runtime ?? '')?.[1] ?? 0)));
const sdkResult = await build({
  entryPoints: [join(root, 'node_modules', '@cloudbase', 'node-sdk')],
  outfile: sdkOut,
  bundle: true,
  platform: 'node',
  target: `node${sdkMajor || process.versions.node.split('.')[0]}`,
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  metafile: true,
  plugins: [sdkWithoutAi, localOnlyGuard(root)],
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
}).catch(() => {
  console.error('build-functions: the CloudBase SDK bundle failed');
  process.exit(1);
});
writeFileSync(join(metaDir, 'cloudbase-sdk.meta.json'), JSON.stringify(sdkResult.metafile));
const sdkSize = statSync(sdkOut).size;

const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;
let over = 0;
const t0 = Date.now();
for (const area of areas) {
  const dir = join(fnRoot, area);
  const deps = Object.keys(readJson(join(dir, 'package.json')).dependencies ?? {});
  for (const d of deps) {
    const fnVersion = readJson(join(dir, 'package.json')).dependencies[d];
    if (fnVersion !== rootDeps[d]) problems.push(`${area}: dependency ${d}@${fnVersion} differs from the root package.json (${rootDeps[d] ?? 'absent'})`);
  }
  const rcEntry = (rc.functions ?? []).find((f) => f.name === area);
  if (!rcEntry) problems.push(`${area}: missing from cloudbaserc.json`);
  else if (Boolean(rcEntry.installDependency) !== deps.length > 0) {
    problems.push(`${area}: cloudbaserc.json installDependency must be ${deps.length > 0} (package.json dependencies: ${deps.join(', ') || 'none'})`);
  }

  // Compile for the runtime the function is deployed on (cloudbaserc.json, e.g. Nodejs20.19 → node20).
  const major = /^Nodejs(\d+)\.\d+$/.exec(rcEntry?.runtime ?? '')?.[1];
  if (!major) problems.push(`${area}: cloudbaserc.json runtime ${JSON.stringify(rcEntry?.runtime)} is not a Node.js runtime like "Nodejs20.19"`);
  const target = `node${major ?? process.versions.node.split('.')[0]}`;
  const outfile = join(dir, 'index.js');
  const result = await build({
    entryPoints: [join(dir, 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target,
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    metafile: true,
    external: deps,
    plugins: [sdkApart, localOnlyGuard(root), zodLocales],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  }).catch(() => {
    // esbuild has already printed the errors.
    console.error(`build-functions: ${area} failed`);
    process.exit(1);
  });
  writeFileSync(join(metaDir, `${area}.meta.json`), JSON.stringify(result.metafile));
  copyFileSync(sdkOut, join(dir, SDK_FILE));
  // The budget is for what is uploaded: index.js and the SDK beside it.
  const size = statSync(outfile).size + sdkSize;
  const ok = size <= BUDGET_BYTES;
  if (!ok) over++;
  const installed = deps.length ? `  + installed by CloudBase: ${deps.join(', ')}` : '';
  const parts = `(index.js ${mb(statSync(outfile).size)} + ${SDK_FILE} ${mb(sdkSize)})`;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${relative(root, outfile).padEnd(34)} ${mb(size).padStart(8)} / ${mb(BUDGET_BYTES)} budget ${parts}${installed}`);
  if (!ok) {
    // Name the heaviest packages so the fix is obvious.
    const byPackage = {};
    for (const [file, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
      const pkg = /node_modules[\\/]((@[^\\/]+[\\/])?[^\\/]+)/.exec(file)?.[1] ?? 'src';
      byPackage[pkg] = (byPackage[pkg] ?? 0) + bytesInOutput;
    }
    for (const [pkg, bytes] of Object.entries(byPackage).sort((a, b) => b[1] - a[1]).slice(0, 10)) {
      console.log(`       ${mb(bytes).padStart(8)}  ${pkg}`);
    }
  }
}
for (const p of problems) console.error(`build-functions: ${p}`);
console.log(`build-functions: ${areas.length} function(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s${over ? `, ${over} over budget` : ''}`);
process.exit(over || problems.length ? 1 : 0);
