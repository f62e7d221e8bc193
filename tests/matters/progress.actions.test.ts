/**
 * Progress through dispatch, on SQLite and the CloudBase stand-in: the evidence gate, who may post and mark,
 * concurrent marks both counted, undo, the start told to authors, overdue on the board at Shanghai
 * midnight, the paged timeline, and the owners' reminders once a day.
 */
import { dueEntries, matters, plans, progressUpdates } from '../../src/features/matters/matters.collections';
import { planId } from '../../src/features/matters/actions/plan';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { notifyOutbox } from '../../src/server/notify/notify.collections';
import { readAll } from '../../src/server/read-all';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';
import { ADMIN, CONTACTS, newPlannedMatter, photoAt, RESIDENT, seedUnits, UNITS, YEAR } from './plan-fixture';

const LEAD = CONTACTS.lead.openid;
const SUPPORT = CONTACTS.support.openid;
let seq = 0;

async function fresh(): Promise<Harness> {
  const h = await createHarness();
  await seedUnits(h);
  return h;
}
const post = (h: Harness, who: string, matterId: string, extra: Record<string, unknown>) =>
  h.call('matters', 'postUpdate', { matterId, requestId: `pu-${++seq}`, text: '今天完成了现场施工', ...extra }, who);
const state = async (h: Harness, matterId: string) => ({
  matter: await h.services.store.collection(matters).get(matterId),
  plan: await h.services.store.collection(plans).get(planId(matterId)),
  updates: await h.services.store.collection(progressUpdates).count({ matterId }),
});
const unit = (unitId: string) => ({ kind: 'unit', unitId });

describe('marking a milestone done', () => {
  let h: Harness;
  let matterId: string;
  beforeAll(async () => {
    h = await fresh();
    ({ matterId } = await newPlannedMatter(h));
    dataOf(await h.call('matters', 'addMilestone', { matterId, title: '电梯井道施工', weight: 40, owner: unit(UNITS.lead), start: '2025-03-05', due: '2025-03-10' }, ADMIN));
    dataOf(await h.call('matters', 'addMilestone', { matterId, title: '资金拨付', weight: 30, owner: unit(UNITS.support), start: '2025-03-05', due: '2025-03-20' }, ADMIN));
  });
  afterAll(() => h.close());

  test('no photo, a photo from before the start day, someone else’s photo, a file that is not an image: refused, nothing written', async () => {
    const old = await photoAt(h, LEAD, new Date('2025-03-04T23:59:59+08:00'));
    const theirs = await photoAt(h, SUPPORT, new Date('2025-03-05T08:00:00+08:00'));
    const pdf = (await h.services.files.put(Buffer.from('%PDF-1.4 not a photo'), { ownerOpenid: LEAD, contentType: 'application/pdf', ext: 'pdf', folder: 'photos' })).fileId;
    h.setNow(new Date('2025-03-05T09:00:00+08:00'));
    const before = await state(h, matterId);
    const done = (photos: string[]) => post(h, LEAD, matterId, { milestoneId: 'ms1', done: true, photos: photos.map((fileId) => ({ fileId, tag: 'after' })) });
    const none = await done([]);
    expect(codeOf(none)).toBe('MATTERS.EVIDENCE_MISSING');
    expect(!none.ok && none.error.message).toBe('标记完成须上传至少一张现场照片');
    const stale = await done([old]);
    expect(codeOf(stale)).toBe('MATTERS.EVIDENCE_TOO_OLD');
    expect(!stale.ok && stale.error.message).toMatch(/旧照片不能作为完成凭证/);
    expect(codeOf(await done([theirs]))).toBe('FILE.NOT_OWNER');
    expect(codeOf(await done([pdf]))).toBe('FILE.BAD_TYPE');
    expect(codeOf(await post(h, LEAD, matterId, { done: true, photos: [] }))).toBe('MATTERS.DONE_NEEDS_MILESTONE');
    expect(codeOf(await post(h, LEAD, matterId, { photos: Array.from({ length: 10 }, () => ({ fileId: old, tag: 'during' })) }))).toBe('INPUT.INVALID');
    expect(codeOf(await post(h, LEAD, matterId, { photos: [{ fileId: old, tag: 'sideways' }] }))).toBe('INPUT.INVALID');
    expect(codeOf(await post(h, LEAD, matterId, { text: '施工队长在群里推荐网赌平台' }))).toBe('MATTERS.UNSAFE_CONTENT');
    expect(await state(h, matterId)).toEqual(before);
  });

  test('who may post and mark: the owner’s contact and the community admin; not another unit, a resident or another community', async () => {
    const photo = await h.uploadPhoto(SUPPORT);
    const before = await state(h, matterId);
    expect(codeOf(await post(h, SUPPORT, matterId, { milestoneId: 'ms1', done: true, photos: [{ fileId: photo, tag: 'after' }] }))).toBe('MATTERS.NOT_YOUR_MILESTONE');
    const mine = (who: string) => h.uploadPhoto(who);
    expect(codeOf(await post(h, CONTACTS.other.openid, matterId, { photos: [{ fileId: await mine(CONTACTS.other.openid), tag: 'during' }] }))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await post(h, RESIDENT, matterId, {}))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await post(h, P.adminXiaojiaba.openid, matterId, {}))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await post(h, P.districtHanbin.openid, matterId, {}))).toBe('AUTH.FORBIDDEN');
    expect(await state(h, matterId)).toEqual(before);
  });

  test('a photo from 00:00 +08 of the start day is evidence: progress rises by the weight, the matter starts', async () => {
    const old = await photoAt(h, LEAD, new Date('2025-03-04T23:59:59+08:00'));
    const fresh = await photoAt(h, LEAD, new Date('2025-03-05T00:00:00+08:00'));
    const r = dataOf(await post(h, LEAD, matterId, { milestoneId: 'ms1', done: true, photos: [{ fileId: old, tag: 'before' }, { fileId: fresh, tag: 'after' }] }));
    expect(r).toMatchObject({ progress: 40, state: 'in_progress' });
    const { matter, plan } = await state(h, matterId);
    expect(matter).toMatchObject({ progress: 40, nextDue: '2025-03-20', latestPhoto: fresh, updates: 1, startedAt: '2025-03-05T01:00:00.000Z' });
    expect(plan!.milestones[0]!.done).toMatchObject({ updateId: r._id });
    expect(await h.services.store.collection(dueEntries).count({ due: '2025-03-10' })).toBe(0);
    expect(codeOf(await post(h, LEAD, matterId, { milestoneId: 'ms1', done: true, photos: [{ fileId: fresh, tag: 'after' }] }))).toBe('MATTERS.MILESTONE_ALREADY_DONE');
    // Residents read the timeline: photos with URLs and tags, the author as a unit, no member id.
    const page = dataOf(await h.call('matters', 'getMatter', { matterId }, RESIDENT));
    expect(page.updates.items[0]).toMatchObject({ byLabel: '国网安康供电公司', done: true, milestoneId: 'ms1', photos: [{ fileId: old, tag: 'before' }, { fileId: fresh, tag: 'after' }] });
    expect(page.updates.items[0].photos[0].url).toEqual(expect.any(String));
    expect(JSON.stringify(page)).not.toContain(CONTACTS.lead.memberId);
    expect(page.matter).toMatchObject({ progress: 40, state: 'in_progress', leadUnit: { name: '国网安康供电公司' }, supportUnits: [{ name: '安康农商银行' }] });
  });

  test('the community admin undoes a done mark with a reason: progress goes down, the milestone is open again', async () => {
    const r = { matterId, milestoneId: 'ms1', reason: '现场核查发现井道未封闭' };
    expect(codeOf(await h.call('matters', 'undoMilestone', r, LEAD))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('matters', 'undoMilestone', { ...r, milestoneId: 'ms2' }, ADMIN))).toBe('MATTERS.MILESTONE_NOT_DONE');
    expect(codeOf(await h.call('matters', 'undoMilestone', { ...r, reason: '' }, ADMIN))).toBe('INPUT.INVALID');
    expect(dataOf(await h.call('matters', 'undoMilestone', r, ADMIN))).toEqual({ progress: 0 });
    const { matter, plan } = await state(h, matterId);
    expect(matter).toMatchObject({ progress: 0, nextDue: '2025-03-10' });
    expect(plan!.milestones[0]).toMatchObject({ done: null, undone: [{ reason: '现场核查发现井道未封闭' }] });
    expect(await h.services.store.collection(dueEntries).count({ due: '2025-03-10' })).toBe(1);
  });

  test('nobody sets progress directly', async () => {
    expect(codeOf(await h.call('matters', 'setProgress', { matterId, progress: 100 }, ADMIN))).toBe('ACTION.UNKNOWN');
    const extra = await post(h, ADMIN, matterId, { progress: 100 });
    expect(dataOf(extra).progress).toBe(0);
  });
});

describe('concurrent marks on milestones of one matter', () => {
  let h: Harness;
  beforeAll(async () => (h = await fresh()));
  afterAll(() => h.close());

  test('three marks at once are all counted: progress is the sum, no lost update', async () => {
    const { matterId } = await newPlannedMatter(h);
    dataOf(await h.call('matters', 'addMilestone', { matterId, title: '管网改造', weight: 40, owner: unit(UNITS.lead), start: '2025-03-01', due: '2025-03-31' }, ADMIN));
    dataOf(await h.call('matters', 'addMilestone', { matterId, title: '路面恢复', weight: 25, owner: unit(UNITS.support), start: '2025-03-01', due: '2025-03-31' }, ADMIN));
    dataOf(await h.call('matters', 'addMilestone', { matterId, title: '居民告知', weight: 15, owner: { kind: 'person', name: '刘芳' }, start: '2025-03-01', due: '2025-03-31' }, ADMIN));
    const [a, b, c] = [await h.uploadPhoto(LEAD), await h.uploadPhoto(SUPPORT), await h.uploadPhoto(ADMIN)];
    const results = await Promise.all([
      post(h, LEAD, matterId, { milestoneId: 'ms1', done: true, photos: [{ fileId: a, tag: 'after' }] }),
      post(h, SUPPORT, matterId, { milestoneId: 'ms2', done: true, photos: [{ fileId: b, tag: 'after' }] }),
      post(h, ADMIN, matterId, { milestoneId: 'ms3', done: true, photos: [{ fileId: c, tag: 'during' }] }),
    ]);
    expect(results.map(codeOf)).toEqual(['OK', 'OK', 'OK']);
    const { matter, plan, updates } = await state(h, matterId);
    expect(matter).toMatchObject({ progress: 80, updates: 3, nextDue: null });
    expect(plan!.milestones.every((m) => m.done)).toBe(true);
    expect(updates).toBe(3);
  });
});

describe('one photo, one milestone', () => {
  let h: Harness;
  beforeAll(async () => (h = await fresh()));
  afterAll(() => h.close());

  test('a photo that marked one milestone done cannot mark another; the same milestone may use it again after an undo', async () => {
    const { matterId } = await newPlannedMatter(h);
    for (const title of ['拆除旧设施', '安装新设施']) {
      dataOf(await h.call('matters', 'addMilestone', { matterId, title, weight: 30, owner: { kind: 'person', name: '刘芳' }, start: '2025-03-01', due: '2025-03-31' }, ADMIN));
    }
    const p = await h.uploadPhoto(ADMIN);
    dataOf(await post(h, ADMIN, matterId, { milestoneId: 'ms1', done: true, photos: [{ fileId: p, tag: 'after' }] }));
    const before = await state(h, matterId);
    const again = await post(h, ADMIN, matterId, { milestoneId: 'ms2', done: true, photos: [{ fileId: p, tag: 'after' }] });
    expect(codeOf(again)).toBe('MATTERS.EVIDENCE_REUSED');
    expect(!again.ok && again.error.message).toMatch(/已作为其他节点的完成凭证/);
    expect(await state(h, matterId)).toEqual(before);
    const q = await h.uploadPhoto(ADMIN);
    expect(dataOf(await post(h, ADMIN, matterId, { milestoneId: 'ms2', done: true, photos: [{ fileId: p, tag: 'before' }, { fileId: q, tag: 'after' }] })).progress).toBe(60);
    dataOf(await h.call('matters', 'undoMilestone', { matterId, milestoneId: 'ms1', reason: '照片不清楚，补拍' }, ADMIN));
    expect(dataOf(await post(h, ADMIN, matterId, { milestoneId: 'ms1', done: true, photos: [{ fileId: p, tag: 'after' }] })).progress).toBe(60);
  });
});

describe('the board, overdue and the timeline', () => {
  let h: Harness;
  let matterId: string;
  beforeAll(async () => {
    h = await fresh();
    ({ matterId } = await newPlannedMatter(h));
    dataOf(await h.call('matters', 'addMilestone', { matterId, title: '方案公示', weight: 20, owner: unit(UNITS.lead), start: '2025-03-03', due: '2025-03-10' }, ADMIN));
  });
  afterAll(() => h.close());

  const row = async (who = RESIDENT) => dataOf(await h.call('matters', 'listMatters', { communityId: R.peixin, year: YEAR }, who)).items.find((m: { _id: string }) => m._id === matterId);

  test('overdue from 00:00 +08 after the due day, on the board and the matter page', async () => {
    h.setNow(new Date('2025-03-10T23:59:59+08:00'));
    expect(await row()).toMatchObject({ overdue: false, nextDue: '2025-03-10', progress: 0, leadUnit: '国网安康供电公司' });
    h.setNow(new Date('2025-03-11T00:00:00+08:00'));
    expect(await row()).toMatchObject({ overdue: true });
    expect(dataOf(await h.call('matters', 'getMatter', { matterId }, RESIDENT))).toMatchObject({ matter: { overdue: true }, plan: { milestones: [{ overdue: true }] } });
    const photo = await h.uploadPhoto(LEAD);
    dataOf(await post(h, LEAD, matterId, { milestoneId: 'ms1', done: true, photos: [{ fileId: photo, tag: 'after' }] }));
    expect(await row()).toMatchObject({ overdue: false, nextDue: null, progress: 20, updates: 1, latestPhoto: expect.any(String) });
  });

  test('residents read the claiming leader in full, as on the claim wall and the result page', async () => {
    const m = (await h.services.store.collection(matters).get(matterId))!;
    await h.services.store.collection(matters).update(matterId, m._rev, { claimedBy: [{ memberId: 'm-leader', name: '何志远' }] });
    expect(dataOf(await h.call('matters', 'getMatter', { matterId }, RESIDENT)).matter.claimedBy).toEqual(['何志远']);
  });

  test('residents of the community read the board; others may not', async () => {
    expect(codeOf(await h.call('matters', 'listMatters', { communityId: R.peixin, year: YEAR }, P.residentXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('matters', 'getMatter', { matterId }, P.residentXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('matters', 'getMatter', { matterId }, CONTACTS.other.openid))).toBe('AUTH.FORBIDDEN');
    expect(await row(P.districtHanbin.openid)).toMatchObject({ progress: 20 });
  });

  test('the timeline: 20 a page, newest first', async () => {
    for (let i = 0; i < 24; i++) {
      h.advance(60_000);
      dataOf(await post(h, ADMIN, matterId, { text: `第 ${i + 1} 次进展` }));
    }
    const first = dataOf(await h.call('matters', 'listUpdates', { matterId }, RESIDENT));
    expect(first.items).toHaveLength(20);
    expect(first.items[0].text).toBe('第 24 次进展');
    const second = dataOf(await h.call('matters', 'listUpdates', { matterId, cursor: first.nextCursor }, RESIDENT));
    expect(second.items.map((u: { text: string }) => u.text).at(-1)).toBe('今天完成了现场施工');
    expect(second.items).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    expect(await row()).toMatchObject({ updates: 25 });
    // The matter page opens on the newest 6 (about two phone screens); its cursor carries on from there.
    const page = dataOf(await h.call('matters', 'getMatter', { matterId }, RESIDENT));
    expect(page.updates.items.map((u: { text: string }) => u.text)).toEqual(first.items.slice(0, 6).map((u: { text: string }) => u.text));
    const rest = dataOf(await h.call('matters', 'listUpdates', { matterId, cursor: page.updates.nextCursor }, RESIDENT));
    expect(rest.items.map((u: { _id: string }) => u._id)).toEqual([...first.items.slice(6), ...second.items].slice(0, 20).map((u: { _id: string }) => u._id));
  });
});

describe('starting, and reminders before a due day', () => {
  let h: Harness;
  beforeAll(async () => (h = await fresh()));
  afterAll(() => h.close());
  const outbox = async () => (await readAll(h.services.store.collection(notifyOutbox), { orderBy: { field: 'at', direction: 'asc' } })).items;

  test('the first update starts the matter and tells the authors of the suggestions behind it, once', async () => {
    const { matterId, demandId } = await newPlannedMatter(h, '楼道照明改造');
    const sid = dataOf(await h.call('suggestions', 'submit', { requestId: 'start-tell-abcdefgh', communityId: R.peixin, category: '公共设施', text: '楼道灯坏了好久，晚上上楼很危险' }, RESIDENT))._id;
    dataOf(await h.call('matters', 'adoptSuggestion', { suggestionId: sid, into: demandId }, ADMIN));
    for (let i = 0; i < 2; i++) dataOf(await h.call('notify', 'subscribe', { keys: ['suggestion_reply'] }, RESIDENT));
    const before = (await outbox()).length;
    expect(dataOf(await post(h, ADMIN, matterId, { text: '施工队已进场' }))).toMatchObject({ state: 'in_progress', progress: 0 });
    dataOf(await post(h, ADMIN, matterId, { text: '线路已更换一半' }));
    const told = (await outbox()).slice(before);
    expect(told).toEqual([expect.objectContaining({ data: expect.objectContaining({ phrase2: '开始实施' }) })]);
  });

  test('owners are reminded N days before a due day, once per milestone and day; a milestone’s start day starts its matter', async () => {
    const { matterId } = await newPlannedMatter(h, '巷口积水改造');
    dataOf(await h.call('matters', 'addMilestone', { matterId, title: '排水管更换', weight: 50, owner: unit(UNITS.lead), start: '2025-03-04', due: '2025-03-06' }, ADMIN));
    dataOf(await h.call('matters', 'addMilestone', { matterId, title: '入户告知', weight: 10, owner: { kind: 'person', name: '张明' }, start: '2025-03-04', due: '2025-03-06' }, ADMIN));
    dataOf(await h.call('matters', 'addMilestone', { matterId, title: '路面恢复', weight: 40, owner: unit(UNITS.support), start: '2025-03-05', due: '2025-03-07' }, ADMIN));
    expect((await state(h, matterId)).matter).toMatchObject({ state: 'planning' });
    dataOf(await h.call('notify', 'subscribe', { keys: ['milestone_due'] }, LEAD));
    dataOf(await h.call('notify', 'subscribe', { keys: ['milestone_due'] }, SUPPORT));
    const input = { regionId: R.hanbin, days: 3 };
    expect(codeOf(await h.call('matters', 'sendDueReminders', input, RESIDENT))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('matters', 'sendDueReminders', { regionId: R.hanyin }, P.districtHanbin.openid))).toBe('AUTH.FORBIDDEN');
    const before = (await outbox()).length;
    // 2025-03-03 + 3 days: the two milestones due on the 6th; the person has no account to remind.
    expect(dataOf(await h.call('matters', 'sendDueReminders', input, P.districtHanbin.openid))).toEqual({ due: 2, reminded: 1, sent: 1, started: 0 });
    expect(dataOf(await h.call('matters', 'sendDueReminders', input, P.cityAnkang.openid))).toMatchObject({ reminded: 0, sent: 0 });
    const sent = (await outbox()).slice(before);
    expect(sent).toEqual([expect.objectContaining({ template: 'milestone_due', data: expect.objectContaining({ thing1: '巷口积水改造', thing2: '排水管更换', date3: '2025-03-06' }) })]);
    // The next day: the support unit's milestone (due on the 7th) is reminded, and the first milestone's start day starts the matter.
    h.setNow(new Date('2025-03-04T08:00:00+08:00'));
    expect(dataOf(await h.call('matters', 'sendDueReminders', input, P.districtHanbin.openid))).toEqual({ due: 1, reminded: 1, sent: 1, started: 1 });
    expect((await state(h, matterId)).matter).toMatchObject({ state: 'in_progress', startedAt: '2025-03-04T00:00:00.000Z' });
  });
});
