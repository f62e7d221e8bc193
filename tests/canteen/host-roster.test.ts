/** The roster import over real HTTP: the .xlsx is uploaded first, the call carries only its file id. */
import { rmSync } from 'node:fs';
import { buildRoster } from '../../src/features/canteen/canteen.import';
import type { Services } from '../../src/server/action';
import { startHost, type RunningHost } from '../../src/server/host';
import { createLocalServices } from '../../src/server/local-services';
import { createJsonLogger } from '../../src/server/log';
import { seedDemo } from '../../src/server/demo/seed';
import { signSession } from '../../src/server/identity';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import { postJson, tempDir } from '../host/fixtures';

const SECRET = 'canteen-host-secret';
let dir: string;
let services: Services;
let host: RunningHost;

beforeAll(async () => {
  dir = tempDir('canteen-host');
  services = createLocalServices({ dataDir: dir, secret: SECRET, demoMode: true, log: createJsonLogger(() => undefined) });
  await seedDemo(services);
  host = await startHost({ services, secret: SECRET, demoMode: true, port: 0 });
});
afterAll(async () => {
  await host.close();
  await services.store.close();
  rmSync(dir, { recursive: true, force: true });
});

const tokenOf = (openid: string) => signSession(openid, SECRET, new Date());
const upload = (bytes: Buffer, token: string) =>
  fetch(`${host.url}/files?folder=imports`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${token}` }, body: new Uint8Array(bytes) }).then(
    async (r) => ({ status: r.status, body: (await r.json()) as any }),
  );

test('upload, check, import by file id; another community is refused', async () => {
  const admin = tokenOf(DEMO_PEOPLE.adminPeixin.openid);
  const rows = Array.from({ length: 40 }, (_, i) => ({ name: `导入${i}`, gender: i % 2 ? '男' : '女', birthDate: '1950-01-01', categories: '独居' }));
  const file = await buildRoster(rows);
  const up = await upload(file, admin);
  expect(up.status).toBe(200);
  const call = (dryRun: boolean, token = admin) =>
    postJson(`${host.url}/fn/canteen`, { action: 'importRoster', input: { communityId: REGION_IDS.peixin, fileId: up.body.data.fileId, dryRun } }, token);
  expect(JSON.stringify({ communityId: REGION_IDS.peixin, fileId: up.body.data.fileId, dryRun: true }).length).toBeLessThan(300);
  expect((await call(true)).body).toMatchObject({ ok: true, data: { ok: true, imported: 0, rows: 40 } });
  expect((await call(false)).body).toMatchObject({ ok: true, data: { ok: true, imported: 40 } });
  // An admin of another community may not import into this one (the owner check is in elders.test.ts).
  const other = await call(true, tokenOf(DEMO_PEOPLE.adminXiaojiaba.openid));
  expect(other.body).toMatchObject({ ok: false, error: { code: 'AUTH.FORBIDDEN' } });
});
