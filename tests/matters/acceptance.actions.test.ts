/** Completion, 验收 and the public result through dispatch, on SQLite and the CloudBase stand-in: every role, every refusal writing nothing. */
import { units } from '../../src/features/units/units.collections';
import { plans, progressUpdates } from '../../src/features/matters/matters.collections';
import { planId } from '../../src/features/matters/actions/plan';
import { REGION_IDS as R, DEMO_PEOPLE as P } from '../../src/server/demo/demo-data';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';
import { acceptedMatter, addPerson, ADMIN, getMatterDoc, makeMatter, OTHER_RESIDENT, outbox, RESIDENT } from './closing-fixture';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.services.store.collection(units).insert(
    { name: '安康市供电公司', type: 'enterprise', homeRegionId: R.hanbin, districtId: R.hanbin, path: [R.city, R.hanbin], communityIds: [R.peixin], partyHead: null, createdBy: 'seed', createdAt: h.services.now().toISOString() } as never,
    { id: 'unit-power' },
  );
  await addPerson(h, 'unit-contact-power', { role: 'unit_contact', regionId: R.hanbin, regionName: '汉滨区', unitId: 'unit-power' }, '钱进');
  await addPerson(h, 'rep-resident', { role: 'resident', regionId: R.peixin, regionName: '培新街社区' }, '欧阳小明');
});
afterAll(() => h.close());

/** The call's error code, and that the matter was not written. */
async function refusedUnchanged(id: string, call: Promise<unknown>): Promise<string> {
  const before = await getMatterDoc(h, id);
  const code = codeOf((await call) as never);
  expect((await getMatterDoc(h, id))._rev).toBe(before._rev);
  return code;
}

describe('completion', () => {
  test('refused below 100 % with the reason in Chinese; nothing written', async () => {
    const id = await makeMatter(h, { progress: 80 });
    const r = await h.call('matters', 'completeMatter', { matterId: id }, ADMIN);
    expect(r).toMatchObject({ ok: false, error: { code: 'MATTERS.PROGRESS_INCOMPLETE', message: expect.stringContaining('80%') } });
    expect((await getMatterDoc(h, id)).state).toBe('in_progress');
  });

  test('at 100 % the admin completes it and the resident whose suggestion fed it is told', async () => {
    const id = await makeMatter(h, {}, { fromSuggestion: '小区的路灯坏了好几盏，晚上回家很黑' });
    dataOf(await h.call('notify', 'subscribe', { keys: ['suggestion_reply'] }, RESIDENT));
    const before = (await outbox(h)).length;
    const v = dataOf(await h.call('matters', 'completeMatter', { matterId: id }, ADMIN));
    expect(v).toMatchObject({ state: 'completed', completion: { day: '2025-03-03', by: P.adminPeixin.memberId } });
    const sent = (await outbox(h)).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toMatchObject({ phrase2: '已完成' });
    expect(codeOf(await h.call('matters', 'completeMatter', { matterId: id }, ADMIN))).toBe('MATTERS.ALREADY_COMPLETED');
  });

  test('every other role is refused', async () => {
    const id = await makeMatter(h, { leadUnitId: 'unit-power' });
    for (const who of [RESIDENT, OTHER_RESIDENT, 'unit-contact-power', P.adminXiaojiaba.openid, P.districtHanbin.openid, P.gridPeixin.openid]) {
      expect([who, await refusedUnchanged(id, h.call('matters', 'completeMatter', { matterId: id }, who))]).toEqual([who, 'AUTH.FORBIDDEN']);
    }
    expect(codeOf(await h.call('matters', 'completeMatter', { matterId: 'matter:nope' }, ADMIN))).toBe('MATTERS.MATTER_NOT_FOUND');
  });
});

describe('验收', () => {
  const accept = async (id: string, extra: Record<string, unknown> = {}, who = ADMIN) =>
    h.call('matters', 'acceptMatter', { matterId: id, date: '2025-03-03', representatives: [{ name: '王建华' }], notes: '路灯全部点亮，验收合格', photos: [await h.uploadPhoto(who)], ...extra }, who);

  test('the admin and representatives (a resident member, a named person) accept it; 回访 is scheduled 28 days on', async () => {
    const id = await makeMatter(h);
    dataOf(await h.call('matters', 'completeMatter', { matterId: id }, ADMIN));
    const v = dataOf(await accept(id, { date: '2025-03-03', representatives: [{ memberId: 'm-rep-resident' }, { name: '王建华' }] }));
    expect(v).toMatchObject({
      state: 'accepted',
      acceptance: { date: '2025-03-03', acceptedBy: { memberId: P.adminPeixin.memberId, name: '刘芳' }, representatives: [{ memberId: 'm-rep-resident', name: '欧阳小明' }, { memberId: null, name: '王建华' }] },
      followUp: { days: 28, dueDay: '2025-03-31', state: 'scheduled' },
      closingRules: { followUpDays: 28, attention: { share: 0.3, minRatings: 5 } },
    });
    expect(codeOf(await accept(id))).toBe('MATTERS.ALREADY_ACCEPTED');
  });

  test('回访 days and the response line are set per matter', async () => {
    const id = await acceptedMatter(h, {}, { followUpDays: 14, attention: { share: 0.5, minRatings: 10 } });
    expect(await getMatterDoc(h, id)).toMatchObject({ followUp: { days: 14, dueDay: '2025-03-17' }, closingRules: { attention: { share: 0.5, minRatings: 10 } } });
  });

  test('bad input: code and Chinese message, nothing written', async () => {
    const id = await makeMatter(h);
    expect(await refusedUnchanged(id, accept(id))).toBe('MATTERS.NOT_COMPLETED');
    dataOf(await h.call('matters', 'completeMatter', { matterId: id }, ADMIN));
    const cases: [Record<string, unknown>, string][] = [
      [{ representatives: [] }, 'INPUT.INVALID'],
      [{ notes: '好' }, 'INPUT.INVALID'],
      [{ photos: [] }, 'INPUT.INVALID'],
      [{ followUpDays: 3 }, 'INPUT.INVALID'],
      [{ date: '2025-03-04' }, 'MATTERS.ACCEPTANCE_DATE_IN_FUTURE'],
      [{ date: '2025-03-02' }, 'MATTERS.ACCEPTANCE_DATE_TOO_EARLY'],
      [{ representatives: [{ memberId: P.residentXiaojiaba.memberId }] }, 'MATTERS.REPRESENTATIVE_NOT_RESIDENT'],
      [{ representatives: [{ memberId: 'm-nobody' }] }, 'MATTERS.REPRESENTATIVE_NOT_RESIDENT'],
      [{ representatives: [{ name: '王建华' }, { name: '王建华' }] }, 'MATTERS.REPRESENTATIVE_TWICE'],
      [{ photos: [await h.uploadPhoto(RESIDENT)] }, 'FILE.NOT_OWNER'],
      [{ photos: ['cloud://nope'] }, 'FILE.NOT_FOUND'],
    ];
    for (const [extra, code] of cases) {
      const r = await refusedUnchanged(id, accept(id, extra));
      expect([extra, r]).toEqual([extra, code]);
    }
    const bad = await accept(id, { date: '2025-03-04' });
    expect(bad).toMatchObject({ ok: false, error: { message: '验收日期不能晚于今天' } });
  });

  test('a unit contact of the matter cannot accept it; a resident cannot either', async () => {
    const id = await makeMatter(h, { leadUnitId: 'unit-power' });
    dataOf(await h.call('matters', 'completeMatter', { matterId: id }, ADMIN));
    for (const who of ['unit-contact-power', RESIDENT, P.adminXiaojiaba.openid]) {
      expect([who, await refusedUnchanged(id, accept(id, {}, who))]).toEqual([who, 'AUTH.FORBIDDEN']);
    }
  });
});

describe('实施结果公开', () => {
  test("a progress photo of the matter (posted by its unit's contact) may be a pair; money defaults to the plan's figures", async () => {
    const id = await acceptedMatter(h, { leadUnitId: 'unit-power' });
    const during = await h.uploadPhoto('unit-contact-power');
    const store = h.services.store;
    const at = h.services.now().toISOString();
    await store.collection(progressUpdates).insert({ matterId: id, communityId: R.peixin, text: '路灯安装中', photos: [{ fileId: during, tag: 'during', uploadedAt: at }], milestoneId: null, done: false, at, by: 'm-contact', byLabel: '安康市供电公司' }, { id: `upd:${id}:1` });
    await store.collection(plans).insert({ matterId: id, communityId: R.peixin, budget: { fiscal: 50_000_00 }, budgetTotal: 50_000_00, spent: 41_200_00, spendings: 2, milestones: [], seq: 1, updatedAt: at }, { id: planId(id) });
    const after = await h.uploadPhoto(ADMIN);
    const v = dataOf(await h.call('matters', 'publishResult', { matterId: id, summary: '路灯全部更换完毕', pairs: [{ before: during, after }] }, ADMIN));
    expect(v.result).toMatchObject({ budget: 5_000_000, spent: 4_120_000, pairs: [{ before: during, after }] });
    // Someone else's upload that is not the matter's photo stays refused.
    const stranger = await h.uploadPhoto('unit-contact-power');
    expect(codeOf(await h.call('matters', 'publishResult', { matterId: id, summary: '路灯全部更换完毕', pairs: [{ before: stranger, after }] }, ADMIN))).toBe('FILE.NOT_OWNER');
  });

  test("before/after pairs from the matter's photos or the admin's uploads, money against budget; residents read it with names masked", async () => {
    const id = await acceptedMatter(h, { leadUnitId: 'unit-power', supportUnitIds: ['unit-gone'], claimedBy: [{ memberId: 'm-leader', name: '李书记' }] });
    const [acceptPhoto] = (await getMatterDoc(h, id)).acceptance!.photos;
    const before = await h.uploadPhoto(ADMIN);
    const input = { matterId: id, summary: '更换路灯 24 盏，夜间全部点亮', pairs: [{ before, after: acceptPhoto, caption: '3栋门口' }], budget: 120_000_00, spent: 98_500_00, spendingNote: '财政资金' };
    expect(dataOf(await h.call('matters', 'publishResult', input, ADMIN)).result).toMatchObject({ budget: 12_000_000, spent: 9_850_000 });

    const r = dataOf(await h.call('matters', 'getResult', { matterId: id }, RESIDENT));
    expect(r).toMatchObject({
      state: 'accepted',
      acceptance: { date: '2025-03-03', representatives: ['王*华'] },
      result: { summary: '更换路灯 24 盏，夜间全部点亮', pairs: [{ before, after: acceptPhoto, caption: '3栋门口' }], budget: 12_000_000, spent: 9_850_000 },
      units: [{ name: '安康市供电公司', lead: true }],
      leaders: ['李书记'],
      satisfaction: { total: 0, rate: null },
      followUp: { dueDay: '2025-03-31', state: 'scheduled', outcome: null },
      mine: null,
      canRate: true,
    });
    expect(Object.keys(r.urls).sort()).toEqual([acceptPhoto, before].sort());
    // No member ids, no full names of residents, no admin's name.
    const text = JSON.stringify(r);
    expect(text).not.toMatch(/m-|王建华|刘芳|openid/);
    // Staff and the unit's contact read it; a resident of another community does not.
    expect(dataOf(await h.call('matters', 'getResult', { matterId: id }, P.districtHanbin.openid)).canRate).toBe(false);
    expect(codeOf(await h.call('matters', 'getResult', { matterId: id }, 'unit-contact-power'))).toBe('OK');
    expect(codeOf(await h.call('matters', 'getResult', { matterId: id }, OTHER_RESIDENT))).toBe('AUTH.FORBIDDEN');
  });

  test("refused before 验收, with someone else's photo, or from a unit contact; nothing written", async () => {
    const open = await makeMatter(h, { leadUnitId: 'unit-power' });
    const pair = { before: await h.uploadPhoto(ADMIN), after: await h.uploadPhoto(ADMIN) };
    const input = { matterId: open, summary: '更换路灯 24 盏', pairs: [pair], budget: 100, spent: 90 };
    expect(await refusedUnchanged(open, h.call('matters', 'publishResult', input, ADMIN))).toBe('MATTERS.NOT_ACCEPTED');
    const id = await acceptedMatter(h, { leadUnitId: 'unit-power' });
    expect(await refusedUnchanged(id, h.call('matters', 'publishResult', { ...input, matterId: id, pairs: [{ ...pair, after: await h.uploadPhoto(RESIDENT) }] }, ADMIN))).toBe('FILE.NOT_OWNER');
    expect(await refusedUnchanged(id, h.call('matters', 'publishResult', { ...input, matterId: id, spent: -1 }, ADMIN))).toBe('INPUT.INVALID');
    expect(await refusedUnchanged(id, h.call('matters', 'publishResult', { ...input, matterId: id, budget: 1.5 }, ADMIN))).toBe('INPUT.INVALID');
    expect(await refusedUnchanged(id, h.call('matters', 'publishResult', { ...input, matterId: id, pairs: [] }, ADMIN))).toBe('INPUT.INVALID');
    expect(await refusedUnchanged(id, h.call('matters', 'publishResult', { ...input, matterId: id }, 'unit-contact-power'))).toBe('AUTH.FORBIDDEN');
    expect(dataOf(await h.call('matters', 'getResult', { matterId: id }, RESIDENT)).result).toBeNull();
  });
});
