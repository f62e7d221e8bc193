/**
 * The resident's suggestion page in the weapp build follows an adopted suggestion to its demand and on to
 * the board (miniprogram-simulate, canned answers checked against the contracts).
 */
import { mattersContract } from '../../src/features/matters/matters.schema';
import { membersContract } from '../../src/features/members/members.schema';
import { suggestionsContract } from '../../src/features/suggestions/suggestions.schema';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import { useWeapp, type Answers } from './suite';

const AT = '2026-03-02T02:00:00.000Z';
const resident = DEMO_PEOPLE.residentPeixin;
let status: 'adopted' | 'replied' = 'adopted';

const answers: Answers = {
  'members.me': () => ({ openid: resident.openid, member: { _id: resident.memberId, name: resident.name, phoneMasked: '138****0001', grants: resident.grants } }),
  'suggestions.get': () => ({
    _id: 'sug-1', communityId: REGION_IDS.peixin, category: '公共设施', text: '5栋楼道的灯坏了好几个月，希望改造楼道照明', place: null, photoUrls: [], showName: false,
    status, duplicateOf: null, timeline: [{ at: AT, kind: 'received', status: 'received' }], createdAt: AT,
  }),
  'matters.followSuggestion': () => ({
    demand: { _id: 'dm-1', title: '老旧楼栋楼道照明改造', supporters: 12, status: 'left_out', leftOutText: '纳入下一年度' },
    stage: 'fixed',
    onSlate: false,
  }),
};
const weapp = useWeapp({ contracts: { matters: mattersContract, members: membersContract, suggestions: suggestionsContract }, answers, where: 'tests/weapp/suggestion-follow.test.ts', limits: true });
const follows = () => weapp.env.cloudCalls.filter((c) => c.data.action === 'followSuggestion');

beforeEach(() => {
  status = 'adopted';
  weapp.env.cloudCalls.length = 0;
});

test('an adopted suggestion shows its demand, where it stands, and opens the board', async () => {
  const pg = await weapp.open('pages/suggestion/index', { id: 'sug-1' });
  await pg.until(() => pg.hasId('suggestion-demand'), 'the demand section');
  expect(pg.byId('suggestion-demand-title').textContent).toBe('老旧楼栋楼道照明改造');
  expect(pg.byId('suggestion-demand').textContent).toContain('12 位居民支持');
  expect(pg.byId('suggestion-demand-state').textContent).toBe('未列入年度实事：纳入下一年度');
  expect(follows().map((c) => c.data.input)).toEqual([{ suggestionId: 'sug-1' }]);
  await pg.tap(pg.byId('suggestion-board'));
  await pg.until(() => weapp.env.navigations.find((n) => n.url.startsWith('/packages/matters/board/index')), 'the way to the board');
  expect(weapp.env.navigations.at(-1)!.url).toBe(`/packages/matters/board/index?communityId=${REGION_IDS.peixin}`);
});

test('a suggestion not adopted has no demand section and asks nothing about one', async () => {
  status = 'replied';
  const pg = await weapp.open('pages/suggestion/index', { id: 'sug-1' });
  await pg.until(() => pg.hasId('suggestion-timeline'), 'the timeline');
  expect(pg.hasId('suggestion-demand')).toBe(false);
  expect(follows()).toEqual([]);
});
