/**
 * Questionnaires end to end in Chromium, against the H5 build served by a real local host (demo
 * mode, fresh SQLite): the community admin builds a questionnaire on the phone (a single choice with
 * “其他（请注明）”, a question shown only when the first answer is 需要, a multiple choice with
 * “其他”) and publishes it; a resident answers it — the skipped question appears and disappears
 * with the first answer — and submits; a second submit from a tab opened earlier is refused with
 * SURVEY.ALREADY_ANSWERED and says so; the admin's results show the answer, its counts and the
 * typed texts (also the “其他” text). Screenshots go to test-artifacts/h5/survey-*.png.
 */
import type { Page, Response } from 'playwright-core';
import { screenshot, type RunningHost } from '../support/chromium';
import { expectText, signIn, useH5, WAIT } from './session';

const TITLE = '社区助餐需求调查';
const Q1 = '您是否需要社区助餐服务？';
const Q2 = '您希望在哪里用餐？';
const Q3 = '您还需要哪些上门服务？';
const WHERE = '社区食堂堂食';
const OTHER = '代买药品';

const h5 = useH5();
const { newPage, watch } = h5;
let host: RunningHost;
beforeAll(() => {
  host = h5.host;
});

const isAction = (area: string, action: string) => (r: Response) =>
  r.url().endsWith(`/fn/${area}`) && r.request().method() === 'POST' && r.request().postDataJSON()?.action === action;

/** The body of the next answer to `area.action` (ok or not). */
async function nextAnswer(page: Page, area: string, action: string): Promise<{ ok: boolean; data?: any; error?: { code: string; message: string } }> {
  const res = await page.waitForResponse(isAction(area, action), WAIT);
  return res.json();
}

/** Waits for an action's answer and checks it succeeded; returns its data. */
async function okData(answer: Promise<{ ok: boolean; data?: any; error?: unknown }>, what: string): Promise<any> {
  const body = await answer;
  if (!body.ok) throw new Error(`${what} answered ${JSON.stringify(body.error)}\nHost output (last lines):\n${host.output().slice(-3000)}`);
  return body.data;
}

let admin: Page;
let resident: Page;
let surveyId: string | undefined;
let submitted = false;

const needs = (ok: unknown, step: string) => {
  if (!ok) throw new Error(`Not run: the earlier step "${step}" failed (see its error above).`);
};

test('the community admin builds a questionnaire with a skip rule on the phone and publishes it', async () => {
  admin = await newPage('admin');
  await signIn(admin, host.url, 'demo-admin-peixin');
  await admin.click('#home-surveys-admin');
  await admin.click('#page-surveys-admin #sa-new');
  await admin.locator('#page-survey-build #sa-title').waitFor(WAIT);
  await admin.fill('#sa-title input', TITLE);

  // 1. Single choice with “其他（请注明）”.
  await admin.click('#sa-add-single');
  await admin.fill('#sa-q-0-title input', Q1);
  await admin.fill('#sa-q-0-options textarea', '需要\n不需要');
  await admin.click('#sa-q-0-other');
  await expectAttr(admin, '#sa-q-0-other', 'aria-checked', 'true');

  // 2. Shown only when question 1 is 需要.
  await admin.click('#sa-add-text');
  await admin.fill('#sa-q-1-title input', Q2);
  await admin.click('#sa-q-1-cond-q-q1');
  await admin.click('#sa-q-1-cond-op-equals');
  await admin.click('#sa-q-1-cond-v-a');
  await expectAttr(admin, '#sa-q-1-cond-v-a', 'class', 'primary', 'contains');

  // 3. Multiple choice with “其他”.
  await admin.click('#sa-add-multiple');
  await admin.fill('#sa-q-2-title input', Q3);
  await admin.fill('#sa-q-2-options textarea', '理发\n家电维修');
  await admin.click('#sa-q-2-other');

  // The builder agrees with the server: nothing to fix.
  await expect(admin.locator('#page-survey-build [role=alert]').allInnerTexts()).resolves.toEqual([]);
  await screenshot(admin, 'h5', 'survey-admin-built');

  // The preview behaves as a resident would see it: question 2 only after 需要.
  await admin.click('#sa-preview-open');
  await admin.locator('#sa-preview-q-q1').waitFor(WAIT);
  await expect(admin.locator('#sa-preview-q-q2').count()).resolves.toBe(0);
  await admin.click('#sa-preview-q-q1-opt-a');
  await admin.locator('#sa-preview-q-q2').waitFor(WAIT);
  await screenshot(admin, 'h5', 'survey-admin-preview');
  await admin.click('#sa-preview-close');

  const created = nextAnswer(admin, 'surveys', 'create');
  const published = nextAnswer(admin, 'surveys', 'publish');
  await admin.click('#sa-save-publish');
  const survey = await okData(created, 'surveys.create');
  expect(survey.questions.map((q: { id: string; type: string }) => `${q.id}:${q.type}`)).toEqual(['q1:single', 'q2:text', 'q3:multiple']);
  expect(survey.questions[1].showIf).toEqual({ questionId: 'q1', op: 'equals', values: ['a'] });
  expect(survey.questions[0].options).toContainEqual({ id: 'other', label: '其他（请注明）', other: true });
  await expect(okData(published, 'surveys.publish')).resolves.toMatchObject({ _id: survey._id, status: 'published' });
  surveyId = survey._id as string;

  // Back on the list, which shows it published.
  await expectText(admin, `#sa-item-${cssId(surveyId)}`, '已发布');
  await admin.locator(`#sa-results-${cssId(surveyId)}`).waitFor(WAIT);
  await screenshot(admin, 'h5', 'survey-admin-published');
}, 90_000);

test('a resident answers: the skipped question appears and disappears with the first answer', async () => {
  needs(surveyId, 'the admin publishes');
  resident = await newPage('resident');
  await signIn(resident, host.url, 'demo-resident-peixin');
  await resident.click('#home-surveys');
  const item = `#survey-item-${cssId(surveyId!)}`;
  await expectText(resident, item, TITLE);
  await expectText(resident, item, '进行中');
  await screenshot(resident, 'h5', 'survey-resident-list');
  await resident.click(item);

  await expectText(resident, '#page-survey #survey-title', TITLE);
  await resident.locator('#survey-q-q1').waitFor(WAIT);
  await resident.locator('#survey-q-q3').waitFor(WAIT);
  await expect(resident.locator('#survey-q-q2').count()).resolves.toBe(0);
  await expectText(resident, '#survey-progress', '已答 0 / 2 题');

  await resident.click('#survey-q-q1-opt-a');
  await expectText(resident, '#survey-q-q2', Q2);
  await expectText(resident, '#survey-progress', '已答 1 / 3 题');
  await screenshot(resident, 'h5', 'survey-resident-skip-shown');

  await resident.click('#survey-q-q1-opt-b');
  await resident.locator('#survey-q-q2').waitFor({ state: 'detached', ...WAIT });
  await expectText(resident, '#survey-progress', '已答 1 / 2 题');
  await screenshot(resident, 'h5', 'survey-resident-skip-hidden');

  await resident.click('#survey-q-q1-opt-a');
  await resident.fill('#survey-q-q2-input input', WHERE);
  await resident.click('#survey-q-q3-opt-a');
  await resident.click('#survey-q-q3-opt-other');
  await resident.fill('#survey-q-q3-other input', OTHER);
  await expectText(resident, '#survey-progress', '已答 3 / 3 题');
  await screenshot(resident, 'h5', 'survey-resident-filled');
}, 60_000);

let stale: Page;

test('the resident submits once; a second submit says 已填写过', async () => {
  needs(surveyId, 'the admin publishes');
  // A second tab opened before submitting (the shared link tapped twice): it picks up the draft kept on the device.
  stale = watch(await resident.context().newPage(), 'resident (second tab)');
  await stale.goto(resident.url());
  await stale.locator('#survey-q-q2').waitFor(WAIT);
  await expect(stale.inputValue('#survey-q-q2-input input')).resolves.toBe(WHERE);
  await expect(stale.inputValue('#survey-q-q3-other input')).resolves.toBe(OTHER);

  await resident.bringToFront();
  const answer = nextAnswer(resident, 'surveys', 'submit');
  await resident.click('#survey-submit');
  const sent = await okData(answer, 'surveys.submit');
  expect(sent).toMatchObject({ surveyId });
  await expectText(resident, '#survey-done', '提交成功');
  submitted = true;
  await screenshot(resident, 'h5', 'survey-resident-submitted');

  await stale.bringToFront();
  const again = nextAnswer(stale, 'surveys', 'submit');
  await stale.click('#survey-submit');
  await expect(again).resolves.toMatchObject({ ok: false, error: { code: 'SURVEY.ALREADY_ANSWERED' } });
  // The form gives way to the reason, instead of offering the button again.
  await expectText(stale, '#survey-state', '已经填写过');
  await expect(stale.locator('#survey-submit').count()).resolves.toBe(0);
  await screenshot(stale, 'h5', 'survey-resident-already-answered');

  // Back on the list the questionnaire is marked as answered; opening it again says so too.
  await resident.bringToFront();
  await resident.click('#survey-back');
  const item = `#survey-item-${cssId(surveyId!)}`;
  await expectText(resident, item, '您已填写');
  await resident.click(item);
  await expectText(resident, '#survey-state', '已经填写过');
}, 60_000);

test("the admin's results show the answer, the chosen options' counts and the typed texts", async () => {
  needs(submitted, 'the resident submits');
  await admin.bringToFront();
  await admin.click(`#sa-results-${cssId(surveyId!)}`);
  await expectText(admin, '#page-survey-results #sr-total', '共 1 份答卷（其中代录 0 份）');
  await expectText(admin, '#sr-q-q1', '作答 1 人');
  await expectText(admin, '#sr-q-q1-opt-a', '1 人 · 100%');
  await expectText(admin, '#sr-q-q1-opt-b', '0 人 · 0%');
  await expectText(admin, '#sr-q-q3-opt-a', '1 人 · 100%');
  await expectText(admin, '#sr-q-q3-opt-other', '1 人 · 100%');
  await expectText(admin, '#sr-texts-q2', WHERE);
  // The “其他（请注明）” text of a choice question is listed too.
  await expectText(admin, '#sr-texts-q3', OTHER);
  await screenshot(admin, 'h5', 'survey-admin-results');

  // …and searchable like text answers.
  const searched = nextAnswer(admin, 'surveys', 'texts');
  await admin.fill('#sr-texts-q3-q input', '药品');
  await admin.click('#sr-texts-q3-search');
  await expect(okData(searched, 'surveys.texts')).resolves.toMatchObject({ items: [{ text: OTHER, other: true }] });
  await expectText(admin, '#sr-texts-q3', OTHER);
  const none = nextAnswer(admin, 'surveys', 'texts');
  await admin.fill('#sr-texts-q3-q input', '理发店');
  await admin.click('#sr-texts-q3-search');
  await expect(okData(none, 'surveys.texts')).resolves.toMatchObject({ items: [] });
  await expectText(admin, '#sr-texts-q3', '暂无文字答案');
  await screenshot(admin, 'h5', 'survey-admin-results-search');
}, 60_000);

/** Survey ids may hold characters a CSS id selector needs escaped. */
function cssId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, (c) => `\\${c}`);
}

async function expectAttr(page: Page, selector: string, name: string, value: string, how: 'is' | 'contains' = 'is') {
  try {
    await page.waitForFunction(
      ({ selector, name, value, how }) => {
        const v = document.querySelector(selector)?.getAttribute(name) ?? '';
        return how === 'is' ? v === value : v.includes(value);
      },
      { selector, name, value, how },
      WAIT,
    );
  } catch {
    throw new Error(`Expected ${selector} [${name}] to ${how === 'is' ? 'be' : 'contain'} "${value}"; it is ${await page.locator(selector).first().getAttribute(name)}`);
  }
}
