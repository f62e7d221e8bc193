import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startHost } from './host';
import { coalescingWriter, createJsonLogger } from './log';
import { createLocalServices } from './local-services';
import { seedDemo } from './demo/seed';
import { seedDemoProgress } from './demo/seed-progress';
import { DEMO_NEWCOMER_OPENID, DEMO_PEOPLE, DEMO_STORY_PEOPLE } from './demo/demo-data';

/**
 * `npm run host`: the local host on SQLite in DATA_DIR.
 * Env: PORT (8787), HOST (127.0.0.1), DATA_DIR (.data), DEMO ('1' default, '0' off), SESSION_SECRET,
 * CLOCK_FILE (tests only: see movableClock).
 * The first stdout line is `shishi listening on <url>`; tests wait for it.
 */

/** SESSION_SECRET, or a random one kept in <dataDir>/secret so sessions and file links survive restarts. */
function loadSecret(dataDir: string): string {
  const fromEnv = process.env.SESSION_SECRET;
  if (fromEnv) return fromEnv;
  const file = join(dataDir, 'secret');
  let existing: string | null = null;
  try {
    existing = readFileSync(file, 'utf8').trim();
  } catch {
    // first start: create it below
  }
  if (existing !== null) {
    if (existing.length < 32) throw new Error(`${file} holds no usable secret; delete it to get a new one (signs everyone out)`);
    return existing;
  }
  const secret = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    // Another process wrote it first.
    return readFileSync(file, 'utf8').trim();
  }
}

/**
 * The host's clock: the wall clock, or with CLOCK_FILE set the wall clock plus the milliseconds that file
 * holds (absent or empty: 0). Browser tests write it to move the host past a deadline (a 公示 ending)
 * without waiting; time keeps flowing, so ids and sessions stay ordered.
 */
function movableClock(file: string | undefined): () => Date {
  if (!file) return () => new Date();
  return () => {
    let offset = 0;
    try {
      offset = Number(readFileSync(file, 'utf8').trim() || '0');
    } catch {
      // no file yet: the wall clock
    }
    if (!Number.isFinite(offset)) throw new Error(`${file} must hold a number of milliseconds`);
    return new Date(Date.now() + offset);
  };
}

async function main() {
  const port = Number(process.env.PORT || 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  const host = process.env.HOST || '127.0.0.1';
  const dataDir = resolve(process.env.DATA_DIR || '.data');
  const demoMode = (process.env.DEMO ?? '1') !== '0';
  mkdirSync(dataDir, { recursive: true });

  // JSON lines on stderr, one write per turn of the event loop; stdout carries the listening line
  // and the sign-in help.
  const log = createJsonLogger(coalescingWriter((chunk) => process.stderr.write(chunk)));
  const secret = loadSecret(dataDir);
  const services = createLocalServices({ dataDir, secret, demoMode, log, now: movableClock(process.env.CLOCK_FILE) });
  if (demoMode) {
    await seedDemo(services);
    await seedDemoProgress(services);
  }

  const running = await startHost({
    services,
    secret,
    demoMode,
    port,
    host,
    staticDir: resolve(__dirname, '../../dist/h5'),
  });

  // One write: a reader that sees the listening line sees the help with it.
  const listening = `shishi listening on ${running.url}\n`;
  if (demoMode) {
    const people = [...[...Object.values(DEMO_PEOPLE), ...Object.values(DEMO_STORY_PEOPLE)].map((p) => ({ openid: p.openid, label: p.label })), { openid: DEMO_NEWCOMER_OPENID, label: '新用户 · 尚未加入社区' }];
    const width = Math.max(...people.map((p) => p.openid.length));
    process.stdout.write(
      listening +
        [
          `Demo mode (DEMO=0 turns it off). Open ${running.url}/ and pick a person on the sign-in page, or get a token:`,
          `  curl -s -X POST ${running.url}/auth/demo -H 'Content-Type: application/json' -d '{"openid":"<openid>"}'`,
          ...people.map((p) => `  ${p.openid.padEnd(width)}  ${p.label}`),
          `Data: ${dataDir}`,
          '',
        ].join('\n'),
    );
  } else {
    process.stdout.write(`${listening}Demo mode is off: demo sign-in is disabled. Data: ${dataDir}\n`);
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    running
      .close()
      .then(() => services.store.close())
      .then(
        () => process.exit(0),
        (e: unknown) => {
          log.error('shutdown failed', { error: e instanceof Error ? e.message : String(e) });
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`shishi host failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
