/**
 * The canteen pages of the weapp build (an independent sub-package) under miniprogram-simulate.
 * Cloud answers are canned here and checked against the canteen contract, as in canned.ts.
 */
import { canteenContract } from '../../src/features/canteen/canteen.schema';
import { membersContract } from '../../src/features/members/members.schema';
import { DEMO_PEOPLE, CANTEEN_IDS } from '../../src/server/demo/demo-data';
import type { WeappEnv } from './simulate-env';
import { useWeapp, type Answers } from './suite';

const CODE = 'AK1PX00000100ABCDEFGHJKMNP';
const AT = '2025-11-20T03:00:00.000Z';
const staff = DEMO_PEOPLE.canteenPeixin;

const totals = (meals: number) => ({
  meals, elders: meals, cash: meals * 200, subsidy: meals * 1000,
  tiers: meals ? [{ tierKey: 't75', label: '75岁及以上', meals, cash: meals * 200 }] : [],
});

let checkedIn = false;
const answers: Answers = {
  'members.me': () => ({ openid: staff.openid, member: { _id: staff.memberId, name: staff.name, phoneMasked: '138****0008', grants: staff.grants } }),
  'canteen.today': () => ({
    day: '2025-11-20',
    totals: totals(checkedIn ? 1 : 0),
    items: checkedIn ? [{ mealId: 'meal:el-px-01:2025-11-20:lunch', name: '李德福', age: 79, tierKey: 't75', price: 200, meal: 'lunch', at: AT, via: 'card', undoable: true }] : [],
    nextCursor: null,
  }),
  'canteen.checkIn': (input: { code?: string }) => {
    if (checkedIn) return { __error: { code: 'CANTEEN.ALREADY_CHECKED_IN', message: '已就餐：李*福 今天 11:00 已在本食堂用过午餐' } };
    checkedIn = true;
    return { mealId: 'meal:el-px-01:2025-11-20:lunch', elderId: 'el-px-01', name: '李德福', age: 79, tierKey: 't75', tierLabel: '75岁及以上', price: 200, subsidy: 1000, meal: 'lunch', day: '2025-11-20', at: AT, replayed: false, ...(input.code ? {} : {}) };
  },
  'canteen.searchElders': () => ({ items: [{ elderId: 'el-px-02', name: '王桂兰', age: 84, communityName: '培新街社区', phoneMasked: '139****2001', status: 'approved' }] }),
  'canteen.myCards': () => ({ items: [{ elderId: 'el-px-01', name: '李德福', communityName: '培新街社区', code: CODE, generation: 0, status: 'approved' }] }),
  'canteen.report': () => ({
    title: '培新街社区孝义食堂 2025-11-20 助餐统计', scope: 'canteen', period: 'day', value: '2025-11-20',
    rows: [{ key: 't75', label: '75岁及以上', meals: 1, elders: 1, cash: 200, subsidy: 0 }], totals: totals(1),
  }),
};
// The same limits as pages.test.ts: WeChat's setData and node limits, nothing unrenderable.
const weapp = useWeapp({
  contracts: { canteen: canteenContract, members: membersContract },
  answers,
  reset: () => {
    checkedIn = false;
  },
  limits: true,
});
const { open } = weapp;
let env: WeappEnv;
beforeAll(() => {
  env = weapp.env;
});

test('the canteen pages are an independent sub-package', () => {
  const sub = [...(env.appJson.subPackages ?? []), ...(env.appJson.subpackages ?? [])].find((s) => s.root === 'packages/canteen') as { pages: string[]; independent?: boolean } | undefined;
  expect(sub).toMatchObject({ pages: ['checkin/index', 'report/index', 'cards/index'], independent: true });
});

test('check-in: enter a code, see the price in large type; a second try shows 已就餐', async () => {
  const pg = await open('packages/canteen/checkin/index', { scene: CANTEEN_IDS.peixin });
  await pg.until(() => pg.hasId('checkin-totals-meals'), 'today’s totals');
  expect(pg.text()).toContain('培新街社区孝义食堂');
  expect(pg.byId('checkin-totals-meals').textContent).toBe('0');
  expect(pg.hasId('checkin-scan')).toBe(true); // WeChat: the scan button

  await pg.fire(pg.byId('checkin-code'), 'input', { value: CODE });
  await pg.tap(pg.byId('checkin-submit'));
  await pg.until(() => pg.hasId('checkin-result-price'), 'the result');
  expect(pg.byId('checkin-result-title').textContent).toBe('可以就餐');
  expect(pg.byId('checkin-result-name').textContent).toContain('李德福');
  expect(pg.byId('checkin-result-price').textContent).toContain('2.00');
  await pg.until(() => pg.byId('checkin-totals-meals').textContent === '1', 'totals refreshed');
  const call = env.cloudCalls.filter((c) => c.data.action === 'checkIn').at(-1)!;
  expect(call.data.input).toMatchObject({ canteenId: CANTEEN_IDS.peixin, code: CODE, meal: 'lunch' });

  await pg.fire(pg.byId('checkin-code'), 'input', { value: CODE });
  await pg.tap(pg.byId('checkin-submit'));
  await pg.until(() => pg.byId('checkin-result-title').textContent === '已就餐', '已就餐');
  expect(pg.byId('checkin-result-reason').textContent).toContain('李*福');
});

test('forgotten card: search by phone digits and tap the person', async () => {
  const pg = await open('packages/canteen/checkin/index', { scene: CANTEEN_IDS.peixin });
  await pg.fire(pg.byId('checkin-search-q'), 'input', { value: '2001' });
  await pg.tap(pg.byId('checkin-search-go'));
  await pg.until(() => pg.hasId('checkin-search-item-0'), 'a search hit');
  await pg.tap(pg.byId('checkin-search-item-0'));
  await pg.until(() => pg.hasId('checkin-result-price'), 'the result');
  expect(env.cloudCalls.filter((c) => c.data.action === 'checkIn').at(-1)!.data.input).toMatchObject({ elderId: 'el-px-02' });
});

test('my card and the report render', async () => {
  const cards = await open('packages/canteen/cards/index');
  await cards.until(() => cards.hasId('card-code-0'), 'a card');
  expect(cards.byId('card-code-0').textContent).toBe('AK1P X000 0010 0ABC DEFG HJKM NP');
  expect(cards.all('wx-image').length).toBe(1);
  const report = await open('packages/canteen/report/index', { canteenId: CANTEEN_IDS.peixin });
  await report.until(() => report.hasId('report-meals'), 'the report');
  expect(report.byId('report-meals').textContent).toBe('1');
});
