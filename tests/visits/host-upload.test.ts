/** Ledger uploads over real HTTP: the `imports` folder takes .xlsx only, every other folder images only. */
import { rmSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Services } from '../../src/server/action';
import { startHost, type RunningHost } from '../../src/server/host';
import { createLocalServices } from '../../src/server/local-services';
import { createJsonLogger } from '../../src/server/log';
import { seedDemo } from '../../src/server/demo/seed';
import { signSession } from '../../src/server/identity';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import { makePng, postJson, tempDir } from '../host/fixtures';

const SECRET = 'visits-host-secret';
let dir: string;
let services: Services;
let host: RunningHost;
let token: string;

beforeAll(async () => {
  dir = tempDir('visits-host');
  services = createLocalServices({ dataDir: dir, secret: SECRET, demoMode: true, log: createJsonLogger(() => undefined) });
  await seedDemo(services);
  host = await startHost({ services, secret: SECRET, demoMode: true, port: 0 });
  token = signSession(DEMO_PEOPLE.adminPeixin.openid, SECRET, new Date());
});
afterAll(async () => {
  await host.close();
  await services.store.close();
  rmSync(dir, { recursive: true, force: true });
});

const upload = (bytes: Buffer, folder: string) =>
  fetch(`${host.url}/files?folder=${folder}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${token}` }, body: new Uint8Array(bytes) }).then(
    async (r) => ({ status: r.status, body: (await r.json()) as any }),
  );

test('an .xlsx uploaded to imports is checked and imported; wrong types are refused by their bytes', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('住户台账');
  ws.addRow(['网格', '楼栋', '单元', '房号', '户主姓名', '家庭人数']);
  ws.addRow(['第二网格', '30栋', '1单元', '101', '测试户', 2]);
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());

  const ok = await upload(xlsx, 'imports');
  expect(ok.status).toBe(200);
  expect(await upload(makePng(), 'imports')).toMatchObject({ status: 422, body: { ok: false, error: { code: 'FILE.BAD_TYPE' } } });
  expect(await upload(xlsx, 'visits')).toMatchObject({ status: 422, body: { ok: false, error: { code: 'FILE.BAD_TYPE' } } });

  const r = await postJson(`${host.url}/fn/visits`, { action: 'importHouseholds', input: { communityId: REGION_IDS.peixin, fileId: ok.body.data.fileId, mode: 'apply' } }, token);
  expect(r.body).toMatchObject({ ok: true, data: { applied: true, created: 1 } });
});
