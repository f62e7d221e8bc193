/**
 * Carrying the ten matters out, residents' side, under miniprogram-simulate: the board's progress bars once
 * the list is fixed, and a matter page whose first timeline page holds 60 photos (setData under 64 KB).
 * Answers are canned and checked against the contracts; figures go to test-artifacts/weapp-progress-metrics.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mattersContract, type SlateView } from '../../src/features/matters/matters.schema';
import type { BoardRow, MatterPage, UpdateView } from '../../src/features/matters/plan.schema';
import { membersContract } from '../../src/features/members/members.schema';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import type { PageMetrics } from './simulate-env';
import { useWeapp, type Answers } from './suite';

const COMM = REGION_IDS.peixin;
const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const AT = `${YEAR}-04-02T02:00:00.000Z`;
const MATTER = 'matter:dm-0';
const photoUrl = (n: number) => `https://test-env.tcb.qcloud.la/uploads/progress/photo-${n}.jpg?sign=${'a'.repeat(40)}&t=1700000000`;

const row = (i: number): BoardRow => ({
  _id: `matter:dm-${i}`, title: i === 0 ? '孝义食堂（老年助餐点）' : `老旧楼栋楼道照明改造（${i}）`, category: '公共设施', state: i < 8 ? 'in_progress' : 'planning',
  progress: (i * 10) % 100, overdue: i === 1, nextDue: `${YEAR}-05-01`, leadUnit: '国网安康供电公司', latestPhoto: i < 8 ? photoUrl(i) : null, updates: i,
});
const update = (i: number, photos: number, from = 0): UpdateView => ({
  _id: `upd:${MATTER}:${from + i}`, matterId: MATTER, text: `第 ${from + i + 1} 次进展：楼道线路更换，灯具安装完毕`, milestoneId: i === 0 ? 'ms1' : null, done: i === 0,
  at: new Date(Date.parse(AT) - (from + i) * 3600_000).toISOString(), byLabel: i % 2 ? '国网安康供电公司' : '社区',
  photos: Array.from({ length: photos }, (_, k) => ({ fileId: `cloud://env/p-${from + i}-${k}.jpg`, tag: (['before', 'during', 'after'] as const)[k % 3]!, url: photoUrl((from + i) * 10 + k) })),
});
const page = (): MatterPage => ({
  matter: {
    _id: MATTER, communityId: COMM, year: YEAR, title: '孝义食堂（老年助餐点）', category: '养老助餐', state: 'in_progress', progress: 40, overdue: true, nextDue: `${YEAR}-04-01`,
    startedAt: `${YEAR}-03-20T02:00:00.000Z`, leadUnit: { _id: 'u1', name: '国网安康供电公司' }, supportUnits: [{ _id: 'u2', name: '安康农商银行' }], claimedBy: ['王*军'],
  },
  plan: {
    budget: { fiscal: 8_000_000, donation: 500_000 }, budgetTotal: 8_500_000, spent: 1_284_500, spendings: 2, weightLeft: 0,
    milestones: [
      { id: 'ms1', title: '场地改造', weight: 40, owner: { kind: 'unit', unitId: 'u1', label: '国网安康供电公司' }, start: `${YEAR}-03-20`, due: `${YEAR}-03-31`, eventId: null, done: { at: AT, updateId: `upd:${MATTER}:0` }, overdue: false },
      { id: 'ms2', title: '设备采购', weight: 30, owner: { kind: 'unit', unitId: 'u2', label: '安康农商银行' }, start: `${YEAR}-03-25`, due: `${YEAR}-04-01`, eventId: null, done: null, overdue: true },
      { id: 'ms3', title: '试运营', weight: 30, owner: { kind: 'person', unitId: null, label: '张*华' }, start: `${YEAR}-04-10`, due: `${YEAR}-04-30`, eventId: null, done: null, overdue: false },
    ],
  },
  // The first timeline page: 20 updates, 60 photos.
  updates: { items: Array.from({ length: 20 }, (_, i) => update(i, 3)), nextCursor: 'c2' },
});

const fixedSlate = (): SlateView => ({
  communityId: COMM, year: YEAR, stage: 'fixed', items: [{ demandId: 'dm-0', title: '孝义食堂（老年助餐点）', supporters: 30, reason: '居民呼声最高' }], steps: [], withdrawn: 0,
  publicity: null, objections: 0, unanswered: 0, fixedAt: `${YEAR}-03-19T02:00:00.000Z`,
});

const resident = DEMO_PEOPLE.residentPeixin;
const answers: Answers = {
  'members.me': () => ({ openid: resident.openid, member: { _id: resident.memberId, name: resident.name, phoneMasked: '138****0001', grants: resident.grants } }),
  'matters.getSlate': () => fixedSlate(),
  'matters.publicNotes': () => ({ objections: [], leftOut: [] }),
  'matters.listMatters': () => ({ items: Array.from({ length: 10 }, (_, i) => row(i)) }),
  'matters.getMatter': () => page(),
  'matters.listUpdates': () => ({ items: Array.from({ length: 5 }, (_, i) => update(i, 0, 20)), nextCursor: null }),
};

const weapp = useWeapp({ contracts: { matters: mattersContract, members: membersContract }, answers, where: 'tests/weapp/matters-progress.test.ts', limits: true });
const metrics: PageMetrics[] = [];
beforeAll(() => {
  weapp.env.fontScale.current = 1.25;
});
afterAll(() => {
  if (!metrics.length) return;
  const dir = path.resolve(__dirname, '../../test-artifacts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'weapp-progress-metrics.json'), JSON.stringify({ pages: metrics.map(({ page, maxSetDataBytes, setDataCalls, nodes }) => ({ page, maxSetDataBytes, setDataCalls, nodes })) }, null, 2) + '\n');
});
const calls = (action: string) => weapp.env.cloudCalls.filter((c) => c.name === 'matters' && c.data.action === action);

test('the board of a fixed list: progress bars, an overdue mark, the latest photo; a tap opens the matter', async () => {
  const pg = await weapp.open('packages/matters/board/index');
  await pg.until(() => pg.hasId('board-matter-9'), 'the ten matters');
  expect(pg.byId('board-matter-progress-3').textContent).toContain('30%');
  expect(pg.byId('board-matter-1').textContent).toContain('有节点逾期');
  expect(pg.byId('board-matter-0').textContent).not.toContain('有节点逾期');
  expect(calls('listMatters').at(-1)!.data.input).toEqual({ communityId: COMM, year: YEAR });
  await pg.tap(pg.byId('board-matter-0'));
  await pg.until(() => weapp.env.navigations.length > 0, 'navigation');
  expect(weapp.env.navigations.at(-1)!.url).toBe(`/packages/matters/matter/index?id=${encodeURIComponent(MATTER)}`);
  metrics.push({ ...pg.metrics });
});

test('a matter page with 60 photos on its first timeline page stays under 64 KB a setData; older updates load on demand', async () => {
  const pg = await weapp.open('packages/matters/matter/index', { id: encodeURIComponent(MATTER) });
  await pg.until(() => pg.hasId('matter-update-19'), 'the timeline');
  expect(pg.byId('matter-title').textContent).toBe('孝义食堂（老年助餐点）');
  expect(pg.byId('matter-progress').textContent).toContain('40%');
  expect(pg.byId('matter-overdue').textContent).toContain(`${YEAR}-04-01`);
  expect(pg.byId('matter-budget').textContent).toContain('预算 85,000 元，已支出 12,845 元');
  expect(pg.byId('matter-ms-2').textContent).toContain('张*华');
  expect(pg.byId('matter-ms-1').textContent).toContain('已逾期');
  expect(pg.byId('matter-photos-0').querySelectorAll('wx-image')).toHaveLength(3);
  expect(pg.byId('matter-update-0').textContent).toContain('施工前 1 张');
  expect(calls('getMatter').at(-1)!.data.input).toEqual({ matterId: MATTER });
  const firstLoad = pg.metrics.maxSetDataBytes;
  expect(firstLoad).toBeLessThan(64 * 1024);
  await pg.tap(pg.byId('matter-more'));
  await pg.until(() => pg.hasId('matter-update-24'), 'older updates');
  expect(calls('listUpdates').at(-1)!.data.input).toEqual({ matterId: MATTER, cursor: 'c2' });
  expect(pg.hasId('matter-more')).toBe(false);
  expect(pg.metrics.maxSetDataBytes).toBeLessThan(64 * 1024);
  metrics.push({ ...pg.metrics });
});

test('an accepted matter leads to its result and rating page; one in progress does not', async () => {
  let pg = await weapp.open('packages/matters/matter/index', { id: encodeURIComponent(MATTER) });
  await pg.until(() => pg.hasId('matter-title'), 'the matter');
  expect(pg.hasId('matter-result')).toBe(false);
  const keep = answers['matters.getMatter']!;
  answers['matters.getMatter'] = () => ({ ...page(), matter: { ...page().matter, state: 'accepted', progress: 100, overdue: false } });
  try {
    pg = await weapp.open('packages/matters/matter/index', { id: encodeURIComponent(MATTER) });
    await pg.until(() => pg.hasId('matter-result'), 'the result button');
    expect(pg.byId('matter-result').textContent).toContain('实施结果与居民评价');
    const before = weapp.env.navigations.length;
    await pg.tap(pg.byId('matter-result'));
    await pg.until(() => weapp.env.navigations.length > before, 'navigation');
    expect(weapp.env.navigations.at(-1)!.url).toBe(`/packages/matters/result/index?id=${encodeURIComponent(MATTER)}`);
  } finally {
    answers['matters.getMatter'] = keep;
  }
});
