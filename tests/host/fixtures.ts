import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { deflateSync } from 'node:zlib';

export const ROOT = join(__dirname, '..', '..');

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `shishi-${prefix}-`));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer): number => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer): Buffer => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

/** A real, decodable RGB PNG of `w`×`h` pixels. */
export function makePng(w = 2, h = 2, rgb: [number, number, number] = [200, 40, 40]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Every file under `dir` (relative path → size), minus SQLite's own files. */
export function listFiles(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.db(-wal|-shm|-journal)?$/.test(e.name)) out[relative(dir, p)] = statSync(p).size;
    }
  };
  walk(dir);
  return out;
}

export interface HostProcess {
  child: ChildProcess;
  url: string;
  /** Everything the child printed on stdout so far. */
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `src/server/host-main.ts` as one node process (tsx as a loader, not tsx's CLI, whose
 * wrapper would survive a SIGKILL meant for the host) and waits for its listening line.
 */
export function spawnHost(env: Record<string, string>, timeoutMs = 20000): Promise<HostProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/host-main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.once('exit', (code, signal) => ok({ code, signal })),
  );
  return new Promise((ok, ko) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      ko(new Error(`host did not start in ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: string) => {
      out += d;
      const m = /^shishi listening on (http:\/\/\S+)$/m.exec(out);
      if (m && timer) {
        clearTimeout(timer);
        ok({ child, url: m[1]!, stdout: () => out, stderr: () => err, exited });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      ko(new Error(`host exited before listening (code ${code}, signal ${signal})\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

export async function postJson(url: string, body: unknown, token?: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

export async function demoToken(base: string, openid: string): Promise<string> {
  const r = await postJson(`${base}/auth/demo`, { openid });
  if (r.status !== 200 || !r.body.ok) throw new Error(`demo sign-in failed: ${JSON.stringify(r.body)}`);
  return r.body.data.token as string;
}
