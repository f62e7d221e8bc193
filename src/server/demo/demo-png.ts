/** Small real PNG photos for the demo (a scene stand-in in two palettes: before the work, after it). */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

export type Look = 'before' | 'during' | 'after';

/** An 8-bit RGB PNG of `pixel(x, y)`: real bytes, no image library (demo photos, test uploads). */
export function rgbPng(width: number, height: number, pixel: (x: number, y: number) => readonly number[]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const c = pixel(x, y);
      row[1 + x * 3] = c[0]!;
      row[2 + x * 3] = c[1]!;
      row[3 + x * 3] = c[2]!;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Sky, a ground band and a few shapes; `before` is grey and cracked, `after` green and tidy. `seed` shifts the shapes. */
export function demoPng(look: Look, seed: number, width = 160, height = 120): Buffer {
  const ground = look === 'after' ? [96, 168, 92] : look === 'during' ? [170, 140, 96] : [128, 122, 116];
  return rgbPng(width, height, (x, y) => {
    const sky = y < height * 0.45;
    const bench = Math.abs(x - ((seed * 37) % width)) < 14 && y > height * 0.6 && y < height * 0.7;
    const crack = look === 'before' && Math.abs(x - y - (seed % 40)) < 2 && !sky;
    return bench ? [150, 90, 50] : crack ? [60, 56, 52] : sky ? [150 + (y >> 1), 190, 235] : ground;
  });
}
