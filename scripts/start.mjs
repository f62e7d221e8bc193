#!/usr/bin/env node
// `npm start`: build the H5 front end and the cloud functions, then run the local host (PORT, DATA_DIR, DEMO apply).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function step(name, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`▶ ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`\n✖ npm start: ${name} failed (${r.error ? r.error.message : `exit code ${r.status ?? r.signal}`}); the host was not started.`);
    process.exit(r.status || 1);
  }
  console.log(`✔ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

step('build H5', 'npx', ['taro', 'build', '--type', 'h5'], { NODE_ENV: 'production' });
step('build cloud functions', 'node', ['scripts/build-functions.mjs']);

// `node --import tsx` (what `npx tsx` does, minus two wrapper processes) so signals reach the host itself.
console.log('▶ host: node --import tsx src/server/host-main.ts');
const host = spawn(process.execPath, ['--import', 'tsx', 'src/server/host-main.ts'], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches the whole foreground group; a plain `kill` of this process is passed on.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => host.kill(sig));
host.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
