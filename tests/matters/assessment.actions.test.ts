/** Assessment and committee scoring through dispatch, on SQLite and the stand-in. */
import { demands } from '../../src/features/matters/matters.collections';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

const ADMIN = P.adminPeixin.openid;
const GRID = P.gridPeixin.openid;
const KEY = { communityId: R.peixin, year: 2025 };
const sc = (small: number, impact: number, feasible: number, benefit: number) => ({ small, impact, feasible, benefit });

let h: Harness;
let a: string;
let b: string;
beforeAll(async () => {
  h = await createHarness();
  const make = async (title: string, requestId: string) =>
    dataOf(await h.call('matters', 'createDemand', { requestId, ...KEY, title, category: '公共设施', note: '居民议事会提出' }, ADMIN))._id as string;
  a = await make('巷口积水改造', 'assess-a');
  b = await make('社区广场健身器材更新', 'assess-b');
});
afterAll(() => h.close());

test('the assessment: cost, funding, beneficiaries, feasibility', async () => {
  const d = dataOf(await h.call('matters', 'assessDemand', { id: a, cost: 48000, funding: ['fiscal', 'unit', 'fiscal'], beneficiaries: 320, beneficiariesNote: '巷口两侧 5 栋楼住户', feasibility: '需与市政协调排水管接入' }, ADMIN));
  expect(d.assessment).toMatchObject({ cost: 48000, funding: ['fiscal', 'unit'], beneficiaries: 320 });
  expect(codeOf(await h.call('matters', 'assessDemand', { id: a, cost: 1, funding: ['lottery'], beneficiaries: null }, ADMIN))).toBe('INPUT.INVALID');
  expect(codeOf(await h.call('matters', 'assessDemand', { id: a, cost: 1, beneficiaries: null }, GRID))).toBe('AUTH.FORBIDDEN');
});

test('the committee: staff of the community only', async () => {
  expect(codeOf(await h.call('matters', 'setCommittee', { ...KEY, memberIds: [P.adminPeixin.memberId, P.residentPeixin.memberId] }, ADMIN))).toBe('MATTERS.COMMITTEE_NOT_STAFF');
  expect(codeOf(await h.call('matters', 'setCommittee', { ...KEY, memberIds: [P.adminXiaojiaba.memberId] }, ADMIN))).toBe('MATTERS.COMMITTEE_NOT_STAFF');
  expect(codeOf(await h.call('matters', 'setCommittee', { ...KEY, memberIds: [P.adminPeixin.memberId], weights: sc(0, 0, 0, 0) }, ADMIN))).toBe('MATTERS.BAD_WEIGHTS');
  expect(codeOf(await h.call('matters', 'scoreDemand', { id: a, scores: sc(3, 3, 3, 3) }, ADMIN))).toBe('MATTERS.NO_COMMITTEE');
  const c = dataOf(await h.call('matters', 'setCommittee', { ...KEY, memberIds: [P.adminPeixin.memberId, P.gridPeixin.memberId], weights: { small: 1, impact: 2, feasible: 1, benefit: 2 } }, ADMIN));
  expect(c.members.map((m: { name: string }) => m.name)).toEqual(['刘芳', '张明']);
  expect(dataOf(await h.call('matters', 'getCommittee', KEY, ADMIN))).toMatchObject({ members: c.members, weights: { small: 1, impact: 2, feasible: 1, benefit: 2 } });
  expect(dataOf(await h.call('matters', 'getCommittee', { ...KEY, year: 2024 }, ADMIN))).toBeNull();
  // A grid worker on the committee reads it (his demand page asks whether he scores); see committee-readers.actions.test.ts.
  expect(codeOf(await h.call('matters', 'getCommittee', KEY, GRID))).toBe('OK');
});

test('scores stay hidden until the whole committee has scored; a scorer may change theirs', async () => {
  expect(dataOf(await h.call('matters', 'scoreDemand', { id: a, scores: sc(5, 4, 3, 4) }, ADMIN))).toEqual({ scored: 1, committee: 2 });
  const half = dataOf(await h.call('matters', 'getScores', { id: a }, GRID));
  expect(half).toMatchObject({ committee: 2, scored: 1, complete: false, mine: null, summary: null, scores: null });
  expect(dataOf(await h.call('matters', 'getScores', { id: a }, ADMIN)).mine).toEqual(sc(5, 4, 3, 4));

  dataOf(await h.call('matters', 'scoreDemand', { id: a, scores: sc(3, 4, 5, 2) }, GRID));
  const full = dataOf(await h.call('matters', 'getScores', { id: a }, GRID));
  expect(full).toMatchObject({ complete: true, scored: 2, summary: { mean: sc(4, 4, 4, 3), spread: sc(1, 0, 1, 1) } });
  expect(full.summary.total).toBeCloseTo((4 + 2 * 4 + 4 + 2 * 3) / 6, 2);
  expect(full.scores.map((s: { name: string }) => s.name).sort()).toEqual(['刘芳', '张明']);

  // 刘芳 changes her mind: her earlier scores are replaced, not added.
  expect(dataOf(await h.call('matters', 'scoreDemand', { id: a, scores: sc(3, 4, 3, 4) }, ADMIN))).toEqual({ scored: 2, committee: 2 });
  expect(dataOf(await h.call('matters', 'getScores', { id: a }, ADMIN)).summary.mean).toEqual(sc(3, 4, 4, 3));
  expect((await h.services.store.collection(demands).get(a))?.scoring?.n).toBe(2);
});

test('who may score: committee members; scores are 1–5', async () => {
  expect(codeOf(await h.call('matters', 'scoreDemand', { id: b, scores: sc(3, 3, 3, 3) }, P.residentPeixin.openid))).toBe('AUTH.FORBIDDEN');
  expect(codeOf(await h.call('matters', 'scoreDemand', { id: b, scores: sc(3, 3, 3, 3) }, P.districtHanbin.openid))).toBe('AUTH.FORBIDDEN');
  // The committee is the grant: another community's admin is simply not on it.
  expect(codeOf(await h.call('matters', 'scoreDemand', { id: b, scores: sc(3, 3, 3, 3) }, P.adminXiaojiaba.openid))).toBe('MATTERS.NOT_ON_COMMITTEE');
  expect(codeOf(await h.call('matters', 'getScores', { id: b }, P.adminXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
  expect(codeOf(await h.call('matters', 'getScores', { id: b }, P.districtHanbin.openid))).toBe('OK');
  expect(codeOf(await h.call('matters', 'scoreDemand', { id: b, scores: sc(0, 3, 3, 6) }, ADMIN))).toBe('INPUT.INVALID');
  dataOf(await h.call('matters', 'setCommittee', { ...KEY, memberIds: [P.adminPeixin.memberId] }, ADMIN));
  expect(codeOf(await h.call('matters', 'scoreDemand', { id: b, scores: sc(3, 3, 3, 3) }, GRID))).toBe('MATTERS.NOT_ON_COMMITTEE');
  // 张明 left the committee: 刘芳 alone completes it, and his earlier score of `a` is kept, marked as a former member's.
  const after = dataOf(await h.call('matters', 'getScores', { id: a }, ADMIN));
  expect(after).toMatchObject({ committee: 1, scored: 1, complete: true });
  expect(after.scores.map((s: { name: string }) => s.name).sort()).toEqual(['刘芳', '已退出的成员']);
});

test('ranking by score', async () => {
  dataOf(await h.call('matters', 'scoreDemand', { id: b, scores: sc(5, 5, 5, 5) }, ADMIN));
  const items = dataOf(await h.call('matters', 'listDemands', { ...KEY, sort: 'score' }, ADMIN)).items.map((d: { _id: string }) => d._id);
  expect(items.indexOf(b)).toBeLessThan(items.indexOf(a));
  expect(items.indexOf(b)).toBe(0);
});

test('微实事立办: under 5,000 yuan, done at once with a note and a photo, counted apart from the list', async () => {
  const small = dataOf(await h.call('matters', 'createDemand', { requestId: 'fast-1', ...KEY, title: '公告栏加雨棚', category: '其他', note: '居民意见箱' }, ADMIN))._id as string;
  const photo = await h.uploadPhoto(ADMIN);
  expect(codeOf(await h.call('matters', 'fastTrack', { id: small, cost: 5000, note: '已安装雨棚一处', photos: [photo] }, ADMIN))).toBe('MATTERS.TOO_COSTLY_FOR_FAST_TRACK');
  expect(codeOf(await h.call('matters', 'fastTrack', { id: small, cost: 800, note: '已安装雨棚一处', photos: [] }, ADMIN))).toBe('INPUT.INVALID');
  expect(codeOf(await h.call('matters', 'fastTrack', { id: small, cost: 800, note: '已安装雨棚一处', photos: [await h.uploadPhoto(GRID)] }, ADMIN))).toBe('FILE.NOT_OWNER');
  const done = dataOf(await h.call('matters', 'fastTrack', { id: small, cost: 800, note: '已在公告栏旁安装雨棚一处', photos: [photo] }, ADMIN));
  expect(done).toMatchObject({ status: 'fast_track', fastTrack: { cost: 800, photos: [photo] } });
  const open = dataOf(await h.call('matters', 'listDemands', KEY, ADMIN)).items.map((d: { _id: string }) => d._id);
  const fast = dataOf(await h.call('matters', 'listDemands', { ...KEY, status: 'fast_track' }, ADMIN)).items.map((d: { _id: string }) => d._id);
  expect(open).not.toContain(small);
  expect(fast).toEqual([small]);
  expect(codeOf(await h.call('matters', 'fastTrack', { id: small, cost: 800, note: '再办一次试试看', photos: [photo] }, ADMIN))).toBe('MATTERS.DEMAND_NOT_OPEN');
});

test('beneficiaries counted from the household ledger by buildings and tags (3号楼 is 3栋)', async () => {
  const n = dataOf(await h.call('matters', 'countBeneficiaries', { id: a, buildings: ['3号楼', '5栋'], tags: ['独居老人', '空巢'] }, ADMIN));
  expect(n).toEqual({ households: 4, people: 5, truncated: false, note: '住户台账：3号楼、5栋标记为独居老人或空巢的住户 4 户、5 人' });
  expect(dataOf(await h.call('matters', 'countBeneficiaries', { id: a }, ADMIN))).toMatchObject({ households: 11, people: 26 });
  expect(codeOf(await h.call('matters', 'countBeneficiaries', { id: a, tags: ['有钱人'] }, ADMIN))).toBe('INPUT.INVALID');
  expect(codeOf(await h.call('matters', 'countBeneficiaries', { id: a }, P.adminXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
});
