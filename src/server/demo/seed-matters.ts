/**
 * Demo demand lists (需求清单) for this year: 肖家坝社区, where 富民市场改造提升 has the widest support, and
 * 培新街社区, where the 孝义食堂 is among the demands. Neighbours' suggestions come in from household
 * visits; the community admin adopts them with the matters actions themselves, so every counter is what
 * the product would keep. Run directly, not through dispatch: seeding is not a staff action and writes no
 * audit entries. Fixed ids and request ids: seeding again adds nothing.
 */
import { isAppError } from '../../lib/errors';
import type { ActionContext, Services } from '../action';
import { members } from '../../features/members/members.collections';
import { mattersArea } from '../../features/matters/matters.actions';
import { mattersContract } from '../../features/matters/matters.schema';
import { slates } from '../../features/matters/matters.collections';
import { slateId } from '../../features/matters/actions/procedure';
import { shanghaiDay } from '../../lib/time';
import { fileSuggestion, suggestionIdFor } from '../../features/suggestions/suggestions.service';
import type { Category } from '../../features/suggestions/suggestions.schema';
import { DEMO_PEOPLE, REGION_IDS as R, type DemoPerson } from './demo-data';

interface Voice {
  key: string;
  name: string;
  address: string;
  text: string;
  category: Category;
}

interface DemoDemand {
  key: string;
  communityId: string;
  admin: DemoPerson;
  /** Entered from a council meeting or a questionnaire, with its note; absent: the first voice's suggestion becomes the demand. */
  entered?: { title: string; description: string; category: Category; note: string };
  title: string;
  voices: Voice[];
}

const XJB = DEMO_PEOPLE.adminXiaojiaba;
const PX = DEMO_PEOPLE.adminPeixin;

const DEMANDS: DemoDemand[] = [
  {
    key: 'xjb-market', communityId: R.xiaojiaba, admin: XJB, title: '富民市场改造提升',
    entered: { title: '富民市场改造提升', description: '市场地面破损、排水不畅，摊位占道，早市时段人车混行；居民希望整体改造、规范摊位。', category: '市场商户', note: '2025年第一次居民议事会上多位居民代表提出' },
    voices: [
      { key: 'm1', name: '吴桂兰', address: '8栋2单元', category: '市场商户', text: '富民市场里面地面坑坑洼洼，下雨天到处是积水，买菜鞋都湿透了。' },
      { key: 'm2', name: '郑永福', address: '3栋1单元', category: '市场商户', text: '富民市场门口摊位占道，早上电动车和行人挤在一起，很危险。' },
      { key: 'm3', name: '冯秀珍', address: '11栋3单元', category: '环境卫生', text: '市场排水沟堵了，夏天味道特别大，希望改造一下下水。' },
      { key: 'm4', name: '曹德明', address: '6栋1单元', category: '市场商户', text: '建议把富民市场重新规划一下，摊位分区，再搞个停车的地方。' },
      { key: 'm5', name: '彭玉梅', address: '15栋2单元', category: '市场商户', text: '富民市场顶棚漏雨，老人买菜滑倒过好几次了。' },
    ],
  },
  {
    key: 'xjb-riverside', communityId: R.xiaojiaba, admin: XJB, title: '汉江步道增设垃圾桶和路灯',
    voices: [
      { key: 'r1', name: '蒋志强', address: '2栋1单元', category: '环境卫生', text: '汉江步道垃圾桶太少，周末散步的人多，垃圾满地都是。' },
      { key: 'r2', name: '沈丽华', address: '9栋2单元', category: '公共设施', text: '江边步道晚上太黑了，希望装几盏路灯，再多放几个垃圾桶。' },
    ],
  },
  {
    key: 'px-canteen', communityId: R.peixin, admin: PX, title: '孝义食堂（老年助餐点）',
    entered: { title: '孝义食堂（老年助餐点）', description: '社区独居、留守老人多，中午吃饭难；建议办孝义食堂，75岁以上2元、60–74岁5元。', category: '养老助餐', note: '需求调查问卷中“老年助餐点”选择人数最多' },
    voices: [
      { key: 'c1', name: '韩淑芬', address: '1栋1单元', category: '养老助餐', text: '老伴走了以后一个人做饭不方便，社区能不能办个老年食堂。' },
      { key: 'c2', name: '魏长顺', address: '7栋2单元', category: '养老助餐', text: '希望有个助餐点，中午能吃口热饭，价格便宜些。' },
    ],
  },
  {
    key: 'px-stairs', communityId: R.peixin, admin: PX, title: '老旧楼栋楼道照明改造',
    voices: [
      { key: 's1', name: '邓国庆', address: '2栋3单元', category: '公共设施', text: '2栋楼道灯全坏了，晚上上楼只能打手电，老人摔过一次。' },
    ],
  },
];

/** Suggestions this seed files (besides the suggestion box's own demo set). */
export const DEMO_MATTERS_SUGGESTION_COUNT = DEMANDS.reduce((n, d) => n + d.voices.length, 0);

const neighbourId = (communityId: string, key: string) => `demo-neighbour-${communityId}-${key}`;

async function asAdmin(services: Services, person: DemoPerson): Promise<ActionContext> {
  const member = await services.store.collection(members).get(person.memberId);
  if (!member) throw new Error(`demo demand list: ${person.memberId} is not seeded`);
  return { ...services, caller: { openid: person.openid, member }, grants: member.grants, requestId: 'seed-matters' };
}

/** null when the suggestion is already on the list (an earlier start). */
async function adopt(ctx: ActionContext, input: { suggestionId: string; into: string | null; title?: string }): Promise<string | null> {
  try {
    return (await mattersArea.actions.adoptSuggestion.run(mattersContract.adoptSuggestion.input.parse(input), ctx)).demandId;
  } catch (e) {
    if (isAppError(e) && e.code === 'MATTERS.ALREADY_ADOPTED') return null;
    throw e;
  }
}

export async function seedDemoMatters(services: Services): Promise<void> {
  const now = services.now().toISOString();
  const ids = new Map<string, string>();
  for (const d of DEMANDS) {
    const sids: string[] = [];
    for (const v of d.voices) {
      const author = neighbourId(d.communityId, v.key);
      const id = suggestionIdFor(author, `demo-seed-${d.key}-${v.key}`);
      await fileSuggestion(services.store, id, {
        communityId: d.communityId, districtId: R.hanbin, cityId: R.city,
        author: { id: author, openid: '', name: v.name, phone: null, address: v.address },
        showName: false, source: 'visit', category: v.category, text: v.text, now,
      });
      sids.push(id);
    }
    const ctx = await asAdmin(services, d.admin);
    let demandId: string | null;
    let rest = sids;
    if (d.entered) {
      const input = mattersContract.createDemand.input.parse({ requestId: `demo-seed-${d.key}`, communityId: d.communityId, ...d.entered });
      demandId = (await mattersArea.actions.createDemand.run(input, ctx))._id;
    } else {
      demandId = await adopt(ctx, { suggestionId: sids[0]!, into: null, title: d.title });
      if (!demandId) continue; // seeded on an earlier start (the procedure below then exists too)
      rest = sids.slice(1);
    }
    for (const sid of rest) await adopt(ctx, { suggestionId: sid, into: demandId });
    ids.set(d.key, demandId);
  }
  await seedXiaojiabaProcedure(services, ids);
}

const DAY = 24 * 3600_000;

/**
 * 肖家坝社区's year so far: a council meeting three weeks ago backed the market, the four deliberations
 * followed, and the draft list is in 公示 now (residents can object). Skipped once the slate exists.
 */
async function seedXiaojiabaProcedure(services: Services, ids: Map<string, string>): Promise<void> {
  const market = ids.get('xjb-market');
  const riverside = ids.get('xjb-riverside');
  const now = services.now();
  const year = Number(shanghaiDay(now).slice(0, 4));
  if (!market || !riverside || (await services.store.collection(slates).get(slateId(R.xiaojiaba, year)))) return;
  const ctx = await asAdmin(services, XJB);
  const A = mattersArea.actions;
  const C = mattersContract;
  const meeting = await A.scheduleMeeting.run(C.scheduleMeeting.input.parse({
    requestId: 'demo-seed-xjb-council', communityId: R.xiaojiaba, title: '肖家坝社区居民议事会', place: '肖家坝社区党群服务中心',
    startsAt: new Date(now.getTime() - 21 * DAY).toISOString(), agenda: [{ title: '富民市场改造提升', demandId: market }, { title: '汉江步道增设垃圾桶和路灯', demandId: riverside }],
  }), ctx);
  await A.countAttendees.run(C.countAttendees.input.parse({ id: meeting._id, countedByHand: 26 }), ctx);
  await A.recordOutcome.run(C.recordOutcome.input.parse({ id: meeting._id, item: 0, outcome: 'adopted', votes: { support: 24, oppose: 1, abstain: 1 } }), ctx);
  await A.recordOutcome.run(C.recordOutcome.input.parse({ id: meeting._id, item: 1, outcome: 'adopted', votes: { support: 19, oppose: 3, abstain: 4 } }), ctx);
  await A.closeMeeting.run(C.closeMeeting.input.parse({ id: meeting._id, minutes: '到会 26 人。富民市场改造提升、汉江步道增设垃圾桶和路灯两项议题表决通过，列入需求清单。' }), ctx);
  const items = [market, riverside];
  const votes = (n: number) => Object.fromEntries(items.map((id) => [id, { for: n, against: 0, abstain: 0 }]));
  const steps = [['proposal', 14, 7, 7], ['consultation', 12, 9, 9], ['review', 9, 31, 28], ['resolution', 6, 36, 30]] as const;
  for (const [step, daysAgo, expected, present] of steps) {
    await A.recordStep.run(C.recordStep.input.parse({
      communityId: R.xiaojiaba, year, step, date: shanghaiDay(new Date(now.getTime() - daysAgo * DAY)), expected, present, votes: votes(present),
      reasons: step === 'proposal' ? { [market]: '居民议事会 24 票赞成，群众呼声最高', [riverside]: '投入小、见效快，沿江居民普遍受益' } : {},
      minutes: `${step === 'resolution' ? '居民代表会议' : '会议'}讨论并表决通过`,
    }), ctx);
  }
  await A.startPublicity.run(C.startPublicity.input.parse({ communityId: R.xiaojiaba, year }), ctx);
}
