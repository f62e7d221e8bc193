/**
 * Browser-test support: Chromium through playwright-core, a local host child process on a free
 * port with its own data folder, and screenshots under test-artifacts/ (git-ignored).
 * See ../shared/TOOLCHAIN.md, "Browser tests".
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const H5_DIST = join(ROOT, 'dist/h5');

/** Without the background-networking flags Chromium floods the closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const withLock = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  // mkdir is atomic: two jest workers must not unpack the same binary at once.
  const lock = join(tmpdir(), `${name}.lock`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is stale after two minutes.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Lock ${lock} held for over 60 s; remove it if no test is running.`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmdirSync(lock);
  }
};

let executable: Promise<string> | null = null;

/** /usr/bin/chromium (apt) if present, else the binary shipped in @sparticuz/chromium (unpacked to /tmp once). */
export function chromiumExecutable(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return Promise.resolve(process.env.CHROMIUM_PATH);
  if (existsSync('/usr/bin/chromium')) return Promise.resolve('/usr/bin/chromium');
  executable ??= withLock('shishi-sparticuz-chromium', () =>
    // The package is ESM-only; jest's CommonJS runtime cannot import it, so ask a child node.
    new Promise<string>((ok, ko) => {
      execFile(
        process.execPath,
        ['-e', "import('@sparticuz/chromium').then(m => m.default.executablePath()).then(p => process.stdout.write(p))"],
        { cwd: ROOT, timeout: 60_000 },
        (err, stdout, stderr) => {
          if (err || !stdout) ko(new Error(`Could not unpack @sparticuz/chromium: ${err?.message ?? ''}\n${stderr}`));
          else ok(stdout.trim());
        },
      );
    }),
  );
  return executable;
}

/**
 * Launches headless Chromium. playwright-core gives every launch a fresh temporary profile
 * (--user-data-dir); it refuses that flag in `args`, so it is not passed here.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = await chromiumExecutable();
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}

/** A phone-sized context: 375×812 CSS px at device scale factor 2, Chinese locale. */
export function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

/** Fails the test on uncaught page errors; returns what the page logged, for failure messages. */
export function watchPage(page: Page): { errors: string[]; log: string[] } {
  const errors: string[] = [];
  const log: string[] = [];
  page.on('pageerror', (e) => errors.push(e.stack ?? e.message));
  page.on('console', (m) => {
    log.push(`[${m.type()}] ${m.text()}`);
    if (log.length > 200) log.shift();
  });
  return { errors, log };
}

let shotCounter = 0;
/** Screenshot of the whole page content at test-artifacts/<folder>/<nn>-<name>.png; returns the path. */
export async function screenshot(page: Page, folder: string, name: string): Promise<string> {
  const dir = join(ARTIFACTS, folder);
  mkdirSync(dir, { recursive: true });
  shotCounter += 1;
  const file = join(dir, `${String(shotCounter).padStart(2, '0')}-${name}.png`);
  // Taro H5 scrolls inside its page container, so a "full page" shot would stop at the viewport:
  // grow the viewport to the content for the shot, then put it back.
  const size = page.viewportSize();
  const height = await page.evaluate(() =>
    Math.max(document.documentElement.scrollHeight, ...Array.from(document.querySelectorAll('.taro_page, .taro_page_stationed, .app-page')).map((e) => e.scrollHeight)),
  );
  if (size && height > size.height) await page.setViewportSize({ width: size.width, height: Math.min(height, 6000) });
  // Not fullPage: Taro's page transitions leave off-screen layers that would widen the shot.
  await page.screenshot({ path: file });
  if (size && height > size.height) await page.setViewportSize(size);
  return file;
}

export interface RunningHost {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the host wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `tsx src/server/host-main.ts` in demo mode on a free port (PORT=0) with a fresh DATA_DIR
 * and resolves once it prints `shishi listening on <url>`.
 */
export async function startHost(
  opts: { env?: Record<string, string>; dataDir?: string; timeoutMs?: number; requireH5?: boolean } = {},
): Promise<RunningHost> {
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'shishi-h5-'));
  if (opts.requireH5 !== false && !existsSync(join(H5_DIST, 'index.html'))) {
    throw new Error(`No H5 build at ${H5_DIST}: run \`npx taro build --type h5\` first (npm test does).`);
  }
  const tsxCli = createRequire(join(ROOT, 'package.json')).resolve('tsx/cli');
  const child = spawn(process.execPath, [tsxCli, 'src/server/host-main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const url = await new Promise<string>((ok, ko) => {
    const timer = setTimeout(() => ko(new Error(`Host did not print its ready line within ${opts.timeoutMs ?? 30_000} ms.\n${out}`)), opts.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /shishi listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      ko(new Error(`Host exited (code ${code}) before it was ready.\n${out}`));
    });
  });

  return {
    url,
    dataDir,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Host and browser started side by side; if either fails, the other is stopped before rethrowing. */
export async function startHostAndBrowser(opts?: Parameters<typeof startHost>[0]): Promise<{ host: RunningHost; browser: Browser }> {
  const [h, b] = await Promise.allSettled([startHost(opts), launchChromium()]);
  if (h.status === 'fulfilled' && b.status === 'fulfilled') return { host: h.value, browser: b.value };
  if (h.status === 'fulfilled') await h.value.stop();
  if (b.status === 'fulfilled') await b.value.close();
  throw h.status === 'rejected' ? h.reason : (b as PromiseRejectedResult).reason;
}
