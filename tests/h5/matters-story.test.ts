/**
 * Part 1 of the ten matters as one story in Chromium at phone width, against the H5 build on a real local
 * host (demo data, fresh SQLite): a resident's suggestion → adopted into the proposed similar demand →
 * scored by a two-person committee → on a council meeting's agenda → the four deliberations → 公示 with
 * one objection answered → the host's clock passes the 公示 end → the list fixed with reasons for the rest →
 * the resident follows the suggestion to “已列入” and sees the fixed list and the answered objection.
 *
 * Community: 培新街社区 of the demo data, whose year has not started its 四议两公开 (the demo's 肖家坝社区
 * is already in 公示, so its four deliberations cannot be recorded again this year).
 * Screenshots: test-artifacts/matters-story/NN-step.png.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { ARTIFACTS, screenshot, type RunningHost } from '../support/chromium';
import { hostClock } from './clock';
import { axeContrast, measureElder } from './elder-audit';
import { callAction, demoToken } from './fixtures';
import { expectText, signIn, useH5, WAIT } from './session';

const COMMUNITY = 'comm-peixin';
const TEXT = '5栋楼道的灯坏了好几个月，晚上上楼黑漆漆的，老人摔过跤，希望改造楼道照明';
const LIGHTS = '老旧楼栋楼道照明改造';
const CANTEEN = '孝义食堂';
const PARKING = '小区增设停车位';
const PAINT = '外墙立面翻新';
const OBJECTION = '食堂选在社区最东头，我们西边的老人走过去要二十分钟，建议再设一个取餐点';
const ANSWER = '已与街道商定，西片在12栋架空层增设取餐点，老人可就近取餐';
const DAY = 24 * 3600_000;

const clock = hostClock();
const h5 = useH5({ env: clock.env });
let host: RunningHost;
beforeAll(() => {
  host = h5.host;
  // Numbered shots of an earlier run would mix with this one's.
  rmSync(join(ARTIFACTS, 'matters-story'), { recursive: true, force: true });
});
afterAll(() => clock.dispose());

/** A screenshot once no toast covers the page (toasts hide themselves after 1.5 s). */
async function shot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLElement>('.taro__toast')).every((t) => t.style.display === 'none'), undefined, WAIT);
  await screenshot(page, 'matters-story', name);
}

/** A page in its own phone context at 390 px, the width of today's common phones. */
async function phone(name: string): Promise<Page> {
  const page = await h5.newPage(name);
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

/** The answer of the action `trigger` sends; fails with the server's error and the host's last lines. */
async function actionResult(page: Page, area: string, action: string, trigger: () => Promise<void>): Promise<any> {
  const matches = (r: Response) => r.url().endsWith(`/fn/${area}`) && r.request().method() === 'POST' && r.request().postDataJSON()?.action === action;
  const [res] = await Promise.all([page.waitForResponse(matches, WAIT), trigger()]);
  const body = await res.json();
  if (!body.ok) throw new Error(`${area}.${action} answered ${res.status()} ${JSON.stringify(body.error)}\nHost output (last lines):\n${host.output().slice(-3000)}`);
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

const supportersIn = async (page: Page, selector: string): Promise<number> =>
  Number((await page.locator(selector).first().innerText()).match(/(\d+) 人支持/)![1]);

/**
 * Many residents read in elder mode: the page again with it on (a new document), its text, tap targets and
 * contrast measured to the elder figures, a screenshot, then elder mode off again.
 */
async function elderCheck(page: Page, root: string, ready: string, name: string): Promise<void> {
  const url = page.url();
  await page.evaluate(() => localStorage.setItem('shishi.elder', JSON.stringify({ data: 'on' })));
  await page.goto(url.replace(/\/\?load=\d+#|\/#/, `/?load=${++loads}#`));
  await page.locator(`${root}.elder ${ready}`).waitFor(WAIT);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const m = await measureElder(page);
  expect(m.measuredTargets).toBeGreaterThan(0);
  expect({ name, smallText: m.smallText, tightLines: m.tightLines, smallTargets: m.smallTargets }).toEqual({ name, smallText: [], tightLines: [], smallTargets: [] });
  expect({ name, contrast: await axeContrast(page) }).toEqual({ name, contrast: [] });
  await still(page, root);
  await shot(page, name);
  await page.evaluate(() => localStorage.setItem('shishi.elder', JSON.stringify({ data: 'off' })));
}

/**
 * One deliberation on the procedure page: figures, votes for each item (`votesFor`, one abstains, the rest
 * against; an item in `down` gets 1 for), minutes; the slate the server answered.
 */
async function deliberate(
  page: Page, items: number, f: { expected: number; present: number; votesFor: number; down?: number[] }, minutes: string, reasons?: string[],
): Promise<any> {
  await page.fill('#step-expected input', String(f.expected));
  await page.fill('#step-present input', String(f.present));
  for (let i = 0; i < items; i++) {
    const votesFor = f.down?.includes(i) ? 1 : f.votesFor;
    if (reasons) await page.fill(`#step-reason-${i} input`, reasons[i]!);
    await page.fill(`#step-vote-for-${i} input`, String(votesFor));
    await page.fill(`#step-vote-against-${i} input`, String(f.present - votesFor - 1));
    await page.fill(`#step-vote-abstain-${i} input`, '1');
  }
  await page.fill('#step-minutes textarea', minutes);
  return actionResult(page, 'matters', 'recordStep', () => page.click('#step-submit'));
}

test('a suggestion becomes one of the year’s fixed matters, and its author sees it', async () => {
  // Not the story, so through the API: two more demands of the year, to be left out with their reasons,
  // and a second community admin (invited and joined) for the committee.
  const adminToken = await demoToken(host.url, 'demo-admin-peixin');
  for (const [title, n] of [[PARKING, 1], [PAINT, 2]] as const) {
    await callAction(host.url, adminToken, 'matters', 'createDemand', {
      requestId: `h5-story-extra-${n}`, communityId: COMMUNITY, title, category: '公共设施', description: '', note: '网格员走访时居民反映',
    });
  }
  const invite = await callAction<{ code: string }>(host.url, adminToken, 'members', 'createInvitation', { communityId: COMMUNITY, role: 'community_admin' });
  await callAction(host.url, await demoToken(host.url, 'demo-newcomer'), 'members', 'redeemInvitation', { code: invite.code, name: '王建华' });

  // 1. The resident suggests on the suggestion page.
  const resident = await phone('resident');
  await signIn(resident, host.url, 'demo-resident-peixin');
  await resident.click('#home-suggest');
  await resident.click('#page-suggest #suggest-category-7');
  await resident.fill('#suggest-text textarea', TEXT);
  await resident.fill('#suggest-place input', '5栋2单元楼道');
  await still(resident, '#page-suggest');
  await shot(resident, 'suggest');
  const suggestion = await actionResult(resident, 'suggestions', 'submit', () => resident.click('#suggest-submit'));
  await resident.locator('#page-suggestion #suggestion-created').waitFor(WAIT);
  await expectText(resident, '#suggestion-text', TEXT);
  await still(resident, '#page-suggestion');
  await shot(resident, 'suggested');

  // 2. The admin opens it from the inbox; the page proposes the similar demand; one tap adopts it there.
  const admin = await phone('admin');
  await signIn(admin, host.url, 'demo-admin-peixin');
  await admin.click('#home-inbox');
  await admin.locator('#page-inbox [id^="inbox-item-"]', { hasText: TEXT.slice(0, 12) }).first().click();
  await expectText(admin, '#page-admin-detail #detail-text', TEXT);
  const proposal = admin.locator('[id^="adopt-similar-"]', { hasText: LIGHTS }).first();
  await proposal.waitFor(WAIT);
  const before = await supportersIn(admin, `#${await proposal.getAttribute('id')}`);
  await still(admin, '#page-admin-detail');
  await shot(admin, 'adopt-proposal');
  const adopted = await actionResult(admin, 'matters', 'adoptSuggestion', () => proposal.locator('[id^="adopt-into-"]').click());
  expect(adopted.created).toBe(false);
  await admin.click('#adopt-open-demand');
  await expectText(admin, '#page-demand #demand-heading', LIGHTS);
  await expectText(admin, '#page-demand #demand-support', `${before + 1} 人支持`);
  await expectText(admin, '#page-demand', TEXT.slice(0, 20));
  await still(admin, '#page-demand');
  await shot(admin, 'adopted-supporters-up');

  // 3. A committee of the two admins; each scores the demand in their own session.
  await fresh(admin, `/packages/matters-admin/demands/index?communityId=${COMMUNITY}`);
  await admin.click('#page-demands #demands-committee');
  for (const name of ['刘芳', '王建华']) await admin.locator('[id^="committee-member-"]', { hasText: name }).first().click();
  const committee = await actionResult(admin, 'matters', 'setCommittee', () => admin.click('#committee-submit'));
  expect(committee.members.map((m: { name: string }) => m.name).sort()).toEqual(['刘芳', '王建华'].sort());
  await still(admin, '#page-committee');
  await shot(admin, 'committee');

  await fresh(admin, `/packages/matters-admin/demand/index?id=${encodeURIComponent(adopted.demandId)}`);
  for (const [p, n] of [['small', 4], ['impact', 5], ['feasible', 4], ['benefit', 5]] as const) await admin.click(`#score-${p}-${n}`);
  expect(await actionResult(admin, 'matters', 'scoreDemand', () => admin.click('#score-submit'))).toEqual({ scored: 1, committee: 2 });
  await expectText(admin, '#score-progress', '已评 1/2');

  const colleague = await phone('second-committee-member');
  await signIn(colleague, host.url, 'demo-newcomer');
  await colleague.click('#home-demands');
  await colleague.locator('#page-demands [id^="demands-item-"]', { hasText: LIGHTS }).first().click();
  await expectText(colleague, '#page-demand #demand-heading', LIGHTS);
  for (const [p, n] of [['small', 5], ['impact', 4], ['feasible', 4], ['benefit', 4]] as const) await colleague.click(`#score-${p}-${n}`);
  expect(await actionResult(colleague, 'matters', 'scoreDemand', () => colleague.click('#score-submit'))).toEqual({ scored: 2, committee: 2 });
  await expectText(colleague, '#score-progress', '已评 2/2');
  // Equal weights: the mean of the four means, (4.5 + 4.5 + 4 + 4.5) / 4.
  await expectText(colleague, '#score-total', '综合得分 4.38');
  await still(colleague, '#page-demand');
  await shot(colleague, 'scored');

  // 4. A council meeting with the demand on its agenda, begun an hour ago (so scanning in and outcomes are open).
  const start = new Date(Date.now() - 3600_000 + 8 * 3600_000).toISOString();
  await fresh(admin, `/packages/matters-admin/demands/index?communityId=${COMMUNITY}`);
  await admin.click('#page-demands #demands-meetings');
  await admin.click('#page-meetings #meetings-new');
  await admin.fill('#meeting-title input', '十二月居民议事会');
  await admin.fill('#meeting-place input', '社区党群服务中心');
  await admin.fill('#meeting-date input', start.slice(0, 10));
  await admin.fill('#meeting-time input', start.slice(11, 16));
  await admin.click('#meeting-pick-open');
  await admin.locator('[id^="meeting-pick-"]', { hasText: LIGHTS }).first().click();
  await expectText(admin, '#meeting-agenda-0', LIGHTS);
  const meeting = await actionResult(admin, 'matters', 'scheduleMeeting', () => admin.click('#meeting-submit'));
  expect(meeting.agenda[0].demandId).toBe(adopted.demandId);
  await expectText(admin, '#page-meeting #meeting-heading', '十二月居民议事会');
  const code = (await admin.locator('#meeting-code').innerText()).replace(/^签到码：/, '').trim();
  await still(admin, '#page-meeting');
  await shot(admin, 'meeting-scheduled');

  await resident.goto(`${host.url}/?load=${++loads}#/packages/matters/board/index`);
  await resident.fill('#board-code input', code);
  await actionResult(resident, 'matters', 'attendMeeting', () => resident.click('#board-code-submit'));
  await expectText(resident, '#board-checked-in', '本次到会 1 人');
  await still(resident, '#page-board');
  await shot(resident, 'meeting-signed-in');

  await fresh(admin, `/packages/matters-admin/meeting/index?id=${encodeURIComponent(meeting._id)}`);
  await expectText(admin, '#meeting-attendees', '到会 1 人');
  await admin.fill('#meeting-hand input', '23');
  await actionResult(admin, 'matters', 'countAttendees', () => admin.click('#meeting-hand-save'));
  await expectText(admin, '#meeting-attendees', '到会 24 人');
  await admin.click('#agenda-adopted-0');
  await admin.fill('#agenda-support-0 input', '21');
  await admin.fill('#agenda-oppose-0 input', '1');
  await admin.fill('#agenda-abstain-0 input', '2');
  await actionResult(admin, 'matters', 'recordOutcome', () => admin.click('#agenda-submit-0'));
  await expectText(admin, '#agenda-outcome-0', '赞成 21，反对 1，弃权 2');
  await admin.fill('#meeting-minutes-input textarea', '到会 24 人，楼道照明改造表决通过，建议列入年度实事。');
  await actionResult(admin, 'matters', 'closeMeeting', () => admin.click('#meeting-close-submit'));
  await expectText(admin, '#page-meeting #meeting-status', '已召开');
  await still(admin, '#page-meeting');
  await shot(admin, 'meeting-held');
  // The council's vote is one more source of the demand: its supporters counted as anonymous backing.
  await fresh(admin, `/packages/matters-admin/demand/index?id=${encodeURIComponent(adopted.demandId)}`);
  await expectText(admin, '#page-demand #demand-support', `${before + 1} 人支持，另有 21 份匿名`);
  await expectText(admin, '#page-demand', '十二月居民议事会：老旧楼栋楼道照明改造（赞成 21）');

  // 5. The four deliberations in order on the procedure page, with votes.
  await fresh(admin, `/packages/matters-admin/demands/index?communityId=${COMMUNITY}`);
  await admin.click('#page-demands #demands-procedure');
  await admin.locator('#step-form [id^="step-pick-"]', { hasText: LIGHTS }).first().click();
  await admin.locator('#step-form [id^="step-pick-"]', { hasText: CANTEEN }).first().click();
  await admin.locator('#step-form [id^="step-pick-"]', { hasText: PAINT }).first().click();
  await admin.locator('#step-item-2').waitFor(WAIT);
  let v = await deliberate(admin, 3, { expected: 7, present: 6, votesFor: 5 }, '党组织会议提议三件实事。', ['居民议事会 21 票赞成，老楼照明存在安全隐患', '独居老人多，场地已落实', '临街外墙破损']);
  expect(v.stage).toBe('consultation');
  await expectText(admin, '#proc-stage', '两委会商议');
  await still(admin, '#page-procedure');
  await shot(admin, 'proposal-recorded');
  // The 两委 turn the facade down: it leaves the slate, its vote stays in the record under its title.
  v = await deliberate(admin, 3, { expected: 9, present: 8, votesFor: 7, down: [2] }, '两委会商议：外墙属产权单位维修范围，不再提交。');
  expect(v.stage).toBe('review');
  expect(v.items.map((i: { title: string }) => i.title)).not.toContain(PAINT);
  await expectText(admin, '#proc-vote-1-2', `${PAINT}：赞成 1，反对 6，弃权 1（未通过）`);
  v = await deliberate(admin, 2, { expected: 30, present: 22, votesFor: 20 }, '党员大会审议通过。');
  expect(v.stage).toBe('resolution');
  v = await deliberate(admin, 2, { expected: 45, present: 31, votesFor: 29 }, '居民代表会议决议通过。');
  expect(v.stage).toBe('publicity');
  expect(v.steps.map((s: { step: string }) => s.step)).toEqual(['proposal', 'consultation', 'review', 'resolution']);
  await expectText(admin, '#proc-record-1', '通过 2 项，未通过 1 项');
  await expectText(admin, '#proc-record-3', '应到 45 人，实到 31 人；通过 2 项');
  await expectText(admin, '#proc-vote-0-0', `${LIGHTS}：赞成 5，反对 0，弃权 1（通过）`);
  await expectText(admin, '#proc-vote-3-1', '孝义食堂（老年助餐点）：赞成 29，反对 1，弃权 1（通过）');
  await still(admin, '#page-procedure');
  await shot(admin, 'four-deliberations');

  // 6. 公示: the resident objects on the board, the admin answers in public, the clock passes the end.
  const started = await actionResult(admin, 'matters', 'startPublicity', () => admin.click('#proc-publicity'));
  expect(started.publicity.daysLeft).toBe(7);
  await expectText(admin, '#proc-publicity-window', '还剩 7 天');

  await resident.goto(`${host.url}/?load=${++loads}#/packages/matters/board/index`);
  await expectText(resident, '#page-board #board-countdown', '公示期还剩 7 天');
  const canteen = resident.locator('[id^="board-item-"]', { hasText: CANTEEN }).first();
  await canteen.locator('[id^="board-object-"]').click();
  await canteen.locator('textarea').fill(OBJECTION);
  await actionResult(resident, 'matters', 'object', () => canteen.locator('[id^="board-send-"]').click());
  await canteen.locator('[id^="board-objected-"]').waitFor(WAIT);
  await still(resident, '#page-board');
  await shot(resident, 'objected');
  // Meanwhile the suggestion's page says where its demand stands.
  await resident.goto(`${host.url}/?load=${++loads}#/pages/suggestion/index?id=${encodeURIComponent(suggestion._id)}`);
  await expectText(resident, '#page-suggestion #suggestion-demand-state', '已列入实事草案，正在公示');

  await fresh(admin, `/packages/matters-admin/procedure/index?communityId=${COMMUNITY}`);
  await expectText(admin, '#objection-0', '二十分钟');
  await admin.fill('#objection-input-0 input', ANSWER);
  expect((await actionResult(admin, 'matters', 'answerObjection', () => admin.click('#objection-reply-0'))).unanswered).toBe(0);
  await expectText(admin, '#objection-answer-0', '12栋架空层');
  await expectText(admin, '#fix-form', '公示期还剩 7 天，结束后才能确定清单');
  await still(admin, '#page-procedure');
  await shot(admin, 'objection-answered');

  clock.advance(7 * DAY + 3600_000);

  // 7. The list fixed, with a published reason for each demand left out.
  await fresh(admin, `/packages/matters-admin/procedure/index?communityId=${COMMUNITY}`);
  await admin.locator('#fix-form [id^="fix-demand-"]').first().waitFor(WAIT);
  expect(await admin.locator('#fix-form').innerText()).not.toContain('公示期还剩');
  await admin.locator('#fix-form [id^="fix-demand-"]', { hasText: PARKING }).first().click();
  await admin.click('#fix-reason-referred');
  await admin.fill('#fix-department input', '区住建局');
  await admin.click('#fix-done');
  await admin.locator('#fix-form [id^="fix-demand-"]', { hasText: PAINT }).first().click();
  await admin.click('#fix-reason-not_feasible');
  await admin.fill('#fix-note input', '外墙属产权单位维修范围，社区资金不能列支');
  await admin.click('#fix-done');
  await expectText(admin, '#fix-form', '转交职能部门：区住建局');
  const fixed = await actionResult(admin, 'matters', 'fixList', () => admin.click('#fix-submit'));
  expect(fixed.stage).toBe('fixed');
  expect(fixed.items.map((i: { title: string }) => i.title)).toEqual(expect.arrayContaining([LIGHTS, expect.stringContaining(CANTEEN)]));
  await admin.locator('#proc-fixed').waitFor(WAIT);
  await still(admin, '#page-procedure');
  await shot(admin, 'list-fixed');

  // 8. The resident follows the suggestion from 我的建议 to its demand, “已列入”, then the board.
  await resident.goto(`${host.url}/?load=${++loads}#/pages/index/index`);
  await resident.click('#page-home #home-mine');
  await resident.locator(`#page-mine [data-id="${suggestion._id}"]`).click();
  await expectText(resident, '#page-suggestion #suggestion-demand-title', LIGHTS);
  await expectText(resident, '#suggestion-demand-state', '已列入');
  await expectText(resident, '#page-suggestion', '已纳入需求清单');
  await still(resident, '#page-suggestion');
  await shot(resident, 'resident-follows');

  await elderCheck(resident, '#page-suggestion', '#suggestion-demand-state', 'resident-follows-elder');

  await resident.click('#suggestion-board');
  await expectText(resident, '#page-board #board-stage', '清单已确定');
  await expectText(resident, '#page-board', '本年度实事清单');
  await expectText(resident, '#page-board', LIGHTS);
  await expectText(resident, '#board-answers', OBJECTION);
  await expectText(resident, '#board-answers', ANSWER);
  await expectText(resident, '#board-left-out', PARKING);
  await expectText(resident, '#board-left-out', '区住建局');
  await expectText(resident, '#board-left-out', '外墙属产权单位维修范围');
  await still(resident, '#page-board');
  await shot(resident, 'resident-board');
  await elderCheck(resident, '#page-board', '#board-left-out', 'resident-board-elder');
}, 300_000);
