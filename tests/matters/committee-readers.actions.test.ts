/** Grid workers on the year's committee read the demands they score (residents' numbers masked); other grid workers do not. Both stores. */
import { members } from '../../src/features/members/members.collections';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

const ADMIN = P.adminPeixin.openid;
const GRID = P.gridPeixin.openid;
/** A second grid worker of 培新街, not on the committee, and one of 肖家坝. */
const GRID2 = 'test-grid-peixin-2';
const GRID_XJB = 'test-grid-xiaojiaba';
const KEY = { communityId: R.peixin, year: 2025 };

let h: Harness;
let demandId: string;
let sourceCount: number;
beforeAll(async () => {
  h = await createHarness();
  const at = '2025-01-01T00:00:00.000Z';
  await h.services.store.collection(members).insert({ openid: GRID2, name: '吴刚', grants: [{ role: 'grid_worker', regionId: R.peixinGrid2, regionName: '第二网格' }], createdAt: at }, { id: 'm-wugang' });
  await h.services.store.collection(members).insert({ openid: GRID_XJB, name: '郑爽', grants: [{ role: 'grid_worker', regionId: R.xiaojiabaGrid1, regionName: '第一网格' }], createdAt: at }, { id: 'm-zhengshuang' });
  // A resident's suggestion with her phone number in it joins the list.
  const s = dataOf(await h.call('suggestions', 'submit', { requestId: 'committee-read-abcdefgh', communityId: R.peixin, category: '公共设施', text: '3栋楼道灯坏了很久，有事打我电话13912345678' }, P.residentPeixin.openid));
  demandId = dataOf(await h.call('matters', 'adoptSuggestion', { suggestionId: s._id }, ADMIN)).demandId;
  sourceCount = dataOf(await h.call('matters', 'getDemand', { id: demandId }, ADMIN)).sources.length;
});
afterAll(() => h.close());

const list = (openid: string, year = 2025) => h.call('matters', 'listDemands', { ...KEY, year }, openid);
const detail = (openid: string) => h.call('matters', 'getDemand', { id: demandId }, openid);

test('before the committee is set, a grid worker of the community is told they are not on it', async () => {
  const r = await list(GRID);
  expect(codeOf(r)).toBe('MATTERS.NOT_ON_COMMITTEE');
  expect(!r.ok && r.error.message).toContain('评议小组');
  expect(codeOf(await detail(GRID))).toBe('MATTERS.NOT_ON_COMMITTEE');
  expect(dataOf(await h.call('matters', 'myCommittees', {}, GRID))).toEqual({ items: [] });
});

describe('with 张明 on the 2025 committee', () => {
  beforeAll(async () => {
    dataOf(await h.call('matters', 'setCommittee', { ...KEY, memberIds: [P.adminPeixin.memberId, P.gridPeixin.memberId] }, ADMIN));
  });

  test('he reads the list and the demand, with the resident’s phone number masked', async () => {
    const items = dataOf(await list(GRID)).items;
    expect(items.map((d: { _id: string }) => d._id)).toContain(demandId);
    const seen = dataOf(await detail(GRID));
    expect(seen.masked).toBe(true);
    expect(seen.sources).toHaveLength(sourceCount);
    const fromSuggestion = seen.sources.find((s: { kind: string }) => s.kind === 'suggestion');
    expect(fromSuggestion.excerpt).toContain('139****5678');
    expect(JSON.stringify(seen)).not.toContain('13912345678');
    // The admin sees what the resident wrote.
    const full = dataOf(await detail(ADMIN));
    expect(full.masked).toBeUndefined();
    expect(full.sources.find((s: { kind: string }) => s.kind === 'suggestion').excerpt).toContain('13912345678');
    expect(full.demand.description).toContain('13912345678');
    expect(seen.demand.description).not.toContain('13912345678');
  });

  test('he reads the committee (his page asks whether he scores) and scores', async () => {
    expect(dataOf(await h.call('matters', 'getCommittee', KEY, GRID)).members.map((m: { name: string }) => m.name)).toEqual(['刘芳', '张明']);
    expect(dataOf(await h.call('matters', 'scoreDemand', { id: demandId, scores: { small: 4, impact: 3, feasible: 5, benefit: 4 } }, GRID))).toEqual({ scored: 1, committee: 2 });
  });

  test('his home learns which committees he sits on', async () => {
    expect(dataOf(await h.call('matters', 'myCommittees', {}, GRID))).toEqual({ items: [{ communityId: R.peixin, communityName: '培新街社区', year: 2025 }] });
    expect(dataOf(await h.call('matters', 'myCommittees', {}, GRID2))).toEqual({ items: [] });
    expect(codeOf(await h.call('matters', 'myCommittees', {}, ADMIN))).toBe('AUTH.FORBIDDEN');
  });

  test('reading is all: merging, assessing, fast-tracking and the procedure stay with the admins', async () => {
    expect(codeOf(await h.call('matters', 'assessDemand', { id: demandId, cost: 100, beneficiaries: null }, GRID))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('matters', 'createDemand', { requestId: 'grid-new', ...KEY, title: '新需求', category: '公共设施', note: '网格员录入' }, GRID))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('matters', 'getSlate', KEY, GRID))).toBe('AUTH.FORBIDDEN');
  });

  test('another year’s list is not his', async () => {
    expect(codeOf(await list(GRID, 2024))).toBe('MATTERS.NOT_ON_COMMITTEE');
  });

  test('a grid worker of the community not on the committee is refused, one of another community too', async () => {
    expect(codeOf(await list(GRID2))).toBe('MATTERS.NOT_ON_COMMITTEE');
    expect(codeOf(await detail(GRID2))).toBe('MATTERS.NOT_ON_COMMITTEE');
    expect(codeOf(await h.call('matters', 'getCommittee', KEY, GRID2))).toBe('MATTERS.NOT_ON_COMMITTEE');
    expect(codeOf(await list(GRID_XJB))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await detail(GRID_XJB))).toBe('AUTH.FORBIDDEN');
  });

  test('the admins read as before; residents and other communities’ admins do not', async () => {
    for (const who of [ADMIN, P.districtHanbin.openid, P.cityAnkang.openid]) expect(codeOf(await list(who))).toBe('OK');
    expect(codeOf(await list(P.adminXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await detail(P.adminXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await list(P.residentPeixin.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await detail(P.residentPeixin.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('matters', 'getCommittee', KEY, P.adminXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
  });

  test('taken off the committee, he loses the list', async () => {
    dataOf(await h.call('matters', 'setCommittee', { ...KEY, memberIds: [P.adminPeixin.memberId] }, ADMIN));
    expect(codeOf(await list(GRID))).toBe('MATTERS.NOT_ON_COMMITTEE');
    expect(dataOf(await h.call('matters', 'myCommittees', {}, GRID))).toEqual({ items: [] });
  });
});
