/**
 * The household-visit pages of the weapp build under miniprogram-simulate: every page of the grid and
 * visits-admin sub-packages renders from canned, contract-checked answers; the visit form takes input
 * and its note goes through the outbox to `visits.record`. (The server is tested in tests/visits.)
 */
import { membersContract } from '../../src/features/members/members.schema';
import { visitsContract, type HouseholdView, type VisitView } from '../../src/features/visits/visits.schema';
import type { OutboxEntry } from '../../src/features/visits/visits.outbox';
import { DEMO_PEOPLE, REGION_IDS as R } from '../../src/server/demo/demo-data';
import type { WeappEnv } from './simulate-env';
import { useWeapp, type Answers } from './suite';

const AT = '2025-11-20T02:00:00.000Z';
const OUTBOX_KEY = 'shishi.visits.outbox';
type Who = 'grid' | 'admin';
let who: Who = 'grid';
const PEOPLE = { grid: DEMO_PEOPLE.gridPeixin, admin: DEMO_PEOPLE.adminPeixin };

const household = (i: number): HouseholdView => ({
  _id: `hh-${i}`, communityId: R.peixin, gridId: R.peixinGrid1, gridName: '第一网格', building: '3栋', unit: '2单元', room: String(501 + i),
  address: `3栋2单元${501 + i}室`, headName: i === 0 ? '王桂芳' : '刘建华', membersCount: 1 + i, phone: i === 0 ? '13800001001' : '138****1002',
  tags: i === 0 ? ['独居老人', '低保'] : [], note: '', everyDays: i === 0 ? 7 : null, lastVisitAt: i === 0 ? '2025-11-11T02:00:00.000Z' : AT,
  dueDay: i === 0 ? '2025-11-20' : null, overdueDays: i === 0 ? 2 : null, visitCount: i,
});
const visit = (): VisitView => ({
  _id: 'vt-1', clientId: 'client-00000001', householdId: 'hh-0', gridId: R.peixinGrid1, address: '3栋2单元501室', headName: '王桂芳',
  workerName: '张明', visitedAt: AT, kind: 'care', findings: '老人身体状况良好，暖气正常', photoConsent: true,
  requests: [{ text: '希望楼道加装扶手', category: '公共设施', suggestionId: 'sg-1' }],
  photoUrls: ['cloud://test-env.7465-test-env-1/uploads/demo-grid-peixin/visits/1.jpg'], location: null, followUpOf: null, recordedAt: AT,
});
const feedItem = (i: number) => ({
  _id: `vt-${i}`, householdId: 'hh-0', gridId: R.peixinGrid1, address: '3栋2单元501室', headName: '王桂芳', workerName: '张明',
  visitedAt: AT, kind: 'care' as const, excerpt: '老人身体状况良好', requestCount: 1, photoCount: 2,
});
const row = (id: string, name: string) => ({ id, name, visits: 12, visited: 9, due: 10, dueVisited: 8, rate: 0.8 });
const gridView = (id: string, name: string) => ({ _id: id, name, communityId: R.peixin, communityName: '培新街社区', workers: [{ memberId: 'm-zhangming', name: '张明' }], households: 8 });

const answers: Answers = {
  'members.me': () => {
    const p = PEOPLE[who];
    return { openid: p.openid, member: { _id: p.memberId, name: p.name, phoneMasked: '138****0003', grants: p.grants } };
  },
  'members.listStaff': () => ({ items: [{ memberId: 'm-zhangming', name: '张明', phoneMasked: '138****0003', role: 'grid_worker', regionId: R.peixinGrid1, regionName: '培新街社区第一网格' }] }),
  'visits.today': () => ({
    due: [household(0), household(1)], dueMore: false, weekCount: 1, week: [feedItem(1)],
    alerts: [{ _id: 'care:1', kind: 'canteen_absence', reason: '连续 3 天未到食堂就餐', householdId: 'hh-0', address: '3栋2单元501室', createdAt: AT }],
  }),
  'visits.myGrids': () => ({ items: [gridView(R.peixinGrid1, '第一网格')] }),
  'visits.grids': () => ({ items: [gridView(R.peixinGrid1, '第一网格'), gridView(R.peixinGrid2, '第二网格')] }),
  'visits.households': () => ({ items: [household(0), household(1)], nextCursor: null }),
  'visits.household': () => ({ household: household(0), visits: [visit()] }),
  'visits.visit': () => visit(),
  'visits.record': (input: { clientId: string; findings: string }) => ({ ...visit(), clientId: input.clientId, findings: input.findings }),
  'visits.coverage': () => ({ month: '2025-11', grids: [row(R.peixinGrid1, '第一网格'), row(R.peixinGrid2, '第二网格')], workers: [row('m-zhangming', '张明')], total: row(R.peixin, '全社区') }),
  'visits.feed': () => ({ items: [feedItem(1), feedItem(2)], nextCursor: null }),
};
// As pages.test.ts checks: nothing blank in WeChat, within its setData and node limits.
const weapp = useWeapp({
  contracts: { visits: visitsContract, members: membersContract },
  answers,
  reset: (e) => {
    who = 'grid';
    e.storage.delete(OUTBOX_KEY);
  },
  limits: true,
});
const { open } = weapp;
let env: WeappEnv;
beforeAll(() => {
  env = weapp.env;
});
const callsTo = (key: string) => env.cloudCalls.filter((c) => `${c.name}.${String(c.data.action)}` === key);

test('the grid worker and the admin pages are sub-packages of their own', () => {
  const subs = [...(env.appJson.subPackages ?? []), ...(env.appJson.subpackages ?? [])] as { root: string; pages: string[] }[];
  expect(subs.find((s) => s.root === 'packages/grid')?.pages).toContain('visit/index');
  expect(subs.find((s) => s.root === 'packages/visits-admin')?.pages).toEqual(['coverage/index', 'feed/index', 'import/index', 'grids/index']);
});

describe('grid worker', () => {
  test('the day: alerts, households due (overdue in words), this week', async () => {
    const pg = await open('packages/grid/day/index');
    await pg.until(() => pg.hasId('day-due-0'), 'the due list');
    expect(pg.byId('day-due-0').textContent).toContain('3栋2单元501室');
    expect(pg.byId('day-due-0').textContent).toContain('已超期 2 天');
    expect(pg.byId('day-alert-0').textContent).toContain('连续 3 天未到食堂就餐');
    expect(pg.byId('day-week').textContent).toContain('本周已走访 1 次');
  });

  test('the visit form renders, takes input, and its note reaches visits.record through the outbox', async () => {
    const pg = await open('packages/grid/visit/index', { householdId: 'hh-0', label: '3栋2单元501室 王桂芳' });
    await pg.until(() => pg.hasId('visit-submit'), 'the form');
    expect(pg.byId('visit-household').textContent).toContain('王桂芳');
    for (const id of ['visit-kind-routine', 'visit-kind-care', 'visit-kind-follow_up', 'visit-kind-complaint', 'visit-photo-add', 'visit-consent', 'visit-locate', 'visit-draft']) {
      expect(pg.hasId(id)).toBe(true);
    }
    await pg.tap(pg.byId('visit-submit'));
    await pg.until(() => pg.hasId('visit-findings-error'), 'the findings error');
    await pg.tap(pg.byId('visit-kind-care'));
    const area = (id: string) => (pg.byId(id).querySelector('wx-textarea') as HTMLElement | null) ?? pg.byId(id);
    await pg.fire(area('visit-findings'), 'input', { value: '老人身体状况良好，暖气正常', cursor: 0 });
    await pg.tap(pg.byId('visit-request-add'));
    await pg.until(() => pg.hasId('visit-request-text-0'), 'a request field');
    await pg.fire(area('visit-request-text-0'), 'input', { value: '希望楼道加装扶手，方便老人上下楼', cursor: 0 });
    await pg.tap(pg.byId('visit-request-0-category-7'));
    await pg.tap(pg.byId('visit-submit'));
    await pg.until(() => callsTo('visits.record').length === 1, 'the record call');
    expect(callsTo('visits.record')[0]!.data.input).toMatchObject({
      householdId: 'hh-0', kind: 'care', findings: '老人身体状况良好，暖气正常', photos: [],
      requests: [{ text: '希望楼道加装扶手，方便老人上下楼', category: '公共设施' }],
    });
    expect(env.navigations.at(-1)).toMatchObject({ api: 'redirectTo', url: expect.stringContaining('/packages/grid/outbox/index') });
    await pg.until(() => !env.storage.get(OUTBOX_KEY), 'the outbox emptied after sending');
  });

  test('a saved draft stays on the phone and the outbox shows it in words', async () => {
    const form = await open('packages/grid/visit/index', { householdId: 'hh-0', label: '3栋2单元501室 王桂芳' });
    await form.until(() => form.hasId('visit-draft'), 'the form');
    await form.fire((form.byId('visit-findings').querySelector('wx-textarea') as HTMLElement | null) ?? form.byId('visit-findings'), 'input', { value: '门口堆放杂物', cursor: 0 });
    await form.tap(form.byId('visit-draft'));
    const saved = env.storage.get(OUTBOX_KEY) as OutboxEntry[];
    expect(saved.map((e) => [e.status, e.findings])).toEqual([['draft', '门口堆放杂物']]);
    const pg = await open('packages/grid/outbox/index');
    await pg.until(() => pg.hasId('outbox-item-0'), 'the outbox entry');
    expect(pg.byId('outbox-status-0').textContent).toContain('草稿');
    expect(pg.byId('outbox-item-0').textContent).toContain('3栋2单元501室 王桂芳');
    expect(callsTo('visits.record')).toHaveLength(1); // only the earlier test's note: a draft is not sent
    await pg.tap(pg.byId('outbox-remove-0'));
    await pg.until(() => pg.hasId('outbox-back'), 'the emptied outbox');
  });

  test('households, a household, the edit form and a visit render', async () => {
    const list = await open('packages/grid/households/index');
    await list.until(() => list.hasId('households-item-1'), 'the ledger');
    expect(list.byId('households-item-0').textContent).toContain('独居老人、低保');
    const hh = await open('packages/grid/household/index', { id: 'hh-0' });
    await hh.until(() => hh.hasId('household-record'), 'the household');
    expect(hh.byId('household-info').textContent).toContain('13800001001');
    expect(hh.hasId('household-followup-0')).toBe(true);
    const edit = await open('packages/grid/household-edit/index', { id: 'hh-0' });
    await edit.until(() => edit.hasId('hh-save'), 'the edit form');
    const add = await open('packages/grid/household-edit/index', { gridId: R.peixinGrid1 });
    await add.until(() => add.hasId('hh-building'), 'the new household form');
    const v = await open('packages/grid/visit-view/index', { id: 'vt-1' });
    await v.until(() => v.hasId('visit-view-findings'), 'the visit');
    expect(v.byId('visit-view-requests').textContent).toContain('希望楼道加装扶手');
  });
});

describe('community admin', () => {
  beforeEach(() => {
    who = 'admin';
  });

  test('coverage per grid and per worker, in numbers and words', async () => {
    const pg = await open('packages/visits-admin/coverage/index', { communityId: R.peixin });
    await pg.until(() => pg.hasId('coverage-grid-1'), 'the coverage');
    expect(pg.byId('coverage-total').textContent).toContain('80%');
    expect(pg.byId('coverage-grid-0').textContent).toContain('应访 10 户，已访 8 户');
    expect(pg.byId('coverage-worker-0').textContent).toContain('张明');
  });

  test('the feed, the import page and the grids page render', async () => {
    const feed = await open('packages/visits-admin/feed/index', { communityId: R.peixin });
    await feed.until(() => feed.hasId('feed-item-1'), 'the feed');
    await feed.tap(feed.byId('feed-kind-care'));
    await feed.until(() => callsTo('visits.feed').some((c) => (c.data.input as { kind?: string }).kind === 'care'), 'the filtered feed');
    const imp = await open('packages/visits-admin/import/index', { communityId: R.peixin });
    await imp.until(() => imp.hasId('import-choose'), 'the import page');
    expect(imp.byId('import-template').textContent).toContain('下载导入模板');
    const grids = await open('packages/visits-admin/grids/index', { communityId: R.peixin });
    await grids.until(() => grids.hasId('grids-item-1'), 'the grids');
    expect(grids.byId('grids-item-0').textContent).toContain('张明');
  });
});
