import { resultSheetText, type ResultSheetInput } from '../../src/features/matters/result-sheet.rules';

const base: ResultSheetInput = {
  communityName: '老城社区', title: '老城小游园改造提升', year: 2026, startedAt: '2026-09-20T02:00:00.000Z', completedDay: '2026-11-18',
  acceptance: { date: '2026-11-21', representatives: ['周*芬', '钱*生'], notes: '验收合格' },
  result: { summary: '完成改造', budget: 215_000_00, spent: 184_700_00, spendingNote: '结余资金用于后期维护', publishedAt: '2026-11-22T02:00:00.000Z' },
  units: [{ name: '汉滨区第一人民医院', lead: true }, { name: '汉滨区住房和城乡建设局', lead: false }],
  leaders: ['何志远'],
  satisfaction: { satisfied: 3, basic: 1, dissatisfied: 0, total: 4, rate: 1 },
  today: '2026-12-02',
};

test('the sheet reads as a notice: title, units, dates, money with the balance, satisfaction with its count, 落款', () => {
  expect(resultSheetText(base)).toEqual({
    title: '老城社区2026年实事实施结果公开',
    heading: '老城小游园改造提升',
    units: '牵头单位：汉滨区第一人民医院；配合单位：汉滨区住房和城乡建设局',
    leaders: '认领领导：何志远',
    dates: ['开工：2026年9月20日', '完工：2026年11月18日', '验收：2026年11月21日（社区与居民代表周*芬、钱*生）'],
    money: ['预算 21.5万元，实际支出 18.47万元，结余 3.03万元', '结余资金用于后期维护'],
    satisfaction: '居民满意率 100%（4 人评价：满意 3，基本满意 1，不满意 0）',
    signature: '老城社区居民委员会',
    date: '2026年12月2日',
  });
});

test('over budget, no units or leaders, no dates before 验收, no ratings yet; a rate shown to one decimal', () => {
  const t = resultSheetText({
    ...base, units: [], leaders: [], startedAt: null, completedDay: null, result: { ...base.result, spent: 230_000_00, spendingNote: '' },
    satisfaction: { satisfied: 0, basic: 0, dissatisfied: 0, total: 0, rate: null },
  });
  expect(t).toMatchObject({ units: null, leaders: null, dates: ['验收：2026年11月21日（社区与居民代表周*芬、钱*生）'], money: ['预算 21.5万元，实际支出 23万元，超出预算 1.5万元'], satisfaction: '居民评价：尚无居民评价' });
  expect(resultSheetText({ ...base, satisfaction: { satisfied: 5, basic: 0, dissatisfied: 1, total: 6, rate: 5 / 6 } }).satisfaction).toBe('居民满意率 83.3%（6 人评价：满意 5，基本满意 0，不满意 1）');
});
