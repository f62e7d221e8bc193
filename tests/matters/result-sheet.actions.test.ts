/**
 * The printable 实施结果公开 sheet through dispatch, on SQLite and the CloudBase stand-in: refused until the
 * result is published; then the community's name, dates, units and leader, money, pairs with URLs and
 * satisfaction with its count; only for those who may read the matter.
 */
import { DEMO_PEOPLE as P } from '../../src/server/demo/demo-data';
import { DEMO_UNIT_IDS as U } from '../../src/server/demo/seed-units';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';
import { acceptedMatter, ADMIN, OTHER_RESIDENT, RESIDENT } from './closing-fixture';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const sheet = (matterId: string, who = RESIDENT) => h.call('matters', 'resultSheet', { matterId }, who);

test('refused until the result is published, with code and message', async () => {
  const id = await acceptedMatter(h);
  expect(await sheet(id)).toMatchObject({ ok: false, error: { code: 'MATTERS.RESULT_NOT_PUBLISHED', message: '实施结果公开后才能打印结果公开表' } });
  expect(codeOf(await sheet('matter:nope'))).not.toBe('OK');
});

test('a published result: the sheet with names, dates, money, pairs and satisfaction; residents of other communities refused', async () => {
  const id = await acceptedMatter(h, {
    leadUnitId: U.hospital, supportUnitIds: [U.housing], claimedBy: [{ memberId: P.leaderHanbin.memberId, name: '何志远' }], startedAt: '2025-01-20T02:00:00.000Z',
  });
  const [before, after] = [await h.uploadPhoto(ADMIN), await h.uploadPhoto(ADMIN)];
  dataOf(await h.call('matters', 'publishResult', { matterId: id, summary: '更换路灯 24 盏，全部点亮。', pairs: [{ before, after, caption: '北门' }], budget: 50_000_00, spent: 46_500_00 }, ADMIN));
  dataOf(await h.call('matters', 'rateMatter', { matterId: id, level: 'satisfied' }, RESIDENT));
  const s = dataOf(await sheet(id));
  expect(s).toMatchObject({
    communityName: '培新街社区', startedAt: '2025-01-20T02:00:00.000Z', completedDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    acceptance: { date: '2025-03-03', representatives: ['王*华'], notes: '路灯全部点亮，验收合格' },
    result: { summary: '更换路灯 24 盏，全部点亮。', pairs: [{ before, after, caption: '北门' }], budget: 50_000_00, spent: 46_500_00 },
    units: [{ name: '汉滨区第一人民医院', lead: true }, { name: '汉滨区住房和城乡建设局', lead: false }],
    leaders: ['何志远'],
    satisfaction: { satisfied: 1, total: 1, rate: 1 },
    today: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
  });
  expect(Object.keys(s.urls).sort()).toEqual([before, after].sort());
  expect(codeOf(await sheet(id, OTHER_RESIDENT))).toBe('AUTH.FORBIDDEN');
  expect(codeOf(await sheet(id, null as unknown as string))).not.toBe('OK');
});
