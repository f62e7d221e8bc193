/**
 * 长辈模式 on the resident's questionnaire pages, measured in Chromium (375×812 @2x) against the H5
 * build served by a real local host: the community's list and the answering page with every
 * resident-facing input on screen (choices with a picked one and its “其他” box, a text box, a
 * number, stars, a matrix, a ranking, the submit button). In elder mode text is ≥ 18 px with line
 * height ≥ 1.3 and tap targets are ≥ 60×60 px; axe-core finds no contrast problem in either mode.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Definition } from '../../src/features/surveys/surveys.schema';
import { phoneContext, screenshot, startHostAndBrowser, watchPage, type RunningHost } from '../support/chromium';
import { axeContrast, measureElder, MIN_FONT_PX, MIN_LINE_HEIGHT_RATIO, MIN_TAP_PX } from './elder-audit';
import { callAction, demoToken } from './fixtures';

const WAIT = { timeout: 15_000 };
const RESIDENT = 'demo-resident-peixin';
const ADMIN = 'demo-admin-peixin';
const opts = (...labels: string[]) => labels.map((label, i) => ({ id: String.fromCharCode(97 + i), label }));

const DEFINITION: Definition = {
  title: '社区服务满意度调查',
  intro: '请根据您的实际感受填写，大约需要 3 分钟。',
  questions: [
    { id: 'age', type: 'single', title: '您的年龄段', required: true, options: [...opts('60 岁以下', '60–79 岁', '80 岁及以上'), { id: 'other', label: '其他（请注明）', other: true }] },
    { id: 'need', type: 'multiple', title: '您最需要哪些服务？', required: false, options: opts('助餐', '理发', '维修'), maxPicks: 2 },
    { id: 'idea', type: 'text', title: '您的建议', required: false },
    { id: 'times', type: 'number', title: '每周去几次社区食堂？', required: false, min: 0, max: 21 },
    { id: 'score', type: 'rating', title: '总体满意度', required: true },
    { id: 'mx', type: 'matrix', title: '对各项服务的满意程度', required: false, rows: [{ id: 'r1', label: '助餐' }, { id: 'r2', label: '卫生' }], scale: opts('满意', '一般', '不满意') },
    { id: 'rank', type: 'ranking', title: '请按重要程度排序', required: false, options: opts('安全', '卫生', '便利') },
  ],
};

let surveyId = '';
let host: RunningHost;
let browser: Browser;
const tokens = new Map<string, string>();
const contexts: BrowserContext[] = [];

interface Checked {
  name: string;
  path: () => string;
  ready: string;
}
const PAGES: Checked[] = [
  { name: 'survey-list', path: () => '/#/packages/survey/answer/index?communityId=comm-peixin', ready: '#survey-list [id^=survey-item-]' },
  { name: 'survey-answer', path: () => `/#/packages/survey/answer/index?id=${encodeURIComponent(surveyId)}`, ready: '#survey-submit' },
];

beforeAll(async () => {
  ({ host, browser } = await startHostAndBrowser());
  try {
    for (const who of [RESIDENT, ADMIN]) tokens.set(who, await demoToken(host.url, who));
    const now = Date.now();
    const settings = { openAt: new Date(now - 3600_000).toISOString(), closeAt: new Date(now + 7 * 86400_000).toISOString(), anonymous: false, perHousehold: false, households: null };
    const created = await callAction<{ _id: string; version: number }>(host.url, tokens.get(ADMIN)!, 'surveys', 'create', { communityId: 'comm-peixin', definition: DEFINITION, settings });
    await callAction(host.url, tokens.get(ADMIN)!, 'surveys', 'publish', { id: created._id });
    surveyId = created._id;
  } catch (e) {
    throw new Error(`Setup through the host failed: ${(e as Error).message}\nHost output (last lines):\n${host.output().slice(-3000)}`);
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

/**
 * A phone context signed in as the resident, elder mode on or off, with a draft on the device so
 * picked chips (primary colours), the “其他” box, stars and matrix cells are all on screen.
 */
async function residentContext(elder: 'on' | 'off'): Promise<BrowserContext> {
  const ctx = await phoneContext(browser);
  contexts.push(ctx);
  const session = { token: tokens.get(RESIDENT), openid: RESIDENT, label: RESIDENT };
  const draft = {
    version: 1,
    answers: { age: { pick: 'other', other: '不方便说' }, need: { picks: ['a'] }, score: 4, mx: { r1: 'a' }, rank: ['b'] },
  };
  await ctx.addInitScript(
    ({ session, elder, key, draft }) => {
      localStorage.setItem('shishi.session', JSON.stringify({ data: session }));
      localStorage.setItem('shishi.elder', JSON.stringify({ data: elder }));
      localStorage.setItem(key, JSON.stringify({ data: draft }));
    },
    { session, elder, key: `shishi.survey.draft.${surveyId}`, draft },
  );
  return ctx;
}

async function openChecked(ctx: BrowserContext, c: Checked): Promise<{ page: Page; errors: string[] }> {
  const page = await ctx.newPage();
  const { errors } = watchPage(page);
  await page.goto(`${host.url}${c.path()}`);
  try {
    await page.locator(c.ready).first().waitFor({ state: 'visible', ...WAIT });
  } catch {
    throw new Error(`${c.name}: ${c.ready} never showed on ${page.url()}; page text: ${(await page.innerText('body')).slice(0, 300)}`);
  }
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return { page, errors };
}

const isElderPage = (page: Page) => page.evaluate(() => !!document.querySelector('.app-page.elder'));

test('the draft puts every kind of input on the answering page', async () => {
  const ctx = await residentContext('on');
  const { page } = await openChecked(ctx, PAGES[1]!);
  for (const sel of ['#survey-q-age-opt-other', '#survey-q-age-other input', '#survey-q-need-opt-a', '#survey-q-idea-input', '#survey-q-times-input', '#survey-q-score-star-5', '#survey-q-mx-r2-c', '#survey-q-rank-opt-c']) {
    await page.locator(sel).waitFor({ state: 'visible', ...WAIT });
  }
  await expect(page.locator('#survey-q-age-opt-other').getAttribute('aria-pressed')).resolves.toBe('true');
  await expect(page.inputValue('#survey-q-age-other input')).resolves.toBe('不方便说');
  // The rating is said in words, and the five stars stay on one line even with large text.
  await expect(page.innerText('#survey-q-score-stars-said')).resolves.toContain('已选 4 星');
  const tops = await page.$$eval('[id^=survey-q-score-star-]', (els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  expect(tops).toHaveLength(5);
  expect(new Set(tops).size).toBe(1);
  await page.close();
}, 60_000);

describe('normal mode', () => {
  test.each(PAGES.map((c) => [c.name, c] as const))('%s: no color-contrast violations (axe-core)', async (_name, c) => {
    const ctx = await residentContext('off');
    const { page, errors } = await openChecked(ctx, c);
    expect(await isElderPage(page)).toBe(false);
    await screenshot(page, 'h5', `survey-normal-${c.name}`);
    const violations = await axeContrast(page);
    expect({ page: c.name, contrastViolations: violations }).toEqual({ page: c.name, contrastViolations: [] });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('elder mode', () => {
  test.each(PAGES.map((c) => [c.name, c] as const))('%s: text, line height, tap targets and contrast meet the elder figures', async (_name, c) => {
    const ctx = await residentContext('on');
    const { page, errors } = await openChecked(ctx, c);
    expect(await isElderPage(page)).toBe(true);
    await screenshot(page, 'h5', `survey-elder-${c.name}`);

    const m = await measureElder(page);
    expect(m.measuredText).toBeGreaterThan(3);
    // The answering page: 4 + 3 choices, 1 other box, text, number, 5 stars, 6 matrix cells, 3 ranking, submit.
    expect(m.measuredTargets).toBeGreaterThanOrEqual(c.name === 'survey-answer' ? 25 : 1);
    expect({ page: c.name, [`text under ${MIN_FONT_PX}px`]: m.smallText }).toEqual({ page: c.name, [`text under ${MIN_FONT_PX}px`]: [] });
    expect({ page: c.name, [`line height under ${MIN_LINE_HEIGHT_RATIO}×`]: m.tightLines }).toEqual({
      page: c.name,
      [`line height under ${MIN_LINE_HEIGHT_RATIO}×`]: [],
    });
    expect({ page: c.name, [`tap targets under ${MIN_TAP_PX}×${MIN_TAP_PX}px`]: m.smallTargets }).toEqual({
      page: c.name,
      [`tap targets under ${MIN_TAP_PX}×${MIN_TAP_PX}px`]: [],
    });
    const violations = await axeContrast(page);
    expect({ page: c.name, contrastViolations: violations }).toEqual({ page: c.name, contrastViolations: [] });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
