import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../src/lib/errors';
import { openLocalFiles } from '../../src/server/files/local';
import { assertOwnPhotos, checkUploadBytes, MAX_PHOTO_BYTES } from '../../src/server/files/photos';

const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return isAppError(e) ? `${e.code} ${/[\u4e00-\u9fa5]/.test(e.message) ? 'zh' : 'no-zh'}` : 'other';
  }
  return 'ok';
};
const asyncCode = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    return isAppError(e) ? e.code : 'other';
  }
  return 'ok';
};

test('sniffs JPEG, PNG and WebP by their bytes', () => {
  expect(checkUploadBytes(jpeg)).toEqual({ contentType: 'image/jpeg', ext: 'jpg' });
  expect(checkUploadBytes(png)).toEqual({ contentType: 'image/png', ext: 'png' });
  expect(checkUploadBytes(webp)).toEqual({ contentType: 'image/webp', ext: 'webp' });
});

test('rejects empty, oversized and other bytes with Chinese messages', () => {
  expect(codeOf(() => checkUploadBytes(Buffer.alloc(0)))).toBe('FILE.EMPTY zh');
  const big = Buffer.concat([png, Buffer.alloc(MAX_PHOTO_BYTES - png.length + 1)]);
  expect(codeOf(() => checkUploadBytes(big))).toBe('FILE.TOO_LARGE zh');
  expect(codeOf(() => checkUploadBytes(Buffer.concat([png, Buffer.alloc(MAX_PHOTO_BYTES - png.length)])))).toBe('ok');
  const others = [
    Buffer.from('GIF89a......'),
    Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    Buffer.from('%PDF-1.7'),
    Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '), // RIFF but not WebP
    Buffer.from([0xff, 0xd8]), // truncated JPEG signature
    png.subarray(0, 7),
    Buffer.from('just text named photo.jpg'),
  ];
  for (const b of others) expect(codeOf(() => checkUploadBytes(b))).toBe('FILE.BAD_TYPE zh');
});

describe('assertOwnPhotos', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shishi-photos-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('accepts own photos, rejects missing, foreign and non-photo files', async () => {
    const files = openLocalFiles({ dir, urlFor: (id) => id });
    const put = (bytes: Buffer, owner: string, contentType = checkUploadBytes(bytes).contentType, ext = 'png') =>
      files.put(bytes, { ownerOpenid: owner, contentType, ext, folder: 'suggestions' });
    const mine = await put(png, 'o-alice');
    const mine2 = await put(jpeg, 'o-alice', 'image/jpeg', 'jpg');
    const theirs = await put(png, 'o-bob');
    const sheet = await files.put(Buffer.from('PK\x03\x04'), { ownerOpenid: 'o-alice', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx', folder: 'exports' });

    await expect(assertOwnPhotos(files, [], 'o-alice')).resolves.toBeUndefined();
    await expect(assertOwnPhotos(files, [mine.fileId, mine2.fileId], 'o-alice')).resolves.toBeUndefined();
    expect(await asyncCode(assertOwnPhotos(files, [mine.fileId, theirs.fileId], 'o-alice'))).toBe('FILE.NOT_OWNER');
    expect(await asyncCode(assertOwnPhotos(files, [mine.fileId, 'local:suggestions/0000000000000000000000.png'], 'o-alice'))).toBe('FILE.NOT_FOUND');
    expect(await asyncCode(assertOwnPhotos(files, ['local:../../etc/passwd'], 'o-alice'))).toBe('FILE.NOT_FOUND');
    expect(await asyncCode(assertOwnPhotos(files, [sheet.fileId], 'o-alice'))).toBe('FILE.BAD_TYPE');
    // errors follow the order of the ids
    expect(await asyncCode(assertOwnPhotos(files, ['nope', theirs.fileId], 'o-alice'))).toBe('FILE.NOT_FOUND');
    expect(await asyncCode(assertOwnPhotos(files, [theirs.fileId, 'nope'], 'o-alice'))).toBe('FILE.NOT_OWNER');
  });
});
