/**
 * The demand list in Chromium, against the H5 build on a real local host (demo data, fresh SQLite):
 * a resident's suggestion about stairwell lights reaches the admin, whose suggestion page proposes the
 * demo demand “老旧楼栋楼道照明改造”; one tap adopts it there. The admin opens that demand (the suggestion
 * is among its sources), enters another demand, merges it into the first, and undoes the merge.
 * Screenshots go to test-artifacts/h5/matters-*.png.
 */
import type { Page, Response } from 'playwright-core';
import { screenshot, type RunningHost } from '../support/chromium';
import { callAction, demoToken } from './fixtures';
import { expectText, signIn, useH5, WAIT } from './session';

const TEXT = '5栋楼道的灯坏了好几个月，晚上上楼黑漆漆的，老人摔过跤，希望改造楼道照明';
const LIGHTS = '老旧楼栋楼道照明改造';
const OTHER = '5栋楼道感应灯更换';
const h5 = useH5();
let host: RunningHost;
beforeAll(() => {
  host = h5.host;
});

async function actionResult(page: Page, action: string, trigger: () => Promise<void>): Promise<any> {
  const matches = (r: Response) => r.url().endsWith('/fn/matters') && r.request().method() === 'POST' && r.request().postDataJSON()?.action === action;
  const [res] = await Promise.all([page.waitForResponse(matches, WAIT), trigger()]);
  const body = await res.json();
  if (!body.ok) throw new Error(`matters.${action} answered ${res.status()} ${JSON.stringify(body.error)}\nHost output (last lines):\n${host.output().slice(-3000)}`);
  return body.data;
}

/** Waits out Taro's page slide: the page's root sits at the left edge (for screenshots). */
const still = (page: Page, root: string) =>
  page.waitForFunction((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return !!r && Math.abs(r.left) < 1 && r.width > 0;
  }, root, WAIT);

/** Loads a route from scratch (a new document), so no earlier page of the stack stays in the DOM. */
let loads = 0;
const fresh = (page: Page, route: string) => page.goto(`${host.url}/?load=${++loads}#${route}`);

test('adopt a suggestion into the proposed demand with one tap, merge another demand into it, undo the merge', async () => {
  const token = await demoToken(host.url, 'demo-resident-peixin');
  const s = await callAction<{ _id: string }>(host.url, token, 'suggestions', 'submit', {
    requestId: 'h5-matters-flow-1', communityId: 'comm-peixin', category: '公共设施', text: TEXT, photos: [], showName: false,
  });

  const admin = await h5.newPage('admin');
  await signIn(admin, host.url, 'demo-admin-peixin');
  await admin.click('#home-demands');
  await admin.locator('#page-demands #demands-item-0').waitFor(WAIT);
  await still(admin, '#page-demands');
  await screenshot(admin, 'h5', 'matters-list');

  // The suggestion page proposes the demand; one tap adopts it there.
  await fresh(admin, `/packages/admin/detail/index?id=${encodeURIComponent(s._id)}&communityId=comm-peixin`);
  const proposal = admin.locator('[id^="adopt-similar-"]', { hasText: LIGHTS }).first();
  await proposal.waitFor(WAIT);
  await still(admin, '#page-admin-detail');
  await screenshot(admin, 'h5', 'matters-adopt-proposals');
  const adopted = await actionResult(admin, 'adoptSuggestion', () => proposal.locator('[id^="adopt-into-"]').click());
  expect(adopted.created).toBe(false);
  await admin.locator('#adopt-open-demand').waitFor(WAIT);
  await expectText(admin, '#detail-timeline', '已纳入');

  // Its demand lists the suggestion among its sources.
  await admin.click('#adopt-open-demand');
  await expectText(admin, '#page-demand #demand-heading', LIGHTS);
  await expectText(admin, '#page-demand', TEXT.slice(0, 20));
  const before = Number((await admin.locator('#page-demand #demand-support').innerText()).match(/(\d+) 人支持/)![1]);
  await still(admin, '#page-demand');
  await screenshot(admin, 'h5', 'matters-demand');

  // Another demand, entered by the community, merged into it.
  await fresh(admin, '/packages/matters-admin/demands/index?communityId=comm-peixin');
  await admin.click('#page-demands #demands-new');
  await admin.fill('#demand-title input', OTHER);
  await admin.click('#demand-category-7');
  await admin.fill('#demand-note textarea', '网格员走访时5栋居民反映');
  const created = await actionResult(admin, 'createDemand', () => admin.click('#demand-submit'));
  await expectText(admin, '#page-demand #demand-heading', OTHER);
  await admin.click('#page-demand #demand-merge-open');
  const row = admin.locator('[id^="merge-pick-"]', { hasText: LIGHTS }).first();
  await row.click();
  await admin.locator('#merge-confirm').waitFor(WAIT);
  const merged = await actionResult(admin, 'mergeDemands', () => admin.click('#merge-confirm'));
  expect(merged.mergedCount).toBeGreaterThanOrEqual(1);
  expect(merged.kinds.admin).toBeGreaterThanOrEqual(1);
  await expectText(admin, '#page-demand #demand-heading', LIGHTS);
  await expectText(admin, '#page-demand #demand-merged-0', OTHER);
  await expectText(admin, '#page-demand', '经由合并的需求');
  await still(admin, '#page-demand');
  await screenshot(admin, 'h5', 'matters-merged');

  // 撤销合并 asks, then restores both.
  await admin.click('#page-demand #demand-undo-0');
  await admin.locator('#undo-confirm').waitFor(WAIT);
  await screenshot(admin, 'h5', 'matters-undo-confirm');
  const undone = await actionResult(admin, 'undoMerge', () => admin.click('#undo-confirm'));
  expect(undone.from._id).toBe(created._id);
  expect(undone.from.status).toBe('open');
  await admin.locator('#page-demand #demand-merged-0').waitFor({ state: 'detached', ...WAIT });
  await expectText(admin, '#page-demand #demand-support', `${before} 人支持`);
  await still(admin, '#page-demand');
  await screenshot(admin, 'h5', 'matters-undone');
}, 120_000);
