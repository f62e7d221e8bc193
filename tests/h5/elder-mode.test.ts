/**
 * 长辈模式 measured in Chromium on a phone-sized viewport (375×812 @2x), against the H5 build
 * served by a real local host: in elder mode the home, suggest, mine, suggestion, admin inbox and
 * admin detail pages, the residents' board of the ten matters (before and during 公示, with its
 * 议事会签到 section), the printable 公示 sheet, and 老城社区's year carried out (the board's progress, a matter's
 * photo timeline, an accepted matter's result with the rating form) meet
 * the elder-friendly figures (适老化通用设计规范) — text ≥ 18 px with line height ≥ 1.3, tap
 * targets ≥ 60×60 px, contrast ≥ 4.5:1 (axe-core), statuses in words; contrast holds in normal mode.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { STATUS_LABELS } from '../../src/features/suggestions/suggestions.schema';
import { phoneContext, screenshot, startHostAndBrowser, watchPage, type RunningHost } from '../support/chromium';
import { axeContrast, measureElder, MIN_FONT_PX, MIN_LINE_HEIGHT_RATIO, MIN_TAP_PX } from './elder-audit';
import { callAction, demoToken } from './fixtures';

const WAIT = { timeout: 15_000 };
const RESIDENT = 'demo-resident-peixin';
const ADMIN = 'demo-admin-peixin';
/** 肖家坝社区's demo list is in 公示: the board with its countdown and objection buttons. */
const RESIDENT_XJB = 'demo-resident-xiaojiaba';
/** 老城社区's demo year is carried out: its board's progress, a matter's photo timeline, an accepted matter's result. */
const RESIDENT_LC = 'demo-resident-laocheng';

interface Checked {
  name: string;
  who: string;
  path: string;
  /** Present once the page has rendered its data. */
  ready: string;
  /** The resident's read-only detail page has nothing to tap. @default true */
  hasTargets?: boolean;
}

/** Set up in beforeAll: the suggestion the detail pages show. */
const SETUP_ID = 'elder-mode-setup-1';
let suggestionId = '';
/** 老城社区's matters: one in progress, one accepted (found through the board in beforeAll). */
let inProgressId = '';
let acceptedId = '';

const PAGES: Checked[] = [
  { name: 'home', who: RESIDENT, path: '/#/pages/index/index', ready: '#home-suggest' },
  { name: 'suggest', who: RESIDENT, path: '/#/pages/suggest/index?communityId=comm-peixin', ready: '#suggest-submit' },
  { name: 'mine', who: RESIDENT, path: '/#/pages/mine/index', ready: '#mine-item-0' },
  { name: 'suggestion', who: RESIDENT, path: '/#/pages/suggestion/index?id=<id>', ready: '#suggestion-timeline', hasTargets: false },
  { name: 'admin-inbox', who: ADMIN, path: '/#/packages/admin/inbox/index?communityId=comm-peixin', ready: '#inbox-item-0' },
  { name: 'admin-detail', who: ADMIN, path: '/#/packages/admin/detail/index?id=<id>&communityId=comm-peixin', ready: '#reply-submit' },
  { name: 'board', who: RESIDENT, path: '/#/packages/matters/board/index', ready: '#board-stage' },
  { name: 'board-publicity', who: RESIDENT_XJB, path: '/#/packages/matters/board/index', ready: '#board-object-0' },
  { name: 'notice', who: RESIDENT_XJB, path: '/#/packages/matters/notice/index', ready: '#notice-item-1' },
  { name: 'board-progress', who: RESIDENT_LC, path: '/#/packages/matters/board/index', ready: '#board-matter-1' },
  { name: 'matter', who: RESIDENT_LC, path: '/#/packages/matters/matter/index?id=<matter>', ready: '#matter-timeline' },
  { name: 'result', who: RESIDENT_LC, path: '/#/packages/matters/result/index?id=<accepted>', ready: '#result-submit' },
];
const byName = (name: string) => PAGES.find((p) => p.name === name)!;

let host: RunningHost;
let browser: Browser;
const tokens = new Map<string, string>();
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ({ host, browser } = await startHostAndBrowser());
  try {
    for (const who of [RESIDENT, ADMIN, RESIDENT_XJB, RESIDENT_LC]) tokens.set(who, await demoToken(host.url, who));
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    const board = await callAction<{ items: { _id: string; state: string }[] }>(host.url, tokens.get(RESIDENT_LC)!, 'matters', 'listMatters', { communityId: 'comm-laocheng', year });
    inProgressId = board.items.find((m) => m.state === 'in_progress')?._id ?? '';
    acceptedId = board.items.find((m) => m.state === 'accepted')?._id ?? '';
    // Something to list: one suggestion from the resident, so 我的建议 and the inbox show statuses.
    const created = await callAction<{ _id: string }>(host.url, tokens.get(RESIDENT)!, 'suggestions', 'submit', {
      requestId: SETUP_ID,
      communityId: 'comm-peixin',
      category: '养老助餐',
      text: '希望社区食堂增加软烂易嚼的菜品，方便牙口不好的老人',
      photos: [],
      showName: false,
    });
    suggestionId = created._id;
  } catch (e) {
    throw new Error(`Setup through the host failed: ${(e as Error).message}\nHost output (last lines):\n${host.output().slice(-3000)}`);
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

/** A phone context signed in as `who` (the token the demo sign-in page would store), elder mode optional. */
async function contextFor(who: string, elder: 'on' | 'off' | null): Promise<BrowserContext> {
  const ctx = await phoneContext(browser);
  contexts.push(ctx);
  const session = { token: tokens.get(who), openid: who, label: who };
  // Taro H5 keeps storage as JSON `{ data }` in localStorage.
  await ctx.addInitScript(
    ({ session, elder }) => {
      localStorage.setItem('shishi.session', JSON.stringify({ data: session }));
      if (elder) localStorage.setItem('shishi.elder', JSON.stringify({ data: elder }));
    },
    { session, elder },
  );
  return ctx;
}

async function openChecked(ctx: BrowserContext, c: Checked): Promise<{ page: Page; errors: string[] }> {
  const page = await ctx.newPage();
  const { errors } = watchPage(page);
  const path = c.path.replace('<id>', encodeURIComponent(suggestionId)).replace('<matter>', encodeURIComponent(inProgressId)).replace('<accepted>', encodeURIComponent(acceptedId));
  await page.goto(`${host.url}${path}`);
  try {
    await page.locator(c.ready).first().waitFor({ state: 'visible', ...WAIT });
  } catch {
    throw new Error(`${c.name}: ${c.ready} never showed on ${page.url()}; page text: ${(await page.innerText('body')).slice(0, 300)}`);
  }
  // Fonts and late layout settle before measuring.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return { page, errors };
}

const isElderPage = (page: Page) => page.evaluate(() => !!document.querySelector('.app-page.elder'));

describe('normal mode', () => {
  test.each(PAGES.map((c) => [c.name, c] as const))('%s: no color-contrast violations (axe-core)', async (_name, c) => {
    const ctx = await contextFor(c.who, 'off');
    const { page, errors } = await openChecked(ctx, c);
    expect(await isElderPage(page)).toBe(false);
    await screenshot(page, 'h5', `normal-${c.name}`);
    const violations = await axeContrast(page);
    expect({ page: c.name, contrastViolations: violations }).toEqual({ page: c.name, contrastViolations: [] });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('elder mode', () => {
  test('the switch on the home page turns it on, and it is remembered', async () => {
    const ctx = await contextFor(RESIDENT, null);
    const { page } = await openChecked(ctx, byName('home'));
    const sw = page.locator('#elder-switch');
    await expect(sw.getAttribute('aria-checked')).resolves.toBe('false');
    expect(await isElderPage(page)).toBe(false);
    const before = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('#home-community .title')!).fontSize));

    await sw.click();
    await page.locator('#page-home.elder').waitFor(WAIT);
    await expect(sw.getAttribute('aria-checked')).resolves.toBe('true');
    await expect(sw.innerText()).resolves.toContain('已开启');
    const after = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('#home-community .title')!).fontSize));
    expect(after).toBeGreaterThan(before);
    await expect(page.evaluate(() => localStorage.getItem('shishi.elder'))).resolves.toBe(JSON.stringify({ data: 'on' }));
    await screenshot(page, 'h5', 'elder-switched-on-home');

    // Remembered: a fresh load of another page opens in elder mode.
    const { page: next } = await openChecked(ctx, byName('mine'));
    expect(await isElderPage(next)).toBe(true);

    // And it switches back off.
    await page.bringToFront();
    await sw.click();
    await page.waitForFunction(() => !document.querySelector('.app-page.elder'), undefined, WAIT);
    await expect(page.evaluate(() => localStorage.getItem('shishi.elder'))).resolves.toBe(JSON.stringify({ data: 'off' }));
    await page.close();
    await next.close();
  }, 60_000);

  test.each(PAGES.map((c) => [c.name, c] as const))('%s: text, line height, tap targets and contrast meet the elder figures', async (_name, c) => {
    const ctx = await contextFor(c.who, 'on');
    const { page, errors } = await openChecked(ctx, c);
    expect(await isElderPage(page)).toBe(true);
    await screenshot(page, 'h5', `elder-${c.name}`);

    const m = await measureElder(page);
    // A check that measured nothing proves nothing.
    expect(m.measuredText).toBeGreaterThan(3);
    if (c.hasTargets !== false) expect(m.measuredTargets).toBeGreaterThan(0);
    expect({ page: c.name, [`text under ${MIN_FONT_PX}px`]: m.smallText }).toEqual({ page: c.name, [`text under ${MIN_FONT_PX}px`]: [] });
    expect({ page: c.name, [`line height under ${MIN_LINE_HEIGHT_RATIO}×`]: m.tightLines }).toEqual({
      page: c.name,
      [`line height under ${MIN_LINE_HEIGHT_RATIO}×`]: [],
    });
    expect({ page: c.name, [`tap targets under ${MIN_TAP_PX}×${MIN_TAP_PX}px`]: m.smallTargets }).toEqual({
      page: c.name,
      [`tap targets under ${MIN_TAP_PX}×${MIN_TAP_PX}px`]: [],
    });
    const violations = await axeContrast(page);
    expect({ page: c.name, contrastViolations: violations }).toEqual({ page: c.name, contrastViolations: [] });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test.each(['mine', 'suggestion', 'admin-inbox', 'admin-detail'].map((n) => [n, byName(n)] as const))('%s: every status is written out, not shown by colour alone', async (_name, c) => {
    const ctx = await contextFor(c.who, 'on');
    const { page } = await openChecked(ctx, c);
    const tags = await page.$$eval('.status-tag', (els) =>
      els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => (e.textContent ?? '').trim()),
    );
    expect(tags.length).toBeGreaterThan(0);
    const labels = Object.values(STATUS_LABELS);
    for (const t of tags) expect(labels).toContain(t);
    await page.close();
  }, 60_000);
});
