/** A city's procedure settings through dispatch, on SQLite and the CloudBase stand-in: who reads and sets them, and the procedure obeying them. */
import { demands, procedureSettings, slates } from '../../src/features/matters/matters.collections';
import { slateId } from '../../src/features/matters/actions/procedure';
import { DEFAULT_CONFIG } from '../../src/features/matters/matters.rules';
import { members } from '../../src/features/members/members.collections';
import { regions } from '../../src/features/regions/regions.collections';
import { DEMO_NEWCOMER_OPENID, DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { auditEntries } from '../../src/server/audit/audit.collections';
import { readAll } from '../../src/server/read-all';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

const CITY = P.cityAnkang.openid;
const ADMIN = P.adminPeixin.openid;
const OTHER_CITY_ADMIN = 'test-city-admin-hanzhong';
const YEAR = 2025; // the harness clock: 2025-03-03 in Shanghai
const KEY = { communityId: R.peixin, year: YEAR };
const DAY = 24 * 3600_000;
const yes = (n: number) => ({ for: n, against: 0, abstain: 0 });
const settings = (patch: Record<string, unknown> = {}) => ({ ...structuredClone(DEFAULT_CONFIG), ...patch });

/** A second city with its own administrator (the demo has one city). */
async function addOtherCity(h: Harness) {
  await h.services.store.collection(regions).insert({ kind: 'city', name: '汉中市', parentId: null, path: ['city-hanzhong'] }, { id: 'city-hanzhong' });
  await h.services.store.collection(members).insert(
    { openid: OTHER_CITY_ADMIN, name: '钱多多', grants: [{ role: 'city_admin', regionId: 'city-hanzhong', regionName: '汉中市' }], createdAt: '2025-01-01T00:00:00.000Z' },
    { id: 'm-qianduoduo' },
  );
}

let seq = 0;
const make = async (h: Harness, title: string) =>
  dataOf(await h.call('matters', 'createDemand', { requestId: `set-${++seq}`, ...KEY, title, category: '公共设施', note: '居民议事会提出' }, ADMIN))._id as string;
const step = (h: Harness, s: string, date: string, ids: string[], expected = 9, present = 9) =>
  h.call('matters', 'recordStep', {
    ...KEY, step: s, date, expected, present, votes: Object.fromEntries(ids.map((id) => [id, yes(present)])), minutes: '会议讨论并表决通过',
    ...(s === 'proposal' ? { reasons: Object.fromEntries(ids.map((id) => [id, '群众呼声高，投入小见效快'])) } : {}),
  }, ADMIN);
const setAs = (h: Harness, openid: string, s: Record<string, unknown>, cityId: string = R.city) => h.call('matters', 'setProcedureSettings', { cityId, settings: s }, openid);

describe('who reads and who sets a city’s rules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
    await addOtherCity(h);
  });
  afterAll(() => h.close());

  test('unset, every member in the city reads the defaults, and is told they are the defaults', async () => {
    for (const [who, regionId] of [[P.residentPeixin.openid, R.peixin], [P.gridPeixin.openid, R.peixinGrid1], [ADMIN, R.peixin], [P.districtHanbin.openid, R.hanbin], [CITY, R.city]] as const) {
      const v = dataOf(await h.call('matters', 'getProcedureSettings', { regionId }, who));
      expect(v).toEqual({ cityId: R.city, cityName: '安康市', settings: DEFAULT_CONFIG, isDefault: true, defaults: DEFAULT_CONFIG, updatedAt: null });
    }
    // A resident of one community reads the city's rules through any region of the city.
    expect(dataOf(await h.call('matters', 'getProcedureSettings', { regionId: R.xiaojiaba }, P.residentPeixin.openid)).cityId).toBe(R.city);
    expect(codeOf(await h.call('matters', 'getProcedureSettings', { regionId: R.peixin }, OTHER_CITY_ADMIN))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('matters', 'getProcedureSettings', { regionId: R.peixin }, DEMO_NEWCOMER_OPENID))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('matters', 'getProcedureSettings', { regionId: 'no-such-region' }, P.residentPeixin.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('matters', 'getProcedureSettings', { regionId: R.peixin }, null))).toBe('AUTH.UNAUTHENTICATED');
  });

  test('only the city’s own administrator sets them; every refusal writes nothing', async () => {
    const mine = settings({ publicityDays: 10 });
    expect(codeOf(await setAs(h, OTHER_CITY_ADMIN, mine))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await setAs(h, P.districtHanbin.openid, mine))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await setAs(h, ADMIN, mine))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await setAs(h, P.residentPeixin.openid, mine))).toBe('AUTH.FORBIDDEN');
    // A district is not where the rules live, even for the city's administrator above it.
    expect(codeOf(await setAs(h, CITY, mine, R.hanbin))).toBe('MATTERS.NOT_A_CITY');
    // Out of bounds: a quorum below half, a 公示 of 3 days, eleven matters, a limit above 100,000 yuan.
    const low = await setAs(h, CITY, settings({ quorum: { ...DEFAULT_CONFIG.quorum, review: { num: 2, den: 5, inclusive: true } } }));
    expect(codeOf(low)).toBe('INPUT.INVALID');
    expect(!low.ok && low.error.issues?.[0]).toMatchObject({ path: ['settings', 'quorum', 'review'], message: expect.stringContaining('不能低于半数') });
    for (const bad of [{ publicityDays: 3 }, { maxMatters: 11 }, { fastTrackMaxCost: 100_001 }, { majority: { num: 1, den: 1, inclusive: false } }]) {
      expect(codeOf(await setAs(h, CITY, settings(bad)))).toBe('INPUT.INVALID');
    }
    expect(await h.services.store.collection(procedureSettings).count()).toBe(0);

    const saved = dataOf(await setAs(h, CITY, mine));
    expect(saved).toMatchObject({ cityId: R.city, isDefault: false, settings: { publicityDays: 10 }, defaults: { publicityDays: 7 }, updatedAt: expect.any(String) });
    expect(dataOf(await h.call('matters', 'getProcedureSettings', { regionId: R.peixin }, P.residentPeixin.openid))).toMatchObject({ isDefault: false, settings: { publicityDays: 10 } });
    // Set again: replaced, still one document; the other city keeps the defaults.
    dataOf(await setAs(h, CITY, settings({ publicityDays: 12 })));
    expect(await h.services.store.collection(procedureSettings).count()).toBe(1);
    expect(dataOf(await h.call('matters', 'getProcedureSettings', { regionId: R.city }, CITY)).settings.publicityDays).toBe(12);
    expect(dataOf(await h.call('matters', 'getProcedureSettings', { regionId: 'city-hanzhong' }, OTHER_CITY_ADMIN))).toMatchObject({ isDefault: true, settings: { publicityDays: 7 } });
    // A staff write: audited by dispatch in the city's chain.
    const audited = (await readAll(h.services.store.collection(auditEntries), {})).items.filter((e) => e.action === 'matters.setProcedureSettings');
    expect(audited).toHaveLength(2);
    expect(audited[0]).toMatchObject({ role: 'city_admin', cityId: R.city });
  });
});

describe('the procedure obeys the city’s rules', () => {
  let h: Harness;
  let items: string[];
  beforeEach(async () => {
    h = await createHarness();
    items = [await make(h, '老旧小区加装电梯'), await make(h, '巷口积水改造'), await make(h, '社区广场健身器材更新')];
  });
  afterEach(() => h.close());

  const throughReview = async () => {
    dataOf(await step(h, 'proposal', '2025-02-20', items));
    dataOf(await step(h, 'consultation', '2025-02-22', items));
    dataOf(await step(h, 'review', '2025-02-25', items));
  };

  test('defaults when unset: 2/3 of the representatives suffice, 公示 lasts 7 days', async () => {
    await throughReview();
    expect(dataOf(await step(h, 'resolution', '2025-02-28', items, 30, 20))).toMatchObject({ stage: 'publicity', config: DEFAULT_CONFIG });
    const v = dataOf(await h.call('matters', 'startPublicity', KEY, ADMIN));
    expect(Date.parse(v.publicity.end) - Date.parse(v.publicity.start)).toBe(7 * DAY);
  });

  test('with a resolution quorum of 3/4, a representatives’ meeting at 2/3 decides nothing', async () => {
    dataOf(await setAs(h, CITY, settings({ quorum: { ...DEFAULT_CONFIG.quorum, resolution: { num: 3, den: 4, inclusive: true } } })));
    await throughReview();
    const rev = (await h.services.store.collection(slates).get(slateId(R.peixin, YEAR)))!._rev;
    const r = await step(h, 'resolution', '2025-02-28', items, 30, 20);
    expect(codeOf(r)).toBe('MATTERS.NO_QUORUM');
    expect(!r.ok && r.error.message).toContain('4分之3以上（含）');
    expect((await h.services.store.collection(slates).get(slateId(R.peixin, YEAR)))!._rev).toBe(rev);
    // The slate tells the page which rules apply.
    expect(dataOf(await h.call('matters', 'getSlate', KEY, ADMIN)).config.quorum.resolution).toEqual({ num: 3, den: 4, inclusive: true });
    expect(dataOf(await step(h, 'resolution', '2025-02-28', items, 30, 23))).toMatchObject({ stage: 'publicity' });
  });

  test('with 公示 of 10 days, it ends 10 days after it starts, and the list cannot be fixed before', async () => {
    dataOf(await setAs(h, CITY, settings({ publicityDays: 10 })));
    await throughReview();
    dataOf(await step(h, 'resolution', '2025-02-28', items, 30, 20));
    const v = dataOf(await h.call('matters', 'startPublicity', KEY, ADMIN));
    expect(Date.parse(v.publicity.end) - Date.parse(v.publicity.start)).toBe(10 * DAY);
    expect(v.publicity.daysLeft).toBe(10);
    h.advance(7 * DAY);
    expect(codeOf(await h.call('matters', 'fixList', { ...KEY, leftOut: [] }, ADMIN))).toBe('MATTERS.PUBLICITY_RUNNING');
  });

  test('with a cap of 2 a proposal of 3 is refused', async () => {
    dataOf(await setAs(h, CITY, settings({ maxMatters: 2 })));
    const r = await step(h, 'proposal', '2025-02-20', items);
    expect(codeOf(r)).toBe('MATTERS.TOO_MANY');
    expect(!r.ok && r.error.message).toContain('最多 2 件');
    expect(await h.services.store.collection(slates).get(slateId(R.peixin, YEAR))).toBeNull();
    dataOf(await step(h, 'proposal', '2025-02-20', items.slice(0, 2)));
  });

  test('a cap lowered during 公示 does not strand the list: the items proposed under the old cap are fixed', async () => {
    dataOf(await setAs(h, CITY, settings({ maxMatters: 3 })));
    await throughReview();
    dataOf(await step(h, 'resolution', '2025-02-28', items, 30, 20));
    dataOf(await h.call('matters', 'startPublicity', KEY, ADMIN));
    dataOf(await setAs(h, CITY, settings({ maxMatters: 2 })));
    h.advance(7 * DAY);
    const open = (await readAll(h.services.store.collection(demands), { where: { ...KEY, status: 'open' } })).items.map((d) => d._id).filter((id) => !items.includes(id));
    const leftOut = open.map((demandId) => ({ demandId, reason: 'next_year' }));
    expect(dataOf(await h.call('matters', 'fixList', { ...KEY, leftOut }, ADMIN))).toMatchObject({ stage: 'fixed', items: items.map((demandId) => ({ demandId })) });
  });

  test('with a fast-track limit of 3,000 yuan a 4,000-yuan demand is refused; the demand page states the limit', async () => {
    const photo = await h.uploadPhoto(ADMIN);
    expect(dataOf(await h.call('matters', 'getDemand', { id: items[1] }, ADMIN)).fastTrackMaxCost).toBe(5000);
    dataOf(await setAs(h, CITY, settings({ fastTrackMaxCost: 3000 })));
    expect(dataOf(await h.call('matters', 'getDemand', { id: items[1] }, ADMIN)).fastTrackMaxCost).toBe(3000);
    const r = await h.call('matters', 'fastTrack', { id: items[1], cost: 4000, note: '已疏通巷口排水沟', photos: [photo] }, ADMIN);
    expect(codeOf(r)).toBe('MATTERS.TOO_COSTLY_FOR_FAST_TRACK');
    expect(!r.ok && r.error.message).toContain('3000 元以下');
    expect(dataOf(await h.call('matters', 'getDemand', { id: items[1] }, ADMIN)).demand.status).toBe('open');
    expect(dataOf(await h.call('matters', 'fastTrack', { id: items[1], cost: 2999, note: '已疏通巷口排水沟', photos: [photo] }, ADMIN)).status).toBe('fast_track');
  });
});
