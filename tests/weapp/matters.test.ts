/**
 * The demand list (需求清单) and 四议两公开 pages under miniprogram-simulate: the admin's sub-package
 * packages/matters-admin (list, a demand's provenance with merge / undo / split, the procedure), the
 * “纳入需求清单” section of the suggestion detail, and the residents' board (packages/matters).
 * Answers are canned and checked against the contracts; each page's setData sizes and node counts are
 * checked (limits) and recorded in test-artifacts/weapp-matters-metrics.json. Pages run in elder mode
 * (WeChat's large font), the heavier case.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mattersContract, type Demand, type DemandDetail, type DemandRow, type SlateView } from '../../src/features/matters/matters.schema';
import { LEFT_OUT_LABELS } from '../../src/features/matters/matters.labels';
import { membersContract } from '../../src/features/members/members.schema';
import { suggestionsContract } from '../../src/features/suggestions/suggestions.schema';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import type { OpenedPage, PageMetrics } from './simulate-env';
import { useWeapp, type Answers } from './suite';

const COMM = REGION_IDS.peixin;
const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const AT = `${YEAR}-03-02T02:00:00.000Z`;
const LONG = '老旧楼栋楼道照明改造，2栋3单元和5栋的楼道灯长期损坏，晚上上楼只能打手电'.repeat(2).slice(0, 40);

const demand = (id: string, title: string, over: Partial<Demand> = {}): Omit<Demand, 'createdBy'> => ({
  _id: id, communityId: COMM, districtId: REGION_IDS.hanbin, cityId: REGION_IDS.city, year: YEAR, title, description: '社区独居、留守老人多，中午吃饭难。',
  category: '养老助餐', status: 'open', mergedInto: null, mergedAt: null, supporters: 6, anonymous: 2, ownSources: 2, mergedCount: 1,
  kinds: { suggestion: 2, admin: 1 }, leftOut: null, createdAt: AT, updatedAt: AT, ...over,
});
const row = (i: number): DemandRow => ({
  _id: `dm-${i}`, title: i === 0 ? '孝义食堂（老年助餐点）' : `${LONG}${i}`.slice(0, 40), category: i === 0 ? '养老助餐' : '公共设施', status: 'open',
  supporters: Math.max(1, 30 - i), anonymous: i === 0 ? 3 : 0, kinds: i % 2 ? { suggestion: 4 } : { suggestion: 2, admin: 1 }, mergedCount: i === 0 ? 2 : 0, year: YEAR, createdAt: AT,
});
const detail = (): DemandDetail => ({
  demand: demand('dm-0', '孝义食堂（老年助餐点）'),
  sources: [
    { _id: 'dsrc:admin:dm-0', kind: 'admin', ref: 'dm-0', excerpt: '孝义食堂（老年助餐点）', supporters: 0, anonymous: 0, note: '需求调查问卷中“老年助餐点”选择人数最多', at: AT, demandId: 'dm-0', movedFrom: null },
    { _id: 'dsrc:suggestion:s1', kind: 'suggestion', ref: 's1', excerpt: '希望社区办个食堂，老人中午能吃口热饭', supporters: 1, anonymous: 0, note: null, at: AT, demandId: 'dm-0', movedFrom: null },
    { _id: 'dsrc:suggestion:s2', kind: 'suggestion', ref: 's2', excerpt: '独居老人吃饭难，建议送餐上门', supporters: 1, anonymous: 2, note: null, at: AT, demandId: 'dm-9', movedFrom: null },
  ],
  merged: [{ _id: 'dm-9', title: '老人送餐上门', supporters: 3, mergedAt: AT }],
});

type SlateState = 'empty' | 'consultation' | 'resolved' | 'publicity' | 'ended' | 'fixed';
let slateState: SlateState = 'empty';
let adopted = false;
let longList = false;
const items = [
  { demandId: 'dm-0', title: '孝义食堂（老年助餐点）', supporters: 30, reason: '居民呼声最高，场地已落实' },
  { demandId: 'dm-1', title: '老旧楼栋楼道照明改造', supporters: 12, reason: '安全隐患' },
];
const stepRec = (step: 'proposal' | 'consultation' | 'review' | 'resolution', date: string) => ({
  step, date, expected: 9, present: 7, votes: { 'dm-0': { for: 6, against: 1, abstain: 0 }, 'dm-1': { for: 5, against: 0, abstain: 2 } },
  passed: ['dm-0', 'dm-1'], failed: [], minutes: '会议讨论了年度实事候选事项。', attachments: [], recordedAt: AT,
});
const slate = (): SlateView => {
  const base: SlateView = { communityId: COMM, year: YEAR, stage: 'proposal', items: [], steps: [], withdrawn: 0, publicity: null, objections: 0, unanswered: 0, fixedAt: null };
  const four = [stepRec('proposal', `${YEAR}-03-01`), stepRec('consultation', `${YEAR}-03-05`), stepRec('review', `${YEAR}-03-08`), stepRec('resolution', `${YEAR}-03-10`)];
  const pub = { start: `${YEAR}-03-11T02:00:00.000Z`, end: `${YEAR}-03-18T02:00:00.000Z` };
  switch (slateState) {
    case 'empty': return base;
    case 'consultation': return { ...base, stage: 'consultation', items, steps: four.slice(0, 1) };
    case 'resolved': return { ...base, stage: 'publicity', items, steps: four };
    case 'publicity': return { ...base, stage: 'publicity', items, steps: four, publicity: { ...pub, daysLeft: 5 }, objections: 1, unanswered: 1 };
    case 'ended': return { ...base, stage: 'publicity', items, steps: four, publicity: { ...pub, daysLeft: 0 }, objections: 1, unanswered: 0 };
    case 'fixed': return { ...base, stage: 'fixed', items, steps: four, publicity: { ...pub, daysLeft: 0 }, objections: 1, unanswered: 0, fixedAt: `${YEAR}-03-19T02:00:00.000Z` };
  }
};

const admin = DEMO_PEOPLE.adminPeixin;
const resident = DEMO_PEOPLE.residentPeixin;
let who: 'admin' | 'resident' = 'admin';
const adminSuggestion = () => ({
  _id: 'sug-1', communityId: COMM, category: '养老助餐' as const, text: '希望社区办个食堂，老人中午能吃口热饭', place: null, photoUrls: [], showName: false,
  status: adopted ? ('adopted' as const) : ('received' as const), duplicateOf: null, timeline: [{ at: AT, kind: 'received' as const, status: 'received' as const }],
  createdAt: AT, source: 'box' as const, authorName: '李秀兰', authorPhone: null, authorAddress: null, firstReplyAt: null, demandId: adopted ? 'dm-0' : null,
});

const answers: Answers = {
  'members.me': () => {
    const p = who === 'admin' ? admin : resident;
    return { openid: p.openid, member: { _id: p.memberId, name: p.name, phoneMasked: '138****0004', grants: p.grants } };
  },
  // Two pages (22 demands); a long list (65, in four pages) where the procedure page reads them all.
  'matters.listDemands': (i: { cursor?: string | null }) => {
    const page = Number(i.cursor?.slice(5) ?? 1);
    const total = longList ? 65 : 22;
    const items = Array.from({ length: Math.min(20, total - (page - 1) * 20) }, (_, k) => row((page - 1) * 20 + k));
    return { items, nextCursor: page * 20 < total ? `page-${page + 1}` : null };
  },
  'matters.createDemand': (i: { title: string; category: Demand['category'] }) => ({ ...demand('dm-new', i.title, { category: i.category, supporters: 0, anonymous: 0, mergedCount: 0, kinds: { admin: 1 } }), createdBy: 'm-liufang' }),
  'matters.getDemand': () => detail(),
  // The demand page's scoring section (tested in matters-weigh.test.ts).
  'matters.getScores': () => ({ committee: 0, scored: 0, complete: false, mine: null, summary: null, scores: null }),
  'matters.getCommittee': () => null,
  'matters.undoMerge': () => ({ restored: { ...demand('dm-0', '孝义食堂（老年助餐点）'), createdBy: 'm' }, from: { ...demand('dm-9', '老人送餐上门'), createdBy: 'm' } }),
  'matters.mergeDemands': () => ({ ...demand('dm-3', '社区食堂'), createdBy: 'm' }),
  'matters.splitDemand': (i: { title: string }) => ({ kept: { ...demand('dm-0', '孝义食堂（老年助餐点）'), createdBy: 'm' }, created: { ...demand('dm-split', i.title), createdBy: 'm' } }),
  'matters.similarDemands': () => ({ items: [{ _id: 'dm-0', title: '孝义食堂（老年助餐点）', supporters: 30, score: 0.62 }, { _id: 'dm-5', title: '老人送餐上门', supporters: 3, score: 0.31 }] }),
  'matters.adoptSuggestion': (i: { into: string | null }) => {
    adopted = true;
    return { demandId: i.into ?? 'dm-new', created: i.into === null };
  },
  'suggestions.get': () => adminSuggestion(),
  'matters.getSlate': () => slate(),
  'matters.recordStep': () => {
    slateState = 'consultation';
    return slate();
  },
  'matters.stepBack': () => {
    slateState = 'empty';
    return slate();
  },
  'matters.startPublicity': () => {
    slateState = 'publicity';
    return slate();
  },
  'matters.listObjections': () => ({
    items: [{ _id: 'obj-1', slateId: `slate:${COMM}:${YEAR}`, communityId: COMM, demandId: 'dm-1', text: '我们楼去年刚换过灯，应优先别的楼', at: AT, answer: slateState === 'publicity' ? null : '已核实，5栋未改造', answeredAt: null, answered: slateState !== 'publicity' }],
    nextCursor: null,
  }),
  'matters.answerObjection': () => ({ _id: 'obj-1', unanswered: 0 }),
  'matters.fixList': () => {
    slateState = 'fixed';
    return slate();
  },
  'matters.object': () => ({ _id: 'obj-2' }),
  // The fixed list's progress section (tested in matters-progress.test.ts).
  'matters.listMatters': () => ({ items: [] }),
  'matters.publicNotes': () => ({
    objections: [{ demandTitle: '老旧楼栋楼道照明改造', text: '我们楼去年刚换过灯，应优先别的楼', answer: '已核实，5栋未改造', answeredAt: AT }],
    leftOut: slateState === 'fixed' ? [{ title: '老人送餐上门', supporters: 3, reason: '转交职能部门：汉滨区民政局' }] : [],
  }),
};

const weapp = useWeapp({
  contracts: { matters: mattersContract, members: membersContract, suggestions: suggestionsContract },
  answers,
  where: 'tests/weapp/matters.test.ts',
  reset: () => {
    slateState = 'empty';
    adopted = false;
    longList = false;
    who = 'admin';
  },
  limits: true,
});
const metrics = new Map<string, PageMetrics>();
beforeAll(() => {
  weapp.env.fontScale.current = 1.25;
});
afterAll(() => {
  if (!metrics.size) return;
  const dir = path.resolve(__dirname, '../../test-artifacts');
  mkdirSync(dir, { recursive: true });
  const rows = [...metrics.values()].map(({ page, maxSetDataBytes, setDataCalls, nodes }) => ({ page, maxSetDataBytes, setDataCalls, nodes }));
  writeFileSync(path.join(dir, 'weapp-matters-metrics.json'), JSON.stringify({ pages: rows }, null, 2) + '\n');
  // eslint-disable-next-line no-console
  console.log(`matters pages (largest setData, calls, nodes)\n${rows.map((m) => `  ${m.page.padEnd(36)} ${String(m.maxSetDataBytes).padStart(8)} B ${String(m.setDataCalls).padStart(4)} ${String(m.nodes).padStart(5)} nodes`).join('\n')}`);
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
const calls = (action: string) => weapp.env.cloudCalls.filter((c) => c.name === 'matters' && c.data.action === action);
/** Types into a NutUI Input or TextArea by its id. */
async function type(pg: OpenedPage, id: string, value: string) {
  const el = pg.byId(id);
  await pg.fire((el.querySelector('wx-textarea') as HTMLElement | null) ?? (el.querySelector('wx-input') as HTMLElement | null) ?? el, 'input', { value, cursor: 0 });
}

test('the admin pages and the residents\' board are sub-packages of their own', () => {
  const subs = (weapp.env.appJson.subPackages ?? []) as { root: string; pages: string[]; independent?: boolean }[];
  expect(subs.find((s) => s.root === 'packages/matters-admin')?.pages).toEqual(['demands/index', 'demand/index', 'procedure/index', 'committee/index', 'meetings/index', 'meeting/index', 'settings/index', 'closing/index', 'plan/index']);
  expect(subs.find((s) => s.root === 'packages/matters')?.pages).toEqual(['board/index', 'notice/index', 'result/index', 'matter/index', 'result-sheet/index']);
});

describe('demand list', () => {
  test('rows with supporters, anonymous, source kinds and merges; load more; sort; open a demand', async () => {
    const pg = await open('packages/matters-admin/demands/index', { communityId: COMM });
    await pg.until(() => pg.hasId('demands-item-19'), 'twenty demands');
    expect(pg.byId('page-demands').getAttribute('class')).toContain('elder');
    expect(pg.byId('demands-item-0').textContent).toContain('孝义食堂（老年助餐点）');
    expect(pg.byId('demands-support-0').textContent).toBe('30 人支持，另有 3 份匿名');
    expect(pg.byId('demands-support-1').textContent).toBe('29 人支持');
    expect(pg.byId('demands-tags-0').textContent).toBe('建议社区录入已合并 2 条');
    expect(pg.byId('demands-tags-1').textContent).toBe('建议');
    expect(calls('listDemands')[0]!.data.input).toEqual({ communityId: COMM, year: YEAR, sort: 'supporters', cursor: null });

    await pg.tap(pg.byId('demands-more'));
    await pg.until(() => pg.hasId('demands-item-21'), 'the second page');
    expect(calls('listDemands').at(-1)!.data.input).toMatchObject({ cursor: 'page-2' });
    expect(pg.text()).toContain('没有更多了');

    await pg.tap(pg.byId('demands-sort-newest'));
    await pg.until(() => (calls('listDemands').at(-1)!.data.input as { sort: string }).sort === 'newest', 'a query sorted by newest');
    await pg.until(() => pg.hasId('demands-item-0') && !pg.hasId('demands-item-21'), 'the list reloaded');
    await pg.tap(pg.byId('demands-item-0'));
    await pg.until(() => weapp.env.navigations.find((n) => n.url.startsWith('/packages/matters-admin/demand/index?id=dm-0')), 'navigation to the demand');
  });

  test('新增需求: local checks first, then createDemand with title, category, description and note', async () => {
    const pg = await open('packages/matters-admin/demands/index', { communityId: COMM });
    await pg.until(() => pg.hasId('demands-new'), 'the add button');
    await pg.tap(pg.byId('demands-new'));
    await pg.until(() => pg.hasId('demand-form'), 'the form');
    await pg.tap(pg.byId('demand-submit'));
    await pg.until(() => pg.hasId('demand-note-error'), 'the field errors');
    expect(pg.byId('demand-title-error').textContent).toBe('标题至少 2 个字');
    expect(pg.byId('demand-category-error').textContent).toBe('请选择类别');
    expect(calls('createDemand')).toHaveLength(0);

    await type(pg, 'demand-title', '小区加装电梯');
    await pg.tap(pg.byId('demand-category-7'));
    await type(pg, 'demand-description', '6层无电梯，老人上下楼难');
    await type(pg, 'demand-note', '居民议事会上多位居民提出');
    await pg.tap(pg.byId('demand-submit'));
    await pg.until(() => weapp.env.navigations.find((n) => n.url.startsWith('/packages/matters-admin/demand/index?id=dm-new')), 'the new demand opened');
    expect(calls('createDemand').at(-1)!.data.input).toEqual({
      requestId: expect.any(String), communityId: COMM, year: YEAR, title: '小区加装电梯', category: '公共设施', description: '6层无电梯，老人上下楼难', note: '居民议事会上多位居民提出',
    });
    expect(pg.hasId('demand-form')).toBe(false);
  });
});

describe('a demand', () => {
  test('provenance: every source with its kind, note, date, supporters and the merged demand it came through', async () => {
    const pg = await open('packages/matters-admin/demand/index', { id: 'dm-0' });
    await pg.until(() => pg.hasId('demand-source-2'), 'three sources');
    expect(pg.byId('demand-support').textContent).toBe('6 人支持，另有 2 份匿名');
    expect(pg.byId('demand-source-0').textContent).toContain('社区录入');
    expect(pg.byId('demand-source-0').textContent).toContain('来由：需求调查问卷');
    expect(pg.byId('demand-source-1').textContent).toContain('建议');
    expect(pg.byId('demand-source-1').textContent).toContain(`${YEAR}-03-02`);
    expect(pg.byId('demand-source-2').textContent).toContain('经由合并的需求“老人送餐上门”');
    expect(pg.byId('demand-source-2').textContent).toContain('1 人支持，另有 2 份匿名');
    expect(pg.byId('demand-merged-0').textContent).toContain('老人送餐上门');
    await pg.tap(pg.byId('demand-source-1'));
    await pg.until(() => weapp.env.navigations.find((n) => n.url === `/packages/admin/detail/index?id=s1&communityId=${COMM}`), 'the suggestion opened');
  });

  test('撤销合并 asks first, then undoes that merge', async () => {
    const pg = await open('packages/matters-admin/demand/index', { id: 'dm-0' });
    await pg.until(() => pg.hasId('demand-undo-0'), 'the undo button');
    await pg.tap(pg.byId('demand-undo-0'));
    await pg.until(() => pg.hasId('undo-confirm'), 'the confirm dialog');
    expect(pg.text()).toContain('“老人送餐上门”将恢复为单独的需求');
    expect(calls('undoMerge')).toHaveLength(0);
    const reads = calls('getDemand').length;
    await pg.tap(pg.byId('undo-confirm'));
    await pg.until(() => calls('getDemand').length > reads, 'the demand read again');
    expect(calls('undoMerge').at(-1)!.data.input).toEqual({ id: 'dm-9' });
  });

  test('合并到…: pick another open demand, confirm, land on it', async () => {
    const pg = await open('packages/matters-admin/demand/index', { id: 'dm-0' });
    await pg.until(() => pg.hasId('demand-merge-open'), 'the merge button');
    await pg.tap(pg.byId('demand-merge-open'));
    await pg.until(() => pg.hasId('merge-pick-2'), 'the other demands (itself left out)');
    expect(pg.byId('merge-pick-0').textContent).not.toContain('孝义食堂');
    await pg.tap(pg.byId('merge-pick-2'));
    await pg.until(() => pg.hasId('merge-confirm'), 'the confirm dialog');
    await pg.tap(pg.byId('merge-confirm'));
    await pg.until(() => weapp.env.navigations.find((n) => n.api === 'redirectTo' && n.url.includes('id=dm-3')), 'the merged-into demand');
    expect(calls('mergeDemands').at(-1)!.data.input).toEqual({ into: 'dm-3', from: 'dm-0' });
  });

  test('拆分: tick own sources and a title; all of them is refused before asking', async () => {
    const pg = await open('packages/matters-admin/demand/index', { id: 'dm-0' });
    await pg.until(() => pg.hasId('demand-split-open'), 'the split button');
    await pg.tap(pg.byId('demand-split-open'));
    await pg.until(() => pg.hasId('split-source-1'), 'the own sources (not the merged one)');
    expect(pg.hasId('split-source-2')).toBe(false);
    await pg.tap(pg.byId('split-source-0'));
    await pg.tap(pg.byId('split-source-1'));
    await type(pg, 'split-title', '老人送餐');
    await pg.tap(pg.byId('split-submit'));
    await pg.until(() => pg.hasId('split-error'), 'the refusal');
    expect(pg.byId('split-error').textContent).toBe('至少要留下一条来源');
    expect(calls('splitDemand')).toHaveLength(0);
    await pg.tap(pg.byId('split-source-0'));
    await pg.tap(pg.byId('split-submit'));
    await pg.until(() => !pg.hasId('split-form'), 'the split done');
    expect(calls('splitDemand').at(-1)!.data.input).toEqual({ id: 'dm-0', sourceIds: ['dsrc:suggestion:s1'], title: '老人送餐', requestId: expect.any(String) });
  });

  test('an error answer is shown in Chinese in the dialog', async () => {
    const keep = answers['matters.undoMerge']!;
    answers['matters.undoMerge'] = () => ({ __error: { code: 'MATTERS.UNDO_AFTER_FIX', message: '清单已确定，不能撤销合并' } });
    try {
      const pg = await open('packages/matters-admin/demand/index', { id: 'dm-0' });
      await pg.until(() => pg.hasId('demand-undo-0'), 'the undo button');
      await pg.tap(pg.byId('demand-undo-0'));
      await pg.until(() => pg.hasId('undo-confirm'), 'the confirm dialog');
      await pg.tap(pg.byId('undo-confirm'));
      await pg.until(() => pg.text().includes('清单已确定，不能撤销合并'), 'the message');
    } finally {
      answers['matters.undoMerge'] = keep;
    }
  });
});

describe('纳入需求清单 on the suggestion detail', () => {
  test('proposals with supporters and score; one tap adopts into one; then a link to the demand', async () => {
    const pg = await open('packages/admin/detail/index', { id: 'sug-1', communityId: COMM });
    await pg.until(() => pg.hasId('adopt-similar-1'), 'two proposals');
    expect(pg.byId('adopt-similar-0').textContent).toContain('孝义食堂（老年助餐点）');
    expect(pg.byId('adopt-similar-0').textContent).toContain('30 人支持 · 相似度 62%');
    expect(pg.hasId('status-adopted')).toBe(false);
    await pg.tap(pg.byId('adopt-into-0'));
    await pg.until(() => pg.hasId('adopt-open-demand'), 'the link to its demand');
    expect(calls('adoptSuggestion').at(-1)!.data.input).toEqual({ suggestionId: 'sug-1', into: 'dm-0' });
    expect(pg.hasId('adopt-into-0')).toBe(false);
    await pg.tap(pg.byId('adopt-open-demand'));
    await pg.until(() => weapp.env.navigations.find((n) => n.url === '/packages/matters-admin/demand/index?id=dm-0'), 'navigation to the demand');
  });

  test('新建需求 with a title', async () => {
    const pg = await open('packages/admin/detail/index', { id: 'sug-1', communityId: COMM });
    await pg.until(() => pg.hasId('adopt-new'), 'the new-demand button');
    await type(pg, 'adopt-title', '社区食堂');
    await pg.tap(pg.byId('adopt-new'));
    await pg.until(() => pg.hasId('adopt-open-demand'), 'adopted');
    expect(calls('adoptSuggestion').at(-1)!.data.input).toEqual({ suggestionId: 'sug-1', into: null, title: '社区食堂' });
  });
});

describe('四议两公开 (admin)', () => {
  test('the proposal: pick demands, a reason and votes each, minutes; recordStep gets exactly that', async () => {
    longList = true;
    const pg = await open('packages/matters-admin/procedure/index', { communityId: COMM, year: String(YEAR) });
    await pg.until(() => pg.hasId('step-pick-64'), 'all 65 open demands to pick from');
    expect(pg.byId('proc-stages-proposal').getAttribute('class')).toContain('stage-bar-now');
    expect(pg.byId('proc-stages').textContent).toContain('决议公开（公示）');
    await pg.tap(pg.byId('step-pick-0'));
    await pg.tap(pg.byId('step-pick-1'));
    await pg.until(() => pg.hasId('step-item-1'), 'two items');
    await type(pg, 'step-date', `${YEAR}-03-01`);
    await type(pg, 'step-expected', '9');
    await type(pg, 'step-present', '7');
    await type(pg, 'step-reason-0', '居民呼声最高');
    await pg.tap(pg.byId('step-submit'));
    await pg.until(() => pg.hasId('step-error'), 'the missing reason');
    expect(pg.byId('step-error').textContent).toBe('请为每个提议的事项写明理由');
    await type(pg, 'step-reason-1', '安全隐患');
    for (const [i, f, a, b] of [[0, '6', '1', '0'], [1, '5', '', '2']] as const) {
      await type(pg, `step-vote-for-${i}`, f);
      await type(pg, `step-vote-against-${i}`, a);
      await type(pg, `step-vote-abstain-${i}`, b);
    }
    await type(pg, 'step-minutes', '党组织会议提议两件实事。');
    await pg.tap(pg.byId('step-submit'));
    await pg.until(() => pg.byId('proc-stage').textContent?.includes('两委会商议'), 'the next stage');
    expect(calls('recordStep').at(-1)!.data.input).toEqual({
      communityId: COMM, year: YEAR, step: 'proposal', date: `${YEAR}-03-01`, expected: 9, present: 7,
      votes: { 'dm-0': { for: 6, against: 1, abstain: 0 }, 'dm-1': { for: 5, against: 0, abstain: 2 } },
      reasons: { 'dm-0': '居民呼声最高', 'dm-1': '安全隐患' }, minutes: '党组织会议提议两件实事。',
    });
    expect(pg.byId('proc-item-0').textContent).toContain('提议理由：居民呼声最高，场地已落实');
  });

  test('退回一步 needs a reason and asks first', async () => {
    slateState = 'consultation';
    const pg = await open('packages/matters-admin/procedure/index', { communityId: COMM, year: String(YEAR) });
    await pg.until(() => pg.hasId('proc-back-open'), 'the step-back button');
    expect(pg.byId('proc-stages-proposal').textContent).toContain('✓');
    await pg.tap(pg.byId('proc-back-open'));
    await pg.until(() => pg.hasId('back-confirm'), 'the dialog');
    await pg.tap(pg.byId('back-confirm'));
    await pg.settle();
    expect(calls('stepBack')).toHaveLength(0);
    await type(pg, 'back-reason', '提议时漏了一件');
    await pg.tap(pg.byId('back-confirm'));
    await pg.until(() => pg.hasId('step-pick-0'), 'back at the proposal');
    expect(calls('stepBack').at(-1)!.data.input).toEqual({ communityId: COMM, year: YEAR, reason: '提议时漏了一件' });
  });

  test('开始公示, then objections answered in public', async () => {
    slateState = 'resolved';
    const pg = await open('packages/matters-admin/procedure/index', { communityId: COMM, year: String(YEAR) });
    await pg.until(() => pg.hasId('proc-publicity'), 'the start button');
    await pg.tap(pg.byId('proc-publicity'));
    await pg.until(() => pg.hasId('objection-0'), 'the objections');
    expect(calls('startPublicity').at(-1)!.data.input).toEqual({ communityId: COMM, year: YEAR });
    expect(pg.byId('proc-publicity-window').textContent).toContain('还剩 5 天');
    expect(pg.byId('objection-0').textContent).toContain('关于“老旧楼栋楼道照明改造”');
    expect(pg.byId('fix-form').textContent).toContain('公示期还剩 5 天，结束后才能确定清单');
    expect(pg.byId('fix-submit').getAttribute('class')).toContain('disabled');
    await type(pg, 'objection-input-0', '已核实，5栋未改造');
    await pg.tap(pg.byId('objection-reply-0'));
    await pg.until(() => calls('answerObjection').length === 1, 'the answer sent');
    expect(calls('answerObjection')[0]!.data.input).toEqual({ id: 'obj-1', answer: '已核实，5栋未改造' });
  });

  test('确定清单: a reason for every open demand left out (department when referred), then fixList; 63 of them stay light', async () => {
    slateState = 'ended';
    longList = true;
    const pg = await open('packages/matters-admin/procedure/index', { communityId: COMM, year: String(YEAR) });
    await pg.until(() => pg.hasId('fix-demand-62'), 'the other open demands, all four pages');
    expect(pg.byId('fix-demand-0').textContent).not.toContain('孝义食堂');
    expect(pg.byId('objection-answer-0').textContent).toContain('社区答复：已核实');
    await pg.tap(pg.byId('fix-submit'));
    await pg.until(() => pg.hasId('fix-error'), 'the missing reasons');
    expect(pg.byId('fix-error').textContent).toContain('请为“');
    expect(calls('fixList')).toHaveLength(0);
    for (let i = 0; i < 3; i++) {
      await pg.tap(pg.byId(`fix-demand-${i}`));
      await pg.tap(pg.byId(`fix-reason-${i === 0 ? 'referred' : i === 1 ? 'not_feasible' : 'small_matter'}`));
      if (i === 1) await type(pg, 'fix-note', '场地产权未理顺');
      await pg.tap(pg.byId('fix-done'));
    }
    expect(pg.byId('fix-chosen-1').textContent).toBe('暂不具备实施条件：场地产权未理顺');
    expect(pg.byId('fix-rest-next-year').textContent).toContain('其余 60 条都纳入下一年度');
    await pg.tap(pg.byId('fix-rest-next-year'));
    await pg.until(() => pg.byId('fix-chosen-62').textContent === '纳入下一年度', 'the rest for next year');
    expect(pg.hasId('fix-rest-next-year')).toBe(false);
    expect(pg.byId('fix-chosen-2').textContent).toBe(LEFT_OUT_LABELS.small_matter);
    await pg.tap(pg.byId('fix-submit'));
    await pg.until(() => pg.byId('fix-error').textContent?.includes('请写明转交的职能部门'), 'the department asked for');
    await pg.tap(pg.byId('fix-demand-0'));
    await type(pg, 'fix-department', '区住建局');
    await pg.tap(pg.byId('fix-done'));
    await pg.tap(pg.byId('fix-submit'));
    await pg.until(() => pg.hasId('proc-fixed'), 'the fixed list');
    const leftOut = (calls('fixList').at(-1)!.data.input as { leftOut: unknown }).leftOut as { demandId: string; reason: string; department?: string }[];
    expect(leftOut).toHaveLength(63);
    expect(leftOut[0]).toEqual({ demandId: 'dm-2', reason: 'referred', department: '区住建局' });
    expect(leftOut[1]).toEqual({ demandId: 'dm-3', reason: 'not_feasible', note: '场地产权未理顺' });
    expect(leftOut[2]).toEqual({ demandId: 'dm-4', reason: 'small_matter' });
    expect(leftOut[62]).toEqual({ demandId: 'dm-64', reason: 'next_year' });
    expect(leftOut.map((l) => l.demandId)).not.toContain('dm-0');
  }, 60_000);
});

describe('the residents\' board', () => {
  test('during 公示: countdown, an objection per item (elder mode)', async () => {
    who = 'resident';
    slateState = 'publicity';
    const pg = await open('packages/matters/board/index');
    await pg.until(() => pg.hasId('board-countdown'), 'the countdown');
    expect(pg.byId('page-board').getAttribute('class')).toContain('elder');
    expect(pg.byId('board-countdown').textContent).toContain('公示期还剩 5 天');
    expect(pg.byId('board-title').textContent).toContain('培新街社区');
    expect(pg.byId('board-item-1').textContent).toContain('老旧楼栋楼道照明改造');
    await pg.tap(pg.byId('board-object-1'));
    await pg.until(() => pg.hasId('board-send-1'), 'the objection form');
    await type(pg, 'board-objection-1', '我们楼去年刚换过灯');
    await pg.tap(pg.byId('board-send-1'));
    await pg.until(() => pg.hasId('board-objected-1'), 'sent');
    expect(calls('object').at(-1)!.data.input).toEqual({ communityId: COMM, year: YEAR, demandId: 'dm-1', text: '我们楼去年刚换过灯' });
    expect(calls('getSlate').at(-1)!.data.input).toEqual({ communityId: COMM, year: YEAR });
  });

  test('a refused objection shows the server\'s message', async () => {
    who = 'resident';
    slateState = 'publicity';
    const keep = answers['matters.object']!;
    answers['matters.object'] = () => ({ __error: { code: 'MATTERS.OBJECTION_EXISTS', message: '您已对这件事提出过异议，请等待社区答复' } });
    try {
      const pg = await open('packages/matters/board/index');
      await pg.until(() => pg.hasId('board-object-0'), 'the items');
      await pg.tap(pg.byId('board-object-0'));
      await type(pg, 'board-objection-0', '这件事应该缓一缓');
      await pg.tap(pg.byId('board-send-0'));
      await pg.until(() => pg.hasId('board-error-0'), 'the message');
      expect(pg.byId('board-error-0').textContent).toBe('您已对这件事提出过异议，请等待社区答复');
    } finally {
      answers['matters.object'] = keep;
    }
  });

  test('the fixed list, no objection buttons; before any step, a waiting note', async () => {
    who = 'resident';
    slateState = 'fixed';
    const pg = await open('packages/matters/board/index');
    await pg.until(() => pg.hasId('board-item-0'), 'the list');
    expect(pg.text()).toContain('本年度实事清单');
    expect(pg.text()).toContain(`清单于 ${YEAR}-03-19 确定`);
    expect(pg.hasId('board-object-0')).toBe(false);
    // 两公开: the answered objection and the demand left out, with why.
    await pg.until(() => pg.hasId('board-left-out-0'), 'the demands left out');
    expect(pg.byId('board-answer-0').textContent).toContain('答复：已核实，5栋未改造');
    expect(pg.byId('board-left-out-0').textContent).toContain('转交职能部门：汉滨区民政局');
    expect(calls('publicNotes').at(-1)!.data.input).toEqual({ communityId: COMM, year: YEAR });
    slateState = 'empty';
    const pg2 = await open('packages/matters/board/index');
    await pg2.until(() => pg2.text().includes('敬请关注'), 'the waiting note');
    expect(pg2.byId('board-stages-proposal').getAttribute('class')).toContain('stage-bar-now');
  });
});
