/**
 * The printable 公示 sheet and the poster of the final ten, in Chromium against the H5 build on a real
 * local host. The data folder is prepared first, in this process, through dispatch with the clock nine
 * days back: the demo seed, then 培新街社区's ten items through the four meetings and into 公示; back at
 * the real time (公示 over) the list is fixed. 肖家坝社区's demo slate stays in 公示 (the 拟定 sheet).
 * Print media: no buttons or app chrome, nothing wider than A4 (794 CSS px), page.pdf in A4 is ≤ 2 pages.
 * Artifacts: test-artifacts/print/notice-fixed.pdf, test-artifacts/h5/*-print-*.png, *-poster-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { shanghaiDay } from '../../src/lib/time';
import { areas } from '../../src/server/areas';
import { seedDemo } from '../../src/server/demo/seed';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { dispatch } from '../../src/server/dispatch';
import { createLocalServices } from '../../src/server/local-services';
import { readAll } from '../../src/server/read-all';
import { demands } from '../../src/features/matters/matters.collections';
import { ARTIFACTS, phoneContext, screenshot, startHostAndBrowser, watchPage, type RunningHost } from '../support/chromium';
import { axeContrast, measureElder } from './elder-audit';
import { demoToken } from './fixtures';

const WAIT = { timeout: 15_000 };
const DAY = 24 * 3600_000;
const A4_WIDTH_PX = 794;
const TEN = [
  '孝义食堂（老年助餐点）',
  '老旧楼栋楼道照明改造，2栋3单元和5栋的楼道灯长期损坏，晚上上楼只能打手电',
  '巷口积水改造',
  '社区广场健身器材更新',
  '老旧小区加装电梯',
  '汉江步道增设垃圾桶和路灯',
  '背街小巷路面硬化',
  '电动自行车集中充电棚建设',
  '社区卫生服务站延时服务',
  '小区监控补盲与门禁改造',
];
const start = new Date(Date.now() - 9 * DAY);
const YEAR = Number(shanghaiDay(start).slice(0, 4));

let host: RunningHost;
let browser: Browser;
let dataDir = '';
const contexts: BrowserContext[] = [];

/** Prepares the data folder through dispatch (the same checks as over HTTP), then closes its store. */
async function prepare(dir: string): Promise<void> {
  let now = start.getTime();
  const services = createLocalServices({ dataDir: dir, secret: 'print-poster-test-secret-0123456789abcdef', demoMode: true, now: () => new Date(now) });
  let seq = 0;
  const call = async (openid: string, action: string, input: unknown): Promise<any> => {
    const r = await dispatch(areas, 'matters', { action, input }, { openid }, services, `prep-${++seq}`);
    if (!r.ok) throw new Error(`matters.${action}: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  try {
    await seedDemo(services);
    const admin = P.adminPeixin.openid;
    const key = { communityId: R.peixin, year: YEAR };
    const ids: string[] = [];
    for (const [i, title] of TEN.entries()) {
      const d = await call(admin, 'createDemand', { requestId: `print-poster-${i}`, ...key, title: title.slice(0, 40), category: '公共设施', note: '居民议事会提出' });
      if (i % 4 !== 3) await call(admin, 'assessDemand', { id: d._id, cost: (i + 1) * 3_500_000, funding: ['fiscal'], beneficiaries: 100 + i });
      ids.push(d._id);
    }
    const votes = Object.fromEntries(ids.map((id) => [id, { for: 9, against: 0, abstain: 0 }]));
    const reasons = Object.fromEntries(ids.map((id, i) => [id, i === 1 ? '老楼照明存在安全隐患，夜间摔伤已有多起，居民反映强烈，物业无力承担' : '群众呼声高，投入小见效快']));
    for (const [i, step] of ['proposal', 'consultation', 'review', 'resolution'].entries()) {
      await call(admin, 'recordStep', { ...key, step, date: shanghaiDay(new Date(now - (4 - i) * DAY)), expected: 9, present: 9, votes, minutes: '会议讨论并表决通过', ...(i === 0 ? { reasons } : {}) });
    }
    await call(admin, 'startPublicity', key);
    now = Date.now();
    const open = (await readAll(services.store.collection(demands), { where: { ...key, status: 'open' } }, 5000)).items.filter((d) => !ids.includes(d._id));
    const fixed = await call(admin, 'fixList', { ...key, leftOut: open.map((d) => ({ demandId: d._id, reason: 'next_year' })) });
    if (fixed.stage !== 'fixed' || fixed.items.length !== 10) throw new Error(`expected ten fixed items, got ${JSON.stringify(fixed).slice(0, 300)}`);
  } finally {
    await services.store.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'shishi-h5-print-'));
  await prepare(dataDir);
  ({ host, browser } = await startHostAndBrowser({ dataDir }));
}, 120_000);

afterAll(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  await browser?.close();
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A signed-in context (the token the demo sign-in page would store); desktop A4-wide or phone-sized. */
async function signedIn(openid: string, opts: { a4?: boolean; elder?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
  const ctx = opts.a4
    ? await browser.newContext({ viewport: { width: A4_WIDTH_PX, height: 1123 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    : await phoneContext(browser);
  contexts.push(ctx);
  const session = { token: await demoToken(host.url, openid), openid, label: openid };
  await ctx.addInitScript(
    ({ session, elder }) => {
      localStorage.setItem('shishi.session', JSON.stringify({ data: session }));
      localStorage.setItem('shishi.elder', JSON.stringify({ data: elder ? 'on' : 'off' }));
    },
    { session, elder: !!opts.elder },
  );
  const page = await ctx.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  const { errors } = watchPage(page);
  return { page, errors };
}

/** Is the element shown? (absent counts as hidden) */
const shown = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    for (let e: Element | null = el; e; e = e.parentElement) if (getComputedStyle(e).display === 'none' || getComputedStyle(e).visibility === 'hidden') return false;
    return r.width > 0 && r.height > 0;
  }, selector);

/** Pages of a PDF: its /Type /Page objects (not the /Pages tree), which must agree with the tree's /Count. */
function pdfPages(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  const pages = (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
  expect(Number(/\/Type\s*\/Pages[^>]*\/Count (\d+)|\/Count (\d+)[^>]*\/Type\s*\/Pages/.exec(text)?.slice(1).find(Boolean))).toBe(pages);
  return pages;
}

describe('the printable 公示 sheet', () => {
  test('fixed list of ten: the 清单 notice on screen with its print button; in print media only the sheet, within A4 width; page.pdf A4 ≤ 2 pages', async () => {
    const { page, errors } = await signedIn(P.adminPeixin.openid, { a4: true });
    await page.goto(`${host.url}/#/packages/matters/notice/index?communityId=${R.peixin}&year=${YEAR}`);
    await page.locator('#notice-item-9').waitFor(WAIT);
    await expect(page.locator('#notice-title').innerText()).resolves.toBe(`培新街社区${YEAR}年十件实事清单`);
    const first = await page.locator('#notice-item-0').innerText();
    expect(first).toContain('孝义食堂（老年助餐点）');
    expect(first).toContain('群众呼声高');
    expect(first).toContain('3.5万元');
    await expect(page.locator('#notice-item-3').innerText()).resolves.toContain('待估算');
    await expect(page.locator('#notice-steps').innerText()).resolves.toContain('居民代表会议决议');
    await expect(page.locator('#notice-publicity').innerText()).resolves.toMatch(/公示期：\d{4}年\d+月\d+日至\d{4}年\d+月\d+日/);
    await expect(page.locator('#notice-sign').innerText()).resolves.toContain('培新街社区居民委员会');
    expect(await page.locator('#notice-objection').count()).toBe(0);
    expect(await shown(page, '#notice-print')).toBe(true);
    expect(await shown(page, '#notice-xlsx')).toBe(true);
    await screenshot(page, 'h5', 'print-screen-fixed');

    await page.emulateMedia({ media: 'print' });
    for (const sel of ['#notice-print', '#notice-xlsx', '#elder-switch', '.taro-tabbar__tabbar', '[class*="taro-navigation-bar"]', 'taro-button-core']) {
      expect({ sel, shown: await shown(page, sel) }).toEqual({ sel, shown: false });
    }
    expect(await shown(page, '#notice-sheet')).toBe(true);
    const fit = await page.evaluate(() => {
      const sheet = document.querySelector('#notice-sheet')!;
      const r = sheet.getBoundingClientRect();
      const overflowing = Array.from(sheet.querySelectorAll('*'))
        .filter((e) => (e as HTMLElement).scrollWidth > (e as HTMLElement).clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
        .map((e) => e.className);
      const outside = Array.from(sheet.querySelectorAll('*')).filter((e) => e.getBoundingClientRect().right > r.right + 0.5).map((e) => `${e.className}: ${(e.textContent ?? '').slice(0, 20)}`);
      const rows = Array.from(document.querySelectorAll('.notice-row')).map((e) => getComputedStyle(e).breakInside);
      return { left: r.left, right: r.right, docWidth: document.documentElement.scrollWidth, overflowing, outside, rows };
    });
    expect(fit.left).toBeGreaterThanOrEqual(0);
    expect(fit.right).toBeLessThanOrEqual(A4_WIDTH_PX);
    expect(fit.docWidth).toBeLessThanOrEqual(A4_WIDTH_PX);
    expect(fit.overflowing).toEqual([]);
    expect(fit.outside).toEqual([]);
    // Header and ten items, none to be cut across pages.
    expect(fit.rows).toEqual(Array(11).fill('avoid'));
    await screenshot(page, 'h5', 'print-media-fixed');

    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    mkdirSync(join(ARTIFACTS, 'print'), { recursive: true });
    writeFileSync(join(ARTIFACTS, 'print', 'notice-fixed.pdf'), pdf);
    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    expect(errors).toEqual([]);
  }, 90_000);

  test('in 公示 (肖家坝社区, a resident): the 拟定 notice with how to object and until when; no Excel for residents', async () => {
    const { page, errors } = await signedIn(P.residentXiaojiaba.openid, { a4: true });
    // From the board, as residents get there: the board stays in the page stack, and must not print.
    await page.goto(`${host.url}/#/packages/matters/board/index?year=${YEAR}`);
    await page.locator('#board-notice').click();
    await page.locator('#notice-item-1').waitFor(WAIT);
    await page.waitForFunction(() => {
      const r = document.querySelector('#page-notice')?.getBoundingClientRect();
      return !!r && Math.abs(r.left) < 1;
    }, undefined, WAIT);
    await expect(page.locator('#notice-title').innerText()).resolves.toBe(`肖家坝社区${YEAR}年十件实事（拟定）公示`);
    await expect(page.locator('#notice-objection').innerText()).resolves.toMatch(/请于\d{4}年\d+月\d+日\d+时(\d+分)?前在“社区实事”小程序/);
    expect(await page.locator('#notice-xlsx').count()).toBe(0);
    expect(await shown(page, '#notice-print')).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await shown(page, '#notice-print')).toBe(false);
    expect(await page.locator('#page-board').count()).toBe(1);
    expect(await shown(page, '#page-board')).toBe(false);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    expect(pdfPages(pdf)).toBe(1);
    await screenshot(page, 'h5', 'print-media-publicity');
    expect(errors).toEqual([]);
  }, 60_000);
});

/** PNG width and height from its IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('the poster of the final ten', () => {
  test('a resident generates it on the fixed board: a PNG 2× the 750-px layout, red head band, text drawn; downloaded as .png; the board passes the elder audit', async () => {
    const { page, errors } = await signedIn(P.residentPeixin.openid, { elder: true });
    await page.goto(`${host.url}/#/packages/matters/board/index?year=${YEAR}`);
    await page.locator('#poster-make').waitFor(WAIT);
    await page.locator('#poster-make').click();
    const img = page.locator('#poster-image img');
    await img.waitFor(WAIT);
    await page.waitForFunction(() => (document.querySelector('#poster-image img') as HTMLImageElement | null)?.complete === true, undefined, WAIT);
    const src = (await img.getAttribute('src'))!;
    expect(src.startsWith('data:image/png;base64,')).toBe(true);
    const png = Buffer.from(src.slice('data:image/png;base64,'.length), 'base64');
    const size = pngSize(png);
    expect(size.width).toBe(1500);
    // Ten titles, one of them on two lines: between one and two phone screens of poster.
    expect(size.height).toBeGreaterThan(2 * 1000);
    expect(size.height).toBeLessThan(2 * 2000);
    expect(size.height % 2).toBe(0);
    const pixels = await page.evaluate(async (url) => {
      const im = new Image();
      im.src = url;
      await im.decode();
      const c = document.createElement('canvas');
      c.width = im.width;
      c.height = im.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(im, 0, 0);
      const at = (x: number, y: number) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3));
      // Below the band: how many pixels are dark (text), of a strip across the list.
      const strip = ctx.getImageData(0, Math.round(im.height * 0.3), im.width, Math.round(im.height * 0.4)).data;
      let dark = 0;
      for (let i = 0; i < strip.length; i += 4) if (strip[i]! < 120 && strip[i + 1]! < 120 && strip[i + 2]! < 120) dark++;
      return { corner: at(4, 4), paper: at(4, im.height - 4), dark, total: strip.length / 4 };
    }, src);
    expect(pixels.corner).toEqual([0xc8, 0x16, 0x1d]);
    expect(pixels.paper).toEqual([0xff, 0xfd, 0xf8]);
    expect(pixels.dark / pixels.total).toBeGreaterThan(0.01);
    await screenshot(page, 'h5', 'poster-board');
    writeFileSync(join(ARTIFACTS, 'h5', 'poster-peixin.png'), png);

    const m = await measureElder(page);
    expect(m.measuredTargets).toBeGreaterThan(2);
    expect({ smallText: m.smallText, tightLines: m.tightLines, smallTargets: m.smallTargets }).toEqual({ smallText: [], tightLines: [], smallTargets: [] });
    expect(await axeContrast(page)).toEqual([]);

    await expect(page.locator('#poster-save').innerText()).resolves.toContain('下载海报图片');
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.locator('#poster-save').click()]);
    expect(download.suggestedFilename()).toBe(`培新街社区${YEAR}年十件实事.png`);
    // The toast lives outside the page root; elder mode reaches it through the document.
    const toast = page.locator('.taro__toast p', { hasText: /\S/ }).last();
    await toast.waitFor(WAIT);
    expect(await toast.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(18);

    expect(errors).toEqual([]);
  }, 90_000);

  test('no poster button while the list is in 公示', async () => {
    const { page, errors } = await signedIn(P.residentXiaojiaba.openid);
    await page.goto(`${host.url}/#/packages/matters/board/index?year=${YEAR}`);
    await page.locator('#board-item-1').waitFor(WAIT);
    await page.locator('#board-notice').waitFor(WAIT);
    expect(await page.locator('#poster-make').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);
});
