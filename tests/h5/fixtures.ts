/** Test data for the browser layer: a small real PNG, and demo sign-in / submit over HTTP for setup. */
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

/** A width×height RGB PNG with a simple pattern (a street lamp photo stand-in). */
export function makePng(width = 96, height = 64): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const lamp = (x - width / 2) ** 2 + (y - height / 3) ** 2 < (height / 6) ** 2;
      row[1 + x * 3] = lamp ? 250 : 30 + y;
      row[2 + x * 3] = lamp ? 220 : 40 + x;
      row[3 + x * 3] = lamp ? 90 : 90;
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

interface Body<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string };
}

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Body<T>;
  if (!json.ok) throw new Error(`POST ${url} failed: ${json.error?.code} ${json.error?.message}`);
  return json.data as T;
}

/** The demo sign-in the login page uses, done over HTTP (for setup only). */
export const demoToken = async (hostUrl: string, openid: string): Promise<string> =>
  (await post<{ token: string }>(`${hostUrl}/auth/demo`, { openid })).token;

/** Calls an action on the host as `token`. */
export const callAction = <T>(hostUrl: string, token: string, area: string, action: string, input: unknown): Promise<T> =>
  post<T>(`${hostUrl}/fn/${area}`, { action, input }, token);
