/**
 * 回访 through dispatch, on SQLite and the CloudBase stand-in: due at Shanghai midnight 28 days after 验收, a
 * one-question questionnaire residents answer in the questionnaire area, people told with consent, the
 * outcome recorded, the flag answered or the matter reopened (with a reason, never without).
 */
import { surveys } from '../../src/features/surveys/surveys.collections';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';
import { acceptedMatter, addPerson, ADMIN, getMatterDoc, makeMatter, outbox, RESIDENT, YEAR } from './closing-fixture';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await addPerson(h, 'unit-contact-power', { role: 'unit_contact', regionId: R.hanbin, regionName: '汉滨区', unitId: 'unit-power' }, '钱进');
});
afterEach(() => h.close());

/** 2025-03-31 00:00 in Shanghai: 28 days after the fixture's 验收 on 2025-03-03. */
const DUE = new Date('2025-03-30T16:00:00.000Z');

async function refusedUnchanged(id: string, call: Promise<unknown>): Promise<string> {
  const before = await getMatterDoc(h, id);
  const code = codeOf((await call) as never);
  expect((await getMatterDoc(h, id))._rev).toBe(before._rev);
  return code;
}

test('not before its Shanghai day: refused with the date, no questionnaire opened', async () => {
  const id = await acceptedMatter(h);
  h.setNow(new Date(DUE.getTime() - 1));
  const r = await h.call('matters', 'startFollowUp', { matterId: id }, ADMIN);
  expect(r).toMatchObject({ ok: false, error: { code: 'MATTERS.FOLLOW_UP_NOT_DUE', message: '回访日期为 2025-03-31，尚未到期' } });
  expect(await h.services.store.collection(surveys).get(`followup:${id}:0`)).toBeNull();
  expect(codeOf(await h.call('matters', 'recordFollowUp', { matterId: id, outcome: 'works', notes: '路灯都正常亮着' }, ADMIN))).toBe('MATTERS.FOLLOW_UP_NOT_DUE');
  // The board shows it scheduled, not due.
  const board = dataOf(await h.call('matters', 'closingBoard', { communityId: R.peixin, year: YEAR }, ADMIN)).items;
  expect(board.find((i: { matterId: string }) => i.matterId === id)).toMatchObject({ followUp: { dueDay: '2025-03-31', state: 'scheduled', due: false } });
});

test('when due: the questionnaire opens to residents, raters and authors are told, residents answer, the admin records the outcome', async () => {
  const id = await makeMatter(h, {}, { fromSuggestion: '小区的路灯坏了好几盏，晚上回家很黑' });
  dataOf(await h.call('matters', 'completeMatter', { matterId: id }, ADMIN));
  dataOf(await h.call('matters', 'acceptMatter', { matterId: id, date: '2025-03-03', representatives: [{ name: '王建华' }], notes: '路灯全部点亮，验收合格', photos: [await h.uploadPhoto(ADMIN)] }, ADMIN));
  // Two raters: one accepted a message, one did not.
  await addPerson(h, 'rater-quiet');
  dataOf(await h.call('matters', 'rateMatter', { matterId: id, level: 'satisfied' }, RESIDENT));
  dataOf(await h.call('matters', 'rateMatter', { matterId: id, level: 'basic' }, 'rater-quiet'));
  for (let i = 0; i < 2; i++) dataOf(await h.call('notify', 'subscribe', { keys: ['suggestion_reply'] }, RESIDENT));
  const sentBefore = (await outbox(h)).length;

  h.setNow(DUE);
  expect(dataOf(await h.call('matters', 'closingBoard', { communityId: R.peixin, year: YEAR }, ADMIN)).items[0]).toMatchObject({ matterId: id, followUp: { due: true } });
  const v = dataOf(await h.call('matters', 'startFollowUp', { matterId: id }, ADMIN));
  expect(v.followUp).toMatchObject({ state: 'surveying', surveyId: `followup:${id}:0`, startedAt: DUE.toISOString() });
  // 李秀兰 wrote the suggestion and rated it: told as its author and as a rater (two consents, two messages); the quiet rater gave none.
  const sent = (await outbox(h)).slice(sentBefore);
  expect(sent.map((m) => m.data.phrase2)).toEqual(['回访中', '回访中']);
  expect(codeOf(await h.call('matters', 'startFollowUp', { matterId: id }, ADMIN))).toBe('MATTERS.FOLLOW_UP_STARTED');

  // Residents find it among their questionnaires and answer the one question.
  const list = dataOf(await h.call('surveys', 'list', { communityId: R.peixin }, RESIDENT)).items;
  expect(list).toContainEqual(expect.objectContaining({ _id: `followup:${id}:0`, phase: 'open', questionCount: 1 }));
  const survey = dataOf(await h.call('surveys', 'get', { id: `followup:${id}:0` }, RESIDENT));
  expect(survey.questions[0].options.map((o: { id: string }) => o.id)).toEqual(['works', 'problems']);
  dataOf(await h.call('surveys', 'submit', { surveyId: survey._id, version: 1, answers: { q1: { pick: 'problems' } } }, RESIDENT));
  dataOf(await h.call('surveys', 'submit', { surveyId: survey._id, version: 1, answers: { q1: { pick: 'works' } } }, 'rater-quiet'));

  const photo = await h.uploadPhoto(ADMIN);
  const done = dataOf(await h.call('matters', 'recordFollowUp', { matterId: id, outcome: 'works', notes: '路灯都正常亮着，物业每周巡查', photos: [photo] }, ADMIN));
  expect(done.followUp).toMatchObject({ state: 'done', outcome: 'works', photos: [photo], answers: { works: 1, problems: 1, total: 2 }, recordedBy: P.adminPeixin.memberId });
  expect(done.attention.open).toBe(false); // works, and 2 answers are below the 5 the line needs
  expect(dataOf(await h.call('matters', 'getResult', { matterId: id }, RESIDENT)).followUp).toEqual({ dueDay: '2025-03-31', state: 'done', outcome: 'works' });
  expect(codeOf(await h.call('matters', 'recordFollowUp', { matterId: id, outcome: 'works', notes: '再记一次回访' }, ADMIN))).toBe('MATTERS.FOLLOW_UP_DONE');
});

test('a 回访 that finds problems raises the flag; the admin responds once', async () => {
  const id = await acceptedMatter(h);
  h.setNow(DUE);
  const v = dataOf(await h.call('matters', 'recordFollowUp', { matterId: id, outcome: 'problems', notes: '两盏路灯不亮，无人报修' }, ADMIN));
  expect(v.attention).toMatchObject({ open: true, reasons: ['follow_up'], since: DUE.toISOString() });
  expect(dataOf(await h.call('matters', 'closingBoard', { communityId: R.peixin, year: YEAR }, ADMIN)).items[0]).toMatchObject({ matterId: id, attention: ['follow_up'] });
  expect(await refusedUnchanged(id, h.call('matters', 'respondToAttention', { matterId: id, response: '好' }, ADMIN))).toBe('INPUT.INVALID');
  const answered = dataOf(await h.call('matters', 'respondToAttention', { matterId: id, response: '已联系供电公司本周内修复' }, ADMIN));
  expect(answered.attention).toMatchObject({ open: false, responses: [{ text: '已联系供电公司本周内修复', reopened: false, by: P.adminPeixin.memberId }] });
  expect(await refusedUnchanged(id, h.call('matters', 'respondToAttention', { matterId: id, response: '再回应一次看看' }, ADMIN))).toBe('MATTERS.NO_ATTENTION');
});

test('reopening needs a reason: without one nothing is written; with one the matter is reopened, progress kept, the flag answered', async () => {
  const id = await acceptedMatter(h);
  h.setNow(DUE);
  dataOf(await h.call('matters', 'recordFollowUp', { matterId: id, outcome: 'problems', notes: '两盏路灯不亮，无人报修' }, ADMIN));
  for (const input of [{ matterId: id }, { matterId: id, reason: '' }, { matterId: id, reason: '坏了' }]) {
    const r = await h.call('matters', 'reopenMatter', input, ADMIN);
    expect(r).toMatchObject({ ok: false, error: { code: 'INPUT.INVALID' } });
  }
  expect((await getMatterDoc(h, id)).state).toBe('accepted');
  expect(await refusedUnchanged(id, h.call('matters', 'reopenMatter', { matterId: id, reason: '路灯又坏了两盏，重新整改' }, 'unit-contact-power'))).toBe('AUTH.FORBIDDEN');
  expect(await refusedUnchanged(id, h.call('matters', 'reopenMatter', { matterId: id, reason: '路灯又坏了两盏，重新整改' }, RESIDENT))).toBe('AUTH.FORBIDDEN');
  const v = dataOf(await h.call('matters', 'reopenMatter', { matterId: id, reason: '路灯又坏了两盏，重新整改' }, ADMIN));
  expect(v).toMatchObject({
    state: 'reopened',
    progress: 100,
    reopenings: [{ reason: '路灯又坏了两盏，重新整改', at: DUE.toISOString() }],
    attention: { open: false, responses: [{ text: '路灯又坏了两盏，重新整改', reopened: true }] },
  });
  expect(await refusedUnchanged(id, h.call('matters', 'reopenMatter', { matterId: id, reason: '再重新启动一次' }, ADMIN))).toBe('MATTERS.CANNOT_REOPEN');
  // Done again: completed, accepted, a new 回访 28 days on with its own questionnaire.
  dataOf(await h.call('matters', 'completeMatter', { matterId: id }, ADMIN));
  dataOf(await h.call('matters', 'acceptMatter', { matterId: id, date: '2025-03-31', representatives: [{ name: '王建华' }], notes: '整改完成，复验合格', photos: [await h.uploadPhoto(ADMIN)] }, ADMIN));
  h.setNow(new Date('2025-04-27T16:00:00.000Z'));
  expect(dataOf(await h.call('matters', 'startFollowUp', { matterId: id }, ADMIN)).followUp).toMatchObject({ dueDay: '2025-04-28', surveyId: `followup:${id}:1` });
});

test("reopening without a flag is the admin's call too; a matter still in progress cannot be reopened", async () => {
  const id = await acceptedMatter(h);
  expect(dataOf(await h.call('matters', 'reopenMatter', { matterId: id, reason: '居民反映照度不够，增加路灯' }, ADMIN)).attention.responses).toEqual([]);
  const open = await makeMatter(h, { progress: 40 });
  expect(await refusedUnchanged(open, h.call('matters', 'reopenMatter', { matterId: open, reason: '居民反映照度不够，增加路灯' }, ADMIN))).toBe('MATTERS.CANNOT_REOPEN');
});

test("only the community admin runs 回访: unit contacts, residents and other communities' admins are refused", async () => {
  const id = await acceptedMatter(h, { leadUnitId: 'unit-power' });
  h.setNow(DUE);
  for (const who of ['unit-contact-power', RESIDENT, P.adminXiaojiaba.openid, P.gridPeixin.openid]) {
    expect([who, await refusedUnchanged(id, h.call('matters', 'startFollowUp', { matterId: id }, who))]).toEqual([who, 'AUTH.FORBIDDEN']);
    expect([who, await refusedUnchanged(id, h.call('matters', 'recordFollowUp', { matterId: id, outcome: 'works', notes: '路灯都正常亮着' }, who))]).toEqual([who, 'AUTH.FORBIDDEN']);
  }
  expect(await refusedUnchanged(id, h.call('matters', 'recordFollowUp', { matterId: id, outcome: 'fine', notes: '路灯都正常亮着' }, ADMIN))).toBe('INPUT.INVALID');
  expect(await refusedUnchanged(id, h.call('matters', 'recordFollowUp', { matterId: id, outcome: 'works', notes: '好' }, ADMIN))).toBe('INPUT.INVALID');
  expect(await refusedUnchanged(id, h.call('matters', 'recordFollowUp', { matterId: id, outcome: 'works', notes: '路灯都正常亮着', photos: [await h.uploadPhoto(RESIDENT)] }, ADMIN))).toBe('FILE.NOT_OWNER');
});

test('two starts at once: one questionnaire, one start, the other told it has begun', async () => {
  const id = await acceptedMatter(h);
  h.setNow(DUE);
  const results = await Promise.all([0, 1, 2].map(() => h.call('matters', 'startFollowUp', { matterId: id }, ADMIN)));
  expect(results.map(codeOf).sort()).toEqual(['MATTERS.FOLLOW_UP_STARTED', 'MATTERS.FOLLOW_UP_STARTED', 'OK']);
  expect(await h.services.store.collection(surveys).get(`followup:${id}:0`)).toMatchObject({ status: 'published', questions: [expect.objectContaining({ id: 'q1', type: 'single' })] });
  expect((await getMatterDoc(h, id)).followUp).toMatchObject({ state: 'surveying', surveyId: `followup:${id}:0` });
});
