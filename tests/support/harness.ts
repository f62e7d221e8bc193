import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '../../src/lib/errors';
import type { Services } from '../../src/server/action';
import { areas } from '../../src/server/areas';
import { seedDemo } from '../../src/server/demo/seed';
import { dispatch } from '../../src/server/dispatch';
import { createLocalServices } from '../../src/server/local-services';
import { createJsonLogger, type LogLine } from '../../src/server/log';
import { checkUploadBytes } from '../../src/server/files/photos';
import { openStandInStore } from '../store/cloudbase-standin';
import { IMAGES, type ImageKind } from './images';

/**
 * Which store the action suites run on: `sqlite` (default) or `cloudbase-standin` (the real CloudBase
 * adapter and SDK client over tests/store/cloudbase-standin.ts). jest.config.js runs them on both.
 */
export type TestStore = 'sqlite' | 'cloudbase-standin';
export function testStore(): TestStore {
  const v = process.env.SHISHI_TEST_STORE ?? 'sqlite';
  if (v !== 'sqlite' && v !== 'cloudbase-standin') throw new Error(`SHISHI_TEST_STORE: unknown store ${v}`);
  return v;
}

/** Action tests: a fresh temp dir with a real store (SQLite, or the CloudBase stand-in: see testStore), seeded with the demo data, driven through dispatch. */
export interface Harness {
  services: Services;
  dataDir: string;
  /** Every log line written so far (already scrubbed, as in production). */
  logs: LogLine[];
  call(area: string, action: string, input: unknown, openid: string | null): Promise<Result<any>>;
  setNow(d: Date): void;
  advance(ms: number): void;
  uploadPhoto(openid: string, kind?: ImageKind): Promise<string>;
  close(): Promise<void>;
}

/** A Monday morning in Shanghai (10:00 +08:00); tests that care about days set their own. */
export const DEFAULT_NOW = new Date('2025-03-03T02:00:00.000Z');
export const TEST_SECRET = 'test-secret-not-for-production';

/**
 * RAM-backed when the machine has /dev/shm: fsyncs cost nothing there, so a harness is ~10 ms instead
 * of ~60 ms. Same SQLite code and settings; durability has its own tests on a real disk.
 */
function scratchRoot(): string {
  if (process.env.SHISHI_TEST_TMP) return process.env.SHISHI_TEST_TMP;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

export async function createHarness(opts: { now?: Date } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(scratchRoot(), 'shishi-test-'));
  let current = (opts.now ?? DEFAULT_NOW).getTime();
  const logs: LogLine[] = [];
  // On the stand-in project the store is CloudBase's adapter over the in-memory service; files stay on disk.
  const services = createLocalServices({
    dataDir,
    secret: TEST_SECRET,
    demoMode: true,
    now: () => new Date(current),
    log: createJsonLogger((line) => logs.push(JSON.parse(line) as LogLine)),
    ...(testStore() === 'cloudbase-standin' ? { store: openStandInStore() } : {}),
  });
  await seedDemo(services);
  let seq = 0;
  let closed = false;
  return {
    services,
    dataDir,
    logs,
    call: (area, action, input, openid) =>
      dispatch(areas, area, { action, input }, openid === null ? null : { openid }, services, `test-${++seq}`),
    setNow: (d) => {
      current = d.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
    async uploadPhoto(openid, kind = 'jpeg') {
      // The host's upload path: type from the bytes, then storage.
      const bytes = IMAGES[kind];
      const { contentType, ext } = checkUploadBytes(bytes);
      return (await services.files.put(bytes, { ownerOpenid: openid, contentType, ext, folder: 'photos' })).fileId;
    },
    async close() {
      if (closed) return;
      closed = true;
      await services.store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** 'OK' or the error code: handy for role matrices. */
export const codeOf = (r: Result<unknown>): string => (r.ok ? 'OK' : r.error.code);

/** The data of a successful result; fails the test with the error otherwise. */
export function dataOf<T = any>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.data;
}
