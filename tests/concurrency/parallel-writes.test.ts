/**
 * Writes that race, through dispatch, on whichever store the project runs (SQLite, or the CloudBase
 * adapter over the stand-in, where a second transactional writer of a document conflicts at once and
 * the one retry helper has to sort it out). Each test checks the records and the counters kept with them.
 */
import { dayCounters, meals } from '../../src/features/canteen/canteen.collections';
import { invitations, members, roster } from '../../src/features/members/members.collections';
import { surveyAnswers, surveyTallies } from '../../src/features/surveys/surveys.collections';
import { checkAnswers } from '../../src/features/surveys/surveys.rules';
import { addCounters, nestCounters, tallyDeltas, tallyId, TALLY_SHARDS } from '../../src/features/surveys/surveys.tally.rules';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { codeOf as cardCode, checkIn, PEIXIN, STAFF } from '../canteen/support';
import { codeOf, createHarness, dataOf, DEFAULT_NOW, type Harness } from '../support/harness';
import { SMALL, SMALL_ANSWER } from '../surveys/fixtures';

const ADMIN = P.adminPeixin.openid;
const TODAY = '2025-03-03'; // DEFAULT_NOW in Shanghai

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

test('parallel redeems of three invitations by twelve people: one winner per code, one grant per winner', async () => {
  const codes: string[] = [];
  for (let i = 0; i < 3; i++) {
    codes.push(dataOf(await h.call('members', 'createInvitation', { communityId: R.peixin, role: 'grid_worker' }, ADMIN)).code);
  }
  const people = Array.from({ length: 12 }, (_, i) => `racer-${i}`);
  // Everyone tries every code at once.
  const attempts = people.flatMap((openid, i) => codes.map((code) => ({ openid, code, name: `抢${i}` })));
  const results = await Promise.all(attempts.map((a) => h.call('members', 'redeemInvitation', { code: a.code, name: a.name }, a.openid)));
  const outcome = results.map(codeOf);
  expect(outcome.filter((c) => c !== 'OK' && c !== 'MEMBERS.INVITATION_USED')).toEqual([]);
  for (const code of codes) {
    const won = attempts.filter((a, i) => a.code === code && outcome[i] === 'OK');
    expect(won).toHaveLength(1);
    const inv = await h.services.store.collection(invitations).get(code);
    const winner = await h.services.store.collection(members).find({ where: { openid: won[0]!.openid }, limit: 2 });
    expect(winner.items).toHaveLength(1);
    expect(inv?.usedBy).toBe(winner.items[0]!._id);
  }
  // Grants equal wins: a person who won two codes holds the role once per code, never more.
  const rows = await h.services.store.collection(roster).find({ where: { communityId: R.peixin, role: 'grid_worker' }, limit: 100 });
  const racers = await h.services.store.collection(members).getMany(rows.items.map((r) => r.memberId));
  const racerIds = new Set(racers.filter((m) => m.openid.startsWith('racer-')).map((m) => m._id));
  const wins = outcome.filter((c) => c === 'OK').length;
  expect(rows.items.filter((r) => racerIds.has(r.memberId)).length).toBeLessThanOrEqual(wins);
  for (const m of racers.filter((x) => racerIds.has(x._id))) {
    const gridGrants = m.grants.filter((g) => g.role === 'grid_worker' && g.regionId === R.peixin);
    expect(gridGrants).toHaveLength(1);
  }
});

test('parallel check-in of one elder by card and by id, alongside another elder: one meal each, counters right', async () => {
  const code = await cardCode(h, 'el-px-03');
  const one = [
    ...Array.from({ length: 6 }, () => checkIn(h, { code })),
    ...Array.from({ length: 6 }, () => checkIn(h, { elderId: 'el-px-03' }, STAFF)),
  ];
  const other = Array.from({ length: 4 }, () => checkIn(h, { elderId: 'el-px-04' }));
  const [a, b] = await Promise.all([Promise.all(one), Promise.all(other)]);
  for (const batch of [a, b]) {
    const c = batch.map(codeOf);
    expect(c.filter((x) => x === 'OK')).toHaveLength(1);
    expect(c.filter((x) => x === 'CANTEEN.ALREADY_CHECKED_IN')).toHaveLength(batch.length - 1);
  }
  expect(await h.services.store.collection(meals).count({ canteenId: PEIXIN, day: TODAY })).toBe(2);
  expect(await h.services.store.collection(dayCounters).get(`cday:${PEIXIN}:${TODAY}`)).toMatchObject({ meals: 2, elders: 2 });
});

test('parallel questionnaire answers: tallies and cross-tabs equal a recount of the stored answers', async () => {
  const settings = {
    openAt: new Date(DEFAULT_NOW.getTime() - 3600_000).toISOString(),
    closeAt: new Date(DEFAULT_NOW.getTime() + 7 * 86400_000).toISOString(),
  };
  const created = dataOf(await h.call('surveys', 'create', { communityId: R.peixin, definition: SMALL, settings }, ADMIN));
  dataOf(await h.call('surveys', 'publish', { id: created._id }, ADMIN));
  const people: string[] = [];
  for (let i = 0; i < 24; i++) {
    const openid = `answerer-${i}`;
    dataOf(await h.call('members', 'joinCommunity', { communityId: R.peixin, name: `居民${i}`, building: `${(i % 9) + 1}栋`, unit: `${i}单元` }, openid));
    people.push(openid);
  }
  const answerOf = (i: number) => ({ ...SMALL_ANSWER, age: { pick: 'abc'[i % 3] }, stars: (i % 5) + 1 });
  const submit = (openid: string, i: number) =>
    h.call('surveys', 'submit', { surveyId: created._id, version: created.version, answers: answerOf(i) }, openid);
  // Everyone at once, and three of them twice.
  const results = await Promise.all([...people.map((p, i) => submit(p, i)), ...people.slice(0, 3).map((p, i) => submit(p, i))]);
  const outcome = results.map(codeOf);
  expect(outcome.filter((c) => c === 'OK')).toHaveLength(24);
  expect(outcome.filter((c) => c === 'SURVEY.ALREADY_ANSWERED')).toHaveLength(3);

  const stored = await h.services.store.collection(surveyAnswers).find({ where: { surveyId: created._id }, limit: 100 });
  expect(stored.items).toHaveLength(24);
  let recount: Record<string, unknown> = {};
  for (const a of stored.items) {
    const r = checkAnswers(SMALL, a.answers);
    if (!r.ok) throw new Error('a stored answer is invalid');
    recount = addCounters(recount, nestCounters(tallyDeltas(SMALL, r.answers, a.staffEntered).main));
  }
  const shards = await h.services.store.collection(surveyTallies).getMany(Array.from({ length: TALLY_SHARDS }, (_, i) => tallyId(created._id, i)));
  expect(shards.reduce((acc, t) => addCounters(acc, t.c), {} as Record<string, unknown>)).toEqual(recount);
  expect(dataOf(await h.call('surveys', 'results', { surveyId: created._id }, ADMIN)).total).toBe(24);
  const x = dataOf(await h.call('surveys', 'crossTab', { surveyId: created._id, by: 'age' }, ADMIN));
  expect(x.groups.map((g: { total: number }) => g.total)).toEqual([8, 8, 8]);
});
