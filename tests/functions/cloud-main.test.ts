/**
 * The bundled cloud functions: built with scripts/build-functions.mjs, loaded as CloudBase would load
 * them (`require('index.js').main(event, context)`), with the store switched to SQLite by SHISHI_STORE.
 * The caller's openid must come from the CloudBase context, never from the event.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalServices } from '../../src/server/local-services';
import { seedDemo } from '../../src/server/demo/seed';
import { DEMO_PEOPLE } from '../../src/server/demo/demo-data';
import { areas } from '../../src/server/areas';
import { ROOT, tempDir } from '../host/fixtures';

jest.setTimeout(180_000);

const bundle = (area: string) => join(ROOT, 'cloudfunctions', area, 'index.js');
const BUDGET = 1.5 * 1024 * 1024;

let dataDir: string;
let buildOutput: string;

/** Runs `calls` against one warm function instance in a fresh node process; returns each result. */
function invoke(file: string, calls: { event: unknown; context: unknown }[], env: Record<string, string> = {}): any[] {
  const script = `
    const { main } = require(process.argv[1]);
    (async () => {
      const out = [];
      for (const c of JSON.parse(process.argv[2])) out.push(await main(c.event, c.context));
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const stdout = execFileSync(process.execPath, ['-e', script, file, JSON.stringify(calls)], {
    env: { ...process.env, SHISHI_STORE: 'sqlite', SHISHI_DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(stdout);
}

/** The legacy SCF context: `environ` is `KEY=value;…`. */
const environContext = (openid: string) => ({
  memory_limit_in_mb: 256,
  time_limit_in_ms: 10000,
  request_id: 'c0ffee00-1111-2222-3333-444455556666',
  function_name: 'members',
  function_version: '$LATEST',
  namespace: 'shishi-test-1a2b3c',
  environ: [
    `WX_OPENID=${openid}`,
    'WX_APPID=wx0123456789abcdef',
    'WX_UNIONID=',
    'WX_CLIENTIP=10.0.0.1',
    'WX_CONTEXT_KEYS=WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP',
    'TCB_ENV=shishi-test-1a2b3c',
    'TCB_CONTEXT_KEYS=TCB_ENV',
    'SCF_NAMESPACE=shishi-test-1a2b3c',
  ].join(';'),
});

/** The newer context: `environment` is a JSON string. */
const environmentContext = (openid: string) => ({
  memory_limit_in_mb: 256,
  time_limit_in_ms: 10000,
  request_id: 'c0ffee00-aaaa-bbbb-cccc-ddddeeeeffff',
  function_name: 'members',
  function_version: '$LATEST',
  namespace: 'shishi-test-1a2b3c',
  environment: JSON.stringify({
    WX_OPENID: openid,
    WX_APPID: 'wx0123456789abcdef',
    WX_UNIONID: '',
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID',
    TCB_ENV: 'shishi-test-1a2b3c',
  }),
});

beforeAll(async () => {
  buildOutput = execFileSync(process.execPath, ['scripts/build-functions.mjs'], { cwd: ROOT, encoding: 'utf8' });
  dataDir = tempDir('fn');
  const services = createLocalServices({ dataDir, secret: 'fn-test', demoMode: true });
  await seedDemo(services);
  await services.store.close();
});

test('every function is bundled into one file within the 1.5 MB budget', () => {
  for (const area of ['members', 'regions', 'suggestions']) {
    const size = statSync(bundle(area)).size;
    expect(size).toBeLessThanOrEqual(BUDGET);
    expect(buildOutput).toMatch(new RegExp(`ok\\s+cloudfunctions/${area}/index\\.js`));
  }
});

test('the openid comes from the CloudBase context (environ), not from the event', () => {
  const resident = DEMO_PEOPLE.residentPeixin;
  const [me] = invoke(bundle('members'), [
    {
      event: {
        action: 'me',
        input: {},
        userInfo: { openId: 'forged', appId: 'wx-forged' },
        openid: DEMO_PEOPLE.cityAnkang.openid,
        OPENID: DEMO_PEOPLE.cityAnkang.openid,
        WX_OPENID: DEMO_PEOPLE.cityAnkang.openid,
      },
      context: environContext(resident.openid),
    },
  ]);
  expect(me.ok).toBe(true);
  expect(me.data.openid).toBe(resident.openid);
  expect(me.data.member.name).toBe(resident.name);
});

test('the openid comes from the CloudBase context (environment JSON), not from the event', () => {
  const admin = DEMO_PEOPLE.adminPeixin;
  const [me] = invoke(bundle('members'), [
    { event: { action: 'me', input: {}, userInfo: { openId: 'forged' } }, context: environmentContext(admin.openid) },
  ]);
  expect(me).toMatchObject({ ok: true, data: { openid: admin.openid, member: { name: admin.name } } });
});

test('without an openid in the context the caller is anonymous, whatever the event says', () => {
  const results = invoke(bundle('members'), [
    { event: { action: 'me', input: {}, userInfo: { openId: DEMO_PEOPLE.residentPeixin.openid } }, context: {} },
    { event: { action: 'me', input: {}, userInfo: { openId: DEMO_PEOPLE.residentPeixin.openid } }, context: null },
    { event: { action: 'me', input: {} }, context: { environ: 'WX_APPID=wx0123456789abcdef' } },
    { event: { action: 'me', input: {} }, context: { environment: '{"WX_OPENID":' } },
  ]);
  for (const r of results) expect(r).toMatchObject({ ok: false, error: { code: 'AUTH.UNAUTHENTICATED' } });
});

test('a warm instance serves several calls and keeps errors in the result shape', () => {
  const ctx = environContext(DEMO_PEOPLE.residentPeixin.openid);
  const results = invoke(bundle('suggestions'), [
    { event: { action: 'mine', input: {} }, context: ctx },
    { event: { action: 'nope', input: {} }, context: ctx },
    { event: { action: 'submit', input: { text: 1 } }, context: ctx },
    { event: 'not an object', context: ctx },
  ]);
  expect(results[0].ok).toBe(true);
  expect(results[1].error.code).toBe('ACTION.UNKNOWN');
  expect(results[2].error.code).toBe('INPUT.INVALID');
  expect(results[3].error.code).toBe('INPUT.INVALID');
  for (const r of results.slice(1)) expect(r.error.message).toMatch(/[\u4e00-\u9fa5]/);
});

test('an admin exports through the bundled function (exceljs installed beside it, loaded on demand)', () => {
  const [res] = invoke(bundle('suggestions'), [
    { event: { action: 'exportXlsx', input: { communityId: 'comm-peixin' } }, context: environContext(DEMO_PEOPLE.adminPeixin.openid) },
  ]);
  expect(res.ok).toBe(true);
  expect(res.data.count).toBeGreaterThan(0);
  expect(typeof res.data.fileId).toBe('string');
  // A resident may not.
  const [denied] = invoke(bundle('suggestions'), [
    { event: { action: 'exportXlsx', input: { communityId: 'comm-peixin' } }, context: environContext(DEMO_PEOPLE.residentPeixin.openid) },
  ]);
  expect(denied.error.code).toBe('AUTH.FORBIDDEN');
});

test('each bundle loads without node_modules: better-sqlite3 and installed dependencies are required lazily', () => {
  for (const area of ['members', 'regions', 'suggestions']) {
    expect(readFileSync(bundle(area), 'utf8')).toMatch(/require\("better-sqlite3"\)/);
    // Copied away from node_modules, as CloudBase would run it without installing anything.
    const alone = join(tempDir('fn-alone'), 'index.js');
    copyFileSync(bundle(area), alone);
    const out = execFileSync(process.execPath, ['-e', `const m = require(process.argv[1]); process.stdout.write(typeof m.main)`, alone], {
      env: { ...process.env, SHISHI_STORE: '' },
      encoding: 'utf8',
    });
    expect(out).toBe('function');
  }
});

test('every area has a function folder, a package.json and a cloudbaserc.json entry', () => {
  const rc = JSON.parse(readFileSync(join(ROOT, 'cloudbaserc.json'), 'utf8'));
  for (const area of Object.keys(areas)) {
    const main = readFileSync(join(ROOT, 'cloudfunctions', area, 'main.ts'), 'utf8');
    expect(main).toContain('makeCloudMain(');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'cloudfunctions', area, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('index.js');
    const entry = rc.functions.find((f: { name: string }) => f.name === area);
    expect(entry).toMatchObject({ handler: 'index.main', runtime: 'Nodejs16.13' });
    // Exports and imports need longer than the 3 s default; CloudBase allows at most 60 s.
    expect(entry.timeout).toBeGreaterThanOrEqual(10);
    expect(entry.timeout).toBeLessThanOrEqual(60);
    expect(entry.installDependency).toBe(Object.keys(pkg.dependencies ?? {}).length > 0);
  }
});
