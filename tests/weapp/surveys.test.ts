/**
 * The questionnaire pages of the weapp build under miniprogram-simulate: the answering page (its own
 * sub-package) renders, takes input, shows and hides a question by skip logic, and submits; the admin
 * sub-package's pages render. Cloud answers are canned and checked against the contracts.
 */
import { membersContract } from '../../src/features/members/members.schema';
import { surveysContract, type SurveyView } from '../../src/features/surveys/surveys.schema';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import { DEMO_SURVEY, DEMO_SURVEY_ID } from '../../src/server/demo/seed-surveys';
import type { WeappEnv } from './simulate-env';
import { useWeapp, type Answers } from './suite';

const AT = '2025-11-20T02:00:00.000Z';
const person = DEMO_PEOPLE.adminPeixin; // a resident of 培新街社区 and its admin

const view = (): SurveyView => ({
  ...DEMO_SURVEY,
  _id: DEMO_SURVEY_ID,
  communityId: REGION_IDS.peixin,
  communityName: '培新街社区',
  openAt: AT,
  closeAt: '2026-11-20T02:00:00.000Z',
  anonymous: false,
  perHousehold: false,
  status: 'published',
  phase: 'open',
  version: 1,
  answered: false,
});

const answers: Answers = {
  'members.me': () => ({ openid: person.openid, member: { _id: person.memberId, name: person.name, phoneMasked: '138****0004', grants: person.grants } }),
  'surveys.get': () => view(),
  'surveys.list': () => ({ items: [{ _id: DEMO_SURVEY_ID, title: DEMO_SURVEY.title, status: 'published', phase: 'open', openAt: AT, closeAt: view().closeAt, version: 1, questionCount: 6, answered: false }] }),
  'surveys.submit': () => ({ surveyId: DEMO_SURVEY_ID, createdAt: AT }),
  'surveys.adminList': () => ({ items: [{ _id: DEMO_SURVEY_ID, title: DEMO_SURVEY.title, status: 'published', phase: 'open', openAt: AT, closeAt: view().closeAt, version: 1, questionCount: 6, answers: 3 }], nextCursor: null }),
  'surveys.adminGet': () => ({ ...view(), _rev: 2, households: 1200, locked: true, previousId: null, createdAt: AT, updatedAt: AT, publishedAt: AT, closedAt: null }),
  'surveys.results': () => ({
    surveyId: DEMO_SURVEY_ID, title: DEMO_SURVEY.title, anonymous: false, total: 3, staffEntered: 1, households: 1200, responseRate: 0.003,
    questions: [{ id: 'meal', type: 'single', title: DEMO_SURVEY.questions[2]!.title, answered: 3, counts: [{ id: 'a', label: '需要', count: 2, percent: 66.7 }, { id: 'b', label: '不需要', count: 1, percent: 33.3 }] }],
    dimensions: [{ id: 'age', title: '您的年龄段' }],
  }),
};
const weapp = useWeapp({ contracts: { surveys: surveysContract, members: membersContract }, answers });
const { open } = weapp;
let env: WeappEnv;
beforeAll(() => {
  env = weapp.env;
});

test('the answering page is a sub-package of its own, apart from the admin pages', () => {
  const subs = [...(env.appJson.subPackages ?? []), ...(env.appJson.subpackages ?? [])] as { root: string; pages: string[] }[];
  expect(subs.find((s) => s.root === 'packages/survey')?.pages).toEqual(['answer/index']);
  expect(subs.find((s) => s.root === 'packages/surveys-admin')?.pages).toEqual(['list/index', 'build/index', 'results/index']);
});

test('answering: renders, takes input, the skip rule shows and hides a question, submits', async () => {
  const pg = await open('packages/survey/answer/index', { id: DEMO_SURVEY_ID });
  await pg.until(() => pg.hasId('survey-q-age'), 'the first question');
  expect(pg.byId('survey-title').textContent).toContain('十件实事');
  expect(pg.hasId('survey-q-price')).toBe(false);
  await pg.tap(pg.byId('survey-q-meal-opt-a'));
  await pg.until(() => pg.hasId('survey-q-price'), 'the follow-up question');
  await pg.tap(pg.byId('survey-q-meal-opt-b'));
  await pg.until(() => !pg.hasId('survey-q-price'), 'the follow-up hidden again');
  await pg.tap(pg.byId('survey-submit'));
  await pg.until(() => pg.hasId('survey-q-age-error'), 'per-question errors');
  await pg.tap(pg.byId('survey-q-age-opt-c'));
  await pg.tap(pg.byId('survey-q-need-opt-b'));
  await pg.tap(pg.byId('survey-q-stars-star-4'));
  expect(pg.byId('survey-progress').textContent).toContain('已答 4 / 5 题');
  await pg.tap(pg.byId('survey-submit'));
  await pg.until(() => pg.hasId('survey-done'), 'thank-you');
  const call = env.cloudCalls.filter((c) => c.data.action === 'submit').at(-1)!;
  expect(call.data.input).toMatchObject({ surveyId: DEMO_SURVEY_ID, version: 1, answers: { age: { pick: 'c' }, meal: { pick: 'b' }, need: { picks: ['b'] }, stars: 4 } });
});

test('the admin list and results render', async () => {
  const list = await open('packages/surveys-admin/list/index', { communityId: REGION_IDS.peixin });
  await list.until(() => list.hasId(`sa-item-${DEMO_SURVEY_ID}`), 'the list');
  const res = await open('packages/surveys-admin/results/index', { id: DEMO_SURVEY_ID });
  await res.until(() => res.hasId('sr-total'), 'results');
  expect(res.byId('sr-total').textContent).toContain('共 3 份答卷');
  const build = await open('packages/surveys-admin/build/index', { id: DEMO_SURVEY_ID });
  await build.until(() => build.hasId('sa-q-0'), 'the builder');
});
