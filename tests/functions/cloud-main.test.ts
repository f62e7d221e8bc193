/**
 * The cloud functions.
 * - Production bundles (scripts/build-functions.mjs, cloud-main.ts): CloudBase adapters only — esbuild's
 *   metafile names no SQLite, local files or word list; the bundle loads without node_modules and, without
 *   credentials, answers structured errors (the network is blocked in the child, so the SDK cannot go out).
 * - Test bundles (cloud-main-local.ts, built here): the same transport on SQLite, loaded as CloudBase
 *   would load them (`require('index.js').main(event, context)`). The caller's openid must come from the
 *   CloudBase context, never from the event.
 */
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalServices } from '../../src/server/local-services';
import { seedDemo } from '../../src/server/demo/seed';
import { DEMO_PEOPLE } from '../../src/server/demo/demo-data';
import { areas } from '../../src/server/areas';
import { ROOT, tempDir } from '../host/fixtures';

jest.setTimeout(240_000);

const AREAS = Object.keys(areas);
const bundle = (area: string) => join(ROOT, 'cloudfunctions', area, 'index.js');
/** The SDK, bundled apart and required by index.js on the first call that needs CloudBase. */
const sdkBeside = (area: string) => join(ROOT, 'cloudfunctions', area, 'cloudbase-sdk.js');
const localBundle = (area: string) => join(ROOT, 'dist', 'functions-local', area, 'index.js');
const BUDGET = 1.5 * 1024 * 1024;
/** What a production bundle must never contain: matched against esbuild's metafile inputs. */
const LOCAL_ONLY = [
  /(^|\/)node_modules\/better-sqlite3\//,
  /^src\/server\/store\/sqlite\.ts$/,
  /^src\/server\/files\/local\.ts$/,
  /^src\/server\/safety\/word-list\.ts$/,
  /^src\/server\/local-services\.ts$/,
  /^src\/server\/cloud-main-local\.ts$/,
];

let dataDir: string;
let buildOutput: string;

/** Runs `calls` against one warm instance in a fresh node process; returns each result. */
function invoke(file: string, calls: { event: unknown; context: unknown }[], env: Record<string, string> = {}): any[] {
  const script = `
    const { main } = require(process.argv[1]);
    (async () => {
      const out = [];
      for (const c of JSON.parse(process.argv[2])) out.push(await main(c.event, c.context));
      process.stdout.write('RESULT ' + JSON.stringify(out) + '\\n');
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const stdout = execFileSync(process.execPath, ['-e', script, file, JSON.stringify(calls)], {
    env: { ...process.env, SHISHI_DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Log lines share stdout (console.log, as in SCF).
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no result from the function: ${stdout}`);
  return JSON.parse(line.slice('RESULT '.length));
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

/** Builds the SQLite variant of an area's function, as the production build does but from cloud-main-local. */
async function buildLocal(area: string): Promise<void> {
  const pascal = `${area}Area`;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'cloudfunctions', area, 'package.json'), 'utf8'));
  await build({
    stdin: {
      contents: [
        `import { makeLocalCloudMain } from './src/server/cloud-main-local';`,
        `import { ${pascal} } from './src/features/${area}/${area}.actions';`,
        `export const main = makeLocalCloudMain(${pascal});`,
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile: localBundle(area),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['better-sqlite3', ...Object.keys(pkg.dependencies ?? {})],
    logLevel: 'error',
  });
}

/** The runtime every function declares, e.g. `Nodejs20.19` → 20. */
const rc = () => JSON.parse(readFileSync(join(ROOT, 'cloudbaserc.json'), 'utf8')) as { functions: Record<string, any>[] };
const declaredMajor = (runtime: string) => Number(/^Nodejs(\d+)\.\d+$/.exec(runtime)?.[1]);

beforeAll(async () => {
  buildOutput = execFileSync(process.execPath, ['scripts/build-functions.mjs'], { cwd: ROOT, encoding: 'utf8' });
  await Promise.all(['members', 'suggestions'].map(buildLocal));
  dataDir = tempDir('fn');
  const services = createLocalServices({ dataDir, secret: 'fn-test', demoMode: true });
  await seedDemo(services);
  await services.store.close();
});

describe('production bundles', () => {
  test('every function is bundled into one file within the 1.5 MB budget', () => {
    for (const area of AREAS) {
      expect(statSync(bundle(area)).size + statSync(sdkBeside(area)).size).toBeLessThanOrEqual(BUDGET);
      expect(buildOutput).toMatch(new RegExp(`ok\\s+cloudfunctions/${area}/index\\.js`));
    }
  });

  test("esbuild's metafile of each bundle holds no SQLite, local files or word list", () => {
    const sdkMeta = JSON.parse(readFileSync(join(ROOT, 'dist', 'functions', 'cloudbase-sdk.meta.json'), 'utf8'));
    const sdkInputs = Object.keys(sdkMeta.inputs as Record<string, unknown>);
    expect(sdkInputs).toEqual(expect.arrayContaining(['node_modules/@cloudbase/node-sdk/dist/index.js']));
    expect(sdkInputs.filter((f) => LOCAL_ONLY.some((re) => re.test(f)) || f.startsWith('src/'))).toEqual([]);
    // app.ai() is left out (no function calls it): with it went a third of the SDK.
    expect(sdkInputs.filter((f) => /node_modules\/@cloudbase\/(ai|app)\/|web-streams-polyfill/.test(f))).toEqual([]);
    for (const area of AREAS) {
      // The function's own copy is the one the build made.
      expect(readFileSync(sdkBeside(area)).equals(readFileSync(join(ROOT, 'dist', 'functions', 'cloudbase-sdk.js')))).toBe(true);
      const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'functions', `${area}.meta.json`), 'utf8'));
      const inputs = Object.keys(meta.inputs as Record<string, unknown>);
      // The metafile is the real one: it names the CloudBase adapters and the area's actions.
      expect(inputs).toEqual(expect.arrayContaining(['src/server/cloud-main.ts', 'src/server/store/cloudbase.ts', `src/features/${area}/${area}.actions.ts`]));
      expect(inputs.filter((f) => LOCAL_ONLY.some((re) => re.test(f)))).toEqual([]);
      // Nor left outside the bundle to be required at run time.
      const imports = Object.values(meta.outputs as Record<string, { imports: { path: string }[] }>).flatMap((o) => o.imports.map((i) => i.path));
      expect(imports).not.toContain('better-sqlite3');
      expect(readFileSync(bundle(area), 'utf8')).not.toMatch(/better-sqlite3|word-list/);
    }
  });

  test('the build refuses local-only code in a production bundle', () => {
    // An entry that pulls the local adapters in, built with the guard build-functions.mjs uses.
    const script = `
      import { build } from 'esbuild';
      import { localOnlyGuard } from ${JSON.stringify(join(ROOT, 'scripts', 'function-guard.mjs'))};
      const contents = "import { createLocalServices } from './src/server/local-services'; export const s = createLocalServices;";
      try {
        await build({ stdin: { contents, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, write: false, platform: 'node', logLevel: 'silent', plugins: [localOnlyGuard(process.cwd())] });
        console.log('BUILT');
      } catch (e) {
        console.log(e.errors.map((x) => x.text).join('\\n'));
      }`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(out).not.toContain('BUILT');
    expect(out).toMatch(/src\/server\/local-services\.ts is local-only/);
  });

  test('every function declares the same Node.js runtime, the major version the bundles run under', () => {
    const fns = rc().functions;
    const runtimes = new Set(fns.map((f) => f.runtime));
    expect(runtimes.size).toBe(1);
    const [runtime] = [...runtimes] as string[];
    expect(runtime).toMatch(/^Nodejs20\.\d+$/);
    // The child that runs the bundle is this Node; it reports its own version.
    const dir = tempDir('fn-version');
    copyFileSync(bundle('regions'), join(dir, 'index.js'));
    copyFileSync(sdkBeside('regions'), join(dir, 'cloudbase-sdk.js'));
    const script = `require(process.argv[1]);
      const sdk = Object.keys(require.cache).some((f) => f.endsWith('cloudbase-sdk.js'));
      process.stdout.write(process.versions.node + ' ' + sdk);`;
    const [version, sdkAtLoad] = execFileSync(process.execPath, ['-e', script, join(dir, 'index.js')], { encoding: 'utf8' }).split(' ');
    expect(Number(version!.split('.')[0])).toBe(declaredMajor(runtime!));
    // Loading the function does not load the SDK; its first call does (see below).
    expect(sdkAtLoad).toBe('false');
  });

  test('a bundle copied away from node_modules loads and answers structured errors without credentials (network blocked; only a database call tries it)', () => {
    const dir = tempDir('fn-alone');
    const alone = join(dir, 'index.js');
    copyFileSync(bundle('members'), alone);
    copyFileSync(sdkBeside('members'), join(dir, 'cloudbase-sdk.js'));
    // Every outgoing socket and DNS lookup in the child fails at once and is recorded.
    const guard = join(dir, 'no-network.js');
    writeFileSync(
      guard,
      `const net = require('node:net'); const dns = require('node:dns');
      const attempts = [];
      const blocked = (what) => { attempts.push(what); const e = new Error('network blocked by the test'); e.code = 'ENOTFOUND'; return e; };
      dns.lookup = function (host, opts, cb) { if (typeof opts === 'function') cb = opts; process.nextTick(() => cb(blocked('dns'))); return {}; };
      dns.promises.lookup = async () => { throw blocked('dns'); };
      const connect = net.Socket.prototype.connect;
      net.Socket.prototype.connect = function (...args) {
        // Local pipes (e.g. tsx's) are not the network; node may pass the options normalised as [[options, cb]].
        const o = Array.isArray(args[0]) ? args[0][0] : args[0];
        if (o && typeof o === 'object' && o.path) return connect.apply(this, args);
        const err = blocked('connect'); process.nextTick(() => this.destroy(err)); return this;
      };
      globalThis.__networkAttempts = attempts;`,
    );
    const calls = [
      { event: { action: 'nope' }, context: {} },
      { event: { action: 'me', input: {} }, context: {} },
      // Needs the database: the SDK tries, the guard refuses, the function answers INTERNAL.
      { event: { action: 'me', input: {} }, context: environmentContext('o-no-credentials') },
    ];
    const script = `
      const { main } = require(process.argv[1]);
      (async () => {
        const out = [];
        const sdkLoaded = () => Object.keys(require.cache).some((f) => f.endsWith('cloudbase-sdk.js'));
        for (const c of JSON.parse(process.argv[2])) out.push({ result: await main(c.event, c.context), attempts: globalThis.__networkAttempts.length, sdk: sdkLoaded() });
        process.stdout.write('RESULT ' + JSON.stringify(out) + '\\n');
        process.exit(0);
      })();`;
    // What SCF sets (outside it, the SDK's init probes a metadata server); no credentials.
    const env: NodeJS.ProcessEnv = {
      ...process.env, TENCENTCLOUD_RUNENV: 'SCF', TENCENTCLOUD_REGION: 'ap-shanghai', SCF_NAMESPACE: 'shishi-test',
      SHISHI_DATA_DIR: '', TENCENTCLOUD_SECRETID: '', TENCENTCLOUD_SECRETKEY: '', TENCENTCLOUD_SESSIONTOKEN: '', TCB_ENV: '',
    };
    const r = spawnSync(process.execPath, ['-r', guard, '-e', script, alone, JSON.stringify(calls)], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
    expect(r.status).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    const out = JSON.parse(line!.slice('RESULT '.length)) as { result: any; attempts: number; sdk: boolean }[];
    expect(out[0]).toEqual({ result: { ok: false, error: { code: 'ACTION.UNKNOWN', message: '未知的操作' } }, attempts: 0, sdk: true });
    expect(out[1]!.result.error.code).toBe('AUTH.UNAUTHENTICATED');
    expect(out[1]!.attempts).toBe(0);
    expect(out[2]!.result).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/^系统繁忙/) } });
    expect(out[2]!.attempts).toBeGreaterThan(0);
    // The logs are JSON lines; the SDK's stray rejection was caught by the entry's handler, not fatal.
    expect(r.stdout).not.toMatch(/o-no-credentials/);
  });
});

describe('the transport, on the SQLite test entry', () => {
  test('the test bundles are not the production ones: they carry the SQLite adapter', () => {
    expect(readFileSync(localBundle('members'), 'utf8')).toMatch(/require\("better-sqlite3"\)/);
  });

  test('the openid comes from the CloudBase context (environ), not from the event', () => {
    const resident = DEMO_PEOPLE.residentPeixin;
    const [me] = invoke(localBundle('members'), [
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
    const [me] = invoke(localBundle('members'), [
      { event: { action: 'me', input: {}, userInfo: { openId: 'forged' } }, context: environmentContext(admin.openid) },
    ]);
    expect(me).toMatchObject({ ok: true, data: { openid: admin.openid, member: { name: admin.name } } });
  });

  test('without an openid in the context the caller is anonymous, whatever the event says', () => {
    const results = invoke(localBundle('members'), [
      { event: { action: 'me', input: {}, userInfo: { openId: DEMO_PEOPLE.residentPeixin.openid } }, context: {} },
      { event: { action: 'me', input: {}, userInfo: { openId: DEMO_PEOPLE.residentPeixin.openid } }, context: null },
      { event: { action: 'me', input: {} }, context: { environ: 'WX_APPID=wx0123456789abcdef' } },
      { event: { action: 'me', input: {} }, context: { environment: '{"WX_OPENID":' } },
    ]);
    for (const r of results) expect(r).toMatchObject({ ok: false, error: { code: 'AUTH.UNAUTHENTICATED' } });
  });

  test('a warm instance serves several calls and keeps errors in the result shape', () => {
    const ctx = environContext(DEMO_PEOPLE.residentPeixin.openid);
    const results = invoke(localBundle('suggestions'), [
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

  test('an admin exports through the function (exceljs installed beside it, loaded on demand)', () => {
    const [res] = invoke(localBundle('suggestions'), [
      { event: { action: 'exportXlsx', input: { communityId: 'comm-peixin' } }, context: environContext(DEMO_PEOPLE.adminPeixin.openid) },
    ]);
    expect(res.ok).toBe(true);
    expect(res.data.count).toBeGreaterThan(0);
    expect(typeof res.data.fileId).toBe('string');
    // A resident may not.
    const [denied] = invoke(localBundle('suggestions'), [
      { event: { action: 'exportXlsx', input: { communityId: 'comm-peixin' } }, context: environContext(DEMO_PEOPLE.residentPeixin.openid) },
    ]);
    expect(denied.error.code).toBe('AUTH.FORBIDDEN');
  });

  test('without SHISHI_DATA_DIR the test entry answers INTERNAL rather than guessing a place', () => {
    const [res] = invoke(localBundle('members'), [{ event: { action: 'me', input: {} }, context: environContext(DEMO_PEOPLE.residentPeixin.openid) }], { SHISHI_DATA_DIR: '' });
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

test('every area has a function folder, a package.json and a cloudbaserc.json entry', () => {
  for (const area of AREAS) {
    const main = readFileSync(join(ROOT, 'cloudfunctions', area, 'main.ts'), 'utf8');
    expect(main).toContain("from '../../src/server/cloud-main'");
    expect(main).toContain('makeCloudMain(');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'cloudfunctions', area, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('index.js');
    const entry = rc().functions.find((f) => f.name === area);
    expect(entry).toMatchObject({ handler: 'index.main', runtime: expect.stringMatching(/^Nodejs20\.\d+$/) });
    // Exports and imports need longer than the 3 s default; CloudBase allows at most 60 s.
    expect(entry!.timeout).toBeGreaterThanOrEqual(10);
    expect(entry!.timeout).toBeLessThanOrEqual(60);
    expect(entry!.installDependency).toBe(Object.keys(pkg.dependencies ?? {}).length > 0);
  }
});
