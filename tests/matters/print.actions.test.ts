/** printSheet through dispatch: the 公示 sheet carries each item's estimated cost, the community's name and the meeting dates; residents of other communities are refused. */
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

const ADMIN = P.adminPeixin.openid;
const RESIDENT = P.residentPeixin.openid;
const KEY = { communityId: R.peixin, year: 2025 }; // the harness clock: 2025-03-03 10:00 in Shanghai
const DAY = 24 * 3600_000;

let h: Harness;
let items: string[];
beforeAll(async () => {
  h = await createHarness();
  const make = async (title: string, i: number) =>
    dataOf(await h.call('matters', 'createDemand', { requestId: `print-${i}`, ...KEY, title, category: '公共设施', note: '居民议事会提出' }, ADMIN))._id as string;
  items = [await make('老旧小区加装电梯', 1), await make('巷口积水改造', 2)];
  dataOf(await h.call('matters', 'assessDemand', { id: items[0], cost: 1_250_000_00, funding: ['fiscal'], beneficiaries: 120 }, ADMIN));
});
afterAll(() => h.close());


test('before any meeting: the community and year, no items, no dates', async () => {
  const sheet = dataOf(await h.call('matters', 'printSheet', KEY, RESIDENT));
  expect(sheet).toEqual({ communityName: '培新街社区', year: 2025, stage: 'proposal', items: [], steps: [], publicity: null, fixedAt: null, today: '2025-03-03' });
});

test('in 公示: items with reasons, supporters and cost (null when not assessed), the four dates and the 公示 window; same for admin and district', async () => {
  const yes = Object.fromEntries(items.map((id) => [id, { for: 9, against: 0, abstain: 0 }]));
  const dates = ['2025-02-20', '2025-02-22', '2025-02-25', '2025-02-28'];
  for (const [i, step] of ['proposal', 'consultation', 'review', 'resolution'].entries()) {
    dataOf(await h.call('matters', 'recordStep', {
      ...KEY, step, date: dates[i], expected: 9, present: 9, votes: yes, minutes: '会议讨论并表决通过',
      ...(step === 'proposal' ? { reasons: { [items[0]!]: '老人上下楼难', [items[1]!]: '雨天积水严重' } } : {}),
    }, ADMIN));
  }
  dataOf(await h.call('matters', 'startPublicity', KEY, ADMIN));
  h.advance(2 * DAY);
  const sheet = dataOf(await h.call('matters', 'printSheet', KEY, RESIDENT));
  expect(sheet.stage).toBe('publicity');
  expect(sheet.items).toEqual([
    { title: '老旧小区加装电梯', reason: '老人上下楼难', supporters: expect.any(Number), anonymous: 0, cost: 1_250_000_00 },
    { title: '巷口积水改造', reason: '雨天积水严重', supporters: expect.any(Number), anonymous: 0, cost: null },
  ]);
  expect(sheet.steps).toEqual(dates.map((date, i) => ({ step: ['proposal', 'consultation', 'review', 'resolution'][i], date })));
  expect(sheet.publicity).toMatchObject({ start: '2025-03-03T02:00:00.000Z', daysLeft: 5 });
  expect(sheet.today).toBe('2025-03-05');
  expect(dataOf(await h.call('matters', 'printSheet', KEY, ADMIN))).toEqual(sheet);
  expect(dataOf(await h.call('matters', 'printSheet', KEY, P.districtHanbin.openid))).toEqual(sheet);
  // Nothing about who recorded or objected.
  expect(JSON.stringify(sheet)).not.toMatch(/recordedBy|authorId|m-/);
});

test('another community\'s resident, and no one signed in, are refused', async () => {
  expect(codeOf(await h.call('matters', 'printSheet', KEY, P.residentXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
  expect(codeOf(await h.call('matters', 'printSheet', KEY, null))).toMatch(/^AUTH\./);
  expect(codeOf(await h.call('matters', 'printSheet', { communityId: R.peixin, year: 1999 }, RESIDENT))).toBe('INPUT.INVALID');
});
