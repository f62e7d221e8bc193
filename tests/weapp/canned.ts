/**
 * Canned cloud-function answers for the weapp rendering layer. Each answer is parsed with the
 * action's output schema first, so the pages are fed only what the real server could send.
 * (The server itself is tested in tests/dispatch, tests/suggestions, host tests.)
 */
import type { AreaContract } from '../../src/lib/contract';
import { membersContract, type MeView } from '../../src/features/members/members.schema';
import { regionsContract } from '../../src/features/regions/regions.schema';
import { suggestionsContract, type MySuggestionView } from '../../src/features/suggestions/suggestions.schema';
import { notifyContract } from '../../src/features/notify/notify.schema';
import { mattersContract } from '../../src/features/matters/matters.schema';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import type { CloudResponder } from './simulate-env';
import { contractResponder } from './suite';

const contracts: Record<string, AreaContract> = {
  members: membersContract,
  regions: regionsContract,
  suggestions: suggestionsContract,
  notify: notifyContract,
  matters: mattersContract,
};

export type Persona = 'resident' | 'admin' | 'district' | 'newcomer';

const AT = '2025-11-20T02:00:00.000Z';
export const SUGGESTION_TEXT = '小区东门路灯坏了一个多月，晚上出行不安全';
export const REPLY_TEXT = '已联系物业，本周内更换路灯';

const PEOPLE = { resident: DEMO_PEOPLE.residentPeixin, admin: DEMO_PEOPLE.adminPeixin, district: DEMO_PEOPLE.districtHanbin } as const;

const me = (persona: Persona): MeView => {
  if (persona === 'newcomer') return { openid: 'demo-newcomer', member: null };
  const p = PEOPLE[persona];
  return { openid: p.openid, member: { _id: p.memberId, name: p.name, phoneMasked: '138****0001', grants: p.grants } };
};

/** Pages are measured at their heaviest: full pages of maximum-length items. */
const PAGE_SIZE = 20;
const LONG_TEXT = (SUGGESTION_TEXT + '，').repeat(30).slice(0, 500);
const PHOTO_URLS = Array.from({ length: 6 }, (_, i) => `cloud://test-env.7465-test-env-1/uploads/demo-resident-peixin/suggestions/1732500000000-${i}.jpg`);
const listItem = (i: number): MySuggestionView => ({
  ...mySuggestion(),
  _id: `sug-canned-${i + 1}`,
  text: i === 0 ? SUGGESTION_TEXT : LONG_TEXT,
  photoUrls: i === 0 ? [] : PHOTO_URLS,
});

const mySuggestion = (): MySuggestionView => ({
  _id: 'sug-canned-1',
  communityId: REGION_IDS.peixin,
  category: '公共设施',
  text: SUGGESTION_TEXT,
  place: '3栋东门',
  photoUrls: [],
  showName: false,
  status: 'replied',
  duplicateOf: null,
  timeline: [
    { at: AT, kind: 'received', status: 'received' },
    { at: '2025-11-21T03:00:00.000Z', kind: 'reply', status: 'replied', text: REPLY_TEXT, by: '培新街社区 工作人员' },
  ],
  createdAt: AT,
});

/** The admin opens a fresh suggestion (still open for a reply), long text and six photos. */
const adminSuggestion = () => ({
  ...mySuggestion(),
  text: LONG_TEXT,
  photoUrls: PHOTO_URLS,
  status: 'received' as const,
  timeline: [{ at: AT, kind: 'received' as const, status: 'received' as const }],
  source: 'box' as const,
  authorName: '李秀兰',
  authorPhone: '13800000001',
  authorAddress: '3栋2单元',
  firstReplyAt: null,
});

/** Raw answers by `area.action`; a function gets the call's input. */
const answers = (persona: Persona): Record<string, (input: any) => unknown> => ({
  'members.me': () => me(persona),
  'members.joinCommunity': (input: { communityId: string; name: string; building: string }) => ({
    openid: 'demo-newcomer',
    member: { _id: 'm-new', name: input.name, phoneMasked: null, grants: [{ role: 'resident', regionId: input.communityId, regionName: '培新街社区', building: input.building }] },
  }),
  'members.redeemInvitation': (input: { name: string }) => ({
    openid: 'demo-newcomer',
    member: { _id: 'm-new', name: input.name, phoneMasked: null, grants: [{ role: 'grid_worker', regionId: REGION_IDS.peixinGrid1, regionName: '培新街社区第一网格' }] },
  }),
  'members.listStaff': () => ({ items: [{ memberId: 'm-liufang', name: '刘芳', phoneMasked: '138****0004', role: 'community_admin' }] }),
  'members.createInvitation': () => ({ code: 'ABC12345', role: 'grid_worker', expiresAt: '2025-12-01T00:00:00.000Z' }),
  'regions.listCommunities': () => ({
    items: [
      { _id: REGION_IDS.peixin, name: '培新街社区', districtName: '汉滨区' },
      { _id: REGION_IDS.xiaojiaba, name: '肖家坝社区', districtName: '汉滨区' },
    ],
  }),
  'regions.children': () => ({ items: [] }),
  'notify.templates': () => ({ templates: { suggestion_reply: 'canned-template-id' } }),
  'notify.subscribe': (input: { keys: string[] }) => ({ recorded: input.keys.length }),
  'suggestions.mine': () => ({ items: Array.from({ length: PAGE_SIZE }, (_, i) => listItem(i)), nextCursor: 'next-page' }),
  'suggestions.get': () => (persona === 'admin' ? adminSuggestion() : mySuggestion()),
  'suggestions.submit': (input: { category: MySuggestionView['category']; text: string; photos?: string[] }) => ({
    ...mySuggestion(),
    _id: 'sug-canned-2',
    category: input.category,
    text: input.text,
    status: 'received',
    timeline: [{ at: AT, kind: 'received', status: 'received' }],
  }),
  'suggestions.inbox': (input: { limit: number; status?: MySuggestionView['status'] }) => ({
    items: Array.from({ length: input.limit }, (_, i) => ({
      _id: `sug-canned-${i + 1}`,
      category: i === 0 ? '公共设施' : '环境卫生',
      excerpt: i === 0 ? SUGGESTION_TEXT : LONG_TEXT.slice(0, 80),
      status: input.status ?? (i % 2 ? 'replied' : 'received'),
      authorName: i === 0 ? '李秀兰' : '王小明',
      photoCount: i % 7,
      createdAt: AT,
    })),
    nextCursor: 'next-page',
  }),
  'suggestions.reply': (input: { text: string }) => ({
    ...adminSuggestion(),
    status: 'replied',
    firstReplyAt: AT,
    timeline: [...adminSuggestion().timeline, { at: AT, kind: 'reply', status: 'replied', text: input.text, by: '培新街社区 工作人员' }],
  }),
  'suggestions.setStatus': () => adminSuggestion(),
  // The suggestion detail proposes demands to adopt it into (tests/weapp/matters.test.ts taps them).
  'matters.similarDemands': () => ({ items: [{ _id: 'dm-1', title: '老旧楼栋楼道照明改造', supporters: 6, score: 0.58 }] }),
  'suggestions.markDuplicate': () => ({ ...adminSuggestion(), status: 'duplicate', duplicateOf: 'sug-canned-3' }),
  'suggestions.stats': () => ({
    items: [
      { communityId: REGION_IDS.peixin, communityName: '培新街社区', collected: 12, replied: 9, medianDaysToFirstReply: 1.5 },
      { communityId: REGION_IDS.laochengComm, communityName: '老城社区', collected: 3, replied: 0, medianDaysToFirstReply: null },
      { communityId: REGION_IDS.xiaojiaba, communityName: '肖家坝社区', collected: 7, replied: 7, medianDaysToFirstReply: 2 },
    ],
  }),
});

export interface Canned {
  responder: CloudResponder;
  /** Calls without a canned answer, or whose input broke the contract (each answered with an error body). */
  problems: string[];
}

/** A responder for one persona; throws at call time if a canned answer breaks its contract. */
export function cannedBackend(persona: Persona): Canned {
  const table = answers(persona);
  const problems: string[] = [];
  return { responder: contractResponder(contracts, table, problems, 'tests/weapp/canned.ts'), problems };
}
