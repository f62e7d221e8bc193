/**
 * Shared set-up for the H5 flow tests: a real local host and Chromium for the whole file, phone-sized
 * pages watched for uncaught errors (any fails the test that caused it), demo sign-in through the login page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { phoneContext, screenshot, startHostAndBrowser, watchPage, type RunningHost, type startHost } from '../support/chromium';

export const WAIT = { timeout: 15_000 };

export interface H5Session {
  /** Set in beforeAll. */
  host: RunningHost;
  browser: Browser;
  /** A page in a fresh phone context. */
  newPage(name: string): Promise<Page>;
  /** Watches a page opened some other way (a second tab). */
  watch(page: Page, name: string): Page;
}

/** Registers the hooks: start host (with `host` options, e.g. its env) and browser before the file, stop them after, check pages after each test. */
export function useH5(host?: Parameters<typeof startHost>[0]): H5Session {
  const contexts: BrowserContext[] = [];
  const watched: { name: string; errors: string[]; log: string[] }[] = [];
  const session: H5Session = {
    host: undefined as unknown as RunningHost,
    browser: undefined as unknown as Browser,
    async newPage(name) {
      const ctx = await phoneContext(session.browser);
      contexts.push(ctx);
      return session.watch(await ctx.newPage(), name);
    },
    watch(page, name) {
      page.setDefaultTimeout(WAIT.timeout);
      watched.push({ name, ...watchPage(page) });
      return page;
    },
  };
  beforeAll(async () => {
    ({ host: session.host, browser: session.browser } = await startHostAndBrowser(host));
  }, 90_000);
  afterAll(async () => {
    for (const ctx of contexts.splice(0)) await ctx.close().catch(() => undefined);
    await session.browser?.close();
    await session.host?.stop();
  });
  afterEach(() => {
    for (const w of watched) {
      if (w.errors.length) throw new Error(`Uncaught errors in the ${w.name} page:\n${w.errors.join('\n')}\nLast console lines:\n${w.log.slice(-15).join('\n')}`);
    }
  });
  return session;
}

/** The login page lists demo people; tapping one signs in and lands on the home page (`ready` shown). */
export async function signIn(page: Page, hostUrl: string, openid: string, opts: { ready?: string; shot?: string } = {}): Promise<void> {
  await page.goto(`${hostUrl}/`);
  // Without a session the home page sends people to the sign-in page.
  await page.waitForURL(/#\/pages\/login\/index/, WAIT);
  const person = page.locator(`#login-${openid}`);
  if (opts.shot) {
    await person.waitFor(WAIT);
    await screenshot(page, 'h5', opts.shot);
  }
  await person.click();
  await page.locator(opts.ready ?? '#page-home #home-community').waitFor(WAIT);
}

/** Waits until the element's text contains `text`; fails naming what it saw instead. */
export async function expectText(page: Page, selector: string, text: string): Promise<void> {
  const el = page.locator(selector).first();
  try {
    await page.waitForFunction(
      ({ selector, text }) => document.querySelector(selector)?.textContent?.includes(text) ?? false,
      { selector, text },
      WAIT,
    );
  } catch {
    const seen = (await el.count()) ? (await el.innerText()).slice(0, 300) : '(no such element)';
    throw new Error(`Expected ${selector} to contain "${text}" on ${page.url()}; it shows: ${seen}`);
  }
}
