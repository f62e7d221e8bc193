/**
 * Demo co-building units (共建单位) of 汉滨区 and its communities 肖家坝社区 and 培新街社区, with their 兼职委员,
 * linked as the registry would link them (the unit's communityIds and one `units_links` document per link).
 * The demo leader (何志远) and the hospital's contact (马青) are demo people (demo-data.ts). Fixed ids: seeding
 * again adds nothing and leaves edited units alone. Every person is invented.
 */
import type { Services } from '../action';
import type { Fields } from '../store/store';
import { unitLinks, unitNames, units } from '../../features/units/units.collections';
import { unitLinkId, unitNameId } from '../../features/units/units.rules';
import type { Unit } from '../../features/units/units.schema';
import { DEMO_PEOPLE, REGION_IDS as R } from './demo-data';

const SEEDED_AT = '2025-01-01T00:00:00.000Z';
const HANBIN_PATH = [R.city, R.hanbin];

export const DEMO_UNIT_IDS = { hospital: 'unit-demo-hospital', housing: 'unit-demo-housing', bank: 'unit-demo-bank', property: 'unit-demo-property', school: 'unit-demo-school' } as const;

const U = DEMO_UNIT_IDS;
const district = { homeRegionId: R.hanbin, districtId: R.hanbin, path: HANBIN_PATH };
const DEMO_UNITS: (Fields<Unit> & { _id: string })[] = [
  { _id: U.hospital, name: '汉滨区第一人民医院', type: 'hospital', ...district, communityIds: [R.xiaojiaba, R.peixin], partyHead: { name: '王建平', communityId: R.xiaojiaba } },
  { _id: U.housing, name: '汉滨区住房和城乡建设局', type: 'agency', ...district, communityIds: [R.peixin], partyHead: { name: '李国栋', communityId: R.peixin } },
  { _id: U.bank, name: '汉滨农商银行江北支行', type: 'bank', ...district, communityIds: [R.xiaojiaba], partyHead: null },
  { _id: U.property, name: '培新物业服务有限公司', type: 'property_company', homeRegionId: R.peixin, districtId: R.hanbin, path: [R.city, R.hanbin, R.laocheng, R.peixin], communityIds: [R.peixin], partyHead: { name: '赵红梅', communityId: R.peixin } },
  { _id: U.school, name: '肖家坝小学', type: 'school', homeRegionId: R.xiaojiaba, districtId: R.hanbin, path: [R.city, R.hanbin, R.jiangbei, R.xiaojiaba], communityIds: [R.xiaojiaba], partyHead: null },
].map((u) => ({ ...u, createdBy: DEMO_PEOPLE.districtHanbin.memberId, createdAt: SEEDED_AT, updatedAt: SEEDED_AT }) as Fields<Unit> & { _id: string });

export async function seedDemoUnits(services: Services): Promise<void> {
  await services.store.transaction(async (tx) => {
    const have = new Set((await tx.collection(units).getMany(DEMO_UNITS.map((u) => u._id))).map((u) => u._id));
    for (const { _id, ...u } of DEMO_UNITS) {
      if (have.has(_id)) continue;
      await tx.collection(units).insert(u, { id: _id });
      await tx.collection(unitNames).insert({ unitId: _id }, { id: unitNameId(u.homeRegionId, u.name) });
      for (const c of u.communityIds) await tx.collection(unitLinks).insert({ unitId: _id, communityId: c, at: SEEDED_AT }, { id: unitLinkId(_id, c) });
    }
  });
}
