/**
 * The 实施结果公开 sheet in WeChat (miniprogram-simulate, packages/matters/result-sheet): the same sheet as on
 * H5 — title, units and leader, dates, money, before/after pairs, satisfaction with its count, 落款 — without a
 * print button (WeChat cannot print), within WeChat's limits.
 */
import { mattersContract } from '../../src/features/matters/matters.schema';
import type { ResultSheet } from '../../src/features/matters/results.schema';
import { useWeapp, type Answers } from './suite';

const sheet = (): ResultSheet => ({
  communityName: '老城社区', title: '老城小游园改造提升', year: 2026, startedAt: '2026-09-20T02:00:00.000Z', completedDay: '2026-11-18',
  acceptance: { date: '2026-11-21', representatives: ['周*芬'], notes: '验收合格' },
  result: { summary: '完成小游园地面透水铺装。', pairs: [{ before: 'cloud://env/b.png', after: 'cloud://env/a.png', caption: '游园全貌' }], budget: 215_000_00, spent: 184_700_00, spendingNote: '', publishedAt: '2026-11-22T02:00:00.000Z' },
  units: [{ name: '汉滨区第一人民医院', lead: true }],
  leaders: ['何志远'],
  satisfaction: { satisfied: 3, basic: 1, dissatisfied: 0, total: 4, rate: 1 },
  urls: { 'cloud://env/b.png': 'https://example.invalid/b.png', 'cloud://env/a.png': 'https://example.invalid/a.png' },
  today: '2026-12-02',
});

const answers: Answers = { 'matters.resultSheet': () => sheet() };
const weapp = useWeapp({ contracts: { matters: mattersContract }, answers, where: 'tests/weapp/result-sheet.test.ts', limits: true });

test('the sheet shows in WeChat, without a print button', async () => {
  const pg = await weapp.open('packages/matters/result-sheet/index', { id: 'matter:dm-garden' });
  await pg.until(() => pg.hasId('rsheet-pair-0'), 'the sheet');
  expect(pg.byId('rsheet-title').textContent).toBe('老城社区2026年实事实施结果公开');
  expect(pg.byId('rsheet-who').textContent).toContain('牵头单位：汉滨区第一人民医院');
  expect(pg.byId('rsheet-who').textContent).toContain('认领领导：何志远');
  expect(pg.byId('rsheet-money').textContent).toContain('预算 21.5万元，实际支出 18.47万元，结余 3.03万元');
  expect(pg.byId('rsheet-satisfaction').textContent).toContain('4 人评价');
  expect(pg.byId('rsheet-sign').textContent).toContain('老城社区居民委员会');
  expect(pg.byId('rsheet-pair-0').querySelectorAll('wx-image')).toHaveLength(2);
  expect(pg.hasId('rsheet-print')).toBe(false);
  expect(pg.text()).toContain('小程序内不能直接打印');
  expect(weapp.env.cloudCalls.filter((c) => c.data.action === 'resultSheet').at(-1)!.data.input).toEqual({ matterId: 'matter:dm-garden' });
});
