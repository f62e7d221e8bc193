/**
 * Carrying a matter out, staff side, under miniprogram-simulate: the community admin's plan page (budget in
 * yuan → fen, a spending with a receipt photo, a milestone with an owner and picked dates, undoing a done mark
 * with a reason and a confirm) and the progress page as a unit contact (tagged photos, only their unit's
 * milestone markable, the server's evidence refusal shown by the form). Answers are canned and checked against
 * the contracts; setData and node counts (elder font scale) go to test-artifacts/weapp-plan-metrics.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mattersContract } from '../../src/features/matters/matters.schema';
import type { MatterPage, UpdateView } from '../../src/features/matters/plan.schema';
import { membersContract } from '../../src/features/members/members.schema';
import { DEMO_PEOPLE, REGION_IDS as R } from '../../src/server/demo/demo-data';
import type { OpenedPage, PageMetrics } from './simulate-env';
import { useWeapp, type Answers } from './suite';

const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const AT = `${YEAR}-04-02T02:00:00.000Z`;
const MATTER = 'matter:dm-0';
const HOSPITAL = 'unit-demo-hospital';
const PROPERTY = 'unit-demo-property';
const photoUrl = (n: number) => `https://test-env.tcb.qcloud.la/uploads/progress/photo-${n}.jpg?sign=${'a'.repeat(40)}&t=1700000000`;

/** The pages keep `me` for the session: one person, the hospital's contact (the plan page does not ask). */
const contact = DEMO_PEOPLE.unitContactHospital;
const ME = { openid: contact.openid, member: { _id: contact.memberId, name: contact.name, phoneMasked: '138****0011', grants: contact.grants } };

const update = (i: number): UpdateView => ({
  _id: `upd:${MATTER}:${i}`, matterId: MATTER, text: `第 ${i + 1} 次进展：夜间门诊排班`, milestoneId: null, done: false, at: new Date(Date.parse(AT) - i * 3600_000).toISOString(),
  byLabel: i % 2 ? '汉滨区第一人民医院' : '社区',
  photos: Array.from({ length: 3 }, (_, k) => ({ fileId: `cloud://env/p-${i}-${k}.jpg`, tag: (['before', 'during', 'after'] as const)[k]!, url: photoUrl(i * 10 + k) })),
});
const matterPage = (): MatterPage => ({
  matter: {
    _id: MATTER, communityId: R.peixin, year: YEAR, title: '社区卫生服务站延时服务', category: '公共设施', state: 'in_progress', progress: 30, overdue: false, nextDue: `${YEAR}-05-01`,
    startedAt: AT, leadUnit: { _id: HOSPITAL, name: '汉滨区第一人民医院' }, supportUnits: [{ _id: PROPERTY, name: '培新物业服务有限公司' }], claimedBy: [],
  },
  plan: {
    budget: { fiscal: 5_000_000 }, budgetTotal: 5_000_000, spent: 1_280_000, spendings: 2, weightLeft: 30,
    milestones: [
      { id: 'ms1', title: '诊室改造', weight: 30, owner: { kind: 'unit', unitId: HOSPITAL, label: '汉滨区第一人民医院' }, start: `${YEAR}-03-20`, due: `${YEAR}-03-31`, eventId: null, done: { at: AT, updateId: `upd:${MATTER}:0` }, overdue: false },
      { id: 'ms2', title: '延时排班上岗', weight: 20, owner: { kind: 'unit', unitId: HOSPITAL, label: '汉滨区第一人民医院' }, start: `${YEAR}-04-01`, due: `${YEAR}-05-01`, eventId: null, done: null, overdue: false },
      { id: 'ms3', title: '候诊区设施', weight: 20, owner: { kind: 'unit', unitId: PROPERTY, label: '培新物业服务有限公司' }, start: `${YEAR}-04-01`, due: `${YEAR}-05-10`, eventId: null, done: null, overdue: false },
    ],
  },
  // A full first timeline page (20 updates, 60 photos): the progress page shows counts, not the photos.
  updates: { items: Array.from({ length: 20 }, (_, i) => update(i)), nextCursor: 'c2' },
});

const answers: Answers = {
  'members.me': () => ME,
  'matters.getMatter': () => matterPage(),
  'matters.listSpendings': () => ({
    items: [
      { _id: `spend:${MATTER}:a`, matterId: MATTER, amount: 1_000_000, date: `${YEAR}-03-25`, purpose: '诊室照明改造', receipts: ['cloud://env/r1.jpg'], at: AT },
      { _id: `spend:${MATTER}:b`, matterId: MATTER, amount: 280_000, date: `${YEAR}-03-28`, purpose: '叫号屏', receipts: [], at: AT },
    ],
    nextCursor: null,
  }),
  'matters.setBudget': (i) => ({ ...matterPage().plan, budget: i.budget, budgetTotal: Object.values(i.budget as Record<string, number>).reduce((a, b) => a + b, 0) }),
  'matters.addSpending': (i) => ({ _id: `spend:${MATTER}:${i.requestId}`, spent: 1_280_000 + i.amount, spendings: 3 }),
  'matters.addMilestone': () => matterPage().plan,
  'matters.undoMilestone': () => ({ progress: 0 }),
  // The server's evidence gate: a done mark without a photo is refused.
  'matters.postUpdate': (i) =>
    i.done && i.photos.length === 0
      ? { __error: { code: 'MATTERS.EVIDENCE_MISSING', message: '标记完成需要至少一张节点开始后拍摄上传的现场照片' } }
      : { _id: `upd:${MATTER}:${i.requestId}`, progress: 50, state: 'in_progress' },
};

const weapp = useWeapp({ contracts: { matters: mattersContract, members: membersContract }, answers, where: 'tests/weapp/matters-plan.test.ts', limits: true });
const metrics = new Map<string, PageMetrics>();
beforeAll(() => {
  weapp.env.fontScale.current = 1.25;
});
afterAll(() => {
  if (!metrics.size) return;
  const dir = path.resolve(__dirname, '../../test-artifacts');
  mkdirSync(dir, { recursive: true });
  const rows = [...metrics.values()].map(({ page, maxSetDataBytes, setDataCalls, nodes }) => ({ page, maxSetDataBytes, setDataCalls, nodes }));
  writeFileSync(path.join(dir, 'weapp-plan-metrics.json'), JSON.stringify({ pages: rows }, null, 2) + '\n');
  // eslint-disable-next-line no-console
  console.log(`plan and progress pages (largest setData, calls, nodes)\n${rows.map((m) => `  ${m.page.padEnd(36)} ${String(m.maxSetDataBytes).padStart(8)} B ${String(m.setDataCalls).padStart(4)} ${String(m.nodes).padStart(5)} nodes`).join('\n')}`);
});
async function open(page: string, query: Record<string, string> = {}): Promise<OpenedPage> {
  const pg = await weapp.open(page, query);
  const keep = pg.detach;
  pg.detach = () => {
    keep();
    const prev = metrics.get(pg.metrics.page);
    metrics.set(pg.metrics.page, prev ? { ...pg.metrics, maxSetDataBytes: Math.max(prev.maxSetDataBytes, pg.metrics.maxSetDataBytes), nodes: Math.max(prev.nodes, pg.metrics.nodes) } : { ...pg.metrics });
  };
  return pg;
}
const wx = () => (globalThis as unknown as { wx: Record<string, unknown> }).wx;
const calls = (action: string) => weapp.env.cloudCalls.filter((c) => c.name === 'matters' && c.data.action === action);
async function type(pg: OpenedPage, id: string, value: string) {
  const el = pg.byId(id);
  await pg.fire((el.querySelector('wx-textarea') as HTMLElement | null) ?? (el.querySelector('wx-input') as HTMLElement | null) ?? el, 'input', { value, cursor: 0 });
}
/** A date picked: the picker around the element fires `change` as WeChat's would. */
async function pickDate(pg: OpenedPage, id: string, value: string) {
  const picker = pg.byId(id).closest('wx-picker') as HTMLElement;
  await pg.fire(picker, 'change', { value });
}

describe('the plan page', () => {
  test('figures, then the budget typed in yuan goes out in fen; a bad amount is refused in words', async () => {
    const pg = await open('packages/matters-admin/plan/index', { id: encodeURIComponent(MATTER) });
    await pg.until(() => pg.hasId('plan-spending-1'), 'the plan');
    expect(pg.byId('plan-title').textContent).toBe('社区卫生服务站延时服务');
    expect(pg.byId('plan-budget-total').textContent).toContain('预算合计 50,000 元，已支出 12,800 元（2 笔）');
    expect(pg.byId('plan-weight-left').textContent).toContain('还可分配 30%');
    expect(pg.byId('plan-ms-status-0').textContent).toContain('已完成');
    expect(pg.byId('plan-units').textContent).toContain('牵头：汉滨区第一人民医院；配合：培新物业服务有限公司');
    await type(pg, 'plan-budget-unit', '12.345');
    await pg.tap(pg.byId('plan-budget-save'));
    await pg.until(() => pg.hasId('plan-budget-error'), 'the refusal');
    expect(pg.byId('plan-budget-error').textContent).toContain('单位自筹：请填写金额（元），最多两位小数');
    expect(calls('setBudget')).toHaveLength(0);
    await type(pg, 'plan-budget-unit', '');
    await type(pg, 'plan-budget-donation', '2000.5');
    await pg.tap(pg.byId('plan-budget-save'));
    await pg.until(() => calls('setBudget').length === 1, 'setBudget');
    expect(calls('setBudget')[0]!.data.input).toEqual({ matterId: MATTER, budget: { fiscal: 5_000_000, donation: 200_050 } });
    // The progress page is one tap away.
    await pg.tap(pg.byId('plan-go-progress'));
    await pg.until(() => weapp.env.navigations.length > 0, 'navigation');
    expect(weapp.env.navigations.at(-1)!.url).toBe(`/packages/units/progress/index?id=${encodeURIComponent(MATTER)}`);
  });

  test('a milestone: weight over what is left refused on the page; a named person and picked dates go out', async () => {
    const pg = await open('packages/matters-admin/plan/index', { id: encodeURIComponent(MATTER) });
    await pg.until(() => pg.hasId('plan-ms-form'), 'the form');
    await type(pg, 'plan-ms-title', '试运营');
    await type(pg, 'plan-ms-weight', '40');
    await pg.tap(pg.byId('plan-ms-submit'));
    await pg.until(() => pg.hasId('plan-ms-error'), 'the refusal');
    expect(pg.byId('plan-ms-error').textContent).toBe('权重合计不能超过 100%，最多还能设 30%');
    await type(pg, 'plan-ms-weight', '30');
    await pg.tap(pg.byId('plan-ms-owner-person'));
    await pg.until(() => pg.hasId('plan-ms-person'), 'the name field');
    await type(pg, 'plan-ms-person', '张建华');
    await pickDate(pg, 'plan-ms-start', `${YEAR}-05-02`);
    await pickDate(pg, 'plan-ms-due', `${YEAR}-05-01`);
    await pg.tap(pg.byId('plan-ms-submit'));
    await pg.until(() => pg.byId('plan-ms-error').textContent === '完成期限不能早于开始日期', 'the dates refused');
    await pickDate(pg, 'plan-ms-due', `${YEAR}-05-20`);
    expect(pg.byId('plan-ms-due').textContent).toBe(`${YEAR}-05-20`);
    await pg.tap(pg.byId('plan-ms-submit'));
    await pg.until(() => calls('addMilestone').length === 1, 'addMilestone');
    expect(calls('addMilestone')[0]!.data.input).toEqual({
      matterId: MATTER, title: '试运营', weight: 30, owner: { kind: 'person', name: '张建华' }, start: `${YEAR}-05-02`, due: `${YEAR}-05-20`, eventId: null,
    });
  });

  test('a spending with a receipt photo; undoing a done mark takes a reason and a confirm', async () => {
    const pg = await open('packages/matters-admin/plan/index', { id: encodeURIComponent(MATTER) });
    await pg.until(() => pg.hasId('plan-spending-form'), 'the form');
    await type(pg, 'plan-spending-amount', '3500.8');
    await type(pg, 'plan-spending-purpose', '候诊椅采购');
    await pg.tap(pg.byId('plan-receipt-add'));
    await pg.until(() => pg.hasId('plan-receipt-status-0') && !!pg.byId('plan-receipt-status-0').textContent?.includes('已上传'), 'the receipt uploaded');
    await pg.tap(pg.byId('plan-spending-submit'));
    await pg.until(() => calls('addSpending').length === 1, 'addSpending');
    expect(calls('addSpending')[0]!.data.input).toEqual({
      matterId: MATTER, requestId: expect.stringMatching(/^[A-Za-z0-9]{8,64}$/), amount: 350_080, date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), purpose: '候诊椅采购',
      receipts: [expect.stringContaining('/matters/')],
    });

    await pg.tap(pg.byId('plan-ms-undo-0'));
    await pg.until(() => pg.hasId('plan-ms-undo-reason-0'), 'the reason');
    await type(pg, 'plan-ms-undo-reason-0', '现场照片与节点不符');
    // The confirm: “再想想” sends nothing; “撤销” sends the undo.
    const keep = wx().showModal;
    const asked: { title: string; content: string }[] = [];
    let answer = false;
    wx().showModal = (o: any) => {
      asked.push({ title: o.title, content: o.content });
      const r = { errMsg: 'showModal:ok', confirm: answer, cancel: !answer };
      o.success?.(r);
      o.complete?.(r);
      return Promise.resolve(r);
    };
    try {
      await pg.tap(pg.byId('plan-ms-undo-submit-0'));
      await pg.until(() => asked.length === 1, 'the confirm');
      await pg.settle();
      expect(calls('undoMilestone')).toHaveLength(0);
      expect(asked[0]).toEqual({ title: '撤销这个节点的完成？', content: '“诊室改造”将回到未完成，进度减少 30%。' });
      answer = true;
      await pg.tap(pg.byId('plan-ms-undo-submit-0'));
      await pg.until(() => calls('undoMilestone').length === 1, 'undoMilestone');
    } finally {
      wx().showModal = keep;
    }
    expect(calls('undoMilestone')[0]!.data.input).toEqual({ matterId: MATTER, milestoneId: 'ms1', reason: '现场照片与节点不符' });
  });
});

describe('the progress page, as the hospital contact', () => {
  test('only their unit’s milestone is markable; the evidence refusal shows by the form; tagged photos go out', async () => {
    const pg = await open('packages/units/progress/index', { id: encodeURIComponent(MATTER) });
    await pg.until(() => pg.hasId('progress-form') && pg.hasId('progress-update-4'), 'the form');
    expect(pg.byId('progress-matter').textContent).toContain('进度 30%');
    expect(pg.hasId('progress-ms-ms1')).toBe(false); // done already
    await pg.tap(pg.byId('progress-ms-ms3'));
    await pg.until(() => pg.hasId('progress-done-hint'), 'the hint');
    expect(pg.hasId('progress-done')).toBe(false);
    await pg.tap(pg.byId('progress-ms-ms2'));
    await pg.until(() => pg.hasId('progress-done'), 'the done toggle');
    await pg.tap(pg.byId('progress-done'));
    await type(pg, 'progress-text', '夜间门诊已排班，医生护士到岗');
    await pg.tap(pg.byId('progress-submit'));
    await pg.until(() => pg.hasId('progress-error'), 'the refusal');
    expect(pg.byId('progress-error').textContent).toBe('标记完成需要至少一张节点开始后拍摄上传的现场照片');

    await pg.tap(pg.byId('progress-photo-add'));
    await pg.until(() => pg.hasId('progress-tag-0-after'), 'the photo uploaded and its tags');
    await pg.tap(pg.byId('progress-tag-0-after'));
    await pg.tap(pg.byId('progress-submit'));
    await pg.until(() => calls('postUpdate').length === 2, 'the second post');
    expect(calls('postUpdate')[1]!.data.input).toEqual({
      matterId: MATTER, requestId: (calls('postUpdate')[0]!.data.input as { requestId: string }).requestId, text: '夜间门诊已排班，医生护士到岗',
      photos: [{ fileId: expect.stringContaining('/matters/'), tag: 'after' }], milestoneId: 'ms2', done: true,
    });
    // Posted: a fresh form.
    await pg.until(() => pg.hasId('progress-form') && !pg.hasId('progress-error'), 'a fresh form');
    expect(pg.metrics.maxSetDataBytes).toBeLessThan(64 * 1024);
  });
});
