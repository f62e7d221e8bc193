/**
 * Demo suggestions: about thirty, across the five communities, in every status, with replies.
 * Contents are invented but typical of 安康 communities. Ids are fixed (author + a fixed request
 * id), so seeding again finds them and writes nothing. Times are relative to the first seeding.
 */
import type { Services } from '../action';
import type { Fields } from '../store/store';
import { suggestions } from '../../features/suggestions/suggestions.collections';
import {
  addressOf, canMove, duplicateEntry, minutesBetween, receivedEntry, replyEntry, staffLabel, statusAfterReply, statusEntry,
  suggestionId,
} from '../../features/suggestions/suggestions.rules';
import type { Category, Source, Status, Suggestion } from '../../features/suggestions/suggestions.schema';
import { DEMO_PEOPLE, DEMO_REGIONS, REGION_IDS as R, type DemoPerson } from './demo-data';

interface Author {
  authorId: string;
  authorOpenid: string;
  authorName: string;
  authorPhone: string | null;
  authorAddress: string | null;
  communityId: string;
  source: Source;
}

function resident(p: DemoPerson): Author {
  const g = p.grants.find((x) => x.role === 'resident');
  if (!g) throw new Error(`demo person ${p.memberId} is not a resident`);
  return {
    authorId: p.memberId, authorOpenid: p.openid, authorName: p.name, authorPhone: p.phone,
    authorAddress: addressOf(g.building, g.unit), communityId: g.regionId, source: 'box',
  };
}

/**
 * Neighbours without the app in the three communities that have no demo resident: grid workers
 * record their suggestions during household visits (source 'visit'). They are not members.
 */
const neighbour = (key: string, name: string, phone: string, communityId: string, address: string): Author => ({
  authorId: `demo-neighbour-${key}`, authorOpenid: '', authorName: name, authorPhone: phone, authorAddress: address, communityId, source: 'visit',
});

const A = {
  li: resident(DEMO_PEOPLE.residentPeixin),
  liu: resident(DEMO_PEOPLE.adminPeixin),
  chen: resident(DEMO_PEOPLE.residentXiaojiaba),
  wang: neighbour('wangguifang', '王桂芳', '13900001001', R.laochengComm, '5栋1单元'),
  zhang: neighbour('zhangdehou', '张德厚', '13900001002', R.laochengComm, '老街18号'),
  yang: neighbour('yangdeming', '杨德明', '13900001003', R.dongcheng, '2栋3单元'),
  he: neighbour('hexiuying', '何秀英', '13900001004', R.dongcheng, '7栋1单元'),
  luo: neighbour('luojianhua', '罗建华', '13900001005', R.yucai, '育才路6号院'),
  zhou: neighbour('zhouyulan', '周玉兰', '13900001006', R.yucai, '4栋2单元'),
};

/** What staff did, `h` hours after the suggestion came in. */
type Step =
  | { h: number; reply: string }
  | { h: number; status: 'under_review' | 'adopted' | 'closed'; reason: string }
  | { h: number; duplicateOf: string };

interface Demo {
  key: string;
  by: Author;
  category: Category;
  text: string;
  place?: string;
  showName?: boolean;
  daysAgo: number;
  steps?: Step[];
}

const DEMOS: Demo[] = [
  // 培新街社区 — 李秀兰
  { key: 'px-lamp', by: A.li, category: '公共设施', text: '3栋和5栋之间的路灯坏了快一个月了，晚上老人出门散步看不清路，很不安全。', place: '3栋与5栋之间', daysAgo: 40,
    steps: [{ h: 20, reply: '已联系供电所，路灯已于今天下午修复，感谢您的反馈。' }] },
  { key: 'px-clutter', by: A.li, category: '环境卫生', text: '2单元楼道里堆了很多纸箱和旧家具，把消防通道都堵住了，希望尽快清理。', place: '3栋2单元楼道', daysAgo: 3,
    steps: [{ h: 5, status: 'under_review', reason: '已通知楼长，正在联系物品主人限期清理。' }] },
  { key: 'px-meals', by: A.li, category: '养老助餐', text: '社区里独居老人多，子女不在身边，建议在社区增设老年助餐点，让老人中午能吃上热饭。', showName: true, daysAgo: 60,
    steps: [
      { h: 30, reply: '感谢建议！我们正在摸排老年人就餐需求，下周入户走访。' },
      { h: 200, status: 'adopted', reason: '已纳入本年度社区“十件实事”需求清单，将与孝义食堂合作开设助餐点。' },
    ] },
  { key: 'px-gym', by: A.li, category: '公共设施', text: '社区广场的健身器材有两件坏了，扶手松动，担心有人锻炼时受伤。', place: '社区广场', daysAgo: 12,
    steps: [{ h: 48, reply: '已上报街道，更换配件已到货，本周内修复，修好前已拉警示带。' }] },
  { key: 'px-puddle', by: A.li, category: '道路交通', text: '培新街巷口一下雨就积水，路面坑坑洼洼，电动车经过容易滑倒。', place: '培新街巷口', daysAgo: 1 },
  { key: 'px-dance', by: A.li, category: '文体活动', text: '希望周末晚上在广场组织一些广场舞或者戏曲活动，丰富大家的业余生活。', daysAgo: 25,
    steps: [{ h: 72, status: 'closed', reason: '社区每周六晚已有“汉调二黄”票友活动和广场舞，欢迎参加，本条建议关闭。' }] },
  { key: 'px-lift', by: A.li, category: '物业管理', text: '3栋电梯这个月停了三次，物业维修很慢，老人上下楼很困难。', place: '3栋', daysAgo: 15,
    steps: [
      { h: 10, reply: '已约谈物业公司，要求48小时内修复并说明原因。' },
      { h: 30, status: 'under_review', reason: '物业承诺更换电梯主板，社区持续跟进。' },
    ] },
  { key: 'px-clinic', by: A.li, category: '医疗健康', text: '希望社区卫生站能定期给老人免费量血压、测血糖。', daysAgo: 0.3 },
  // 培新街社区 — 刘芳（以居民身份）
  { key: 'px-gym-2', by: A.liu, category: '公共设施', text: '广场健身器材坏了，单杠晃得厉害，请安排维修。', place: '社区广场', daysAgo: 11,
    steps: [{ h: 6, duplicateOf: 'px-gym' }] },
  { key: 'px-market', by: A.liu, category: '市场商户', text: '菜市场门口早上占道经营，车辆和行人都很难通过。', place: '培新街菜市场', daysAgo: 6,
    steps: [{ h: 20, status: 'under_review', reason: '已联系市场监管所和城管中队联合劝导。' }] },
  { key: 'px-bins', by: A.liu, category: '环境卫生', text: '垃圾分类投放点气味很大，夏天蚊蝇多，建议增加清运次数。', daysAgo: 20,
    steps: [{ h: 26, reply: '已协调环卫所，夏季每天清运两次，并定期消杀。' }] },
  { key: 'px-canopy', by: A.liu, category: '其他', text: '建议在社区公告栏旁边加一个雨棚，下雨天也能看通知。', daysAgo: 2 },
  // 肖家坝社区 — 陈建国
  { key: 'xjb-bus', by: A.chen, category: '道路交通', text: '江北大道肖家坝公交站台没有遮雨棚，老人等车经常淋雨。', place: '肖家坝公交站', daysAgo: 30,
    steps: [{ h: 50, reply: '已向区交通运输局反映，站台改造已列入计划。' }] },
  { key: 'xjb-lamp', by: A.chen, category: '公共设施', text: '12栋附近的路灯不亮，晚上回家黑乎乎的。', place: '12栋', daysAgo: 22,
    steps: [{ h: 36, reply: '路灯线路老化，已更换，今晚起恢复照明。' }] },
  { key: 'xjb-canteen', by: A.chen, category: '养老助餐', text: '建议办一个老年食堂，独居老人做饭不方便。', showName: true, daysAgo: 50,
    steps: [
      { h: 24, reply: '感谢建议，社区正在寻找合适场地。' },
      { h: 300, status: 'adopted', reason: '已纳入需求清单，计划与共建单位合作开办。' },
    ] },
  { key: 'xjb-riverside', by: A.chen, category: '环境卫生', text: '汉江边步道垃圾桶太少，周末垃圾满地。', place: '汉江步道', daysAgo: 18,
    steps: [{ h: 40, status: 'closed', reason: '江边步道由区城管局管理，已转交并告知居民，本条关闭。' }] },
  { key: 'xjb-stairs', by: A.chen, category: '物业管理', text: '我们是老旧小区，没有物业，楼道灯坏了没人修。', place: '12栋1单元', daysAgo: 4,
    steps: [{ h: 8, status: 'under_review', reason: '正在对接“红色物业”试点，先由社区安排维修。' }] },
  { key: 'xjb-summer', by: A.chen, category: '文体活动', text: '希望暑假给孩子们办托管班，双职工家庭接送困难。', daysAgo: 1 },
  { key: 'xjb-clinic', by: A.chen, category: '医疗健康', text: '希望组织一次义诊，请医院的医生来社区看看老年病。', daysAgo: 35,
    steps: [{ h: 70, reply: '已联系市中心医院，下月10日在社区广场举办义诊。' }] },
  { key: 'xjb-lamp-2', by: A.chen, category: '公共设施', text: '12栋旁边的路灯又不亮了。', place: '12栋', daysAgo: 8,
    steps: [{ h: 4, duplicateOf: 'xjb-lamp' }] },
  // 老城社区 — 走访记录
  { key: 'lc-delivery', by: A.wang, category: '养老助餐', text: '老人腿脚不便，希望助餐点能送餐上门。', daysAgo: 2 },
  { key: 'lc-gym', by: A.wang, category: '公共设施', text: '老城墙根下的健身器材生锈了，有的螺丝都掉了。', place: '老城墙根广场', daysAgo: 16,
    steps: [{ h: 30, reply: '已安排维修并刷漆防锈。' }] },
  { key: 'lc-drain', by: A.zhang, category: '环境卫生', text: '老街排水沟堵塞，一下雨就返臭水。', place: '老街', daysAgo: 45,
    steps: [
      { h: 12, status: 'under_review', reason: '已请市政部门现场查看。' },
      { h: 120, status: 'adopted', reason: '管网改造已纳入需求清单。' },
    ] },
  { key: 'lc-parking', by: A.zhang, category: '道路交通', text: '巷子里乱停车，万一着火消防车都进不来。', place: '老街巷道', daysAgo: 7,
    steps: [{ h: 16, status: 'under_review', reason: '正在与交警中队商量划线停车。' }] },
  // 东城社区（汉阴县）— 走访记录
  { key: 'dc-lamp', by: A.yang, category: '公共设施', text: '小区东门的路灯不亮。', place: '东门', daysAgo: 9,
    steps: [{ h: 22, reply: '已修复。' }] },
  { key: 'dc-bp', by: A.yang, category: '医疗健康', text: '希望卫生室配一台血压计，老人可以自己测。', daysAgo: 1 },
  { key: 'dc-clutter', by: A.he, category: '环境卫生', text: '楼道里堆放杂物，还有人在楼道给电动车充电，有安全隐患。', place: '7栋', daysAgo: 14,
    steps: [{ h: 9, reply: '已联合消防站开展楼道清理和电动车充电专项检查。' }] },
  // 育才社区 — 走访记录
  { key: 'yc-reading', by: A.luo, category: '文体活动', text: '孩子放学后没地方去，建议开放社区书屋并安排志愿者看护。', daysAgo: 33,
    steps: [
      { h: 48, reply: '好建议，正在招募志愿者。' },
      { h: 260, status: 'adopted', reason: '“四点半课堂”已纳入需求清单。' },
    ] },
  { key: 'yc-school', by: A.luo, category: '道路交通', text: '育才路学校门口上下学时段特别拥堵。', place: '育才路小学门口', daysAgo: 21,
    steps: [{ h: 60, reply: '已协调交警在上下学时段设置临时管控。' }] },
  { key: 'yc-barber', by: A.zhou, category: '其他', text: '建议每月安排一次便民理发，方便行动不便的老人。', daysAgo: 3 },
];

const HOUR = 3600_000;

function build(d: Demo, now: number, idOf: (key: string) => string): Fields<Suggestion> {
  const community = DEMO_REGIONS.find((r) => r._id === d.by.communityId);
  if (!community) throw new Error(`demo suggestion ${d.key}: unknown community`);
  const by = staffLabel(community.name);
  const createdAt = new Date(now - d.daysAgo * 24 * HOUR).toISOString();
  let status: Status = 'received';
  let duplicateOf: string | null = null;
  let firstReplyAt: string | null = null;
  const timeline = [receivedEntry(createdAt)];
  let updatedAt = createdAt;
  for (const step of d.steps ?? []) {
    const at = new Date(Date.parse(createdAt) + step.h * HOUR).toISOString();
    if (Date.parse(at) > now) throw new Error(`demo suggestion ${d.key}: a step lies in the future`);
    if ('reply' in step) {
      const next = statusAfterReply(status);
      if (!next) throw new Error(`demo suggestion ${d.key}: cannot reply when ${status}`);
      status = next;
      firstReplyAt ??= at;
      timeline.push(replyEntry(at, status, step.reply, by));
    } else if ('duplicateOf' in step) {
      if (!canMove(status, 'duplicate')) throw new Error(`demo suggestion ${d.key}: cannot mark duplicate when ${status}`);
      status = 'duplicate';
      duplicateOf = idOf(step.duplicateOf);
      timeline.push(duplicateEntry(at, duplicateOf, by));
    } else {
      if (!canMove(status, step.status)) throw new Error(`demo suggestion ${d.key}: ${status} → ${step.status}`);
      status = step.status;
      timeline.push(statusEntry(at, status, step.reason, by));
    }
    updatedAt = at;
  }
  const path = community.path;
  return {
    communityId: community._id,
    districtId: path[1] ?? '',
    cityId: path[0] ?? '',
    authorId: d.by.authorId,
    authorOpenid: d.by.authorOpenid,
    authorName: d.by.authorName,
    authorPhone: d.by.authorPhone,
    authorAddress: d.by.authorAddress,
    showName: d.showName ?? false,
    source: d.by.source,
    category: d.category,
    text: d.text,
    place: d.place ?? null,
    photos: [],
    status,
    duplicateOf,
    timeline,
    createdAt,
    updatedAt,
    firstReplyAt,
    firstReplyMinutes: firstReplyAt ? minutesBetween(createdAt, firstReplyAt) : null,
  };
}

export const DEMO_SUGGESTION_COUNT = DEMOS.length;

/** Inserts the demo suggestions that are missing; never touches ones already there. */
export async function seedDemoSuggestions(services: Services): Promise<void> {
  const byKey = new Map(DEMOS.map((d) => [d.key, d]));
  const idOf = (key: string) => {
    const d = byKey.get(key);
    if (!d) throw new Error(`demo suggestion links to unknown ${key}`);
    return suggestionId(d.by.authorId, `demo-seed-${key}`);
  };
  const now = services.now().getTime();
  await services.store.transaction(async (tx) => {
    const col = tx.collection(suggestions);
    const have = new Set((await col.getMany(DEMOS.map((d) => idOf(d.key)))).map((s) => s._id));
    for (const d of DEMOS) {
      const id = idOf(d.key);
      if (!have.has(id)) await col.insert(build(d, now, idOf), { id });
    }
  });
}
