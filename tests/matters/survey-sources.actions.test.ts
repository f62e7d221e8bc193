/** Questionnaire answers join the demand list: distinct respondents as supporters, linked with suggestions; anonymous apart. */
import { surveyTexts } from '../../src/features/surveys/surveys.collections';
import { demands } from '../../src/features/matters/matters.collections';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { readAll } from '../../src/server/read-all';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';
import { settings, SMALL, SMALL_ANSWER } from '../surveys/fixtures';

const ADMIN = P.adminPeixin.openid;

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

async function published(s: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
  const created = dataOf(await h.call('surveys', 'create', { communityId: R.peixin, definition: SMALL, settings: settings(s) }, ADMIN));
  dataOf(await h.call('surveys', 'publish', { id: created._id }, ADMIN));
  return { id: created._id, version: created.version };
}
const answer = async (survey: { id: string; version: number }, needsMeals: boolean, openid: string) =>
  dataOf(await h.call('surveys', 'submit', { surveyId: survey.id, version: survey.version, answers: needsMeals ? SMALL_ANSWER : { ...SMALL_ANSWER, meal: { pick: 'b' }, when: undefined } }, openid));
async function joined(n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    dataOf(await h.call('members', 'joinCommunity', { communityId: R.peixin, name: `居民${i}`, building: `${i + 1}栋`, unit: '1单元' }, `ss-${i}`));
    out.push(`ss-${i}`);
  }
  return out;
}
const adopt = (from: Record<string, unknown>, into: string | null = null) => h.call('matters', 'adoptSurveyAnswer', { from, into, category: '养老助餐' }, ADMIN);

test('an option brings the distinct respondents who chose it; one who also wrote a suggestion counts once', async () => {
  const survey = await published();
  const people = await joined(4);
  await answer(survey, true, P.residentPeixin.openid);
  for (const [i, p] of people.entries()) await answer(survey, i < 2, p);
  const option = { kind: 'option', surveyId: survey.id, questionId: 'meal', optionId: 'a' };
  const r = dataOf(await adopt(option));
  expect(r).toMatchObject({ created: true, supporters: 3, anonymous: 0 });
  const d = (await h.services.store.collection(demands).get(r.demandId))!;
  expect(d).toMatchObject({ title: '需要', kinds: { survey_option: 1 } });
  // 李秀兰 also wrote a suggestion about meals: adopted into the same demand, she is not counted twice.
  const sid = dataOf(await h.call('suggestions', 'submit', { requestId: 'ss-meals-1', communityId: R.peixin, category: '养老助餐', text: '希望社区办个老年食堂' }, P.residentPeixin.openid))._id;
  dataOf(await h.call('matters', 'adoptSuggestion', { suggestionId: sid, into: r.demandId }, ADMIN));
  expect((await h.services.store.collection(demands).get(r.demandId))?.supporters).toBe(3);
  expect(codeOf(await adopt(option))).toBe('MATTERS.ALREADY_ADOPTED');
  expect(codeOf(await adopt({ kind: 'option', surveyId: survey.id, questionId: 'meal', optionId: 'zz' }))).toBe('MATTERS.SURVEY_ANSWER_NOT_FOUND');
  expect(codeOf(await h.call('matters', 'adoptSurveyAnswer', { from: option, into: null }, P.adminXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
});

test('an anonymous questionnaire’s respondents are counted as anonymous, never linked', async () => {
  const survey = await published({ anonymous: true });
  for (const p of await joined(3)) await answer(survey, true, p);
  const r = dataOf(await adopt({ kind: 'option', surveyId: survey.id, questionId: 'meal', optionId: 'a' }));
  expect(r).toMatchObject({ supporters: 0, anonymous: 3 });
});

test('a text answer joins as one anonymous backer, into an existing demand', async () => {
  const survey = await published();
  await answer(survey, true, P.residentPeixin.openid);
  const texts = (await readAll(h.services.store.collection(surveyTexts), { where: { surveyId: survey.id } })).items;
  const idea = texts.find((t) => t.text === '希望增加送餐上门服务')!;
  const target = dataOf(await h.call('matters', 'createDemand', { requestId: 'ss-target', communityId: R.peixin, title: '助餐送餐上门', category: '养老助餐', note: '问卷' }, ADMIN))._id;
  const r = dataOf(await adopt({ kind: 'text', textId: idea._id }, target));
  expect(r).toMatchObject({ demandId: target, created: false, supporters: 0, anonymous: 1 });
  const detail = dataOf(await h.call('matters', 'getDemand', { id: target }, ADMIN));
  expect(detail.sources.map((s: { kind: string }) => s.kind).sort()).toEqual(['admin', 'survey_text']);
});
