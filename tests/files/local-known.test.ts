/** The local adapter remembers files it has seen (metadata never changes), never their absence. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalFiles } from '../../src/server/files/local';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shishi-files-known-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () => openLocalFiles({ dir, urlFor: (id) => `/u/${encodeURIComponent(id)}` });

test('absence is not remembered: a file that appears after a miss is found', async () => {
  const files = open();
  const id = 'local:f/0000000000000000000000.png';
  expect(await files.stat(id)).toBeNull();
  expect(await files.urls([id])).toEqual({});
  // Another host process on the same folder finishes writing it.
  const meta = { fileId: id, ownerOpenid: 'o-a', contentType: 'image/png', size: png.length, createdAt: '2025-01-01T00:00:00.000Z' };
  mkdirSync(join(dir, 'f'), { recursive: true });
  writeFileSync(join(dir, 'f', '0000000000000000000000.png'), png);
  writeFileSync(join(dir, 'f', '0000000000000000000000.png.json'), JSON.stringify(meta));
  expect(await files.stat(id)).toEqual(meta);
  expect(await files.urls([id])).toEqual({ [id]: `/u/${encodeURIComponent(id)}` });
});

test('callers get their own copy of remembered metadata', async () => {
  const files = open();
  const meta = await files.put(png, { ownerOpenid: 'o-a', contentType: 'image/png', ext: 'png', folder: 'f' });
  const a = await files.stat(meta.fileId);
  a!.ownerOpenid = 'someone-else';
  expect((await files.stat(meta.fileId))?.ownerOpenid).toBe('o-a');
  meta.ownerOpenid = 'changed-by-caller';
  expect((await files.stat(meta.fileId))?.ownerOpenid).toBe('o-a');
});
