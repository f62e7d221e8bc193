#!/usr/bin/env node
// `npm test`: every layer. Checks (types, import rules, builds) then jest; ends with the totals line CI reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const checks = [];
const run = (name, cmd, args, env = {}) => {
  const t0 = Date.now();
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  checks.push({ name, ok, seconds: ((Date.now() - t0) / 1000).toFixed(1) });
  return ok;
};

const only = process.argv.slice(2); // e.g. `npm test -- tests/suggestions` skips checks and builds
if (only.length === 0) {
  run('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']);
  run('import rules', 'npx', ['depcruise', 'src', 'cloudfunctions', '--config', '.dependency-cruiser.cjs']);
  run('build h5', 'npx', ['taro', 'build', '--type', 'h5'], { NODE_ENV: 'production' });
  run('build weapp', 'npx', ['taro', 'build', '--type', 'weapp'], { NODE_ENV: 'production' });
  run('build functions', 'node', ['scripts/build-functions.mjs']);
}

mkdirSync(join(root, 'test-artifacts'), { recursive: true });
const report = join(root, 'test-artifacts', 'jest.json');
run('jest', 'npx', ['jest', '--json', `--outputFile=${report}`, ...only]);

let passed = 0;
let failed = 0;
if (!existsSync(report)) failed++;
else {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests;
  // A suite that fails to load has no failed tests of its own; count it.
  failed += j.testResults.filter((s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed')).length;
}
for (const c of checks.filter((c) => c.name !== 'jest')) (c.ok ? passed++ : failed++);

console.log('\nChecks:');
for (const c of checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name} (${c.seconds} s)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
