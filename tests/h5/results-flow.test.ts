/**
 * How a matter ends, in Chromium against the H5 build on a real local host (demo data plus one matter at
 * 100 % written before the host starts, since progress comes from another part of issue 10): the community
 * admin declares it completed and accepts it on the 验收 page with a representative and two photos, publishes
 * the result; a resident opens the result page, sees the before/after photos side by side, rates it, and
 * the satisfaction line counts the rating. The result page in elder mode meets the elder figures.
 * Screenshots go to test-artifacts/h5/results-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { matters } from '../../src/features/matters/matters.collections';
import { regionPath } from '../../src/features/regions/regions.service';
import { units } from '../../src/features/units/units.collections';
import { seedDemo } from '../../src/server/demo/seed';
import { REGION_IDS as R } from '../../src/server/demo/demo-data';
import { createLocalServices } from '../../src/server/local-services';
import { shanghaiDay } from '../../src/lib/time';
import { phoneContext, screenshot, startHostAndBrowser, watchPage, type RunningHost } from '../support/chromium';
import { axeContrast, measureElder, MIN_FONT_PX, MIN_TAP_PX } from './elder-audit';
import { callAction, demoToken, makePng } from './fixtures';
import { expectText, signIn, WAIT } from './session';

const MATTER = 'matter:dm-h5-lights';
const YEAR = Number(shanghaiDay(new Date()).slice(0, 4));
let host: RunningHost;
let browser: Browser;
let dataDir: string;
const contexts: BrowserContext[] = [];
const watched: { name: string; errors: string[] }[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'shishi-h5-results-'));
  const services = createLocalServices({ dataDir, secret: 'h5-results-seed-secret-0123456789abcdef', demoMode: true, log: { info: () => {}, warn: () => {}, error: () => {} } });
  await seedDemo(services);
  const at = new Date().toISOString();
  await services.store.collection(units).insert({ name: '安康市供电公司', type: 'enterprise', homeRegionId: R.hanbin, path: [R.city, R.hanbin], communityIds: [R.peixin], partyHead: null, createdBy: 'seed', createdAt: at }, { id: 'unit-h5-power' });
  await services.store.collection(matters).insert({
    communityId: R.peixin, districtId: R.hanbin, cityId: R.city, year: YEAR, demandId: 'dm-h5-lights', title: '老旧楼栋楼道照明改造', category: '公共设施',
    path: (await regionPath(services.store, R.peixin))!, state: 'in_progress', leadUnitId: 'unit-h5-power', supportUnitIds: [], claimedBy: [{ memberId: 'm-h5-leader', name: '李书记' }],
    progress: 100, createdAt: at, updatedAt: at,
  }, { id: MATTER });
  await services.store.close();
  ({ host, browser } = await startHostAndBrowser({ dataDir }));
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  for (const w of watched) if (w.errors.length) throw new Error(`Uncaught errors in the ${w.name} page:\n${w.errors.join('\n')}`);
});

async function newPage(name: string): Promise<Page> {
  const ctx = await phoneContext(browser);
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  watched.push({ name, ...watchPage(page) });
  return page;
}

async function actionResult(page: Page, action: string, trigger: () => Promise<void>): Promise<any> {
  const matches = (r: Response) => r.url().endsWith('/fn/matters') && r.request().method() === 'POST' && r.request().postDataJSON()?.action === action;
  const [res] = await Promise.all([page.waitForResponse(matches, WAIT), trigger()]);
  const body = await res.json();
  if (!body.ok) throw new Error(`matters.${action} answered ${res.status()} ${JSON.stringify(body.error)}\nHost output (last lines):\n${host.output().slice(-3000)}`);
  return body.data;
}

const still = (page: Page, root: string) =>
  page.waitForFunction((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return !!r && Math.abs(r.left) < 1 && r.width > 0;
  }, root, WAIT);

let loads = 0;
const fresh = (page: Page, route: string) => page.goto(`${host.url}/?load=${++loads}#${route}`);

async function addPhoto(page: Page, addButton: string, name: string) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', WAIT), page.click(addButton)]);
  await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/files' && r.request().method() === 'POST', WAIT),
    chooser.setFiles({ name, mimeType: 'image/png', buffer: makePng() }),
  ]);
}

async function imagesLoaded(page: Page, selector: string, count: number) {
  await page.waitForFunction(
    ({ selector, count }) => {
      const imgs = Array.from(document.querySelectorAll<HTMLImageElement>(`${selector} img`));
      return imgs.length === count && imgs.every((i) => i.complete && i.naturalWidth > 0);
    },
    { selector, count },
    WAIT,
  );
}

test('complete → 验收 → result published → a resident sees before/after side by side and rates it', async () => {
  const admin = await newPage('admin');
  await signIn(admin, host.url, 'demo-admin-peixin');
  await fresh(admin, `/packages/matters-admin/closing/index?communityId=${R.peixin}&year=${YEAR}`);
  await expectText(admin, '#closing-item-0', '老旧楼栋楼道照明改造');
  await expectText(admin, '#closing-item-0', '实施中 · 进度 100%');
  const done = await actionResult(admin, 'completeMatter', () => admin.click('#closing-complete-0'));
  expect(done.state).toBe('completed');
  await expectText(admin, '#closing-item-0', '已完成，待验收');

  await admin.click('#closing-accept-0');
  await admin.fill('#closing-reps-0 input', '王建华');
  await admin.fill('#closing-notes-0 textarea', '楼道灯全部点亮，验收合格');
  await addPhoto(admin, '#closing-photo-0-add', 'before.png');
  await expectText(admin, '#closing-photo-0-status-0', '已上传');
  await addPhoto(admin, '#closing-photo-0-add', 'after.png');
  await expectText(admin, '#closing-photo-0-status-1', '已上传');
  await still(admin, '#page-closing');
  await screenshot(admin, 'h5', 'results-accept-form');
  const accepted = await actionResult(admin, 'acceptMatter', () => admin.click('#closing-accept-submit-0'));
  expect(accepted).toMatchObject({ state: 'accepted', acceptance: { representatives: [{ name: '王建华' }] }, followUp: { days: 28, state: 'scheduled' } });
  await expectText(admin, '#closing-item-0', '已验收');
  await screenshot(admin, 'h5', 'results-accepted');

  // The result: the 验收 photos as the before/after pair, money against budget.
  const [before, after] = accepted.acceptance.photos as string[];
  const adminToken = await demoToken(host.url, 'demo-admin-peixin');
  await callAction(host.url, adminToken, 'matters', 'publishResult', { matterId: MATTER, summary: '更换楼道声控灯 120 盏，夜间全部点亮', pairs: [{ before, after, caption: '5栋二单元' }], budget: 3_000_000, spent: 2_650_000, spendingNote: '财政资金' });

  const resident = await newPage('resident');
  await signIn(resident, host.url, 'demo-resident-peixin');
  await fresh(resident, `/packages/matters/result/index?id=${encodeURIComponent(MATTER)}`);
  await expectText(resident, '#result-title', '老旧楼栋楼道照明改造');
  await expectText(resident, '#result-money', '预算 30,000 元');
  await expectText(resident, '#result-money', '实际支出 26,500 元');
  await expectText(resident, '#result-acceptance', '王*华');
  await expectText(resident, '#page-result', '安康市供电公司（牵头）');
  await expectText(resident, '#page-result', '李书记');
  await imagesLoaded(resident, '#result-pair-0', 2);
  // Side by side: the same top, the “after” photo to the right of the “before” one.
  const boxes = await resident.$$eval('#result-pair-0 .result-side', (sides) => sides.map((i) => i.getBoundingClientRect()).map((r) => ({ top: Math.round(r.top), left: r.left, right: r.right })));
  expect(boxes[0]!.top).toBe(boxes[1]!.top);
  expect(boxes[1]!.left).toBeGreaterThanOrEqual(boxes[0]!.right);
  await expect(resident.innerText('#page-result')).resolves.not.toContain('王建华');

  await resident.click('#result-level-basic');
  await resident.fill('#result-comment textarea', '楼道亮堂了，晚上回家安心');
  await still(resident, '#page-result');
  await screenshot(resident, 'h5', 'results-rating-form');
  const rated = await actionResult(resident, 'rateMatter', () => resident.click('#result-submit'));
  expect(rated).toEqual({ mine: 'basic', satisfaction: { satisfied: 0, basic: 1, dissatisfied: 0, total: 1, rate: 1 } });
  await expectText(resident, '#result-mine', '您的评价：基本满意');
  await expectText(resident, '#result-satisfaction', '满意率 100%（1 人评价');
  await expectText(resident, '#result-comment-0', '楼道亮堂了，晚上回家安心');
  await screenshot(resident, 'h5', 'results-rated');

  // A resident of another community is refused the page's data.
  const other = await newPage('other-resident');
  await signIn(other, host.url, 'demo-resident-xiaojiaba');
  await fresh(other, `/packages/matters/result/index?id=${encodeURIComponent(MATTER)}`);
  await expectText(other, '#page-result', '无权');
}, 120_000);

test('the result page in elder mode: large text, large targets, enough contrast; the rating buttons stack', async () => {
  const page = await newPage('elder');
  await signIn(page, host.url, 'demo-admin-peixin'); // an admin who is also a resident: may still rate
  await page.evaluate(() => localStorage.setItem('shishi.elder', JSON.stringify({ data: 'on' })));
  await fresh(page, `/packages/matters/result/index?id=${encodeURIComponent(MATTER)}`);
  await page.locator('.app-page.elder #result-level-satisfied').waitFor(WAIT);
  await imagesLoaded(page, '#result-pair-0', 2);
  await still(page, '#page-result');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await screenshot(page, 'h5', 'results-elder');
  const lefts = await page.$$eval('[id^=result-level-]', (els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
  expect(new Set(lefts).size).toBe(1);
  const m = await measureElder(page);
  expect(m.measuredTargets).toBeGreaterThanOrEqual(5);
  expect({ [`text under ${MIN_FONT_PX}px`]: m.smallText }).toEqual({ [`text under ${MIN_FONT_PX}px`]: [] });
  expect({ [`tap targets under ${MIN_TAP_PX}px`]: m.smallTargets }).toEqual({ [`tap targets under ${MIN_TAP_PX}px`]: [] });
  expect(await axeContrast(page)).toEqual([]);
}, 60_000);
