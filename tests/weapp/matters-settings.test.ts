/**
 * The city's 议事规则 and the committee grid worker's way to the demands, under miniprogram-simulate: the city
 * admin's settings page (defaults shown, bounds checked before sending, confirm, save), the procedure page stating
 * the city's rules, the fast-track form with the city's limit, and a grid worker on the committee going from their
 * home to the demand list and a demand (read and score only). Answers are canned and contract-checked; pages run
 * in elder mode within WeChat's setData and node limits.
 */
import { mattersContract, type Demand, type DemandDetail } from '../../src/features/matters/matters.schema';
import { DEFAULT_CONFIG, type ProcedureConfig } from '../../src/features/matters/matters.rules';
import { membersContract } from '../../src/features/members/members.schema';
import { visitsContract } from '../../src/features/visits/visits.schema';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import type { OpenedPage } from './simulate-env';
import { useWeapp, type Answers } from './suite';

const COMM = REGION_IDS.peixin;
const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const AT = `${YEAR}-03-02T02:00:00.000Z`;

let who: 'city' | 'grid' | 'admin' = 'city';
let stored: ProcedureConfig | null = null;
let masked = false;
const people = { city: DEMO_PEOPLE.cityAnkang, grid: DEMO_PEOPLE.gridPeixin, admin: DEMO_PEOPLE.adminPeixin };
const strict: ProcedureConfig = { ...structuredClone(DEFAULT_CONFIG), quorum: { ...DEFAULT_CONFIG.quorum, resolution: { num: 3, den: 4, inclusive: true } }, publicityDays: 10, fastTrackMaxCost: 3000 };

const demand = (): Omit<Demand, 'createdBy'> => ({
  _id: 'dm-0', communityId: COMM, districtId: REGION_IDS.hanbin, cityId: REGION_IDS.city, year: YEAR, title: '3栋楼道灯更换', description: '3栋楼道灯坏了很久，有事打我电话139****5678',
  category: '公共设施', status: 'open', mergedInto: null, mergedAt: null, supporters: 6, anonymous: 0, ownSources: 1, mergedCount: 0, kinds: { suggestion: 1 }, leftOut: null,
  assessment: null, createdAt: AT, updatedAt: AT, fastTrack: null,
});
const detail = (): DemandDetail => ({
  demand: demand(),
  sources: [{ _id: 'dsrc:suggestion:s1', kind: 'suggestion', ref: 's1', excerpt: '3栋楼道灯坏了很久，有事打我电话139****5678', supporters: 1, anonymous: 0, note: null, at: AT, demandId: 'dm-0', movedFrom: null }],
  merged: [],
  fastTrackMaxCost: stored?.fastTrackMaxCost ?? 5000,
  ...(masked ? { masked: true } : {}),
});

const answers: Answers = {
  'members.me': () => {
    const p = people[who];
    return { openid: p.openid, member: { _id: p.memberId, name: p.name, phoneMasked: '138****0007', grants: p.grants } };
  },
  'matters.getProcedureSettings': () => ({ cityId: REGION_IDS.city, cityName: '安康市', settings: stored ?? DEFAULT_CONFIG, isDefault: !stored, defaults: DEFAULT_CONFIG, updatedAt: stored ? AT : null }),
  'matters.setProcedureSettings': (i: { settings: ProcedureConfig }) => {
    stored = i.settings;
    return { cityId: REGION_IDS.city, cityName: '安康市', settings: stored, isDefault: false, defaults: DEFAULT_CONFIG, updatedAt: AT };
  },
  'matters.getSlate': () => ({ communityId: COMM, year: YEAR, stage: 'proposal', items: [], steps: [], withdrawn: 0, publicity: null, objections: 0, unanswered: 0, fixedAt: null, config: stored ?? DEFAULT_CONFIG }),
  'matters.listDemands': () => ({
    items: [{ _id: 'dm-0', title: '3栋楼道灯更换', category: '公共设施' as const, status: 'open' as const, supporters: 6, anonymous: 0, kinds: { suggestion: 1 }, mergedCount: 0, year: YEAR, createdAt: AT }],
    nextCursor: null,
  }),
  'matters.getDemand': () => detail(),
  'matters.getScores': () => ({ committee: 2, scored: 0, complete: false, mine: null, summary: null, scores: null }),
  'matters.getCommittee': () => ({ communityId: COMM, year: YEAR, members: [{ memberId: 'm-liufang', name: '刘芳' }, { memberId: 'm-zhangming', name: '张明' }], weights: { small: 1, impact: 1, feasible: 1, benefit: 1 }, updatedAt: AT }),
  'matters.myCommittees': () => ({ items: [{ communityId: COMM, communityName: '培新街社区', year: YEAR }] }),
};

const weapp = useWeapp({
  contracts: { matters: mattersContract, members: membersContract, visits: visitsContract },
  answers,
  where: 'tests/weapp/matters-settings.test.ts',
  reset: (env) => {
    who = 'city';
    stored = null;
    masked = false;
    env.fontScale.current = 1.25;
  },
  limits: true,
});
const open = (page: string, query: Record<string, string> = {}) => weapp.open(page, query);
const calls = (action: string) => weapp.env.cloudCalls.filter((c) => c.name === 'matters' && c.data.action === action);
async function type(pg: OpenedPage, id: string, value: string) {
  const el = pg.byId(id);
  await pg.fire((el.querySelector('wx-input') as HTMLElement | null) ?? el, 'input', { value, cursor: 0 });
}

describe('议事规则: the city admin sets the city’s rules', () => {
  test('the defaults are shown as such; a 3-day 公示 is refused before sending; a stricter rule is confirmed and saved', async () => {
    const pg = await open('packages/matters-admin/settings/index', { cityId: REGION_IDS.city });
    await pg.until(() => pg.hasId('settings-submit'), 'the form');
    expect(pg.byId('settings-state').textContent).toContain('尚未设置');
    expect(pg.text()).toContain('居民代表会议决议（居民代表）· 默认3分之2以上（含）');
    expect(pg.text()).toContain('默认 7 天');

    await type(pg, 'settings-publicity-days', '3');
    await pg.tap(pg.byId('settings-submit'));
    await pg.until(() => pg.hasId('settings-error'), 'the bound');
    expect(pg.byId('settings-error').textContent).toBe('公示天数应为 5–30 天的整数');
    expect(calls('setProcedureSettings')).toHaveLength(0);

    // 3/4 for the representatives' meeting (the fifth share offered), 10 days, 3,000 yuan.
    await pg.tap(pg.byId('settings-quorum-resolution-4'));
    await type(pg, 'settings-publicity-days', '10');
    await type(pg, 'settings-fast-track', '3000');
    await pg.tap(pg.byId('settings-submit'));
    await pg.until(() => pg.hasId('settings-confirm-text') && pg.byId('settings-confirm-text').textContent?.includes('决议公示 10 天'), 'the confirmation');
    expect(pg.byId('settings-confirm-text').textContent).toContain('居民代表会议决议须应到人员4分之3以上（含）到会');
    expect(calls('setProcedureSettings')).toHaveLength(0);
    await pg.tap(pg.byId('settings-confirm'));
    await pg.until(() => calls('setProcedureSettings').length === 1 && pg.byId('settings-state').textContent?.includes('本市已设置'), 'saved');
    expect(calls('setProcedureSettings')[0]!.data.input).toEqual({ cityId: REGION_IDS.city, settings: strict });
  });

  test('the city admin’s home links to it', async () => {
    const pg = await open('pages/index/index');
    await pg.until(() => pg.hasId('home-matters-settings'), 'the link');
    expect(pg.byId('home-matters-settings').textContent).toContain('议事规则');
  });

  test('the procedure page states the city’s rules, the fast-track form its limit', async () => {
    stored = strict;
    who = 'admin';
    const proc = await open('packages/matters-admin/procedure/index', { communityId: COMM, year: String(YEAR) });
    await proc.until(() => proc.hasId('proc-rules'), 'the rules');
    expect(proc.byId('proc-rules').textContent).toContain('居民代表会议决议须应到人员4分之3以上（含）到会');
    expect(proc.byId('proc-rules').textContent).toContain('决议公示 10 天');
    expect(proc.byId('step-form').textContent).toContain('须超过半数到会');
    proc.detach();

    const pg = await open('packages/matters-admin/demand/index', { id: 'dm-0' });
    await pg.until(() => pg.hasId('fast-limit'), 'the fast-track section');
    expect(pg.byId('fast-limit').textContent).toContain('花费 3000 元以下');
    await pg.tap(pg.byId('fast-open'));
    await type(pg, 'fast-cost', '4000');
    await pg.tap(pg.byId('fast-submit'));
    await pg.until(() => pg.hasId('fast-cost-error'), 'the limit');
    expect(pg.byId('fast-cost-error').textContent).toBe('微实事立办限 3000 元以下，这件事请走“四议两公开”');
  });
});

describe('a grid worker on the committee', () => {
  test('goes from their home to the list, and reads and scores a demand without the admin’s tools', async () => {
    who = 'grid';
    masked = true;
    const home = await open('pages/index/index');
    await home.until(() => home.hasId('home-grid-committee-0'), 'the committee link');
    expect(home.byId('home-grid-committee-0').textContent).toContain(`培新街社区${YEAR}年评议小组`);
    home.detach();

    const list = await open('packages/matters-admin/demands/index', { communityId: COMM, year: String(YEAR), as: 'committee' });
    await list.until(() => list.hasId('demands-item-0'), 'the list');
    expect(list.hasId('demands-committee-note')).toBe(true);
    for (const id of ['demands-new', 'demands-procedure', 'demands-committee', 'demands-meetings']) expect(list.hasId(id)).toBe(false);
    list.detach();

    const pg = await open('packages/matters-admin/demand/index', { id: 'dm-0' });
    await pg.until(() => pg.hasId('score-form'), 'the scoring form');
    expect(pg.hasId('demand-masked')).toBe(true);
    expect(pg.text()).toContain('139****5678');
    for (const id of ['demand-merge-open', 'demand-split-open', 'fast-open', 'assess-edit']) expect(pg.hasId(id)).toBe(false);
    expect(pg.text()).not.toContain('查看原建议');
  });
});
