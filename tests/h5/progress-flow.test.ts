/**
 * Carrying a matter out, seen by a resident in Chromium against the H5 build on a real local host: the
 * year's list is fixed, the matter has a plan, its lead unit marked the first milestone done with photos.
 * The board shows the progress bar; the matter page shows units, money, milestones and the photo
 * timeline; a thumbnail opens the full photo. Seeded through dispatch on the host's data dir before it
 * starts. Screenshots go to test-artifacts/h5/progress-*.png.
 */
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { slates } from '../../src/features/matters/matters.collections';
import { slateId } from '../../src/features/matters/actions/procedure';
import { shanghaiDay } from '../../src/lib/time';
import { checkUploadBytes } from '../../src/server/files/photos';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { phoneContext, screenshot, startHostAndBrowser, watchPage, type RunningHost } from '../support/chromium';
import { createHarness, dataOf, type Harness } from '../support/harness';
import { ADMIN, CONTACTS, newPlannedMatter, seedUnits, UNITS } from '../matters/plan-fixture';
import { makePng } from './fixtures';
import { expectText, signIn, WAIT } from './session';

const NOW = new Date();
const YEAR = Number(shanghaiDay(NOW).slice(0, 4));
const TODAY = shanghaiDay(NOW);
const later = (days: number) => shanghaiDay(new Date(NOW.getTime() + days * 86_400_000));

let h: Harness;
let host: RunningHost;
let browser: Browser;
let matterId: string;

async function photo(openid: string, w: number, hgt: number): Promise<string> {
  const bytes = makePng(w, hgt);
  const { contentType, ext } = checkUploadBytes(bytes);
  return (await h.services.files.put(bytes, { ownerOpenid: openid, contentType, ext, folder: 'photos' })).fileId;
}

beforeAll(async () => {
  h = await createHarness({ now: NOW });
  await seedUnits(h);
  const m = await newPlannedMatter(h, '老旧楼栋楼道照明改造', YEAR);
  matterId = m.matterId;
  // The year's list, fixed (the procedure itself is tested in tests/matters/procedure.actions.test.ts).
  await h.services.store.collection(slates).insert({
    communityId: R.peixin, districtId: R.hanbin, cityId: R.city, year: YEAR, reasons: {}, steps: [], withdrawn: [], publicity: null,
    objections: 0, unanswered: 0, fixedAt: NOW.toISOString(), fixed: [m.demandId], updatedAt: NOW.toISOString(),
  }, { id: slateId(R.peixin, YEAR) });
  dataOf(await h.call('matters', 'setBudget', { matterId, budget: { fiscal: 60_000_00, donation: 8_000_00 } }, ADMIN));
  dataOf(await h.call('matters', 'addSpending', { matterId, requestId: 'h5-sp-1', amount: 12_800_00, date: TODAY, purpose: '声控灯具采购' }, ADMIN));
  dataOf(await h.call('matters', 'addMilestone', { matterId, title: '线路更换', weight: 40, owner: { kind: 'unit', unitId: UNITS.lead }, start: TODAY, due: later(10) }, ADMIN));
  dataOf(await h.call('matters', 'addMilestone', { matterId, title: '灯具安装', weight: 40, owner: { kind: 'unit', unitId: UNITS.support }, start: later(5), due: later(20) }, ADMIN));
  dataOf(await h.call('matters', 'addMilestone', { matterId, title: '居民验收', weight: 20, owner: { kind: 'person', name: '张建华' }, start: later(21), due: later(30) }, ADMIN));
  const lead = CONTACTS.lead.openid;
  dataOf(await h.call('matters', 'postUpdate', {
    matterId, requestId: 'h5-up-1', text: '2栋、5栋楼道线路已全部更换', milestoneId: 'ms1', done: true,
    photos: [{ fileId: await photo(lead, 120, 90), tag: 'before' }, { fileId: await photo(lead, 90, 120), tag: 'after' }],
  }, lead));
  await h.services.store.close();
  ({ host, browser } = await startHostAndBrowser({ dataDir: h.dataDir }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  rmSync(h.dataDir, { recursive: true, force: true });
});

/** Waits out Taro's page slide: the page's root sits at the left edge (for screenshots). */
const still = (page: Page, root: string) =>
  page.waitForFunction((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return !!r && Math.abs(r.left) < 1 && r.width > 0;
  }, root, WAIT);

async function residentPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await (await phoneContext(browser)).newPage();
  page.setDefaultTimeout(WAIT.timeout);
  const { errors } = watchPage(page);
  await signIn(page, host.url, P.residentPeixin.openid);
  return { page, errors };
}

test('a resident follows the matter from the board to its photo timeline and opens a full photo', async () => {
  const { page, errors } = await residentPage();
  await page.goto(`${host.url}/#/packages/matters/board/index`);
  await page.locator('#board-matter-0').waitFor(WAIT);
  await expectText(page, '#board-matter-0', '老旧楼栋楼道照明改造');
  await expectText(page, '#board-matter-progress-0', '40%');
  await expectText(page, '#board-matter-0', '国网安康供电公司');
  await still(page, '#page-board');
  await screenshot(page, 'h5', 'progress-board');

  await page.click('#board-matter-0');
  await page.locator('#page-matter #matter-update-0').waitFor(WAIT);
  await expectText(page, '#matter-progress', '40%');
  await expectText(page, '#matter-budget', '预算 68,000 元，已支出 12,800 元');
  await expectText(page, '#matter-ms-0', '已完成');
  await expectText(page, '#matter-ms-2', '张*华');
  await expectText(page, '#matter-update-0', '2栋、5栋楼道线路已全部更换');
  await expectText(page, '#matter-update-0', '施工前 1 张 · 完工后 1 张');
  // The thumbnails load (signed links to the host's files).
  await page.waitForFunction(() => {
    const imgs = Array.from(document.querySelectorAll('#matter-photos-0 img')) as HTMLImageElement[];
    return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, undefined, WAIT);
  expect(await page.locator('#page-matter').innerText()).not.toContain('王刚');
  await still(page, '#page-matter');
  await screenshot(page, 'h5', 'progress-matter');

  await page.locator('#matter-photos-0 .photo-cell').first().click();
  await page.waitForFunction(() => Array.from(document.querySelectorAll('taro-swiper-item-core img')).some((i) => (i as HTMLImageElement).naturalWidth > 0), undefined, WAIT);
  await screenshot(page, 'h5', 'progress-photo');
  expect(errors).toEqual([]);
});
