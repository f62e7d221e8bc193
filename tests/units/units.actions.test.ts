/** 共建单位 through dispatch, on SQLite and the CloudBase stand-in: registry, links, contacts, a matter's units; every refusal writes nothing. */
import { matterUnitLinks, matters } from '../../src/features/matters/matters.collections';
import { unitLinks, unitNames, units } from '../../src/features/units/units.collections';
import { DEMO_UNIT_IDS as U } from '../../src/server/demo/seed-units';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';
import { addMatter, redeem } from './fixtures';

const DISTRICT = P.districtHanbin.openid;
const PX_ADMIN = P.adminPeixin.openid;
const XJB_ADMIN = P.adminXiaojiaba.openid;
const CONTACT = P.unitContactHospital.openid;

/** Every document of the units area and the matters' unit links: a refusal must leave them as they were. */
async function snapshot(h: Harness) {
  const s = h.services.store;
  const all = async (def: Parameters<typeof s.collection>[0]) => JSON.stringify((await s.collection(def).find({ limit: 100 })).items);
  return [await all(units), await all(unitLinks), await all(unitNames), await all(matterUnitLinks), await all(matters)].join('\n');
}

describe('co-building units', () => {
  let h: Harness;
  beforeEach(async () => (h = await createHarness()));
  afterEach(() => h.close());

  test('a district admin registers a unit in the district, links it to communities there, and names must differ within the home region', async () => {
    const u = dataOf(await h.call('units', 'registerUnit', { homeRegionId: R.hanbin, name: '安康市汉滨区税务局', type: 'agency', partyHead: { name: '周文斌', communityId: R.peixin } }, DISTRICT));
    expect(u).toMatchObject({ name: '安康市汉滨区税务局', homeRegionName: '汉滨区', districtId: R.hanbin, communities: [], partyHead: { name: '周文斌', communityId: R.peixin }, partyHeadCommunityName: '培新街社区' });
    expect(u).not.toHaveProperty('createdBy');
    const linked = dataOf(await h.call('units', 'linkCommunity', { unitId: u._id, communityId: R.xiaojiaba }, DISTRICT));
    expect(linked.communities).toEqual([{ _id: R.xiaojiaba, name: '肖家坝社区' }]);
    // Linking again changes nothing.
    expect(dataOf(await h.call('units', 'linkCommunity', { unitId: u._id, communityId: R.xiaojiaba }, DISTRICT)).communityIds).toEqual([R.xiaojiaba]);

    const before = await snapshot(h);
    // Same name (spaces and full-width folded) in the same home region: refused.
    expect(codeOf(await h.call('units', 'registerUnit', { homeRegionId: R.hanbin, name: '安康市 汉滨区税务局', type: 'agency' }, DISTRICT))).toBe('UNITS.DUPLICATE_NAME');
    // A community of another district: refused.
    expect(codeOf(await h.call('units', 'linkCommunity', { unitId: u._id, communityId: R.dongcheng }, DISTRICT))).toBe('UNITS.OUTSIDE_HOME');
    expect(codeOf(await h.call('units', 'linkCommunity', { unitId: u._id, communityId: R.peixinGrid1 }, DISTRICT))).toBe('UNITS.OUTSIDE_HOME');
    // A 兼职委员 serving outside the home region: refused.
    expect(codeOf(await h.call('units', 'updateUnit', { unitId: u._id, partyHead: { name: '周文斌', communityId: R.dongcheng } }, DISTRICT))).toBe('UNITS.PARTY_HEAD_COMMUNITY');
    // Renaming onto another unit's name: refused.
    expect(codeOf(await h.call('units', 'updateUnit', { unitId: u._id, name: '汉滨区第一人民医院' }, DISTRICT))).toBe('UNITS.DUPLICATE_NAME');
    expect(codeOf(await h.call('units', 'registerUnit', { homeRegionId: R.hanbin, name: '', type: 'agency' }, DISTRICT))).toBe('INPUT.INVALID');
    expect(await snapshot(h)).toBe(before);

    // A rename frees the old name; fields not sent stay as they were.
    expect(dataOf(await h.call('units', 'updateUnit', { unitId: u._id, name: '汉滨区税务局', type: 'agency' }, DISTRICT)).partyHead).toEqual({ name: '周文斌', communityId: R.peixin });
    expect(dataOf(await h.call('units', 'updateUnit', { unitId: u._id, partyHead: null }, DISTRICT)).partyHead).toBeNull();
    expect(dataOf(await h.call('units', 'registerUnit', { homeRegionId: R.hanbin, name: '安康市汉滨区税务局', type: 'agency' }, DISTRICT)).name).toBe('安康市汉滨区税务局');
    // The district's registry lists by name, including the units its communities registered.
    const names = dataOf(await h.call('units', 'listUnits', { regionId: R.hanbin }, DISTRICT)).items.map((i: { name: string }) => i.name);
    expect(names).toEqual(expect.arrayContaining(['汉滨区税务局', '安康市汉滨区税务局', '培新物业服务有限公司', '肖家坝小学']));
    // A community's list: the units linked to it (managed only where the home region is the admin's own).
    const px = dataOf(await h.call('units', 'listUnits', { regionId: R.peixin }, PX_ADMIN)).items;
    expect(px.map((i: { _id: string }) => i._id).sort()).toEqual([U.hospital, U.housing, U.property].sort());
    expect(px.find((i: { _id: string }) => i._id === U.property).managed).toBe(true);
    expect(px.find((i: { _id: string }) => i._id === U.hospital).managed).toBe(false);
  });

  test('a community admin registers only into their own community, and the unit serves it from the start', async () => {
    const u = dataOf(await h.call('units', 'registerUnit', { homeRegionId: R.peixin, name: '培新街便民超市', type: 'enterprise' }, PX_ADMIN));
    expect(u.communities).toEqual([{ _id: R.peixin, name: '培新街社区' }]);
    const before = await snapshot(h);
    expect(codeOf(await h.call('units', 'registerUnit', { homeRegionId: R.xiaojiaba, name: '外社区单位', type: 'enterprise' }, PX_ADMIN))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('units', 'registerUnit', { homeRegionId: R.hanbin, name: '区级单位', type: 'enterprise' }, PX_ADMIN))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('units', 'registerUnit', { homeRegionId: R.laocheng, name: '街道单位', type: 'enterprise' }, DISTRICT))).toBe('UNITS.BAD_HOME');
    // A community-registered unit links only its own community; another community's admin cannot touch it.
    expect(codeOf(await h.call('units', 'linkCommunity', { unitId: u._id, communityId: R.laochengComm }, PX_ADMIN))).toBe('UNITS.OUTSIDE_HOME');
    expect(codeOf(await h.call('units', 'updateUnit', { unitId: u._id, type: 'other' }, XJB_ADMIN))).toBe('AUTH.FORBIDDEN');
    // District units are the district's to edit, not a linked community's.
    expect(codeOf(await h.call('units', 'updateUnit', { unitId: U.hospital, type: 'other' }, PX_ADMIN))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('units', 'registerUnit', { homeRegionId: R.peixin, name: '居民自建单位', type: 'other' }, P.residentPeixin.openid))).toBe('AUTH.FORBIDDEN');
    expect(await snapshot(h)).toBe(before);
    // A community admin reads a unit linked to their community, not others.
    expect(dataOf(await h.call('units', 'getUnit', { unitId: U.hospital }, PX_ADMIN)).name).toBe('汉滨区第一人民医院');
    expect(codeOf(await h.call('units', 'getUnit', { unitId: U.bank }, PX_ADMIN))).toBe('AUTH.FORBIDDEN');
  });

  test('a unit contact, invited by code, sees their own unit and its matters, and nothing of another unit', async () => {
    const inv = dataOf(await h.call('units', 'inviteContact', { unitId: U.bank }, DISTRICT));
    expect(codeOf(await h.call('units', 'inviteContact', { unitId: U.bank }, PX_ADMIN))).toBe('AUTH.FORBIDDEN');
    const me = await redeem(h, inv.code, 'openid-bank-contact', '钱多多');
    expect(me.member.grants).toEqual([{ role: 'unit_contact', regionId: R.hanbin, regionName: '汉滨农商银行江北支行', unitId: U.bank }]);
    const BANK = 'openid-bank-contact';
    expect(dataOf(await h.call('units', 'myUnits', {}, BANK)).items).toEqual([{ _id: U.bank, name: '汉滨农商银行江北支行' }]);
    expect(dataOf(await h.call('units', 'getUnit', { unitId: U.bank }, BANK))).toMatchObject({ _id: U.bank, matters: [] });
    // The other unit's contact, and the other way round.
    expect(codeOf(await h.call('units', 'getUnit', { unitId: U.hospital }, BANK))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('units', 'getUnit', { unitId: U.bank }, CONTACT))).toBe('AUTH.FORBIDDEN');
    const before = await snapshot(h);
    expect(codeOf(await h.call('units', 'updateUnit', { unitId: U.bank, name: '改名' }, BANK))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('units', 'linkCommunity', { unitId: U.bank, communityId: R.peixin }, BANK))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('units', 'inviteContact', { unitId: U.bank }, BANK))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('units', 'listUnits', { regionId: R.hanbin }, BANK))).toBe('AUTH.FORBIDDEN');
    expect(await snapshot(h)).toBe(before);
  });

  test('a community admin gives a matter its lead and supporting units (linked units only); each unit lists its matters', async () => {
    const m = await addMatter(h, 'px-lights', 'peixin', '老旧楼栋楼道照明改造');
    const other = await addMatter(h, 'xjb-market', 'xiaojiaba', '富民市场改造提升');
    const set = (input: object, who = PX_ADMIN) => h.call('units', 'assignMatterUnits', { matterId: m, ...input }, who);
    expect(dataOf(await set({ leadUnitId: U.hospital, supportUnitIds: [U.housing, U.property] }))).toEqual({ matterId: m, leadUnitId: U.hospital, supportUnitIds: [U.housing, U.property] });
    const rows = dataOf(await h.call('units', 'getUnit', { unitId: U.hospital }, CONTACT)).matters;
    expect(rows).toEqual([{ matterId: m, title: '老旧楼栋楼道照明改造', communityId: R.peixin, communityName: '培新街社区', year: 2025, role: 'lead', state: 'planning', progress: 0 }]);

    const before = await snapshot(h);
    expect(codeOf(await set({ leadUnitId: U.hospital, supportUnitIds: [U.hospital] }))).toBe('UNITS.LEAD_ALSO_SUPPORT');
    expect(codeOf(await set({ leadUnitId: U.bank, supportUnitIds: [] }))).toBe('UNITS.NOT_LINKED'); // the bank serves 肖家坝 only
    expect(codeOf(await set({ leadUnitId: 'unit-nope', supportUnitIds: [] }))).toBe('UNITS.NOT_LINKED');
    expect(codeOf(await set({ leadUnitId: null, supportUnitIds: [U.housing, U.housing] }))).toBe('UNITS.DUPLICATE_SUPPORT');
    expect(codeOf(await set({ leadUnitId: U.hospital, supportUnitIds: [] }, XJB_ADMIN))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await set({ leadUnitId: U.hospital, supportUnitIds: [] }, CONTACT))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await set({ leadUnitId: U.hospital, supportUnitIds: [] }, DISTRICT))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('units', 'assignMatterUnits', { matterId: other, leadUnitId: U.property, supportUnitIds: [] }, XJB_ADMIN))).toBe('UNITS.NOT_LINKED');
    // Unlinking a community the unit works for is refused while it does.
    expect(codeOf(await h.call('units', 'unlinkCommunity', { unitId: U.hospital, communityId: R.peixin }, DISTRICT))).toBe('UNITS.LINK_IN_USE');
    expect(await snapshot(h)).toBe(before);

    const board = dataOf(await h.call('units', 'communityMatters', { communityId: R.peixin, year: 2025 }, PX_ADMIN)).items;
    expect(board).toEqual([{ matterId: m, title: '老旧楼栋楼道照明改造', state: 'planning', progress: 0, lead: { _id: U.hospital, name: '汉滨区第一人民医院' }, supports: [{ _id: U.housing, name: '汉滨区住房和城乡建设局' }, { _id: U.property, name: '培新物业服务有限公司' }] }]);
    expect(codeOf(await h.call('units', 'communityMatters', { communityId: R.peixin, year: 2025 }, XJB_ADMIN))).toBe('AUTH.FORBIDDEN');

    // Swap: the housing bureau leads, the hospital steps out; links follow.
    dataOf(await set({ leadUnitId: U.housing, supportUnitIds: [] }));
    expect(dataOf(await h.call('units', 'getUnit', { unitId: U.hospital }, CONTACT)).matters).toEqual([]);
    expect(dataOf(await h.call('units', 'getUnit', { unitId: U.housing }, DISTRICT)).matters.map((r: { role: string }) => r.role)).toEqual(['lead']);
    const links = (await h.services.store.collection(matterUnitLinks).find({ where: { matterId: m } })).items;
    expect(links.map((l) => [l._id, l.role])).toEqual([[`mu:${m}:${U.housing}`, 'lead']]);
    const stored = await h.services.store.collection(matters).get(m);
    expect(stored).toMatchObject({ leadUnitId: U.housing, supportUnitIds: [] });
    // Now the hospital may leave 培新街社区 (its 兼职委员 there loses the community too).
    const after = dataOf(await h.call('units', 'unlinkCommunity', { unitId: U.hospital, communityId: R.peixin }, DISTRICT));
    expect(after.communityIds).toEqual([R.xiaojiaba]);
    expect(await h.services.store.collection(unitLinks).get(`link:${U.hospital}:${R.peixin}`)).toBeNull();
  });
});
