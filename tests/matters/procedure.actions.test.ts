/** 四议两公开 through dispatch, on SQLite and the CloudBase stand-in: the whole way, and every refusal writing nothing. */
import ExcelJS from 'exceljs';
import { demands, slates } from '../../src/features/matters/matters.collections';
import { notifyOutbox } from '../../src/server/notify/notify.collections';
import { SLATE_EXPORT_HEADERS } from '../../src/features/matters/matters.export';
import { slateId } from '../../src/features/matters/actions/procedure';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { readAll } from '../../src/server/read-all';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

const ADMIN = P.adminPeixin.openid;
const RESIDENT = P.residentPeixin.openid;
const YEAR = 2025; // the harness clock: 2025-03-03 10:00 in Shanghai
const KEY = { communityId: R.peixin, year: YEAR };
const DAY = 24 * 3600_000;
const yes = (n: number) => ({ for: n, against: 0, abstain: 0 });

let seq = 0;
async function setup(): Promise<{ h: Harness; items: string[]; others: string[] }> {
  const h = await createHarness();
  const make = async (title: string) =>
    dataOf(await h.call('matters', 'createDemand', { requestId: `proc-${++seq}`, ...KEY, title, category: '公共设施', note: '居民议事会提出' }, ADMIN))._id as string;
  const items = [await make('老旧小区加装电梯'), await make('巷口积水改造'), await make('社区广场健身器材更新')];
  const open = (await readAll(h.services.store.collection(demands), { where: { ...KEY, status: 'open' } })).items.map((d) => d._id);
  return { h, items, others: open.filter((id) => !items.includes(id)) };
}

const votes = (ids: string[], n: number) => Object.fromEntries(ids.map((id) => [id, yes(n)]));
const reasons = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, '群众呼声高，投入小见效快']));
const step = (h: Harness, s: string, date: string, ids: string[], extra: Record<string, unknown> = {}) =>
  h.call('matters', 'recordStep', { ...KEY, step: s, date, expected: 9, present: 9, votes: votes(ids, 9), minutes: '会议讨论并表决通过', ...(s === 'proposal' ? { reasons: reasons(ids) } : {}), ...extra }, ADMIN);
const slateRev = async (h: Harness) => (await h.services.store.collection(slates).get(slateId(R.peixin, YEAR)))?._rev ?? 0;

describe('四议两公开 the whole way', () => {
  let h: Harness;
  let items: string[];
  let others: string[];
  beforeAll(async () => ({ h, items, others } = await setup()));
  afterAll(() => h.close());

  test('four steps in order, 公示 with an objection answered, then the list is fixed with a reason for every demand left out', async () => {
    expect(dataOf(await h.call('matters', 'getSlate', KEY, ADMIN))).toMatchObject({ stage: 'proposal', items: [] });
    // Two residents' suggestions on the list: one will be chosen, one left out for next year.
    const suggest = async (text: string, into: string) => {
      const id = dataOf(await h.call('suggestions', 'submit', { requestId: `follow-${++seq}-abcdefgh`, communityId: R.peixin, category: '公共设施', text }, RESIDENT))._id as string;
      dataOf(await h.call('matters', 'adoptSuggestion', { suggestionId: id, into }, ADMIN));
      return id;
    };
    const chosen = await suggest('老楼没有电梯，老人上下楼太难了', items[0]!);
    const later = await suggest('广场的健身器材都旧了，换一批新的吧', items[2]!);
    const follow = async (id: string, openid = RESIDENT) => h.call('matters', 'followSuggestion', { suggestionId: id }, openid);
    expect(dataOf(await follow(chosen))).toMatchObject({ demand: { _id: items[0], status: 'open' }, stage: null, onSlate: false });
    expect(codeOf(await follow(chosen, P.residentXiaojiaba.openid))).toBe('MATTERS.SUGGESTION_NOT_FOUND');
    expect(dataOf(await step(h, 'proposal', '2025-02-20', items))).toMatchObject({ stage: 'consultation', items: items.map((demandId) => ({ demandId, reason: '群众呼声高，投入小见效快' })) });
    dataOf(await step(h, 'consultation', '2025-02-22', items));
    // The party members' meeting turns one item down: it leaves the slate.
    const review = dataOf(await step(h, 'review', '2025-02-25', items, { votes: { ...votes(items, 9), [items[2]!]: { for: 2, against: 6, abstain: 1 } } }));
    expect(review.items.map((i: { demandId: string }) => i.demandId)).toEqual(items.slice(0, 2));
    const kept = items.slice(0, 2);
    expect(dataOf(await step(h, 'resolution', '2025-02-28', kept, { expected: 30, present: 20, votes: votes(kept, 15) }))).toMatchObject({ stage: 'publicity' });

    // 李秀兰 accepts three messages about her suggestions.
    for (let i = 0; i < 3; i++) dataOf(await h.call('notify', 'subscribe', { keys: ['suggestion_reply'] }, RESIDENT));
    const outbox = async () => (await readAll(h.services.store.collection(notifyOutbox), { orderBy: { field: 'at', direction: 'asc' } })).items.map((m) => m.data);
    const pub = dataOf(await h.call('matters', 'startPublicity', KEY, ADMIN));
    expect(pub).toMatchObject({ stage: 'publicity', publicity: { daysLeft: 7 } });
    // Only the chosen one is on the 公示 list: one message, under that suggestion.
    expect(await outbox()).toEqual([expect.objectContaining({ phrase2: '公示中' })]);
    // Residents see the same slate, with the countdown.
    expect(dataOf(await h.call('matters', 'getSlate', KEY, RESIDENT))).toMatchObject({ stage: 'publicity', publicity: { daysLeft: 7 } });

    const obj = dataOf(await h.call('matters', 'object', { ...KEY, demandId: kept[0], text: '加装电梯的费用分摊方案还没有公开，希望先公布' }, RESIDENT));
    expect(codeOf(await h.call('matters', 'object', { ...KEY, demandId: kept[0], text: '再提一次同样的异议内容' }, RESIDENT))).toBe('MATTERS.OBJECTION_EXISTS');
    expect(codeOf(await h.call('matters', 'object', { ...KEY, demandId: items[2], text: '这件事不在公示清单上啊' }, RESIDENT))).toBe('MATTERS.NOT_ON_SLATE');
    expect(codeOf(await h.call('matters', 'object', { ...KEY, demandId: kept[1], text: '我是别的社区的居民' }, P.residentXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
    // Residents read objections once answered, not before.
    expect(dataOf(await h.call('matters', 'publicNotes', KEY, RESIDENT))).toEqual({ objections: [], leftOut: [] });
    const listed = dataOf(await h.call('matters', 'listObjections', KEY, ADMIN)).items;
    expect(listed).toEqual([expect.objectContaining({ _id: obj._id, answered: false })]);
    expect(listed[0]).not.toHaveProperty('authorId');

    h.advance(7 * DAY);
    expect(codeOf(await h.call('matters', 'object', { ...KEY, demandId: kept[1], text: '公示结束后才看到，有意见' }, RESIDENT))).toBe('MATTERS.PUBLICITY_CLOSED');
    const leftOut = [
      { demandId: items[2], reason: 'next_year' },
      ...others.map((demandId) => ({ demandId, reason: 'referred', department: '汉滨区民政局' })),
    ];
    expect(codeOf(await h.call('matters', 'fixList', { ...KEY, leftOut }, ADMIN))).toBe('MATTERS.OBJECTIONS_UNANSWERED');
    expect(dataOf(await h.call('matters', 'answerObjection', { id: obj._id, answer: '分摊方案将在业主大会表决后张榜公布' }, ADMIN))).toEqual({ _id: obj._id, unanswered: 0 });
    expect(codeOf(await h.call('matters', 'fixList', { ...KEY, leftOut: leftOut.slice(1) }, ADMIN))).toBe('MATTERS.LEFT_OUT_REASON_MISSING');
    expect(codeOf(await h.call('matters', 'fixList', { ...KEY, leftOut: [{ demandId: items[2], reason: 'referred' }, ...leftOut.slice(1)] }, ADMIN))).toBe('MATTERS.REASON_INCOMPLETE');

    const fixed = dataOf(await h.call('matters', 'fixList', { ...KEY, leftOut }, ADMIN));
    expect(fixed).toMatchObject({ stage: 'fixed', items: kept.map((demandId) => ({ demandId })) });
    for (const id of kept) expect((await h.services.store.collection(demands).get(id))?.status).toBe('selected');
    expect(await h.services.store.collection(demands).get(items[2]!)).toMatchObject({ status: 'left_out', leftOut: { reason: 'next_year', text: '纳入下一年度' } });
    if (others[0]) expect((await h.services.store.collection(demands).get(others[0]))?.leftOut?.text).toBe('转交职能部门：汉滨区民政局');
    expect(codeOf(await h.call('matters', 'fixList', { ...KEY, leftOut }, ADMIN))).toBe('MATTERS.ALREADY_FIXED');
    // Sent in the same instant of the test clock: compared as a set.
    expect((await outbox()).map((d) => d.phrase2).sort()).toEqual(['公示中', '已列入', '未列入'].sort());
    expect((await outbox()).find((d) => d.phrase2 === '未列入')!.thing3).toContain('纳入下一年度');
    // The list as an .xlsx to print and post: the ten (here two) with their votes, and the demands left out with why.
    const file = dataOf(await h.call('matters', 'exportSlate', KEY, P.districtHanbin.openid));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await h.services.files.read(file.fileId))! as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('公示清单')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...SLATE_EXPORT_HEADERS]);
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).getCell(2).value).toBe('老旧小区加装电梯');
    expect(sheet.getRow(2).getCell(6).value).toBe('15 / 0 / 0');
    const left = wb.getWorksheet('未列入的需求')!;
    expect(left.rowCount).toBe(1 + 1 + others.length);
    expect(codeOf(await h.call('matters', 'exportSlate', KEY, RESIDENT))).toBe('AUTH.FORBIDDEN');
    // 两公开 for residents: the answered objection (no author) and every demand left out with why.
    const notes = dataOf(await h.call('matters', 'publicNotes', KEY, RESIDENT));
    expect(notes.objections).toEqual([{ demandTitle: '老旧小区加装电梯', text: '加装电梯的费用分摊方案还没有公开，希望先公布', answer: '分摊方案将在业主大会表决后张榜公布', answeredAt: expect.any(String) }]);
    expect(notes.leftOut.map((d: { title: string; reason: string }) => [d.title, d.reason])).toContainEqual(['社区广场健身器材更新', '纳入下一年度']);
    expect(notes.leftOut).toHaveLength(1 + others.length);
    expect(codeOf(await h.call('matters', 'publicNotes', KEY, P.residentXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
    // Their authors follow them there.
    expect(dataOf(await follow(chosen))).toMatchObject({ demand: { _id: items[0], status: 'selected', leftOutText: null }, stage: 'fixed', onSlate: true });
    expect(dataOf(await follow(later))).toMatchObject({ demand: { _id: items[2], status: 'left_out', leftOutText: '纳入下一年度' }, stage: 'fixed', onSlate: false });
    expect(codeOf(await step(h, 'proposal', '2025-03-10', kept))).toBe('MATTERS.ALREADY_FIXED');
  });
});

describe('bad input is refused with its code and writes nothing', () => {
  let h: Harness;
  let items: string[];
  beforeAll(async () => ({ h, items } = await setup()));
  afterAll(() => h.close());

  test.each([
    ['a step out of order', () => step(h, 'review', '2025-02-20', items), 'MATTERS.STEP_OUT_OF_ORDER'],
    ['a date in the future', () => step(h, 'proposal', '2025-03-04', items), 'MATTERS.STEP_DATE_IN_FUTURE'],
    ['no quorum', () => step(h, 'proposal', '2025-02-20', items, { present: 4, votes: votes(items, 4) }), 'MATTERS.NO_QUORUM'],
    ['votes over the number present', () => step(h, 'proposal', '2025-02-20', items, { present: 5, votes: votes(items, 6) }), 'MATTERS.VOTES_EXCEED_PRESENT'],
    ['a proposal without its reasons', () => step(h, 'proposal', '2025-02-20', items, { reasons: {} }), 'MATTERS.REASON_MISSING'],
    ['an item of another community', () => step(h, 'proposal', '2025-02-20', ['dm-not-here']), 'MATTERS.DEMAND_NOT_FOUND'],
    ['公示 before the four steps', () => h.call('matters', 'startPublicity', KEY, ADMIN), 'MATTERS.NOT_RESOLVED'],
    ['an objection with no 公示', () => h.call('matters', 'object', { ...KEY, demandId: items[0], text: '还没有公示就提异议' }, RESIDENT), 'MATTERS.PUBLICITY_CLOSED'],
    ['a resident recording a step', () => h.call('matters', 'recordStep', { ...KEY, step: 'proposal', date: '2025-02-20', expected: 9, present: 9, votes: votes(items, 9), reasons: reasons(items), minutes: '会议纪要' }, RESIDENT), 'AUTH.FORBIDDEN'],
    ['another community’s admin', () => h.call('matters', 'recordStep', { ...KEY, step: 'proposal', date: '2025-02-20', expected: 9, present: 9, votes: votes(items, 9), reasons: reasons(items), minutes: '会议纪要' }, P.adminXiaojiaba.openid), 'AUTH.FORBIDDEN'],
  ])('%s', async (_name, attempt, code) => {
    const before = await slateRev(h);
    expect(codeOf(await attempt())).toBe(code);
    expect(await slateRev(h)).toBe(before);
  });

  test('an eleventh matter is refused; a step recorded twice, or dated before the one before, too', async () => {
    const many: string[] = [];
    for (let i = 0; i < 8; i++) many.push(dataOf(await h.call('matters', 'createDemand', { requestId: `eleven-${i}`, ...KEY, title: `第${i + 4}件候选`, category: '其他', note: '居民代表提出' }, ADMIN))._id);
    expect(codeOf(await step(h, 'proposal', '2025-02-20', [...items, ...many]))).toBe('MATTERS.TOO_MANY');
    expect(await slateRev(h)).toBe(0);
    dataOf(await step(h, 'proposal', '2025-02-20', [...items, ...many.slice(0, 7)]));
    const rev = await slateRev(h);
    expect(codeOf(await step(h, 'proposal', '2025-02-21', items))).toBe('MATTERS.STEP_RECORDED');
    expect(codeOf(await step(h, 'consultation', '2025-02-19', [...items, ...many.slice(0, 7)]))).toBe('MATTERS.STEP_DATE_BEFORE_PREVIOUS');
    expect(await slateRev(h)).toBe(rev);
    // Back one step with a reason: the proposal can be made again, and the history keeps the first.
    expect(dataOf(await h.call('matters', 'stepBack', { ...KEY, reason: '提议清单需要重新征求意见' }, ADMIN))).toMatchObject({ stage: 'proposal', withdrawn: 1 });
    expect(codeOf(await h.call('matters', 'stepBack', { ...KEY, reason: '再退一步' }, ADMIN))).toBe('MATTERS.CANNOT_GO_BACK');
  });
});

describe('two admins confirm at once', () => {
  test('exactly one fixes the list; the other is told it is fixed', async () => {
    const { h, items, others } = await setup();
    try {
      dataOf(await step(h, 'proposal', '2025-02-20', items));
      for (const [s, d] of [['consultation', '2025-02-21'], ['review', '2025-02-22'], ['resolution', '2025-02-23']] as const) dataOf(await step(h, s, d, items));
      dataOf(await h.call('matters', 'startPublicity', KEY, ADMIN));
      h.advance(7 * DAY);
      const leftOut = others.map((demandId) => ({ demandId, reason: 'small_matter', note: '由社区直接办理' }));
      const results = await Promise.all([0, 1, 2].map(() => h.call('matters', 'fixList', { ...KEY, leftOut }, ADMIN)));
      expect(results.map(codeOf).sort()).toEqual(['MATTERS.ALREADY_FIXED', 'MATTERS.ALREADY_FIXED', 'OK']);
      const selected = (await readAll(h.services.store.collection(demands), { where: { ...KEY, status: 'selected' } })).items;
      expect(selected.map((d) => d._id).sort()).toEqual([...items].sort());
    } finally {
      await h.close();
    }
  });
});
