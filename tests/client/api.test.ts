/**
 * The typed client (H5 transport) against a real local host: in-process host, real SQLite in a temp
 * dir, demo data seeded. What the pages rely on: demo sign-in, typed calls, one suggestion per
 * request id, and every failure arriving as an ApiError with a Chinese message.
 */
import { createServer } from 'node:net';

// @tarojs/taro ships ESM that jest's CommonJS runtime cannot load; the client only needs its storage
// here, so a Map stands in (a third-party module, not our code).
jest.mock('@tarojs/taro', () => {
  const store = new Map<string, unknown>();
  return {
    __esModule: true,
    default: {
      getStorageSync: (k: string) => (store.has(k) ? store.get(k) : ''),
      setStorageSync: (k: string, v: unknown) => void store.set(k, v),
      removeStorageSync: (k: string) => void store.delete(k),
    },
  };
});
import type { Services } from '../../src/server/action';
import { startHost, type RunningHost } from '../../src/server/host';
import { createLocalServices } from '../../src/server/local-services';
import { createJsonLogger } from '../../src/server/log';
import { seedDemo } from '../../src/server/demo/seed';
import { DEMO_PEOPLE } from '../../src/server/demo/demo-data';
import { api, ApiError } from '../../src/client/api';
import { demoSignIn, listDemoPeople } from '../../src/client/demo-auth';
import { displayMessage, fieldError, NETWORK_MESSAGE } from '../../src/client/api-error';
import { getSession, setSession } from '../../src/client/session';
import { newRequestId } from '../../src/client/request-id';
import { tempDir } from '../host/fixtures';

/** API_BASE is a build-time constant (config/index.ts defineConstants); here it points at the test host. */
const setApiBase = (url: string) => {
  (globalThis as unknown as { API_BASE: string }).API_BASE = url;
};

let services: Services;
let host: RunningHost;

const rejection = async (p: Promise<unknown>): Promise<ApiError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
};

/** A port nothing listens on: bind one, then close it. */
const closedPort = (): Promise<number> =>
  new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });

beforeAll(async () => {
  const dataDir = tempDir('client');
  services = createLocalServices({ dataDir, secret: 'client-test-secret', demoMode: true, log: createJsonLogger(() => undefined) });
  await seedDemo(services);
  host = await startHost({ services, secret: 'client-test-secret', demoMode: true, port: 0 });
  setApiBase(host.url);
});

afterAll(async () => {
  await host?.close();
  await services?.store.close();
});

beforeEach(() => {
  setApiBase(host.url);
  setSession(null);
});

const signInAs = async (openid: string) => {
  const people = await listDemoPeople();
  const person = people.find((p) => p.openid === openid);
  if (!person) throw new Error(`no demo person ${openid}`);
  await demoSignIn(person);
};

test('demo sign-in keeps a token, and typed calls carry it', async () => {
  await signInAs(DEMO_PEOPLE.residentPeixin.openid);
  expect(getSession()).toMatchObject({ openid: DEMO_PEOPLE.residentPeixin.openid, label: DEMO_PEOPLE.residentPeixin.label });
  const me = await api.members.me({});
  expect(me.openid).toBe(DEMO_PEOPLE.residentPeixin.openid);
  expect(me.member?.grants.map((g) => g.regionId)).toContain('comm-peixin');
});

test('a retried submit with the same request id creates one suggestion', async () => {
  await signInAs(DEMO_PEOPLE.residentPeixin.openid);
  const input = { requestId: newRequestId(), communityId: 'comm-peixin', category: '环境卫生' as const, text: '小区门口的垃圾桶满了没人清理' };
  const before = (await api.suggestions.mine({})).items.length;
  const [a, b] = await Promise.all([api.suggestions.submit(input), api.suggestions.submit(input)]);
  const c = await api.suggestions.submit(input);
  expect(b._id).toBe(a._id);
  expect(c._id).toBe(a._id);
  expect((await api.suggestions.mine({})).items.length).toBe(before + 1);
});

test('invalid input arrives as INPUT.INVALID with per-field Chinese messages', async () => {
  await signInAs(DEMO_PEOPLE.residentPeixin.openid);
  const err = await rejection(
    api.suggestions.submit({ requestId: newRequestId(), communityId: 'comm-peixin', category: '其他', text: '短' }),
  );
  expect(err.code).toBe('INPUT.INVALID');
  expect(fieldError(err, 'text')).toMatch(/至少 5 个字/);
  expect(displayMessage(err)).toMatch(/至少 5 个字/);
});

test('a resident calling an admin action gets AUTH.FORBIDDEN', async () => {
  await signInAs(DEMO_PEOPLE.residentPeixin.openid);
  const err = await rejection(api.suggestions.inbox({ communityId: 'comm-peixin' }));
  expect(err.code).toBe('AUTH.FORBIDDEN');
  expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
});

test('without a session the host answers AUTH.UNAUTHENTICATED', async () => {
  const err = await rejection(api.members.me({}));
  expect(err.code).toBe('AUTH.UNAUTHENTICATED');
});

test('a host that cannot be reached is NETWORK with the Chinese message', async () => {
  setApiBase(`http://127.0.0.1:${await closedPort()}`);
  const err = await rejection(api.regions.listCommunities({}));
  expect(err.code).toBe('NETWORK');
  expect(err.message).toBe(NETWORK_MESSAGE);
  expect(err.message).toBe('网络连接失败，请检查网络后重试');
});
