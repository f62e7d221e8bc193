/**
 * The local host over real HTTP: in-process host, real SQLite and files in a temp dir, demo data seeded.
 */
import { request as httpRequest, Agent } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../../src/server/action';
import { startHost, type RunningHost } from '../../src/server/host';
import { createLocalServices } from '../../src/server/local-services';
import { createJsonLogger } from '../../src/server/log';
import { seedDemo } from '../../src/server/demo/seed';
import { signFileUrl } from '../../src/server/files/signed-url';
import { signSession } from '../../src/server/identity';
import { DEMO_NEWCOMER_OPENID, DEMO_PEOPLE } from '../../src/server/demo/demo-data';
import { demoToken, listFiles, makePng, postJson, tempDir } from './fixtures';

const SECRET = 'host-test-secret';
const CHINESE = /[\u4e00-\u9fa5]/;

let dataDir: string;
let staticDir: string;
let services: Services;
let host: RunningHost;
let base: string;
let resident: string;
const logLines: string[] = [];

const call = (area: string, action: string, input: unknown, token?: string) => postJson(`${base}/fn/${area}`, { action, input }, token);

/** Raw request: fetch normalises paths and headers, which some tests must not. */
function raw(
  path: string,
  opts: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string; agent?: Agent } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; reused: boolean }> {
  return new Promise((ok, ko) => {
    const { hostname, port } = new URL(base);
    // Options, not a URL string: the path must go out verbatim (a URL would resolve `..`).
    const req = httpRequest({ hostname, port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), reused: req.reusedSocket }));
    });
    req.on('error', ko);
    req.end(opts.body);
  });
}

const mineCount = async (token: string): Promise<number> => {
  const r = await call('suggestions', 'mine', {}, token);
  expect(r.body.ok).toBe(true);
  return r.body.data.items.length;
};

const upload = (bytes: Buffer, token?: string, folder = 'suggestions', contentType = 'image/png') =>
  fetch(`${base}/files?folder=${folder}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: new Uint8Array(bytes),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

beforeAll(async () => {
  dataDir = tempDir('host');
  staticDir = join(tempDir('static'), 'h5');
  mkdirSync(join(staticDir, 'js'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>社区实事</title><div id="app"></div>');
  writeFileSync(join(staticDir, 'js', 'app.1a2b3c4d.js'), 'console.log("app")');
  writeFileSync(join(staticDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  // A file next to the build folder that must never be served.
  writeFileSync(join(staticDir, '..', 'secret.txt'), 'TOP-SECRET');

  services = createLocalServices({ dataDir, secret: SECRET, demoMode: true, log: createJsonLogger((l) => void logLines.push(l)) });
  await seedDemo(services);
  host = await startHost({ services, secret: SECRET, demoMode: true, port: 0, staticDir });
  base = host.url;
  resident = await demoToken(base, DEMO_PEOPLE.residentPeixin.openid);
});

afterAll(async () => {
  await host?.close();
  await services?.store.close();
});

describe('health and demo sign-in', () => {
  test('GET /healthz answers ok', async () => {
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, data: { status: 'ok' } });
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-v]{22}$/);
  });

  test('demo people lists every demo person plus a newcomer', async () => {
    const r = await fetch(`${base}/auth/demo-people`);
    const body = (await r.json()) as any;
    expect(r.status).toBe(200);
    const openids = body.data.people.map((p: { openid: string }) => p.openid);
    for (const p of Object.values(DEMO_PEOPLE)) expect(openids).toContain(p.openid);
    expect(openids).toContain(DEMO_NEWCOMER_OPENID);
    for (const p of body.data.people) expect(p.label).toMatch(CHINESE);
  });

  test('demo sign-in gives a token that members.me accepts', async () => {
    const token = await demoToken(base, DEMO_PEOPLE.adminPeixin.openid);
    const me = await call('members', 'me', {}, token);
    expect(me.status).toBe(200);
    expect(me.body.ok).toBe(true);
    expect(me.body.data.openid).toBe(DEMO_PEOPLE.adminPeixin.openid);
    expect(me.body.data.member.name).toBe(DEMO_PEOPLE.adminPeixin.name);
    expect(me.body.data.member.grants.map((g: { role: string }) => g.role).sort()).toEqual(['community_admin', 'resident']);
  });

  test('a newcomer is signed in but not a member', async () => {
    const token = await demoToken(base, DEMO_NEWCOMER_OPENID);
    const me = await call('members', 'me', {}, token);
    expect(me.body).toEqual({ ok: true, data: { openid: DEMO_NEWCOMER_OPENID, member: null } });
  });

  test('demo sign-in refuses openids that are not demo ones', async () => {
    for (const openid of ['oAbCdEf-real-openid', '', 42, null]) {
      const r = await postJson(`${base}/auth/demo`, { openid });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('INPUT.INVALID');
      expect(r.body.error.message).toMatch(CHINESE);
    }
  });

  test('no token → 401 AUTH.UNAUTHENTICATED', async () => {
    const r = await call('members', 'me', {});
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ ok: false, error: { code: 'AUTH.UNAUTHENTICATED' } });
  });

  test('a forged, expired or foreign-secret token → 401', async () => {
    const [body] = resident.split('.');
    const tampered = `${body}.${Buffer.from('x'.repeat(32)).toString('base64url')}`;
    const expired = signSession(DEMO_PEOPLE.residentPeixin.openid, SECRET, new Date(Date.now() - 40 * 24 * 3600 * 1000));
    const foreign = signSession(DEMO_PEOPLE.adminPeixin.openid, 'another-secret', new Date());
    for (const token of [tampered, expired, foreign, 'garbage']) {
      const r = await call('members', 'me', {}, token);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('AUTH.UNAUTHENTICATED');
    }
    const r = await raw('/fn/members', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Basic abc' }, body: '{"action":"me"}' });
    expect(r.status).toBe(401);
  });
});

describe('POST /fn/<area>: bad requests get their code and write nothing', () => {
  const submit = (over: Record<string, unknown> = {}) => ({
    requestId: `req-${Math.random().toString(36).slice(2, 12)}`,
    communityId: 'comm-peixin',
    category: '环境卫生',
    text: '楼道里的灯坏了很久了，晚上看不见路',
    photos: [],
    showName: false,
    ...over,
  });

  test('a valid submit works and is listed (the baseline for the rest)', async () => {
    const before = await mineCount(resident);
    const r = await call('suggestions', 'submit', submit(), resident);
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(await mineCount(resident)).toBe(before + 1);
  });

  test('malformed JSON → 400 INPUT.INVALID with a Chinese message', async () => {
    const before = await mineCount(resident);
    const r = await raw('/fn/suggestions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${resident}` },
      body: '{"action":"submit","input":{"text":',
    });
    expect(r.status).toBe(400);
    const body = JSON.parse(r.body.toString());
    expect(body).toMatchObject({ ok: false, error: { code: 'INPUT.INVALID' } });
    expect(body.error.message).toMatch(CHINESE);
    expect(await mineCount(resident)).toBe(before);
  });

  test('a body that is not an event object → 400 INPUT.INVALID', async () => {
    for (const payload of ['[]', '"submit"', 'null', '{"action":42}']) {
      const r = await raw('/fn/suggestions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${resident}` },
        body: payload,
      });
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body.toString()).error.code).toBe('INPUT.INVALID');
    }
  });

  test('wrong content type → 415 INPUT.CONTENT_TYPE', async () => {
    const before = await mineCount(resident);
    const r = await raw('/fn/suggestions', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${resident}` },
      body: JSON.stringify({ action: 'submit', input: submit() }),
    });
    expect(r.status).toBe(415);
    const body = JSON.parse(r.body.toString());
    expect(body.error.code).toBe('INPUT.CONTENT_TYPE');
    expect(body.error.message).toMatch(CHINESE);
    expect(await mineCount(resident)).toBe(before);
  });

  test('a body over 100 KB → 413 INPUT.TOO_LARGE, also when streamed without a length', async () => {
    const before = await mineCount(resident);
    const big = JSON.stringify({ action: 'submit', input: submit({ place: 'x'.repeat(120 * 1024) }) });
    const r = await raw('/fn/suggestions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${resident}` },
      body: big,
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body.toString()).error.code).toBe('INPUT.TOO_LARGE');

    const chunked = await new Promise<{ status: number; body: string }>((ok, ko) => {
      const req = httpRequest(`${base}/fn/suggestions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${resident}`, 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let s = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (s += d));
        res.on('end', () => ok({ status: res.statusCode!, body: s }));
      });
      req.on('error', ko);
      for (let i = 0; i < 16; i++) req.write(big.slice(i * 8192, (i + 1) * 8192));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe('INPUT.TOO_LARGE');
    expect(await mineCount(resident)).toBe(before);
  });

  test('unknown area and unknown action → 404 ACTION.UNKNOWN', async () => {
    for (const [area, action] of [
      ['nonexistent', 'me'],
      ['constructor', 'me'],
      ['__proto__', 'me'],
      ['toString', 'me'],
      ['hasOwnProperty', 'me'],
      ['members', 'dropAll'],
      ['members', 'constructor'],
      ['members', '__proto__'],
    ] as const) {
      const r = await call(area, action, {}, resident);
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ ok: false, error: { code: 'ACTION.UNKNOWN' } });
    }
  });

  test('invalid input → 400 INPUT.INVALID with per-field issues, nothing written', async () => {
    const before = await mineCount(resident);
    const cases = [
      submit({ text: 123 }),
      submit({ text: '短' }),
      submit({ text: '长'.repeat(501) }),
      submit({ photos: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }),
      submit({ category: '不存在的类别' }),
      submit({ requestId: 'bad id!' }),
    ];
    for (const input of cases) {
      const r = await call('suggestions', 'submit', input, resident);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('INPUT.INVALID');
      expect(r.body.error.issues.length).toBeGreaterThan(0);
    }
    expect(await mineCount(resident)).toBe(before);
  });

  test("someone else's file id is refused and nothing is written", async () => {
    const other = await demoToken(base, DEMO_PEOPLE.residentXiaojiaba.openid);
    const up = await upload(makePng(), other);
    expect(up.status).toBe(200);
    const before = await mineCount(resident);
    const r = await call('suggestions', 'submit', submit({ photos: [up.body.data.fileId] }), resident);
    expect(r.body.ok).toBe(false);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(await mineCount(resident)).toBe(before);
  });

  test('a resident calling an admin action → 403 AUTH.FORBIDDEN', async () => {
    const r = await call('suggestions', 'inbox', { communityId: 'comm-peixin' }, resident);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('AUTH.FORBIDDEN');
  });

  test('GET on /fn is refused', async () => {
    const r = await raw('/fn/members');
    expect(r.status).toBe(405);
  });
});

describe('files', () => {
  test('upload a photo, read it back through its signed URL', async () => {
    const png = makePng(3, 2);
    const up = await upload(png, resident);
    expect(up.status).toBe(200);
    expect(up.body.ok).toBe(true);
    const { fileId, url } = up.body.data;
    expect(typeof fileId).toBe('string');
    expect(url).toMatch(/^\/files\/[^?]+\?exp=\d+&sig=/);

    const r = await fetch(`${base}${url}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    expect(r.headers.get('cache-control')).toMatch(/private, max-age=\d+/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await r.arrayBuffer()).equals(png)).toBe(true);
  });

  test('tampered, expired, missing or foreign signatures → 403', async () => {
    const up = await upload(makePng(), resident);
    const { fileId, url } = up.body.data as { fileId: string; url: string };
    const u = new URL(url, base);
    const exp = u.searchParams.get('exp')!;
    const sig = u.searchParams.get('sig')!;
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const expired = signFileUrl(fileId, SECRET, new Date(Date.now() - 7 * 24 * 3600 * 1000));
    const foreign = signFileUrl(fileId, 'another-secret', new Date());
    const enc = encodeURIComponent(fileId);
    const attempts = [
      `/files/${enc}?exp=${exp}&sig=${flip(sig)}`,
      `/files/${enc}?exp=${Number(exp) + 3600}&sig=${sig}`,
      `/files/${enc}?exp=${exp}`,
      `/files/${enc}`,
      expired,
      foreign,
    ];
    for (const path of attempts) {
      const r = await fetch(`${base}${path}`);
      expect(r.status).toBe(403);
      const body = (await r.json()) as any;
      expect(body.error.code).toBe('AUTH.FORBIDDEN');
    }
    // Another file's signature does not open this one.
    const other = await upload(makePng(1, 1), resident);
    const otherSig = new URL(other.body.data.url, base).searchParams;
    const r = await fetch(`${base}/files/${enc}?exp=${otherSig.get('exp')}&sig=${otherSig.get('sig')}`);
    expect(r.status).toBe(403);
  });

  test('upload without a token → 401, nothing stored', async () => {
    const before = listFiles(dataDir);
    const r = await upload(makePng());
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('AUTH.UNAUTHENTICATED');
    expect(listFiles(dataDir)).toEqual(before);
  });

  test('bytes that are not JPEG/PNG/WebP → FILE.* error, whatever the declared type; nothing stored', async () => {
    const before = listFiles(dataDir);
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64)]);
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    for (const [bytes, type] of [
      [html, 'image/png'],
      [gif, 'image/gif'],
      [Buffer.from('%PDF-1.4 hello'), 'application/pdf'],
      [Buffer.alloc(0), 'image/jpeg'],
    ] as const) {
      const r = await upload(bytes, resident, 'suggestions', type);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.error.code).toMatch(/^(FILE|INPUT)\./);
      expect(r.body.error.message).toMatch(CHINESE);
    }
    expect(listFiles(dataDir)).toEqual(before);
  });

  test('a bad folder name → 400', async () => {
    for (const folder of ['', '..', 'a%2Fb', 'UPPER', 'x'.repeat(40)]) {
      const r = await upload(makePng(), resident, folder);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('INPUT.INVALID');
    }
  });

  test('an upload over 5 MB → 413, nothing stored (declared length and streamed)', async () => {
    const before = listFiles(dataDir);
    const big = Buffer.concat([makePng(), Buffer.alloc(5 * 1024 * 1024 + 10)]);
    const r = await upload(big, resident);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('FILE.TOO_LARGE');

    // Chunked: the limit is enforced while the bytes arrive.
    const streamed = await new Promise<{ status: number; body: string }>((ok, ko) => {
      const req = httpRequest(`${base}/files?folder=suggestions`, {
        method: 'POST',
        headers: { 'Content-Type': 'image/png', Authorization: `Bearer ${resident}`, 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let s = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (s += d));
        res.on('end', () => ok({ status: res.statusCode!, body: s }));
      });
      // The server may close the socket once it has answered.
      req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : ko(e)));
      const piece = Buffer.alloc(256 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 8 * 1024 * 1024) {
          sent += piece.length;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.code).toBe('FILE.TOO_LARGE');
    expect(listFiles(dataDir)).toEqual(before);
    // The host is still fine afterwards.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  test('a missing file with a valid signature → 404', async () => {
    const r = await fetch(`${base}${signFileUrl('no-such-file.png', SECRET, new Date())}`);
    expect(r.status).toBe(404);
  });
});

describe('static files', () => {
  test('serves index.html at / and as the fallback for client routes, never cached', async () => {
    for (const path of ['/', '/index.html', '/pages/index/index', '/some/deep/route']) {
      const r = await fetch(`${base}${path}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.headers.get('cache-control')).toBe('no-cache');
      expect(await r.text()).toContain('社区实事');
    }
  });

  test('hashed assets are immutable; others get a short cache; ETag revalidates', async () => {
    const js = await fetch(`${base}/js/app.1a2b3c4d.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const svg = await fetch(`${base}/favicon.svg`);
    expect(svg.headers.get('cache-control')).toBe('public, max-age=300');
    const again = await fetch(`${base}/favicon.svg`, { headers: { 'If-None-Match': svg.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  test('a missing asset is a 404, not the app', async () => {
    const r = await fetch(`${base}/js/missing.js`);
    expect(r.status).toBe(404);
  });

  test('path traversal cannot leave the build folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/js/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%5c%2e%2e%5csecret.txt',
      '/%00/../secret.txt',
      '//etc/passwd',
      '/..%2f..%2f..%2f..%2fetc%2fpasswd',
    ]) {
      const r = await raw(path);
      expect(r.body.toString()).not.toContain('TOP-SECRET');
      expect(r.body.toString()).not.toContain('root:');
      expect([200, 404]).toContain(r.status);
      if (r.status === 200) expect(r.body.toString()).toContain('社区实事'); // the app shell, at most
    }
  });
});

describe('transport details', () => {
  test('keep-alive: a second request reuses the connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const a = await raw('/healthz', { agent });
    const b = await raw('/healthz', { agent });
    expect(a.status).toBe(200);
    expect(b.reused).toBe(true);
    agent.destroy();
  });

  test('one JSON log line per request, without bodies, tokens or names', async () => {
    logLines.length = 0;
    await call('members', 'me', {}, resident);
    await call('nonexistent', 'x', {}, resident);
    const lines = logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ method: 'POST', route: '/fn/members', action: 'me', status: 200 });
    expect(typeof lines[0].ms).toBe('number');
    expect(lines[0].requestId).toMatch(/^[0-9a-v]{22}$/);
    expect(lines[1]).toMatchObject({ route: '/fn/nonexistent', status: 404, code: 'ACTION.UNKNOWN' });
    const all = logLines.join('\n');
    expect(all).not.toContain(resident);
    expect(all).not.toContain(DEMO_PEOPLE.residentPeixin.name);
    expect(all).not.toContain(DEMO_PEOPLE.residentPeixin.openid);
  });
});

describe('demo mode off', () => {
  let plain: RunningHost;
  beforeAll(async () => {
    plain = await startHost({ services, secret: SECRET, demoMode: false, port: 0 });
  });
  afterAll(() => plain.close());

  test('demo routes are 404', async () => {
    const people = await fetch(`${plain.url}/auth/demo-people`);
    expect(people.status).toBe(404);
    const login = await postJson(`${plain.url}/auth/demo`, { openid: DEMO_PEOPLE.cityAnkang.openid });
    expect(login.status).toBe(404);
    expect(login.body.ok).toBe(false);
  });

  test('the API still works with a valid session token', async () => {
    const me = await postJson(`${plain.url}/fn/members`, { action: 'me', input: {} }, resident);
    expect(me.body.ok).toBe(true);
  });

  test('without a static dir, unknown paths are 404', async () => {
    const r = await fetch(`${plain.url}/`);
    expect(r.status).toBe(404);
  });
});
