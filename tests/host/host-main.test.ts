/** `npm run host` as a process: first line, secret file, demo switch, clean shutdown. */
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { postJson, spawnHost, tempDir, type HostProcess } from './fixtures';

jest.setTimeout(60_000);

let running: HostProcess | null = null;
afterEach(() => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
  running = null;
});

test('demo mode (default): listening line first, sign-in help, secret kept 0600, SIGTERM exits 0', async () => {
  const dataDir = tempDir('main-demo');
  running = await spawnHost({ DATA_DIR: dataDir });
  const lines = running.stdout().split('\n');
  expect(lines[0]).toMatch(/^shishi listening on http:\/\/127\.0\.0\.1:\d+$/);
  expect(running.stdout()).toContain('demo-admin-peixin');
  expect(running.stdout()).toContain('/auth/demo');

  const secretFile = join(dataDir, 'secret');
  expect(statSync(secretFile).mode & 0o777).toBe(0o600);
  expect(readFileSync(secretFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);

  const login = await postJson(`${running.url}/auth/demo`, { openid: 'demo-admin-peixin' });
  expect(login.body.ok).toBe(true);

  running.child.kill('SIGTERM');
  expect(await running.exited).toEqual({ code: 0, signal: null });
});

test('DEMO=0: no demo sign-in and no demo data', async () => {
  const dataDir = tempDir('main-plain');
  running = await spawnHost({ DATA_DIR: dataDir, DEMO: '0', SESSION_SECRET: 'x'.repeat(40) });
  expect(running.stdout().split('\n')[0]).toMatch(/^shishi listening on /);
  expect((await fetch(`${running.url}/auth/demo-people`)).status).toBe(404);
  expect((await postJson(`${running.url}/auth/demo`, { openid: 'demo-admin-peixin' })).status).toBe(404);
  const communities = await postJson(`${running.url}/fn/regions`, { action: 'listCommunities', input: {} });
  expect(communities.body).toEqual({ ok: true, data: { items: [] } });
  // SESSION_SECRET given: nothing written to disk.
  expect(() => statSync(join(dataDir, 'secret'))).toThrow();
  running.child.kill('SIGINT');
  expect((await running.exited).code).toBe(0);
});
