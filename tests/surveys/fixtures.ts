import type { Definition, Question } from '../../src/features/surveys/surveys.schema';
import { DEFAULT_NOW } from '../support/harness';

/** Test questionnaires (“mothers”): a small one with every type and a skip rule, and a 20-question one. */

export const opts = (...labels: string[]) => labels.map((label, i) => ({ id: i < 26 ? String.fromCharCode(97 + i) : `o${i}`, label }));

export const SMALL: Definition = {
  title: '社区养老服务需求调查',
  intro: '请根据实际情况填写。',
  questions: [
    { id: 'age', type: 'single', title: '您的年龄段', required: true, options: opts('60岁以下', '60–69岁', '70岁及以上'), crossTab: true },
    { id: 'meal', type: 'single', title: '您需要老年助餐服务吗？', required: true, options: opts('需要', '不需要') },
    // Shown only to those who need meals.
    { id: 'when', type: 'multiple', title: '希望在哪些时段用餐？', required: true, options: [...opts('早餐', '午餐', '晚餐'), { id: 'x', label: '其他（请注明）', other: true }], minPicks: 1, maxPicks: 2, showIf: { questionId: 'meal', op: 'equals', values: ['a'] } },
    { id: 'price', type: 'number', title: '每餐能接受的价格（元）', required: false, min: 0, max: 50, integer: true },
    { id: 'stars', type: 'rating', title: '对社区现有服务的满意度', required: true },
    { id: 'grid', type: 'matrix', title: '对以下服务的评价', required: false, rows: [{ id: 'clean', label: '环境卫生' }, { id: 'safe', label: '治安' }], scale: [{ id: 'good', label: '满意' }, { id: 'ok', label: '一般' }, { id: 'bad', label: '不满意' }] },
    { id: 'rank', type: 'ranking', title: '请按重要程度排序', required: false, options: opts('助餐', '医疗', '文娱') },
    { id: 'name', type: 'text', title: '您的称呼', required: false },
    { id: 'idea', type: 'textarea', title: '其他意见和建议', required: false },
  ],
};

/** A complete valid answer to SMALL by someone who needs meals. */
export const SMALL_ANSWER = {
  age: { pick: 'b' },
  meal: { pick: 'a' },
  when: { picks: ['b', 'x'], other: '下午茶' },
  price: 12,
  stars: 4,
  grid: { clean: 'good', safe: 'ok' },
  rank: ['b', 'a', 'c'],
  idea: '希望增加送餐上门服务',
};

/** The bench's 20 questions: 4 cross-tab dimensions, every type, two skip rules. */
export function twentyQuestions(): Definition {
  const qs: Question[] = [
    { id: 'age', type: 'single', title: '年龄段', required: true, options: opts('18–39', '40–59', '60–69', '70+'), crossTab: true },
    { id: 'bld', type: 'single', title: '楼栋', required: true, options: opts('1栋', '2栋', '3栋', '4栋', '5栋', '6栋'), crossTab: true },
    { id: 'sex', type: 'single', title: '性别', required: true, options: opts('男', '女'), crossTab: true },
    { id: 'live', type: 'single', title: '居住年限', required: true, options: opts('1年内', '1–5年', '5年以上'), crossTab: true },
    { id: 'need', type: 'multiple', title: '最需要的服务', required: true, options: [...opts('助餐', '医疗', '文娱', '托育', '维修'), { id: 'x', label: '其他（请注明）', other: true }], minPicks: 1, maxPicks: 3 },
    { id: 'meal', type: 'single', title: '需要助餐吗', required: true, options: opts('需要', '不需要') },
    { id: 'mealt', type: 'multiple', title: '用餐时段', required: true, options: opts('早', '中', '晚'), showIf: { questionId: 'meal', op: 'equals', values: ['a'] } },
    { id: 'price', type: 'number', title: '可接受价格', required: false, min: 0, max: 100, integer: true },
    { id: 's1', type: 'rating', title: '环境满意度', required: true },
    { id: 's2', type: 'rating', title: '治安满意度', required: true },
    { id: 's3', type: 'rating', title: '物业满意度', required: false },
    { id: 'mx', type: 'matrix', title: '服务评价', required: true, rows: [{ id: 'r1', label: '卫生' }, { id: 'r2', label: '治安' }, { id: 'r3', label: '停车' }, { id: 'r4', label: '绿化' }], scale: opts('满意', '一般', '不满意') },
    { id: 'rank', type: 'ranking', title: '实事排序', required: true, options: opts('加装电梯', '道路维修', '助餐点', '停车位') },
    { id: 'why', type: 'textarea', title: '原因', required: false, showIf: { questionId: 's1', op: 'notAnswered', values: [] } },
    { id: 'park', type: 'single', title: '有停车需求吗', required: true, options: opts('有', '没有') },
    { id: 'cars', type: 'number', title: '车辆数', required: false, min: 0, max: 5, integer: true, showIf: { questionId: 'park', op: 'oneOf', values: ['a'] } },
    { id: 'vol', type: 'single', title: '愿意做志愿者吗', required: false, options: opts('愿意', '不愿意', '看情况') },
    { id: 'tel', type: 'text', title: '联系方式（选填）', required: false },
    { id: 'act', type: 'multiple', title: '喜欢的活动', required: false, options: opts('广场舞', '书法', '戏曲', '健身') },
    { id: 'idea', type: 'textarea', title: '意见建议', required: false },
  ];
  return { title: '2025年社区实事需求调查', intro: '', questions: qs };
}

/** A valid answer to twentyQuestions() varied by n. */
export function twentyAnswer(n: number): Record<string, unknown> {
  const meal = n % 3 === 0 ? 'a' : 'b';
  const park = n % 4 === 0 ? 'a' : 'b';
  const needs = ['a', 'b', 'c', 'd', 'e'];
  return {
    age: { pick: 'abcd'[n % 4] },
    bld: { pick: 'abcdef'[n % 6] },
    sex: { pick: 'ab'[n % 2] },
    live: { pick: 'abc'[n % 3] },
    need: n % 10 === 0 ? { picks: ['a', 'x'], other: '理发' } : { picks: [needs[n % 5]!, needs[(n + 2) % 5]!] },
    meal: { pick: meal },
    ...(meal === 'a' ? { mealt: { picks: ['b'] } } : {}),
    price: n % 20,
    s1: (n % 5) + 1,
    s2: ((n + 1) % 5) + 1,
    mx: { r1: 'a', r2: 'abc'[n % 3]!, r3: 'c', r4: 'ab'[n % 2]! },
    rank: n % 2 ? ['a', 'b', 'c', 'd'] : ['c', 'a', 'd', 'b'],
    park: { pick: park },
    ...(park === 'a' ? { cars: 1 + (n % 2) } : {}),
    ...(n % 7 === 0 ? { idea: `希望增加停车位（第${n}份）` } : {}),
  };
}

/** A questionnaire's settings: open since an hour before the test clock, for a week. */
export const settings = (o: Record<string, unknown> = {}) => ({
  openAt: new Date(DEFAULT_NOW.getTime() - 3600_000).toISOString(),
  closeAt: new Date(DEFAULT_NOW.getTime() + 7 * 86400_000).toISOString(),
  ...o,
});
