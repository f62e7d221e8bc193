/** A matter's plan through dispatch, on SQLite and the CloudBase stand-in: budget, spending, milestones; every refusal writes nothing. */
import { matters, plans, receipts, spendings } from '../../src/features/matters/matters.collections';
import { planId } from '../../src/features/matters/actions/plan';
import { DEMO_PEOPLE as P } from '../../src/server/demo/demo-data';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';
import { ADMIN, CONTACTS, newPlannedMatter, RESIDENT, seedUnits, UNITS } from './plan-fixture';

let h: Harness;
let matterId: string;
let otherMatter: string;
beforeAll(async () => {
  h = await createHarness();
  await seedUnits(h);
  ({ matterId } = await newPlannedMatter(h));
  ({ matterId: otherMatter } = await newPlannedMatter(h, '巷口积水改造'));
});
afterAll(() => h.close());

const revs = async (id = matterId) => ({
  plan: (await h.services.store.collection(plans).get(planId(id)))?._rev ?? 0,
  matter: (await h.services.store.collection(matters).get(id))!._rev,
});
const milestone = (extra: Record<string, unknown> = {}) => ({
  matterId, title: '设计方案', weight: 20, owner: { kind: 'unit', unitId: UNITS.lead }, start: '2025-03-05', due: '2025-03-20', ...extra,
});

describe('budget', () => {
  test('the community admin sets the budget by source, in fen; the total follows', async () => {
    const v = dataOf(await h.call('matters', 'setBudget', { matterId, budget: { fiscal: 80_000_00, unit: 15_000_00, donation: 5_000_00 } }, ADMIN));
    expect(v).toMatchObject({ budget: { fiscal: 8_000_000, unit: 1_500_000, donation: 500_000 }, budgetTotal: 10_000_000, spent: 0, milestones: [], weightLeft: 100 });
  });

  test('money that is not whole fen, negative, or from an unknown source is refused, nothing written', async () => {
    const before = await revs();
    for (const budget of [{ fiscal: 10.5 }, { fiscal: -1 }, { lottery: 100 }]) {
      expect(codeOf(await h.call('matters', 'setBudget', { matterId, budget }, ADMIN))).toBe('INPUT.INVALID');
    }
    expect(await revs()).toEqual(before);
  });
});

describe('spending', () => {
  test('entries keep a running total on the plan; the same request twice counts once', async () => {
    const receipt = await h.uploadPhoto(ADMIN);
    const first = dataOf(await h.call('matters', 'addSpending', { matterId, requestId: 'sp-1', amount: 12_345_00, date: '2025-03-02', purpose: '电梯井设计费', receipts: [receipt] }, ADMIN));
    expect(first).toMatchObject({ spent: 1_234_500, spendings: 1 });
    expect(dataOf(await h.call('matters', 'addSpending', { matterId, requestId: 'sp-1', amount: 12_345_00, date: '2025-03-02', purpose: '电梯井设计费', receipts: [receipt] }, ADMIN))).toMatchObject({ spent: 1_234_500, spendings: 1 });
    dataOf(await h.call('matters', 'addSpending', { matterId, requestId: 'sp-2', amount: 500_00, date: '2025-03-03', purpose: '现场勘察' }, ADMIN));
    const page = dataOf(await h.call('matters', 'listSpendings', { matterId }, RESIDENT));
    expect(page.items.map((s: { amount: number }) => s.amount)).toEqual([500_00, 12_345_00]);
    expect(page.items[0]).not.toHaveProperty('by');
    expect(dataOf(await h.call('matters', 'getMatter', { matterId }, RESIDENT)).plan).toMatchObject({ spent: 1_284_500, spendings: 2, budgetTotal: 10_000_000 });
  });

  test('a receipt already charged to this matter, or in another matter’s name, is refused: nothing written', async () => {
    const receipt = await h.uploadPhoto(ADMIN);
    dataOf(await h.call('matters', 'addSpending', { matterId: otherMatter, requestId: 'sp-o1', amount: 800_00, date: '2025-03-02', purpose: '排水沟清淤', receipts: [receipt] }, ADMIN));
    const before = await revs();
    const count = await h.services.store.collection(spendings).count({ matterId });
    const r = await h.call('matters', 'addSpending', { matterId, requestId: 'sp-3', amount: 800_00, date: '2025-03-02', purpose: '排水沟清淤', receipts: [receipt] }, ADMIN);
    expect(codeOf(r)).toBe('MATTERS.SPENDING_OTHER_MATTER');
    expect(!r.ok && r.error.message).toMatch(/另一件实事/);
    const again = await h.uploadPhoto(ADMIN);
    dataOf(await h.call('matters', 'addSpending', { matterId, requestId: 'sp-4', amount: 1_00, date: '2025-03-02', purpose: '打印费用', receipts: [again] }, ADMIN));
    const mid = await revs();
    expect(codeOf(await h.call('matters', 'addSpending', { matterId, requestId: 'sp-5', amount: 1_00, date: '2025-03-02', purpose: '打印费用', receipts: [again] }, ADMIN))).toBe('MATTERS.RECEIPT_USED');
    expect(await revs()).toEqual(mid);
    expect(mid.plan).toBe(before.plan + 1);
    expect(await h.services.store.collection(spendings).count({ matterId })).toBe(count + 1);
    expect(await h.services.store.collection(spendings).get(`spend:${matterId}:sp-3`)).toBeNull();
    expect((await h.services.store.collection(receipts).get(`receipt:${receipt}`))?.matterId).toBe(otherMatter);
  });

  test('a spending date that is not a day, or after today, is refused', async () => {
    const before = await revs();
    expect(codeOf(await h.call('matters', 'addSpending', { matterId, requestId: 'sp-d1', amount: 1_00, date: '2025-02-30', purpose: '材料费用' }, ADMIN))).toBe('MATTERS.BAD_DAY');
    expect(codeOf(await h.call('matters', 'addSpending', { matterId, requestId: 'sp-d2', amount: 1_00, date: '2025-03-04', purpose: '材料费用' }, ADMIN))).toBe('MATTERS.SPENDING_DATE_IN_FUTURE');
    expect(await revs()).toEqual(before);
  });

  test('a receipt that is not an image, or someone else’s upload, is refused', async () => {
    const pdf = (await h.services.files.put(Buffer.from('%PDF-1.4 fake'), { ownerOpenid: ADMIN, contentType: 'application/pdf', ext: 'pdf', folder: 'photos' })).fileId;
    const before = await revs();
    expect(codeOf(await h.call('matters', 'addSpending', { matterId, requestId: 'sp-6', amount: 1_00, date: '2025-03-02', purpose: '材料费用', receipts: [pdf] }, ADMIN))).toBe('FILE.BAD_TYPE');
    const theirs = await h.uploadPhoto(RESIDENT);
    expect(codeOf(await h.call('matters', 'addSpending', { matterId, requestId: 'sp-7', amount: 1_00, date: '2025-03-02', purpose: '材料费用', receipts: [theirs] }, ADMIN))).toBe('FILE.NOT_OWNER');
    expect(await revs()).toEqual(before);
  });
});

describe('milestones', () => {
  test('weights up to 100 %, owners among the matter’s units or a named person, dates in order', async () => {
    dataOf(await h.call('matters', 'addMilestone', milestone({ weight: 40 }), ADMIN));
    dataOf(await h.call('matters', 'addMilestone', milestone({ title: '井道施工', weight: 30, owner: { kind: 'unit', unitId: UNITS.support }, start: '2025-03-21', due: '2025-04-30' }), ADMIN));
    const v = dataOf(await h.call('matters', 'addMilestone', milestone({ title: '验收交付', weight: 30, owner: { kind: 'person', name: '张建华' }, start: '2025-05-01', due: '2025-05-15', eventId: 'event-later' }), ADMIN));
    expect(v.weightLeft).toBe(0);
    expect(v.milestones.map((m: { id: string; weight: number; owner: { label: string } }) => [m.id, m.weight, m.owner.label])).toEqual([
      ['ms1', 40, '国网安康供电公司'], ['ms2', 30, '安康农商银行'], ['ms3', 30, '张建华'],
    ]);
    // The board knows the earliest due day without reading milestones.
    expect((await h.services.store.collection(matters).get(matterId))).toMatchObject({ nextDue: '2025-03-20', progress: 0, state: 'planning' });
    // Residents see the named person masked.
    const page = dataOf(await h.call('matters', 'getMatter', { matterId }, RESIDENT));
    expect(page.plan.milestones[2].owner.label).toBe('张*华');
    expect(page.plan.milestones[2].eventId).toBe('event-later');
  });

  test('over 100 %, due before start, an owner unit not on the matter: code and message, nothing written', async () => {
    const before = await revs();
    const over = await h.call('matters', 'addMilestone', milestone({ weight: 1 }), ADMIN);
    expect(codeOf(over)).toBe('MATTERS.WEIGHT_OVER_100');
    expect(!over.ok && over.error.message).toMatch(/不能超过 100%/);
    const { matterId: fresh } = await newPlannedMatter(h, '楼道照明改造');
    const freshBefore = await revs(fresh);
    const early = await h.call('matters', 'addMilestone', milestone({ matterId: fresh, start: '2025-03-10', due: '2025-03-09' }), ADMIN);
    expect(codeOf(early)).toBe('MATTERS.DUE_BEFORE_START');
    expect(!early.ok && early.error.message).toBe('完成期限不能早于开始日期');
    expect(codeOf(await h.call('matters', 'addMilestone', milestone({ matterId: fresh, owner: { kind: 'unit', unitId: UNITS.other } }), ADMIN))).toBe('MATTERS.OWNER_NOT_MATTER_UNIT');
    expect(codeOf(await h.call('matters', 'addMilestone', milestone({ matterId: fresh, weight: 101 }), ADMIN))).toBe('INPUT.INVALID');
    expect(codeOf(await h.call('matters', 'addMilestone', milestone({ matterId: fresh, weight: 12.5 }), ADMIN))).toBe('INPUT.INVALID');
    expect(await revs()).toEqual(before);
    expect(await revs(fresh)).toEqual(freshBefore);
    expect(await h.services.store.collection(plans).get(planId(fresh))).toBeNull();
  });

  test('only the matter’s community admin writes the plan', async () => {
    const before = await revs();
    const tries: [string, string][] = [
      [P.adminXiaojiaba.openid, 'AUTH.FORBIDDEN'],
      [CONTACTS.lead.openid, 'AUTH.FORBIDDEN'],
      [RESIDENT, 'AUTH.FORBIDDEN'],
      [P.districtHanbin.openid, 'AUTH.FORBIDDEN'],
    ];
    for (const [who, code] of tries) {
      expect([who, codeOf(await h.call('matters', 'setBudget', { matterId, budget: { fiscal: 1 } }, who))]).toEqual([who, code]);
      expect([who, codeOf(await h.call('matters', 'addSpending', { matterId, requestId: `x-${who}`, amount: 1, date: '2025-03-02', purpose: '不该记的账' }, who))]).toEqual([who, code]);
    }
    expect(await revs()).toEqual(before);
    expect(codeOf(await h.call('matters', 'setBudget', { matterId: 'matter:nope', budget: { fiscal: 1 } }, ADMIN))).toBe('MATTERS.MATTER_NOT_FOUND');
  });
});

describe('a completed matter', () => {
  test('its plan and milestones no longer change; spending (final payments) may still be recorded', async () => {
    const { matterId: done } = await newPlannedMatter(h, '社区广场健身器材更新');
    dataOf(await h.call('matters', 'addMilestone', milestone({ matterId: done, weight: 100, start: '2025-03-01', due: '2025-03-03' }), ADMIN));
    const photo = await h.uploadPhoto(ADMIN);
    dataOf(await h.call('matters', 'postUpdate', { matterId: done, requestId: 'final', text: '器材全部安装到位', milestoneId: 'ms1', done: true, photos: [{ fileId: photo, tag: 'after' }] }, ADMIN));
    // 验收 belongs to the completion use case; here the state is written as it would write it.
    const m = (await h.services.store.collection(matters).get(done))!;
    await h.services.store.collection(matters).update(done, m._rev, { state: 'completed' });
    expect(codeOf(await h.call('matters', 'addMilestone', milestone({ matterId: done }), ADMIN))).toBe('MATTERS.MATTER_CLOSED');
    expect(codeOf(await h.call('matters', 'setBudget', { matterId: done, budget: { fiscal: 1 } }, ADMIN))).toBe('MATTERS.MATTER_CLOSED');
    expect(dataOf(await h.call('matters', 'addSpending', { matterId: done, requestId: 'sp-final', amount: 300_00, date: '2025-03-03', purpose: '质保金支付' }, ADMIN))).toMatchObject({ spent: 300_00, spendings: 1 });
    expect(codeOf(await h.call('matters', 'undoMilestone', { matterId: done, milestoneId: 'ms1', reason: '验收后不能撤销' }, ADMIN))).toBe('MATTERS.MATTER_CLOSED');
    expect((await h.services.store.collection(matters).get(done))).toMatchObject({ state: 'completed', progress: 100 });
  });
});
