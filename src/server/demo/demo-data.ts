import type { Region } from '../../features/regions/regions.schema';
import type { Grant } from '../../features/members/members.schema';

/** Demo regions use the campaign's real place names; every person below is invented. */
export const REGION_IDS = {
  city: 'city-ankang',
  hanbin: 'dist-hanbin',
  hanyin: 'dist-hanyin',
  laocheng: 'street-laocheng',
  jiangbei: 'street-jiangbei',
  chengguan: 'street-chengguan',
  peixin: 'comm-peixin',
  laochengComm: 'comm-laocheng',
  xiaojiaba: 'comm-xiaojiaba',
  dongcheng: 'comm-dongcheng',
  yucai: 'comm-yucai',
  peixinGrid1: 'grid-peixin-1',
  peixinGrid2: 'grid-peixin-2',
  xiaojiabaGrid1: 'grid-xiaojiaba-1',
} as const;

const R = REGION_IDS;
const node = (_id: string, kind: Region['kind'], name: string, parent: Region | null): Region => ({
  _id,
  kind,
  name,
  parentId: parent?._id ?? null,
  path: [...(parent?.path ?? []), _id],
});

const city = node(R.city, 'city', '安康市', null);
const hanbin = node(R.hanbin, 'district', '汉滨区', city);
const hanyin = node(R.hanyin, 'district', '汉阴县', city);
const laocheng = node(R.laocheng, 'street', '老城街道', hanbin);
const jiangbei = node(R.jiangbei, 'street', '江北街道', hanbin);
const chengguan = node(R.chengguan, 'street', '城关镇', hanyin);
const peixin = node(R.peixin, 'community', '培新街社区', laocheng);
const laochengComm = node(R.laochengComm, 'community', '老城社区', laocheng);
const xiaojiaba = node(R.xiaojiaba, 'community', '肖家坝社区', jiangbei);
const dongcheng = node(R.dongcheng, 'community', '东城社区', chengguan);
const yucai = node(R.yucai, 'community', '育才社区', chengguan);

export const DEMO_REGIONS: Region[] = [
  city, hanbin, hanyin, laocheng, jiangbei, chengguan, peixin, laochengComm, xiaojiaba, dongcheng, yucai,
  node(R.peixinGrid1, 'grid', '第一网格', peixin),
  node(R.peixinGrid2, 'grid', '第二网格', peixin),
  node(R.xiaojiabaGrid1, 'grid', '第一网格', xiaojiaba),
];

export interface DemoPerson {
  memberId: string;
  openid: string;
  name: string;
  phone: string;
  /** Shown on the demo sign-in page. */
  label: string;
  grants: Grant[];
}

/** openids are fixed so tests and the demo sign-in can name people. */
export const DEMO_PEOPLE = {
  residentPeixin: {
    memberId: 'm-lixiulan', openid: 'demo-resident-peixin', name: '李秀兰', phone: '13800000001',
    label: '居民 · 培新街社区',
    grants: [{ role: 'resident', regionId: R.peixin, regionName: '培新街社区', building: '3栋', unit: '2单元' }],
  },
  residentXiaojiaba: {
    memberId: 'm-chenjianguo', openid: 'demo-resident-xiaojiaba', name: '陈建国', phone: '13800000002',
    label: '居民 · 肖家坝社区',
    grants: [{ role: 'resident', regionId: R.xiaojiaba, regionName: '肖家坝社区', building: '12栋', unit: '1单元' }],
  },
  gridPeixin: {
    memberId: 'm-zhangming', openid: 'demo-grid-peixin', name: '张明', phone: '13800000003',
    label: '网格员 · 培新街社区第一网格',
    grants: [{ role: 'grid_worker', regionId: R.peixinGrid1, regionName: '培新街社区第一网格' }],
  },
  adminPeixin: {
    memberId: 'm-liufang', openid: 'demo-admin-peixin', name: '刘芳', phone: '13800000004',
    label: '社区管理员 · 培新街社区（也是居民）',
    grants: [
      { role: 'community_admin', regionId: R.peixin, regionName: '培新街社区' },
      { role: 'resident', regionId: R.peixin, regionName: '培新街社区', building: '1栋', unit: '1单元' },
    ],
  },
  adminXiaojiaba: {
    memberId: 'm-zhaolei', openid: 'demo-admin-xiaojiaba', name: '赵磊', phone: '13800000005',
    label: '社区管理员 · 肖家坝社区',
    grants: [{ role: 'community_admin', regionId: R.xiaojiaba, regionName: '肖家坝社区' }],
  },
  districtHanbin: {
    memberId: 'm-sunwei', openid: 'demo-district-hanbin', name: '孙伟', phone: '13800000006',
    label: '区级管理员 · 汉滨区',
    grants: [{ role: 'district_admin', regionId: R.hanbin, regionName: '汉滨区' }],
  },
  cityAnkang: {
    memberId: 'm-zhoujing', openid: 'demo-city-ankang', name: '周静', phone: '13800000007',
    label: '市级管理员 · 安康市',
    grants: [{ role: 'city_admin', regionId: R.city, regionName: '安康市' }],
  },
  canteenPeixin: {
    memberId: 'm-wangshufen', openid: 'demo-canteen-peixin', name: '王淑芬', phone: '13800000008',
    label: '食堂工作人员 · 培新街社区孝义食堂',
    grants: [{ role: 'canteen_staff', regionId: R.peixin, regionName: '培新街社区孝义食堂', canteenId: 'canteen-peixin' }],
  },
  canteenXiaojiaba: {
    memberId: 'm-huangli', openid: 'demo-canteen-xiaojiaba', name: '黄丽', phone: '13800000009',
    label: '食堂工作人员 · 肖家坝社区孝义食堂',
    grants: [{ role: 'canteen_staff', regionId: R.xiaojiaba, regionName: '肖家坝社区孝义食堂', canteenId: 'canteen-xiaojiaba' }],
  },
  leaderHanbin: {
    memberId: 'm-hezhiyuan', openid: 'demo-leader-hanbin', name: '何志远', phone: '13800000010',
    label: '认领领导 · 汉滨区',
    grants: [{ role: 'leader', regionId: R.hanbin, regionName: '汉滨区' }],
  },
  unitContactHospital: {
    memberId: 'm-maqing', openid: 'demo-unit-hospital', name: '马青', phone: '13800000011',
    label: '共建单位联系人 · 汉滨区第一人民医院',
    grants: [{ role: 'unit_contact', regionId: R.hanbin, regionName: '汉滨区第一人民医院', unitId: 'unit-demo-hospital' }],
  },
} satisfies Record<string, DemoPerson>;

/**
 * 老城社区's people for the demo of a matter carried out (seed-progress.ts): its admin, and a resident who has
 * not rated yet. Seeded by `npm start` / `npm run seed` only, not into every test store (see seedDemoProgress).
 */
export const DEMO_STORY_PEOPLE = {
  adminLaocheng: {
    memberId: 'm-tangjing', openid: 'demo-admin-laocheng', name: '唐静', phone: '13800000012',
    label: '社区管理员 · 老城社区',
    grants: [{ role: 'community_admin', regionId: R.laochengComm, regionName: '老城社区' }],
  },
  residentLaocheng: {
    memberId: 'm-yangguihua', openid: 'demo-resident-laocheng', name: '杨桂花', phone: '13800000013',
    label: '居民 · 老城社区',
    grants: [{ role: 'resident', regionId: R.laochengComm, regionName: '老城社区', building: '4栋', unit: '1单元' }],
  },
} satisfies Record<string, DemoPerson>;

/** Demo canteens (孝义食堂); their elders and cards are seeded by seed-canteen.ts. */
export const CANTEEN_IDS = { peixin: 'canteen-peixin', xiaojiaba: 'canteen-xiaojiaba' } as const;

/** Signed in but not yet a member: used to try joining a community or redeeming an invitation. */
export const DEMO_NEWCOMER_OPENID = 'demo-newcomer';
