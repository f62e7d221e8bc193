/**
 * The demo's matter carried out and its printable 实施结果公开 sheet, in Chromium against the H5 build on a
 * real local host in demo mode (which seeds 老城社区's year, seed-progress.ts). A resident of 老城社区 sees the
 * board (one matter accepted, one overdue), opens the accepted matter's result, and from there the sheet:
 * title, units and leader, dates, money, before/after pairs (photos loaded), satisfaction with its count,
 * community and date at the bottom. Print media: only the sheet, within A4 width; page.pdf A4 ≤ 2 pages.
 * Artifacts: test-artifacts/print/result-sheet.pdf, test-artifacts/h5/result-sheet-*.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_STORY_PEOPLE } from '../../src/server/demo/demo-data';
import { ARTIFACTS, screenshot, startHostAndBrowser, watchPage, type RunningHost } from '../support/chromium';
import { expectText, signIn, WAIT } from './session';

const A4_WIDTH_PX = 794;
const RESIDENT = DEMO_STORY_PEOPLE.residentLaocheng.openid;

let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  ({ host, browser } = await startHostAndBrowser());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const shown = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    for (let e: Element | null = el; e; e = e.parentElement) if (getComputedStyle(e).display === 'none' || getComputedStyle(e).visibility === 'hidden') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }, selector);

function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

test('the demo board of 老城社区 leads to the accepted matter, its result and the printable sheet (A4, ≤ 2 pages)', async () => {
  const ctx = await browser.newContext({ viewport: { width: A4_WIDTH_PX, height: 1123 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  const { errors } = watchPage(page);
  await signIn(page, host.url, RESIDENT);

  await page.goto(`${host.url}/#/packages/matters/board/index`);
  await page.locator('#board-matter-1').waitFor(WAIT);
  const rows = [await page.locator('#board-matter-0').innerText(), await page.locator('#board-matter-1').innerText()];
  const garden = rows.findIndex((t) => t.includes('老城小游园改造提升'));
  const alley = rows.findIndex((t) => t.includes('背街小巷路面硬化'));
  expect([garden, alley].sort()).toEqual([0, 1]);
  expect(rows[alley]).toContain('有节点逾期');
  expect(rows[alley]).toContain('汉滨区住房和城乡建设局');
  expect(rows[garden]).toContain('100%');

  await page.click(`#board-matter-${garden}`);
  await page.locator('#page-matter #matter-update-0').waitFor(WAIT);
  await expectText(page, '#page-matter', '认领领导：何志远');
  await page.click('#matter-result');
  await page.locator('#page-result #result-sheet').waitFor(WAIT);
  await expectText(page, '#result-satisfaction', '4 人评价');
  await page.click('#result-sheet');

  await page.locator('#rsheet-pair-1').waitFor(WAIT);
  await expectText(page, '#rsheet-title', '老城社区');
  expect(await page.locator('#rsheet-title').innerText()).toMatch(/^老城社区\d{4}年实事实施结果公开$/);
  await expectText(page, '#rsheet-heading', '老城小游园改造提升');
  await expectText(page, '#rsheet-who', '牵头单位：汉滨区第一人民医院；配合单位：汉滨区住房和城乡建设局');
  await expectText(page, '#rsheet-who', '认领领导：何志远');
  expect(await page.locator('#rsheet-dates').innerText()).toMatch(/开工：\d{4}年\d+月\d+日[\s\S]*完工：\d{4}年\d+月\d+日[\s\S]*验收：\d{4}年\d+月\d+日（社区与居民代表周\*芬、钱\*生）/);
  await expectText(page, '#rsheet-money', '预算 21.5万元，实际支出 18.47万元，结余 3.03万元');
  await expectText(page, '#rsheet-satisfaction', '居民满意率 100%（4 人评价：满意 3，基本满意 1，不满意 0）');
  await expectText(page, '#rsheet-sign', '老城社区居民委员会');
  // The four photos of the two pairs load (signed links to the host's files).
  await page.waitForFunction(() => {
    const imgs = Array.from(document.querySelectorAll('#rsheet .rsheet-img img')) as HTMLImageElement[];
    return imgs.length === 4 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, undefined, WAIT);
  await page.waitForFunction(() => Math.abs(document.querySelector('#page-result-sheet')?.getBoundingClientRect().left ?? 1) < 1, undefined, WAIT);
  expect(await shown(page, '#rsheet-print')).toBe(true);
  await screenshot(page, 'h5', 'result-sheet-screen');

  await page.emulateMedia({ media: 'print' });
  for (const sel of ['#rsheet-print', '#elder-switch', '.taro-tabbar__tabbar', '[class*="taro-navigation-bar"]', 'taro-button-core', '#page-result', '#page-matter']) {
    expect({ sel, shown: await shown(page, sel) }).toEqual({ sel, shown: false });
  }
  expect(await shown(page, '#rsheet')).toBe(true);
  const fit = await page.evaluate(() => {
    const sheet = document.querySelector('#rsheet')!;
    const r = sheet.getBoundingClientRect();
    const outside = Array.from(sheet.querySelectorAll('*')).filter((e) => e.getBoundingClientRect().right > r.right + 0.5).map((e) => e.className);
    const pairs = Array.from(document.querySelectorAll('.rsheet-pair')).map((e) => getComputedStyle(e).breakInside);
    return { left: r.left, right: r.right, docWidth: document.documentElement.scrollWidth, outside, pairs };
  });
  expect(fit.left).toBeGreaterThanOrEqual(0);
  expect(fit.right).toBeLessThanOrEqual(A4_WIDTH_PX);
  expect(fit.docWidth).toBeLessThanOrEqual(A4_WIDTH_PX);
  expect(fit.outside).toEqual([]);
  expect(fit.pairs).toEqual(['avoid', 'avoid']);
  await screenshot(page, 'h5', 'result-sheet-print');

  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  mkdirSync(join(ARTIFACTS, 'print'), { recursive: true });
  writeFileSync(join(ARTIFACTS, 'print', 'result-sheet.pdf'), pdf);
  const pages = pdfPages(pdf);
  expect(pages).toBeGreaterThanOrEqual(1);
  expect(pages).toBeLessThanOrEqual(2);
  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);
