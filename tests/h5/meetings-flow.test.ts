/**
 * Council meetings and committee scoring in Chromium, against the H5 build on a real local host (demo data,
 * fresh SQLite): the admin schedules a meeting that began an hour ago (so scanning in and outcomes are open)
 * with a demand of the list and a new proposal; a resident signs in on the board with the meeting's code
 * typed in (H5 has no camera scanning); the admin counts those without the app, records the proposal as
 * adopted (it becomes a demand) and closes the meeting. Then a one-person committee scores a demand and sees
 * the summary. Screenshots go to test-artifacts/h5/meetings-*.png.
 */
import type { Page, Response } from 'playwright-core';
import { screenshot, type RunningHost } from '../support/chromium';
import { expectText, signIn, useH5, WAIT } from './session';

const h5 = useH5();
let host: RunningHost;
beforeAll(() => {
  host = h5.host;
});

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

let loads = 0;
const fresh = (page: Page, route: string) => page.goto(`${host.url}/?load=${++loads}#${route}`);

test('schedule a meeting, a resident checks in with the code, count by hand, an adopted proposal, close', async () => {
  // An hour ago in Asia/Shanghai, as the form's date and time.
  const start = new Date(Date.now() - 3600_000 + 8 * 3600_000).toISOString();
  const [date, time] = [start.slice(0, 10), start.slice(11, 16)];

  const admin = await h5.newPage('admin-meetings');
  await signIn(admin, host.url, 'demo-admin-peixin');
  await fresh(admin, '/packages/matters-admin/meetings/index?communityId=comm-peixin');
  await admin.click('#page-meetings #meetings-new');
  await admin.fill('#meeting-title input', '居民议事会（测试）');
  await admin.fill('#meeting-place input', '社区党群服务中心');
  await admin.fill('#meeting-date input', date);
  await admin.fill('#meeting-time input', time);
  await admin.click('#meeting-pick-open');
  await admin.locator('#meeting-pick-0').click();
  await admin.fill('#meeting-proposal input', '增设快递柜');
  await admin.click('#meeting-proposal-add');
  await admin.locator('#meeting-agenda-1').waitFor(WAIT);
  await still(admin, '#page-meetings');
  await screenshot(admin, 'h5', 'meetings-schedule');
  const m = await actionResult(admin, 'matters', 'scheduleMeeting', () => admin.click('#meeting-submit'));
  expect(m.agenda.map((a: { demandId: string | null }) => a.demandId === null)).toEqual([false, true]);
  expect(m.token).toBeTruthy();

  await expectText(admin, '#page-meeting #meeting-heading', '居民议事会（测试）');
  await admin.locator('#meeting-qr-image').waitFor(WAIT);
  const code = (await admin.locator('#meeting-code').innerText()).replace(/^签到码：/, '').trim();
  expect(code).toBe(`shishi-meeting:${m._id}:${m.token}`);
  await still(admin, '#page-meeting');
  await screenshot(admin, 'h5', 'meetings-qr');

  // The resident types the code on the board.
  const resident = await h5.newPage('resident-checkin');
  await signIn(resident, host.url, 'demo-resident-peixin');
  await resident.click('#home-board');
  await resident.locator('#board-code').waitFor(WAIT);
  await resident.fill('#board-code input', 'not-a-code');
  await resident.click('#board-code-submit');
  await expectText(resident, '#board-checkin-error', '这不是议事会的签到码');
  await resident.fill('#board-code input', code);
  const attended = await actionResult(resident, 'matters', 'attendMeeting', () => resident.click('#board-code-submit'));
  expect(attended.attendees).toBe(1);
  await expectText(resident, '#board-checked-in', '本次到会 1 人');
  await still(resident, '#page-board');
  await screenshot(resident, 'h5', 'meetings-checked-in');

  // The admin counts 9 more by hand and records the new proposal as adopted.
  await fresh(admin, `/packages/matters-admin/meeting/index?id=${encodeURIComponent(m._id)}`);
  await expectText(admin, '#page-meeting #meeting-attendees', '到会 1 人');
  await admin.fill('#meeting-hand input', '9');
  await actionResult(admin, 'matters', 'countAttendees', () => admin.click('#meeting-hand-save'));
  await expectText(admin, '#page-meeting #meeting-attendees', '到会 10 人');
  await admin.click('#agenda-adopted-1');
  await admin.fill('#agenda-support-1 input', '8');
  await admin.fill('#agenda-oppose-1 input', '1');
  await admin.click('#agenda-category-1-7');
  const outcome = await actionResult(admin, 'matters', 'recordOutcome', () => admin.click('#agenda-submit-1'));
  expect(outcome.demandId).toBeTruthy();
  await expectText(admin, '#agenda-outcome-1', '赞成 8，反对 1，弃权 0');

  await admin.fill('#meeting-minutes-input textarea', '议事会讨论两个议题，增设快递柜获通过。');
  const closed = await actionResult(admin, 'matters', 'closeMeeting', () => admin.click('#meeting-close-submit'));
  expect(closed.status).toBe('held');
  await expectText(admin, '#page-meeting #meeting-status', '已召开');
  await still(admin, '#page-meeting');
  await screenshot(admin, 'h5', 'meetings-held');

  // The adopted proposal is now a demand that came from the council.
  await fresh(admin, `/packages/matters-admin/demand/index?id=${encodeURIComponent(outcome.demandId)}`);
  await expectText(admin, '#page-demand #demand-heading', '增设快递柜');
  await expectText(admin, '#page-demand #demand-source-0', '议事会');
}, 120_000);

test('a one-person committee, assessment counted from the ledger, scores and the summary', async () => {
  const admin = await h5.newPage('admin-committee');
  await signIn(admin, host.url, 'demo-admin-peixin');
  await fresh(admin, '/packages/matters-admin/committee/index?communityId=comm-peixin');
  const me = admin.locator('[id^="committee-member-"]', { hasText: '刘芳' }).first();
  await me.click();
  await still(admin, '#page-committee');
  await screenshot(admin, 'h5', 'meetings-committee');
  const c = await actionResult(admin, 'matters', 'setCommittee', () => admin.click('#committee-submit'));
  expect(c.members.map((x: { name: string }) => x.name)).toEqual(['刘芳']);

  await fresh(admin, '/packages/matters-admin/demands/index?communityId=comm-peixin');
  await admin.locator('#page-demands #demands-item-0').click();
  await admin.locator('#page-demand #assess-edit').click();
  await admin.fill('#assess-cost input', '30000');
  await admin.click('#assess-funding-fiscal');
  await admin.fill('#assess-buildings input', '3栋');
  const counted = await actionResult(admin, 'matters', 'countBeneficiaries', () => admin.click('#assess-count-run'));
  expect(counted.note).toContain('住户台账');
  const assessed = await actionResult(admin, 'matters', 'assessDemand', () => admin.click('#assess-submit'));
  expect(assessed.assessment).toMatchObject({ cost: 30000, funding: ['fiscal'], beneficiaries: counted.people });
  await expectText(admin, '#assess-summary', '30,000 元');

  for (const [p, n] of [['small', 4], ['impact', 3], ['feasible', 5], ['benefit', 4]] as const) await admin.click(`#score-${p}-${n}`);
  const scored = await actionResult(admin, 'matters', 'scoreDemand', () => admin.click('#score-submit'));
  expect(scored).toEqual({ scored: 1, committee: 1 });
  await expectText(admin, '#score-progress', '已评 1/1');
  await expectText(admin, '#score-total', '综合得分 4.00');
  await expectText(admin, '#score-member-0', '刘芳');
  await still(admin, '#page-demand');
  await screenshot(admin, 'h5', 'meetings-scored');
}, 120_000);
