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

/** Fills one meeting of the step form and records it; returns the slate the server answered. */
async function recordMeeting(page: Page, items: number, figures: { expected: number; present: number; votesFor: number }, reasons?: string[]): Promise<any> {
  await page.fill('#step-expected input', String(figures.expected));
  await page.fill('#step-present input', String(figures.present));
  for (let i = 0; i < items; i++) {
    if (reasons) await page.fill(`#step-reason-${i} input`, reasons[i]!);
    await page.fill(`#step-vote-for-${i} input`, String(figures.votesFor));
    await page.fill(`#step-vote-against-${i} input`, '0');
  }
  await page.fill('#step-minutes textarea', '会议按程序讨论并表决了年度实事候选事项。');
  return actionResult(page, 'recordStep', () => page.click('#step-submit'));
}

test('四议两公开 on the real server: the four meetings, 公示, a resident objects from the board, the admin answers', async () => {
  const admin = await h5.newPage('admin-procedure');
  await signIn(admin, host.url, 'demo-admin-peixin');
  await fresh(admin, '/packages/matters-admin/procedure/index?communityId=comm-peixin');
  await admin.locator('#step-form [id^="step-pick-"]').first().waitFor(WAIT);
  await admin.locator('[id^="step-pick-"]', { hasText: '孝义食堂' }).first().click();
  await admin.locator('[id^="step-pick-"]', { hasText: LIGHTS }).first().click();
  await admin.locator('#step-item-1').waitFor(WAIT);
  // The server's own refusal comes back in Chinese: more present than expected.
  await admin.fill('#step-expected input', '7');
  await admin.fill('#step-present input', '9');
  for (const i of [0, 1]) {
    await admin.fill(`#step-reason-${i} input`, '居民呼声高，条件已具备');
    await admin.fill(`#step-vote-for-${i} input`, '5');
  }
  await admin.fill('#step-minutes textarea', '党组织会议提议两件实事。');
  await admin.click('#step-submit');
  await expectText(admin, '#step-error', '实到不能多于应到');

  let v = await recordMeeting(admin, 2, { expected: 7, present: 6, votesFor: 5 }, ['居民呼声最高，场地已落实', '老楼照明存在安全隐患']);
  expect(v.stage).toBe('consultation');
  expect(v.items).toHaveLength(2);
  await expectText(admin, '#proc-stage', '两委会商议');
  v = await recordMeeting(admin, 2, { expected: 9, present: 8, votesFor: 7 });
  expect(v.stage).toBe('review');
  v = await recordMeeting(admin, 2, { expected: 30, present: 22, votesFor: 20 });
  expect(v.stage).toBe('resolution');
  await still(admin, '#page-procedure');
  await screenshot(admin, 'h5', 'matters-procedure-review-done');
  v = await recordMeeting(admin, 2, { expected: 45, present: 31, votesFor: 29 });
  expect(v.stage).toBe('publicity');
  const started = await actionResult(admin, 'startPublicity', () => admin.click('#proc-publicity'));
  expect(started.publicity.daysLeft).toBe(7);
  await expectText(admin, '#proc-publicity-window', '还剩 7 天');
  await expectText(admin, '#fix-form', '公示期还剩 7 天，结束后才能确定清单');

  // A resident sees the countdown on the board and objects to one item.
  const resident = await h5.newPage('resident-board');
  await signIn(resident, host.url, 'demo-resident-peixin');
  await resident.click('#home-board');
  await expectText(resident, '#page-board #board-countdown', '公示期还剩 7 天');
  const lights = resident.locator('[id^="board-item-"]', { hasText: LIGHTS }).first();
  await lights.locator('[id^="board-object-"]').click();
  await lights.locator('textarea').fill('我们楼去年已经换过灯了，建议优先改造其他楼栋');
  await actionResult(resident, 'object', () => lights.locator('[id^="board-send-"]').click());
  await lights.locator('[id^="board-objected-"]').waitFor(WAIT);
  await still(resident, '#page-board');
  await screenshot(resident, 'h5', 'matters-board-objected');

  // The admin answers it in public.
  await fresh(admin, '/packages/matters-admin/procedure/index?communityId=comm-peixin');
  await expectText(admin, '#objection-0', '去年已经换过灯');
  await admin.fill('#objection-input-0 input', '经核实，5栋和2栋尚未改造，本次一并实施');
  const answered = await actionResult(admin, 'answerObjection', () => admin.click('#objection-reply-0'));
  expect(answered.unanswered).toBe(0);
  await expectText(admin, '#objection-answer-0', '经核实');
  await still(admin, '#page-procedure');
  await screenshot(admin, 'h5', 'matters-procedure-publicity');
}, 120_000);
