/**
 * The CloudBase files adapter against a stand-in for the SDK's storage calls (no credentials, no network):
 * path layout, owner from the path, sniffing in stat, and URL batches of at most 50.
 */
import { openCloudbaseFiles, parseCloudFileId } from '../../src/server/files/cloudbase';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9]);
const ENV = 'cloud://prod-1a2b.7072-prod-1a2b-1300000000';

/** Minimal in-memory storage with the SDK's method names and result shapes. */
function fakeStorage() {
  const blobs = new Map<string, Buffer>();
  const urlCalls: number[] = [];
  return {
    blobs,
    urlCalls,
    app: {
      async uploadFile({ cloudPath, fileContent }: { cloudPath: string; fileContent: Buffer }) {
        const fileID = `${ENV}/${cloudPath}`;
        blobs.set(fileID, fileContent);
        return { fileID };
      },
      async downloadFile({ fileID }: { fileID: string }) {
        const b = blobs.get(fileID);
        if (!b) throw Object.assign(new Error('file not exist'), { code: 'STORAGE_FILE_NONEXIST' });
        return { fileContent: b };
      },
      async getTempFileURL({ fileList }: { fileList: string[] }) {
        if (fileList.length > 50) throw new Error('too many');
        urlCalls.push(fileList.length);
        return {
          fileList: fileList.map((fileID) =>
            blobs.has(fileID) ? { fileID, code: 'SUCCESS', tempFileURL: `https://tmp/${fileID.split('/').pop()}` } : { fileID, code: 'STORAGE_FILE_NONEXIST' },
          ),
        };
      },
    },
  };
}

test('put lays files out under uploads/<openid>/<folder>/ and stat sniffs the bytes', async () => {
  const s = fakeStorage();
  const files = openCloudbaseFiles(s.app);
  const m = await files.put(png, { ownerOpenid: 'oAbC-12_x', contentType: 'image/png', ext: 'png', folder: 'suggestions' });
  expect(m.fileId).toMatch(new RegExp(`^${ENV.replace(/[.]/g, '\\.')}/uploads/oAbC-12_x/suggestions/[0-9a-v]{22}\\.png$`));
  const st = await files.stat(m.fileId);
  expect(st).toMatchObject({ fileId: m.fileId, ownerOpenid: 'oAbC-12_x', contentType: 'image/png', size: png.length });
  expect(Math.abs(Date.parse(st!.createdAt) - Date.parse(m.createdAt))).toBeLessThan(2);
  expect((await files.read(m.fileId))?.equals(png)).toBe(true);

  // a client-uploaded file named .jpg that is not an image: stat reports what the bytes are
  const fake = `${ENV}/uploads/oAbC-12_x/suggestions/evil.jpg`;
  s.blobs.set(fake, Buffer.from('<html>'));
  expect((await files.stat(fake))?.contentType).toBe('application/octet-stream');
});

test('ids outside the layout, traversal and missing files give null', async () => {
  const s = fakeStorage();
  const files = openCloudbaseFiles(s.app);
  const bad = [
    `${ENV}/other/o1/suggestions/x.png`,
    `${ENV}/uploads/o1/x.png`,
    `${ENV}/uploads/../o1/suggestions/x.png`,
    `${ENV}/uploads/o1/suggestions/../x.png`,
    `${ENV}/uploads/o1/suggestions/..`,
    `${ENV}/uploads/o1/a/b/x.png`,
    'local:suggestions/0000000000000000000000.png',
    `${ENV}/uploads/o1/suggestions/missing.png`,
  ];
  for (const id of bad) {
    expect(await files.stat(id)).toBeNull();
    expect(await files.read(id)).toBeNull();
  }
  expect(parseCloudFileId(`${ENV}/uploads/o1/suggestions/a.png`)).toEqual({ owner: 'o1', folder: 'suggestions', name: 'a.png' });
  await expect(files.put(png, { ownerOpenid: '../o2', contentType: 'image/png', ext: 'png', folder: 'f' })).rejects.toThrow(/openid/);
});

test('urls asks for at most 50 ids a call and skips missing files', async () => {
  const s = fakeStorage();
  const files = openCloudbaseFiles(s.app);
  const ids: string[] = [];
  for (let i = 0; i < 120; i++) ids.push((await files.put(png, { ownerOpenid: 'o1', contentType: 'image/png', ext: 'png', folder: 'f' })).fileId);
  const missing = `${ENV}/uploads/o1/f/missing.png`;
  const urls = await files.urls([...ids, missing, ids[0] as string]);
  expect(Object.keys(urls)).toHaveLength(120);
  expect(urls[missing]).toBeUndefined();
  expect(s.urlCalls).toEqual([50, 50, 21]);
});
