/**
 * 共建单位 and 领导认领 pages under miniprogram-simulate: packages/units (a unit contact's home, the registry, a
 * unit's page with links and the contact's invitation, the form, a matter's units) and packages/leader (claims,
 * a claim's notes, the wall). Answers are canned and checked against the contracts; setData sizes and node
 * counts are checked (limits) in elder mode, and recorded in test-artifacts/weapp-units-metrics.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { leadersContract } from '../../src/features/leaders/leaders.schema';
import { membersContract } from '../../src/features/members/members.schema';
import { regionsContract } from '../../src/features/regions/regions.schema';
import { unitsContract } from '../../src/features/units/units.schema';
import { DEMO_PEOPLE, REGION_IDS as R } from '../../src/server/demo/demo-data';
import type { OpenedPage, PageMetrics } from './simulate-env';
import { useWeapp, type Answers } from './suite';

const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const AT = `${YEAR}-03-02T02:00:00.000Z`;
const TITLES = ['老旧楼栋楼道照明改造', '孝义食堂（老年助餐点）', '富民市场改造提升', '汉江步道增设垃圾桶和路灯', '社区广场健身器材更新'];

let claimed = false;
/**
 * The pages keep `me` for the session (the bundle's cache outlives a test), so one person holds every grant
 * these pages look at: 汉滨区's district admin, a leader there, and the hospital's contact.
 */
const ME = {
  openid: DEMO_PEOPLE.districtHanbin.openid,
  member: {
    _id: DEMO_PEOPLE.districtHanbin.memberId, name: '孙伟', phoneMasked: '138****0006',
    grants: [...DEMO_PEOPLE.districtHanbin.grants, ...DEMO_PEOPLE.leaderHanbin.grants, ...DEMO_PEOPLE.unitContactHospital.grants],
  },
};

const unitView = (id = 'unit-demo-hospital') => ({
  _id: id, name: '汉滨区第一人民医院', type: 'hospital' as const, homeRegionId: R.hanbin, districtId: R.hanbin, path: [R.city, R.hanbin],
  communityIds: [R.xiaojiaba, R.peixin], partyHead: { name: '王建平', communityId: R.xiaojiaba }, createdAt: AT, updatedAt: AT,
  homeRegionName: '汉滨区', communities: [{ _id: R.xiaojiaba, name: '肖家坝社区' }, { _id: R.peixin, name: '培新街社区' }], partyHeadCommunityName: '肖家坝社区',
});
const unitMatters = Array.from({ length: 10 }, (_, i) => ({
  matterId: `matter:dm-${i}`, title: TITLES[i % TITLES.length]!, communityId: i % 2 ? R.xiaojiaba : R.peixin, communityName: i % 2 ? '肖家坝社区' : '培新街社区',
  year: YEAR, role: i === 0 ? ('lead' as const) : ('support' as const), state: i % 3 ? ('in_progress' as const) : ('planning' as const), progress: i * 10,
}));
const wallRow = (i: number) => ({
  matterId: `matter:dm-${i}`, title: TITLES[i % TITLES.length]!, communityId: R.peixin, communityName: i % 2 ? '肖家坝社区' : '培新街社区', state: 'in_progress' as const,
  progress: (i * 17) % 101, leadUnitName: i % 3 ? '汉滨区第一人民医院' : null, claimedBy: ['何志远'], leaderId: `m-leader-${Math.floor(i / 3)}`,
  leaderName: `领导${Math.floor(i / 3)}`, claimedAt: AT, notes: i % 4,
});

const answers: Answers = {
  'members.me': () => ME,
  'units.myUnits': () => ({ items: [{ _id: 'unit-demo-hospital', name: '汉滨区第一人民医院' }] }),
  'units.getUnit': (i: { unitId: string }) => ({ ...unitView(i.unitId), matters: unitMatters }),
  'units.listUnits': (i: { regionId: string }) => ({
    items: Array.from({ length: i.regionId === R.peixin ? 3 : 20 }, (_, k) => ({
      _id: `unit-${k}`, name: k === 0 ? '汉滨区第一人民医院' : `共建单位${k}`, type: 'enterprise' as const, homeRegionId: R.hanbin, homeRegionName: '汉滨区',
      communityIds: [R.peixin], partyHead: k % 2 ? { name: '李国栋' } : null, managed: i.regionId !== R.peixin,
    })),
    nextCursor: null,
  }),
  'units.registerUnit': (i: { name: string }) => ({ ...unitView('unit-new'), name: i.name, communityIds: [], communities: [], partyHead: null, partyHeadCommunityName: null }),
  'units.updateUnit': () => unitView(),
  'units.linkCommunity': () => unitView(),
  'units.unlinkCommunity': () => ({ ...unitView(), communityIds: [R.xiaojiaba], communities: [{ _id: R.xiaojiaba, name: '肖家坝社区' }] }),
  'units.inviteContact': () => ({ code: 'K7PX3MQA', expiresAt: `${YEAR}-03-09T02:00:00.000Z` }),
  'units.communityMatters': () => ({
    items: TITLES.slice(0, 4).map((title, k) => ({
      matterId: `matter:dm-${k}`, title, state: 'planning' as const, progress: 0, lead: k === 0 ? { _id: 'unit-0', name: '汉滨区第一人民医院' } : null, supports: k === 0 ? [{ _id: 'unit-1', name: '共建单位1' }] : [],
    })),
    nextCursor: null,
  }),
  'units.assignMatterUnits': (i: { matterId: string; leadUnitId: string | null; supportUnitIds: string[] }) => i,
  'regions.children': (i: { regionId: string }) => ({
    items: i.regionId === R.hanbin
      ? [{ _id: R.laocheng, kind: 'street', name: '老城街道', parentId: R.hanbin, path: [R.city, R.hanbin, R.laocheng] }]
      : [
        { _id: R.peixin, kind: 'community', name: '培新街社区', parentId: R.laocheng, path: [R.city, R.hanbin, R.laocheng, R.peixin] },
        { _id: R.laochengComm, kind: 'community', name: '老城社区', parentId: R.laocheng, path: [R.city, R.hanbin, R.laocheng, R.laochengComm] },
      ],
  }),
  'leaders.myClaims': () => ({ items: claimed ? [wallRow(0), wallRow(1)] : [wallRow(1)] }),
  'leaders.claimableMatters': () => ({
    items: Array.from({ length: 20 }, (_, k) => ({ ...wallRow(k), claimedBy: k === 1 ? ['何志远'] : [], mine: k === 1 || (claimed && k === 0) })).map(({ leaderId: _l, leaderName: _n, claimedAt: _c, notes: _x, ...m }) => m),
    nextCursor: 'page-2',
  }),
  'leaders.claimMatter': () => {
    claimed = true;
    return { claimId: 'claim:matter:dm-0:m-hezhiyuan', claimedBy: ['何志远'] };
  },
  'leaders.unclaimMatter': () => ({ claimedBy: [] }),
  'leaders.listNotes': () => ({
    items: Array.from({ length: 3 }, (_, k) => ({
      _id: `note-${k}`, claimId: 'claim:matter:dm-1:m-hezhiyuan', matterId: 'matter:dm-1', leaderId: 'm-hezhiyuan', leaderName: '何志远', date: `${YEAR}-03-0${k + 1}`,
      text: '召集住建局、牵头单位现场协调施工方案', photos: k === 0 ? [{ fileId: 'f1', url: 'https://example.invalid/f1.jpg' }] : [], at: AT,
    })),
    nextCursor: null,
  }),
  'leaders.addNote': () => ({ _id: 'note-new', notes: 4 }),
  // A wall the size of the city's (476 claims, the bench's figure); the page shows 40 rows at a time.
  'leaders.claimWall': () => ({ regionName: '汉滨区', leaders: 159, claims: 476, items: Array.from({ length: 476 }, (_, k) => wallRow(k)), truncated: false }),
  'leaders.listLeaders': () => ({
    items: [
      { memberId: 'm-fenglixin', name: '冯立新', regionId: R.hanbin, regionName: '汉滨区' },
      { memberId: 'm-hezhiyuan', name: '何志远', regionId: R.hanbin, regionName: '汉滨区' },
    ],
  }),
  'leaders.inviteLeader': () => ({ code: 'LD7QX2MA', expiresAt: `${YEAR}-03-09T02:00:00.000Z` }),
};

const weapp = useWeapp({
  contracts: { units: unitsContract, leaders: leadersContract, members: membersContract, regions: regionsContract },
  answers,
  where: 'tests/weapp/units.test.ts',
  reset: () => {
    claimed = false;
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
  writeFileSync(path.join(dir, 'weapp-units-metrics.json'), JSON.stringify({ pages: rows }, null, 2) + '\n');
  // eslint-disable-next-line no-console
  console.log(`units and leader pages (largest setData, calls, nodes)\n${rows.map((m) => `  ${m.page.padEnd(36)} ${String(m.maxSetDataBytes).padStart(8)} B ${String(m.setDataCalls).padStart(4)} ${String(m.nodes).padStart(5)} nodes`).join('\n')}`);
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
const calls = (area: string, action: string) => weapp.env.cloudCalls.filter((c) => c.name === area && c.data.action === action);
async function type(pg: OpenedPage, id: string, value: string) {
  const el = pg.byId(id);
  await pg.fire((el.querySelector('wx-textarea') as HTMLElement | null) ?? (el.querySelector('wx-input') as HTMLElement | null) ?? el, 'input', { value, cursor: 0 });
}

test('the units and leader pages are sub-packages of their own', () => {
  const subs = (weapp.env.appJson.subPackages ?? []) as { root: string; pages: string[] }[];
  expect(subs.find((s) => s.root === 'packages/units')?.pages).toEqual(['home/index', 'list/index', 'unit/index', 'form/index', 'matters/index', 'assign/index', 'progress/index']);
  expect(subs.find((s) => s.root === 'packages/leader')?.pages).toEqual(['claims/index', 'claim/index', 'wall/index', 'record/index']);
});

describe('units', () => {
  test("a unit contact's home: the unit, its 兼职委员, communities and ten matters with progress", async () => {
    const pg = await open('packages/units/home/index');
    await pg.until(() => pg.hasId('unit-home-matter-9'), 'ten matters');
    expect(pg.byId('page-unit-home').getAttribute('class')).toContain('elder');
    expect(pg.byId('unit-home-name').textContent).toBe('汉滨区第一人民医院');
    expect(pg.byId('unit-home-party-head').textContent).toBe('兼职委员：王建平（肖家坝社区）');
    expect(pg.byId('unit-home-communities').textContent).toBe('肖家坝社区、培新街社区');
    expect(pg.byId('unit-home-matter-0').textContent).toContain('牵头单位老旧楼栋楼道照明改造');
    expect(pg.byId('unit-home-matter-3').textContent).toContain('筹备中 · 进度 30%');
    expect(calls('units', 'getUnit')[0]!.data.input).toEqual({ unitId: 'unit-demo-hospital' });
  });

  test('the registry: rows by name, register opens the form; a community admin also reaches the matters’ units', async () => {
    const pg = await open('packages/units/list/index', { regionId: R.peixin, kind: 'community' });
    await pg.until(() => pg.hasId('units-row-2'), 'three units');
    expect(pg.byId('units-row-0').textContent).toContain('汉滨区第一人民医院');
    expect(pg.byId('units-row-1').textContent).toContain('兼职委员 李国栋');
    expect(pg.byId('units-row-0').textContent).toContain('区级单位');
    await pg.tap(pg.byId('units-row-0'));
    await pg.until(() => weapp.env.navigations.find((n) => n.url === '/packages/units/unit/index?unitId=unit-0'), 'the unit opened');
    await pg.tap(pg.byId('units-matters'));
    await pg.until(() => weapp.env.navigations.find((n) => n.url.startsWith(`/packages/units/matters/index?communityId=${R.peixin}`)), 'the matters opened');
    await pg.tap(pg.byId('units-new'));
    await pg.until(() => weapp.env.navigations.find((n) => n.url === `/packages/units/form/index?homeRegionId=${R.peixin}`), 'the form opened');
  });

  test("a unit's page for the district admin: link a community, unlink after confirming, invite a contact", async () => {
    const pg = await open('packages/units/unit/index', { unitId: 'unit-demo-hospital' });
    await pg.until(() => pg.hasId(`unit-link-${R.laochengComm}`), 'the communities that can be linked');
    expect(pg.hasId(`unit-link-${R.peixin}`)).toBe(false);
    expect(pg.byId('unit-community-1').textContent).toBe('培新街社区');
    await pg.tap(pg.byId(`unit-link-${R.laochengComm}`));
    await pg.until(() => calls('units', 'linkCommunity').length === 1, 'the link');
    expect(calls('units', 'linkCommunity')[0]!.data.input).toEqual({ unitId: 'unit-demo-hospital', communityId: R.laochengComm });
    await pg.tap(pg.byId('unit-unlink-1'));
    await pg.until(() => calls('units', 'unlinkCommunity').length === 1, 'the unlink (confirmed)');
    expect(calls('units', 'unlinkCommunity')[0]!.data.input).toEqual({ unitId: 'unit-demo-hospital', communityId: R.peixin });
    await pg.tap(pg.byId('unit-invite'));
    await pg.until(() => pg.hasId('unit-invite-code'), 'the code');
    expect(pg.byId('unit-invite-code').textContent).toBe('K7PX3MQA');
  });

  test('the form registers a unit with its type and 兼职委员, refusing a short name first', async () => {
    const pg = await open('packages/units/form/index', { homeRegionId: R.hanbin });
    await pg.until(() => pg.hasId('unit-form-submit'), 'the form');
    await pg.tap(pg.byId('unit-form-submit'));
    await pg.until(() => pg.hasId('unit-form-error'), 'the local check');
    expect(calls('units', 'registerUnit')).toHaveLength(0);
    await type(pg, 'unit-form-name', '汉滨区供电分公司');
    await pg.tap(pg.byId('unit-form-type-enterprise'));
    await type(pg, 'unit-form-head', '杜建军');
    await pg.until(() => pg.hasId(`unit-form-head-community-${R.peixin}`), 'the communities of the district');
    await pg.tap(pg.byId(`unit-form-head-community-${R.peixin}`));
    await pg.tap(pg.byId('unit-form-submit'));
    await pg.until(() => weapp.env.navigations.find((n) => n.api === 'redirectTo' && n.url === '/packages/units/unit/index?unitId=unit-new'), 'the new unit opened');
    expect(calls('units', 'registerUnit')[0]!.data.input).toEqual({ homeRegionId: R.hanbin, name: '汉滨区供电分公司', type: 'enterprise', partyHead: { name: '杜建军', communityId: R.peixin } });
  });

  test("the community's matters with their units, and choosing a lead and supporters", async () => {
    const list = await open('packages/units/matters/index', { communityId: R.peixin, year: String(YEAR) });
    await list.until(() => list.hasId('matter-units-row-3'), 'four matters');
    expect(list.byId('matter-units-row-0').textContent).toContain('牵头：汉滨区第一人民医院；配合：共建单位1');
    expect(list.byId('matter-units-row-1').textContent).toContain('牵头：未指定');

    const pg = await open('packages/units/assign/index', { matterId: 'matter:dm-1', communityId: R.peixin });
    await pg.until(() => pg.hasId('assign-lead-2'), 'the linked units');
    await pg.tap(pg.byId('assign-lead-2'));
    await pg.tap(pg.byId('assign-support-0'));
    await pg.tap(pg.byId('assign-support-2')); // the lead cannot also support
    await pg.tap(pg.byId('assign-submit'));
    await pg.until(() => calls('units', 'assignMatterUnits').length === 1, 'saved');
    expect(calls('units', 'assignMatterUnits')[0]!.data.input).toEqual({ matterId: 'matter:dm-1', leadUnitId: 'unit-2', supportUnitIds: ['unit-0'] });
  });
});

describe('leaders', () => {
  test('my claims, then claiming one of the region’s matters', async () => {
    const pg = await open('packages/leader/claims/index');
    await pg.until(() => pg.hasId('leader-mine-0'), 'my claims');
    expect(pg.byId('leader-mine-0').textContent).toContain('肖家坝社区 · 实施中 · 进度 17%');
    expect(pg.byId('leader-tab-mine').textContent).toBe('我认领的（1）');
    await pg.tap(pg.byId('leader-tab-claim'));
    await pg.until(() => pg.hasId('leader-open-19'), 'twenty matters to claim');
    expect(pg.hasId('leader-claim-1')).toBe(false); // already mine
    expect(pg.byId('leader-open-view-1').textContent).toBe('已认领');
    await pg.tap(pg.byId('leader-claim-0'));
    await pg.until(() => pg.hasId('leader-open-view-0'), 'claimed');
    expect(calls('leaders', 'claimMatter')[0]!.data.input).toEqual({ matterId: 'matter:dm-0' });
    expect(calls('leaders', 'claimableMatters')[0]!.data.input).toEqual({ regionId: R.hanbin, year: YEAR, cursor: null });
  });

  test('a claim: notes with photos, a new note, and 取消认领 after confirming', async () => {
    const pg = await open('packages/leader/claim/index', { matterId: 'matter:dm-1' });
    await pg.until(() => pg.hasId('claim-note-2'), 'three notes');
    expect(pg.byId('claim-matter').textContent).toContain('孝义食堂（老年助餐点）');
    expect(pg.hasId('claim-note-photos-0')).toBe(true);
    await pg.tap(pg.byId('note-submit'));
    await pg.until(() => pg.hasId('note-error'), 'the local check');
    expect(calls('leaders', 'addNote')).toHaveLength(0);
    await type(pg, 'note-text', '召集医院党支部和物业协调入户');
    await pg.tap(pg.byId('note-submit'));
    await pg.until(() => calls('leaders', 'addNote').length === 1, 'the note sent');
    expect(calls('leaders', 'addNote')[0]!.data.input).toEqual({ matterId: 'matter:dm-1', date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), text: '召集医院党支部和物业协调入户', photos: [] });
    await pg.tap(pg.byId('claim-unclaim'));
    await pg.until(() => calls('leaders', 'unclaimMatter').length === 1, 'unclaimed');
  });

  test('the claim wall grouped by leader, and the district admin invites a leader', async () => {
    const pg = await open('packages/leader/wall/index', { regionId: R.hanbin });
    await pg.until(() => pg.hasId('wall-leader-13'), 'the first forty rows (fourteen leaders)');
    expect(pg.byId('wall-summary').textContent).toBe('159 位领导认领 476 件实事');
    expect(pg.byId('wall-leader-0').textContent).toContain('领导0（3 件）');
    expect(pg.hasId('wall-leader-14')).toBe(false);
    expect(pg.byId('wall-more').textContent).toBe('显示更多（还有 436 件）');
    await pg.tap(pg.byId('wall-more'));
    await pg.until(() => pg.hasId('wall-leader-26'), 'forty more rows');
    await pg.tap(pg.byId('wall-invite'));
    await pg.until(() => pg.hasId('wall-invite-code'), 'the code');
    expect(calls('leaders', 'inviteLeader')[0]!.data.input).toEqual({ regionId: R.hanbin });
    await pg.tap(pg.byId('wall-record'));
    await pg.until(() => weapp.env.navigations.find((n) => n.url === `/packages/leader/record/index?regionId=${R.hanbin}&year=${YEAR}`), 'the record page opened');
  });

  test('a district admin records a claim for a leader: pick the leader, then the matter', async () => {
    const pg = await open('packages/leader/record/index', { regionId: R.hanbin, year: String(YEAR) });
    await pg.until(() => pg.hasId('record-leader-1'), 'the leaders');
    expect(pg.hasId('record-matter-0')).toBe(false);
    await pg.tap(pg.byId('record-leader-1'));
    await pg.until(() => pg.hasId('record-claim-0'), 'the matters');
    expect(pg.hasId('record-claim-1')).toBe(false); // 何志远 is already on it
    const before = calls('leaders', 'claimMatter').length;
    await pg.tap(pg.byId('record-claim-0'));
    await pg.until(() => calls('leaders', 'claimMatter').length === before + 1, 'the claim recorded');
    expect(calls('leaders', 'claimMatter').at(-1)!.data.input).toEqual({ matterId: 'matter:dm-0', leaderId: 'm-hezhiyuan' });
  });
});
