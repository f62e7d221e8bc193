/**
 * A realistic suggestion box for the bench: N suggestions over the five demo communities, thousands of
 * invented authors, a year of history, the status mix of a working inbox. Records have the shape
 * suggestions.submit writes (and the later reply/status actions leave behind); the builder below uses
 * the feature's own id and timeline helpers so the shapes cannot drift apart silently.
 */
import { DEMO_PEOPLE, DEMO_REGIONS } from '../../src/server/demo/demo-data';
import type { Fields, Store } from '../../src/server/store/store';
import { suggestions } from '../../src/features/suggestions/suggestions.collections';
import { CATEGORIES, Suggestion, type Category, type Status, type TimelineEntry } from '../../src/features/suggestions/suggestions.schema';
import {
  addressOf, duplicateEntry, minutesBetween, receivedEntry, replyEntry, staffLabel, statusEntry, suggestionId,
} from '../../src/features/suggestions/suggestions.rules';
import { pick, rng, weighted } from './rng';

type Doc = Fields<Suggestion>;

export interface Community {
  id: string;
  name: string;
  districtId: string;
  cityId: string;
}

export const COMMUNITIES: Community[] = DEMO_REGIONS.filter((r) => r.kind === 'community').map((r) => ({
  id: r._id,
  name: r.name,
  cityId: r.path[0]!,
  districtId: r.path[1]!,
}));

interface Author {
  memberId: string;
  openid: string;
  name: string;
  phone: string | null;
  address: string | null;
  community: Community;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '秀兰建国明芳磊伟静丽军强敏娟勇艳杰涛超霞平刚桂英华玉珍凤海燕红梅志文斌鹏飞雪松林波宁浩辉晨阳云峰春兰淑琴德福永康';

const PLACES = ['小区南门', '3号楼前', '菜市场门口', '社区广场', '幼儿园路口', '老年活动中心', '江堤步道', '公交站台', '停车棚', '垃圾分类点', '健身器材区', '卫生服务站'];

/** Per category: what residents actually write about. */
const TOPICS: Record<Category, string[]> = {
  环境卫生: ['垃圾桶经常满溢，夏天气味很大，希望增加清运次数', '楼道堆放杂物多年无人清理，存在消防隐患', '绿化带里有积水，蚊子很多，请安排清理', '小广告贴满了单元门，希望统一清理并设置公告栏'],
  道路交通: ['路口没有红绿灯，老人孩子过马路很危险', '人行道砖松动，下雨天踩上去溅一身水', '早晚高峰车辆乱停，消防通道被堵', '路灯坏了两个多月，晚上回家很黑'],
  养老助餐: ['希望社区食堂增加软烂一点的菜，方便牙口不好的老人', '独居老人吃饭不方便，能否提供送餐上门', '助餐点开饭时间太早，希望推迟半小时', '希望助餐点每周公布菜单和价格'],
  医疗健康: ['希望定期组织义诊，量血压测血糖', '卫生服务站周末不开门，看病不方便', '建议给行动不便的老人提供上门随访', '希望开展高血压糖尿病健康讲座'],
  文体活动: ['广场舞音响声音太大，影响休息，希望规定时间', '希望增加儿童活动场地和设施', '建议组织象棋比赛和书法交流活动', '活动室能否晚上开放到九点'],
  市场商户: ['菜市场地面湿滑，希望铺防滑垫', '有商户占道经营，影响通行', '希望菜市场设置公平秤', '早市结束后垃圾遗留较多'],
  物业管理: ['电梯经常故障，希望物业加强维保', '物业费收支不透明，希望定期公示', '小区门禁坏了，外来人员随意进出', '楼顶漏水，多次报修没有处理'],
  公共设施: ['健身器材损坏，存在安全隐患，请尽快维修', '希望加装电动车充电桩，避免飞线充电', '休息座椅太少，老人走累了没地方坐', '公共厕所缺少扶手和无障碍设施'],
  其他: ['希望社区微信群及时发布停水停电通知', '建议设立便民服务点，提供修鞋配钥匙', '希望加强夜间巡逻', '能否开设智能手机使用培训班'],
};

const REPLIES = ['已联系相关部门，将于本周内处理完毕', '感谢您的建议，已安排网格员实地查看', '已协调物业公司落实整改，请持续关注', '该问题已列入本季度工作计划'];
const REASONS = ['正在与物业和相关部门协商', '已纳入年度实事候选清单', '经核实已由其他部门处理完毕', '需要进一步调查核实'];

const DAY_MS = 86_400_000;
const authorsPerCommunity = 1600;

function buildAuthors(r: () => number): Author[] {
  const authors: Author[] = [];
  for (const c of COMMUNITIES) {
    for (let n = 0; n < authorsPerCommunity; n++) {
      const name = pick(r, [...SURNAMES]) + pick(r, [...GIVEN]) + (r() < 0.6 ? pick(r, [...GIVEN]) : '');
      authors.push({
        memberId: `bench-m-${c.id}-${n}`,
        openid: `bench-openid-${c.id}-${n}`,
        name,
        phone: r() < 0.85 ? `13${Math.floor(r() * 1e9).toString().padStart(9, '0')}` : null,
        address: addressOf(`${1 + Math.floor(r() * 30)}栋`, `${1 + Math.floor(r() * 4)}单元`),
        community: c,
      });
    }
  }
  return authors;
}

/** The demo residents (who sign in through /auth/demo) get a realistic history of their own. */
function demoAuthors(): { author: Author; count: number }[] {
  const byId = new Map(COMMUNITIES.map((c) => [c.id, c]));
  const people = [DEMO_PEOPLE.residentPeixin, DEMO_PEOPLE.residentXiaojiaba, DEMO_PEOPLE.adminPeixin];
  return people.map((p) => {
    const g = p.grants.find((x) => x.role === 'resident')!;
    const grant = g as { regionId: string; building?: string; unit?: string };
    return {
      author: {
        memberId: p.memberId,
        openid: p.openid,
        name: p.name,
        phone: p.phone,
        address: addressOf(grant.building, grant.unit),
        community: byId.get(grant.regionId)!,
      },
      count: p === DEMO_PEOPLE.adminPeixin ? 8 : 30,
    };
  });
}

const STATUS_MIX: [Status, number][] = [
  ['received', 40],
  ['under_review', 15],
  ['replied', 28],
  ['adopted', 8],
  ['closed', 6],
  ['duplicate', 3],
];

export interface Built {
  id: string;
  doc: Doc;
}

/** Builds suggestion #i deterministically (same `seed` → same data set). */
export function buildSuggestion(r: () => number, i: number, author: Author, now: number, prev: string | null): Built {
  const c = author.community;
  const category = pick(r, CATEGORIES);
  const place = r() < 0.6 ? pick(r, PLACES) : null;
  const text = `${place ? `${place}：` : ''}${pick(r, TOPICS[category])}。${r() < 0.3 ? '谢谢社区！' : ''}`;
  const created = now - Math.floor(r() * 365 * DAY_MS) - 60_000;
  const createdAt = new Date(created).toISOString();
  const status = weighted(r, STATUS_MIX);
  const by = staffLabel(c.name);
  const later = (after: number) => Math.min(now - 1000, after + Math.floor((0.1 + r() * 12) * DAY_MS));
  const timeline: TimelineEntry[] = [receivedEntry(createdAt)];
  let firstReplyAt: string | null = null;
  let duplicateOf: string | null = null;
  let t = created;
  if (status === 'under_review' || status === 'closed') {
    t = later(t);
    timeline.push(statusEntry(new Date(t).toISOString(), status, pick(r, REASONS), by));
  } else if (status === 'replied' || status === 'adopted') {
    t = later(t);
    firstReplyAt = new Date(t).toISOString();
    timeline.push(replyEntry(firstReplyAt, 'replied', pick(r, REPLIES), by));
    if (status === 'adopted') {
      t = later(t);
      timeline.push(statusEntry(new Date(t).toISOString(), 'adopted', pick(r, REASONS), by));
    }
  } else if (status === 'duplicate' && prev) {
    t = later(t);
    duplicateOf = prev;
    timeline.push(duplicateEntry(new Date(t).toISOString(), prev, by));
  }
  const finalStatus: Status = status === 'duplicate' && !prev ? 'received' : status;
  const photoCount = r() < 0.35 ? 1 + Math.floor(r() * 3) : 0;
  const requestId = `bench${i.toString().padStart(8, '0')}`;
  const doc: Doc = {
    communityId: c.id,
    districtId: c.districtId,
    cityId: c.cityId,
    authorId: author.memberId,
    authorOpenid: author.openid,
    authorName: author.name,
    authorPhone: author.phone,
    authorAddress: author.address,
    showName: r() < 0.3,
    source: 'box',
    category,
    text,
    place,
    // Invented ids: only the inbox (photo counts) reads them. The demo residents' own records have
    // none, because `mine` turns photo ids into URLs.
    photos: author.memberId.startsWith('bench-') ? Array.from({ length: photoCount }, (_, k) => `bench/photos/${requestId}-${k}.jpg`) : [],
    status: finalStatus,
    duplicateOf,
    timeline,
    createdAt,
    updatedAt: new Date(t).toISOString(),
    firstReplyAt,
    firstReplyMinutes: firstReplyAt ? minutesBetween(createdAt, firstReplyAt) : null,
  };
  return { id: suggestionId(author.memberId, requestId), doc };
}

/**
 * Inserts `count` suggestions through the store port, `batch` per transaction (one fsync each).
 */
export async function bulkInsertSuggestions(
  store: Store,
  count: number,
  opts: { now?: number; seed?: number; batch?: number } = {},
): Promise<{ inserted: number; ms: number }> {
  const now = opts.now ?? Date.now();
  const r = rng(opts.seed ?? 20250101);
  const batch = opts.batch ?? 20_000;
  const authors = buildAuthors(r);
  const demo = demoAuthors();
  const demoTotal = demo.reduce((s, d) => s + d.count, 0);
  const lastIn = new Map<string, string>();
  const started = performance.now();
  let i = 0;
  // Demo residents first, then everyone else.
  const authorOf = (n: number): Author => {
    let k = n;
    for (const d of demo) {
      if (k < d.count) return d.author;
      k -= d.count;
    }
    return authors[Math.floor(r() * authors.length)]!;
  };
  while (i < count) {
    const end = Math.min(count, i + batch);
    await store.transaction(async (tx) => {
      const col = tx.collection(suggestions);
      for (; i < end; i++) {
        const author = authorOf(i);
        const { id, doc } = buildSuggestion(r, i, author, now, lastIn.get(author.community.id) ?? null);
        if (i === 0 || i === demoTotal) Suggestion.parse({ _id: id, ...doc });
        await col.insert(doc, { id });
        // Duplicates point at an earlier suggestion that is not itself a duplicate, as markDuplicate requires.
        if (doc.status !== 'duplicate') lastIn.set(author.community.id, id);
      }
    });
  }
  return { inserted: count, ms: performance.now() - started };
}
