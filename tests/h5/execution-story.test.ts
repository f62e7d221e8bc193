/**
 * Part 2 of the ten matters as one story in Chromium at 390 px, against the H5 build on a real local host:
 * a fixed list (prepared through dispatch in the data dir before the host starts) → the community admin makes
 * the hospital the lead unit (units/assign) → plans the budget, a spending with its receipt and two milestones
 * (plan page) → the hospital's contact is refused a done mark without a photo, then posts progress with a
 * photo and marks milestone 1 done (progress page) → the admin marks milestone 2 → the resident's board shows
 * 100 % → 宣布完成 → 验收 → the result published → a resident rates it → the host's clock moves 28 days →
 * 开始回访 → 回访 recorded. Screenshots: test-artifacts/execution-story/NN-step.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { shanghaiDay } from '../../src/lib/time';
import { areas } from '../../src/server/areas';
import { seedDemo } from '../../src/server/demo/seed';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { dispatch } from '../../src/server/dispatch';
import { createLocalServices } from '../../src/server/local-services';
import { readAll } from '../../src/server/read-all';
import { demands } from '../../src/features/matters/matters.collections';
import { ARTIFACTS, screenshot, type RunningHost } from '../support/chromium';
import { hostClock } from './clock';
import { makePng } from './fixtures';
import { expectText, signIn, useH5, WAIT } from './session';

const DAY = 24 * 3600_000;
const TITLE = '社区卫生服务站延时服务';
const OTHER = '老旧楼栋楼道照明改造';
const start = new Date(Date.now() - 9 * DAY);
const YEAR = Number(shanghaiDay(start).slice(0, 4));
const CONTACT = P.unitContactHospital.openid;
const ADMIN = P.adminPeixin.openid;
const RESIDENT = P.residentPeixin.openid;

/** The fixed list of 培新街社区, through the four meetings and 公示 nine days back, fixed now (as print-poster does). */
async function prepare(dir: string): Promise<void> {
  let now = start.getTime();
  const services = createLocalServices({ dataDir: dir, secret: 'execution-story-secret-0123456789abcdef', demoMode: true, now: () => new Date(now), log: { info: () => {}, warn: () => {}, error: () => {} } });
  let seq = 0;
  const call = async (action: string, input: unknown): Promise<any> => {
    const r = await dispatch(areas, 'matters', { action, input }, { openid: ADMIN }, services, `prep-${++seq}`);
    if (!r.ok) throw new Error(`matters.${action}: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  try {
    await seedDemo(services);
    const key = { communityId: R.peixin, year: YEAR };
    const ids: string[] = [];
    for (const [i, title] of [TITLE, OTHER].entries()) {
      const d = await call('createDemand', { requestId: `exec-story-${i}`, ...key, title, category: '公共设施', note: '居民议事会提出' });
      await call('assessDemand', { id: d._id, cost: 3_500_000, funding: ['fiscal'], beneficiaries: 300 });
      ids.push(d._id);
    }
    const votes = Object.fromEntries(ids.map((id) => [id, { for: 9, against: 0, abstain: 0 }]));
    const reasons = Object.fromEntries(ids.map((id) => [id, '群众呼声高，投入小见效快']));
    for (const [i, step] of ['proposal', 'consultation', 'review', 'resolution'].entries()) {
      await call('recordStep', { ...key, step, date: shanghaiDay(new Date(now - (4 - i) * DAY)), expected: 9, present: 9, votes, minutes: '会议讨论并表决通过', ...(i === 0 ? { reasons } : {}) });
    }
    await call('startPublicity', key);
    now = Date.now();
    const open = (await readAll(services.store.collection(demands), { where: { ...key, status: 'open' } }, 5000)).items.filter((d) => !ids.includes(d._id));
    const fixed = await call('fixList', { ...key, leftOut: open.map((d) => ({ demandId: d._id, reason: 'next_year' })) });
    if (fixed.stage !== 'fixed' || fixed.items.length !== 2) throw new Error(`expected two fixed items, got ${JSON.stringify(fixed).slice(0, 300)}`);
  } finally {
    await services.store.close();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'shishi-h5-exec-'));
const clock = hostClock();
// Registered before useH5's own beforeAll, which starts the host on this data dir.
beforeAll(async () => {
  rmSync(join(ARTIFACTS, 'execution-story'), { recursive: true, force: true });
  await prepare(dataDir);
}, 120_000);
const h5 = useH5({ env: clock.env, dataDir });
let host: RunningHost;
beforeAll(() => {
  host = h5.host;
});
afterAll(() => {
  clock.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A screenshot (numbered by screenshot()) once no toast covers the page and the page has stopped sliding in. */
async function shot(page: Page, root: string, name: string): Promise<void> {
  await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLElement>('.taro__toast')).every((t) => t.style.display === 'none'), undefined, WAIT);
  await page.waitForFunction((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return !!r && Math.abs(r.left) < 1 && r.width > 0;
  }, root, WAIT);
  await screenshot(page, 'execution-story', name);
}

async function phone(name: string, openid: string): Promise<Page> {
  const page = await h5.newPage(name);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, host.url, openid);
  return page;
}

async function actionResult(page: Page, area: string, action: string, trigger: () => Promise<void>): Promise<any> {
  const matches = (r: Response) => r.url().endsWith(`/fn/${area}`) && r.request().method() === 'POST' && r.request().postDataJSON()?.action === action;
  const [res] = await Promise.all([page.waitForResponse(matches, WAIT), trigger()]);
  const body = await res.json();
  if (!body.ok) throw new Error(`${area}.${action} answered ${res.status()} ${JSON.stringify(body.error)}\nHost output (last lines):\n${host.output().slice(-3000)}`);
  return body.data;
}

/** The error body of an action the trigger sends (the test expects a refusal). */
async function actionRefusal(page: Page, area: string, action: string, trigger: () => Promise<void>): Promise<{ code: string; message: string }> {
  const matches = (r: Response) => r.url().endsWith(`/fn/${area}`) && r.request().method() === 'POST' && r.request().postDataJSON()?.action === action;
  const [res] = await Promise.all([page.waitForResponse(matches, WAIT), trigger()]);
  const body = await res.json();
  if (body.ok) throw new Error(`${area}.${action} was expected to refuse; it answered ${JSON.stringify(body.data).slice(0, 300)}`);
  return body.error;
}

let loads = 0;
const fresh = (page: Page, route: string) => page.goto(`${host.url}/?load=${++loads}#${route}`);

async function addPhoto(page: Page, addButton: string, name: string) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', WAIT), page.click(addButton)]);
  await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/files' && r.request().method() === 'POST', WAIT),
    chooser.setFiles({ name, mimeType: 'image/png', buffer: makePng() }),
  ]);
}

test('a fixed matter is assigned, planned, carried out with photo evidence, completed, accepted, rated and followed up', async () => {
  // 1. The admin makes the hospital the lead unit of the matter.
  const admin = await phone('admin', ADMIN);
  await fresh(admin, `/packages/units/matters/index?communityId=${R.peixin}&year=${YEAR}`);
  await admin.locator('[id^="matter-units-row-"]', { hasText: TITLE }).click();
  await admin.locator('#page-assign-units .un-row', { hasText: '汉滨区第一人民医院' }).locator('[id^="assign-lead-"]').click();
  await shot(admin, '#page-assign-units', 'assign-lead');
  const assigned = await actionResult(admin, 'units', 'assignMatterUnits', () => admin.click('#assign-submit'));
  expect(assigned.leadUnitId).toBe('unit-demo-hospital');
  const matterId: string = assigned.matterId;

  // 2. From 验收与回访 to the plan page: budget, a spending with its receipt, two milestones.
  await fresh(admin, `/packages/matters-admin/closing/index?communityId=${R.peixin}&year=${YEAR}`);
  const item = admin.locator('[id^="closing-item-"]', { hasText: TITLE });
  await item.locator('[id^="closing-plan-"]').click();
  await admin.locator('#page-plan #plan-title').waitFor(WAIT);
  await expectText(admin, '#plan-units', '牵头：汉滨区第一人民医院');
  await admin.fill('#plan-budget-fiscal input', '50000');
  await admin.fill('#plan-budget-donation input', '2000.5');
  const budget = await actionResult(admin, 'matters', 'setBudget', () => admin.click('#plan-budget-save'));
  expect(budget.budget).toEqual({ fiscal: 5_000_000, donation: 200_050 });
  await expectText(admin, '#plan-budget-total', '预算合计 52,000.5 元');

  await admin.fill('#plan-spending-amount input', '12800');
  await admin.fill('#plan-spending-purpose input', '诊室夜间照明与叫号屏');
  await addPhoto(admin, '#plan-receipt-add', 'receipt.png');
  await expectText(admin, '#plan-receipt-status-0', '已上传');
  const spent = await actionResult(admin, 'matters', 'addSpending', () => admin.click('#plan-spending-submit'));
  expect(spent).toMatchObject({ spent: 1_280_000, spendings: 1 });
  await expectText(admin, '#plan-spending-0', '12,800 元');
  await expectText(admin, '#plan-budget-total', '已支出 12,800 元（1 笔）');

  await admin.fill('#plan-ms-title input', '延时服务排班上岗');
  await admin.fill('#plan-ms-weight input', '60');
  await admin.click('#plan-ms-owner-unit-0');
  const one = await actionResult(admin, 'matters', 'addMilestone', () => admin.click('#plan-ms-submit'));
  expect(one.weightLeft).toBe(40);
  await expectText(admin, '#plan-weight-left', '还可分配 40%');
  await admin.fill('#plan-ms-title input', '服务站设施完善');
  await admin.fill('#plan-ms-weight input', '40');
  await admin.click('#plan-ms-owner-person');
  await admin.fill('#plan-ms-person input', '张建华');
  const two = await actionResult(admin, 'matters', 'addMilestone', () => admin.click('#plan-ms-submit'));
  expect(two.milestones.map((m: any) => [m.title, m.weight, m.owner.label])).toEqual([['延时服务排班上岗', 60, '汉滨区第一人民医院'], ['服务站设施完善', 40, '张建华']]);
  await expectText(admin, '#plan-ms-1', '负责：张建华');
  // All weight given: no form to add more.
  await admin.locator('#plan-ms-form').waitFor({ state: 'detached', ...WAIT });
  await shot(admin, '#page-plan', 'plan');

  // 3. The hospital's contact, from their home to the progress page: no photo → refused in words; with one → done.
  const contact = await phone('contact', CONTACT);
  await fresh(contact, '/packages/units/home/index');
  await contact.locator('[id^="unit-home-row-"]', { hasText: TITLE }).click();
  await contact.locator('#page-progress #progress-form').waitFor(WAIT);
  await contact.fill('#progress-text textarea', '夜间门诊已排班，医生护士到岗');
  await contact.click('#progress-ms-ms1');
  await contact.click('#progress-done');
  // The other milestone is a named person's: the contact may post about it but not mark it.
  const refusal = await actionRefusal(contact, 'matters', 'postUpdate', () => contact.click('#progress-submit'));
  expect(refusal.code).toBe('MATTERS.EVIDENCE_MISSING');
  await expectText(contact, '#progress-error', refusal.message);
  await shot(contact, '#page-progress', 'progress-refused');
  await addPhoto(contact, '#progress-photo-add', 'night-clinic.png');
  await expectText(contact, '#progress-photo-status-0', '已上传');
  await contact.click('#progress-tag-0-after');
  const posted = await actionResult(contact, 'matters', 'postUpdate', () => contact.click('#progress-submit'));
  expect(posted).toMatchObject({ progress: 60, state: 'in_progress' });
  await expectText(contact, '#progress-matter', '进度 60%');
  await expectText(contact, '#progress-update-0', '汉滨区第一人民医院');
  await contact.click('#progress-ms-ms2');
  await expectText(contact, '#progress-done-hint', '不能标记完成');
  await shot(contact, '#page-progress', 'progress-contact');

  // 4. The admin marks milestone 2 from the plan page's 发布进展.
  await fresh(admin, `/packages/matters-admin/plan/index?id=${encodeURIComponent(matterId)}`);
  await expectText(admin, '#plan-progress', '进度 60%');
  await admin.click('#plan-go-progress');
  await admin.locator('#page-progress #progress-form').waitFor(WAIT);
  await admin.fill('#progress-text textarea', '候诊区座椅和饮水机已安装');
  await addPhoto(admin, '#progress-photo-add', 'waiting-room.png');
  await expectText(admin, '#progress-photo-status-0', '已上传');
  await admin.click('#progress-ms-ms2');
  await admin.click('#progress-done');
  const full = await actionResult(admin, 'matters', 'postUpdate', () => admin.click('#progress-submit'));
  expect(full.progress).toBe(100);
  await shot(admin, '#page-progress', 'progress-admin');

  // 5. The resident's board shows 100 %.
  const resident = await phone('resident', RESIDENT);
  await fresh(resident, '/packages/matters/board/index');
  const row = resident.locator('[id^="board-matter-"]', { hasText: TITLE }).first();
  await row.waitFor(WAIT);
  await expect(row.innerText()).resolves.toContain('100%');
  await shot(resident, '#page-board', 'board');

  // 6. 宣布完成 → 验收.
  await fresh(admin, `/packages/matters-admin/closing/index?communityId=${R.peixin}&year=${YEAR}`);
  const idx = (await admin.locator('[id^="closing-item-"]', { hasText: TITLE }).getAttribute('id'))!.replace('closing-item-', '');
  await expectText(admin, `#closing-item-${idx}`, '进度 100%');
  const completed = await actionResult(admin, 'matters', 'completeMatter', () => admin.click(`#closing-complete-${idx}`));
  expect(completed.state).toBe('completed');
  await admin.click(`#closing-accept-${idx}`);
  await admin.fill(`#closing-reps-${idx} input`, '王建华');
  await admin.fill(`#closing-notes-${idx} textarea`, '夜间门诊正常开放，设施齐全，验收合格');
  await addPhoto(admin, `#closing-photo-${idx}-add`, 'accept.png');
  await expectText(admin, `#closing-photo-${idx}-status-0`, '已上传');
  const accepted = await actionResult(admin, 'matters', 'acceptMatter', () => admin.click(`#closing-accept-submit-${idx}`));
  expect(accepted.state).toBe('accepted');
  await expectText(admin, `#closing-item-${idx}`, '已验收');
  await shot(admin, '#page-closing', 'accepted');

  // 7. 实施结果公开 on the same page: a before and an after photo; the money is the plan's.
  await admin.click(`#closing-publish-${idx}`);
  await admin.fill(`#closing-summary-${idx} textarea`, '服务站延时到晚上九点，候诊区设施完善');
  await admin.click(`#closing-publish-submit-${idx}`);
  await expectText(admin, `#closing-publish-error-${idx}`, '请至少提供一组实施前、实施后的照片');
  await addPhoto(admin, `#closing-before-${idx}-add`, 'before.png');
  await addPhoto(admin, `#closing-after-${idx}-add`, 'after.png');
  await expectText(admin, `#closing-after-${idx}-status-0`, '已上传');
  const published = await actionResult(admin, 'matters', 'publishResult', () => admin.click(`#closing-publish-submit-${idx}`));
  expect(published.result).toMatchObject({ budget: 5_200_050, spent: 1_280_000 });

  // 8. A resident rates it on the result page.
  await fresh(resident, `/packages/matters/result/index?id=${encodeURIComponent(matterId)}`);
  await expectText(resident, '#result-title', TITLE);
  await resident.click('#result-level-satisfied');
  await resident.fill('#result-comment textarea', '晚上看病方便多了');
  const rated = await actionResult(resident, 'matters', 'rateMatter', () => resident.click('#result-submit'));
  expect(rated.mine).toBe('satisfied');
  await expectText(resident, '#result-satisfaction', '满意率 100%（1 人评价');
  await shot(resident, '#page-result', 'rated');

  // 9. Four weeks on: 开始回访, then the 回访 recorded.
  clock.advance(28 * DAY + 3600_000);
  await fresh(admin, `/packages/matters-admin/closing/index?communityId=${R.peixin}&year=${YEAR}`);
  await expectText(admin, `#closing-item-${idx}`, '回访');
  const started = await actionResult(admin, 'matters', 'startFollowUp', () => admin.click(`#closing-start-${idx}`));
  expect(started.followUp.state).toBe('surveying');
  await admin.click(`#closing-record-${idx}`);
  await admin.click(`#closing-outcome-works-${idx}`);
  await admin.fill(`#closing-followup-notes-${idx} textarea`, '回访居民十户，夜间门诊运转正常');
  const followed = await actionResult(admin, 'matters', 'recordFollowUp', () => admin.click(`#closing-followup-submit-${idx}`));
  expect(followed.followUp.state).toBe('done');
  await expectText(admin, `#closing-item-${idx}`, '回访：已完成');
  await shot(admin, '#page-closing', 'followed-up');
}, 180_000);
