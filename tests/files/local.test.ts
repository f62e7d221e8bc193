/** Local files on a real temp dir: round trip, durability layout, strict ids, crash survival. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openLocalFiles } from '../../src/server/files/local';
import type { FilesPort } from '../../src/server/files/files';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
let dir: string;
let files: FilesPort;
const at = new Date('2024-05-01T08:00:00.000Z');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shishi-files-'));
  files = openLocalFiles({ dir, urlFor: (id) => `/u/${encodeURIComponent(id)}`, now: () => at });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('put, stat, read and urls round trip', async () => {
  const meta = await files.put(png, { ownerOpenid: 'o-alice', contentType: 'image/png', ext: 'png', folder: 'suggestions' });
  expect(meta).toEqual({
    fileId: expect.stringMatching(/^local:suggestions\/[0-9a-v]{22}\.png$/),
    ownerOpenid: 'o-alice',
    contentType: 'image/png',
    size: png.length,
    createdAt: at.toISOString(),
  });
  expect(await files.stat(meta.fileId)).toEqual(meta);
  expect((await files.read(meta.fileId))?.equals(png)).toBe(true);
  expect(await files.urls([meta.fileId, meta.fileId, 'local:suggestions/0000000000000000000000.png'])).toEqual({
    [meta.fileId]: `/u/${encodeURIComponent(meta.fileId)}`,
  });
  // bytes and sidecar, no temp files left behind
  const name = meta.fileId.split('/')[1] as string;
  expect(readdirSync(join(dir, 'suggestions')).sort()).toEqual([name, `${name}.json`]);
});

test('ids are unique per upload', async () => {
  const ids = await Promise.all(
    Array.from({ length: 20 }, () => files.put(png, { ownerOpenid: 'o', contentType: 'image/png', ext: 'png', folder: 'f' })),
  );
  expect(new Set(ids.map((m) => m.fileId)).size).toBe(20);
});

test('forged and traversal ids are rejected without touching the disk outside dir', async () => {
  // a secret file just outside the files dir
  const outside = join(dir, '..', `secret-${Date.now()}.png`);
  writeFileSync(outside, png);
  writeFileSync(`${outside}.json`, JSON.stringify({ fileId: 'x', ownerOpenid: 'o', contentType: 'image/png', size: 1, createdAt: '' }));
  try {
    const base = `${outside.split('/').pop()}`;
    const forged = [
      `local:../${base}`,
      `local:suggestions/../../${base}`,
      'local:suggestions/..%2F..%2Fetc%2Fpasswd',
      'local:/etc/passwd',
      'local:suggestions/0000000000000000000000.png/../x',
      'local:suggestions\\0000000000000000000000.png',
      'local:sugg estions/0000000000000000000000.png',
      'local:suggestions/0000000000000000000000.PNG',
      'local:suggestions/0000000000000000000000.png\u0000',
      'cloud://env/uploads/o/suggestions/x.png',
      '',
      'local:',
    ];
    for (const id of forged) {
      expect(await files.stat(id)).toBeNull();
      expect(await files.read(id)).toBeNull();
    }
    expect(await files.urls(forged)).toEqual({});
  } finally {
    rmSync(outside, { force: true });
    rmSync(`${outside}.json`, { force: true });
  }
});

test('a sidecar that names another file does not validate', async () => {
  const a = await files.put(png, { ownerOpenid: 'o-a', contentType: 'image/png', ext: 'png', folder: 'f' });
  const fake = 'local:f/0000000000000000000000.png';
  mkdirSync(join(dir, 'f'), { recursive: true });
  writeFileSync(join(dir, 'f', '0000000000000000000000.png'), png);
  writeFileSync(join(dir, 'f', '0000000000000000000000.png.json'), JSON.stringify({ ...a }));
  expect(await files.stat(fake)).toBeNull();
});

test('bad folder, extension or owner are programming errors', async () => {
  const put = (folder: string, ext: string, ownerOpenid = 'o') => files.put(png, { ownerOpenid, contentType: 'image/png', ext, folder });
  await expect(put('../x', 'png')).rejects.toThrow(/folder/);
  await expect(put('a/b', 'png')).rejects.toThrow(/folder/);
  await expect(put('f', 'p/g')).rejects.toThrow(/extension/);
  await expect(put('f', 'png', '')).rejects.toThrow(/owner/);
  expect(readdirSync(dir)).toEqual([]);
});

test('bytes without their sidecar (a crash mid-upload) are invisible', async () => {
  mkdirSync(join(dir, 'f'));
  writeFileSync(join(dir, 'f', '0000000000000000000000.png'), png);
  expect(await files.stat('local:f/0000000000000000000000.png')).toBeNull();
  expect(await files.read('local:f/0000000000000000000000.png')).toBeNull();
});

test('an acknowledged upload survives kill -9', async () => {
  const script = `
    const { openLocalFiles } = require(${JSON.stringify(resolve(__dirname, '../../src/server/files/local'))});
    const files = openLocalFiles({ dir: ${JSON.stringify(dir)}, urlFor: (id) => id });
    const bytes = Buffer.alloc(64 * 1024, 7);
    (async () => { for (;;) { const m = await files.put(bytes, { ownerOpenid: 'o', contentType: 'image/png', ext: 'png', folder: 'f' }); process.stdout.write('ack ' + m.fileId + '\\n'); } })();
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked: string[] = [];
  let buf = '';
  await new Promise<void>((done, fail) => {
    child.on('error', fail);
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('ack ')) acked.push(l.slice(4));
      if (acked.length >= 30 && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', () => done());
  });
  expect(acked.length).toBeGreaterThanOrEqual(30);
  for (const id of acked) {
    expect((await files.stat(id))?.size).toBe(64 * 1024);
    expect((await files.read(id))?.length).toBe(64 * 1024);
  }
}, 30_000);
