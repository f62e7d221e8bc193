import { checkAnswers, counterCount, definitionProblems, phaseOf, progressOf, visibleQuestions } from '../../src/features/surveys/surveys.rules';
import { addCounters, addressKey, answerId, nestCounters, resultsOf, shardOf, tallyDeltas, TALLY_SHARDS } from '../../src/features/surveys/surveys.tally.rules';
import { answerLabel, duplicateQuestion, moveQuestion } from '../../src/features/surveys/surveys.builder.rules';
import { Definition, MAX_COUNTERS, type Question } from '../../src/features/surveys/surveys.schema';
import { SMALL, SMALL_ANSWER, opts, twentyAnswer, twentyQuestions } from './fixtures';

const def = (questions: Partial<Question>[]): Definition =>
  Definition.parse({ title: 't', questions: questions.map((q, i) => ({ id: `q${i + 1}`, type: 'single', title: `题${i + 1}`, options: opts('是', '否'), ...q })) });

describe('definitionProblems', () => {
  it('accepts the fixtures', () => {
    expect(definitionProblems(SMALL)).toEqual([]);
    expect(definitionProblems(twentyQuestions())).toEqual([]);
  });

  it.each([
    ['a forward reference', [{ showIf: { questionId: 'q2', op: 'equals', values: ['a'] } }, {}], ['questions', 0, 'showIf'], '第1题的显示条件引用了后面的第2题，只能引用前面的题目'],
    ['a self reference', [{}, { showIf: { questionId: 'q2', op: 'notAnswered', values: [] } }], ['questions', 1, 'showIf'], '第2题的显示条件不能引用本题'],
    ['an unknown reference', [{}, { showIf: { questionId: 'zz', op: 'notAnswered', values: [] } }], ['questions', 1, 'showIf'], '第2题的显示条件引用了不存在的题目'],
    ['a choice without options', [{ options: [] }], ['questions', 0, 'options'], '第1题（单选题）还没有选项'],
    ['a single option', [{ type: 'multiple', options: opts('是') }], ['questions', 0, 'options'], '第1题（多选题）至少需要 2 个选项'],
    ['duplicate option ids', [{ options: [{ id: 'a', label: '是' }, { id: 'a', label: '否' }] }], ['questions', 0, 'options'], '第1题有重复的选项编号“a”'],
    ['an unknown condition option', [{}, { showIf: { questionId: 'q1', op: 'equals', values: ['z'] } }], ['questions', 1, 'showIf'], '第2题的显示条件用了第1题中不存在的选项'],
    ['equals with two values', [{}, { showIf: { questionId: 'q1', op: 'equals', values: ['a', 'b'] } }], ['questions', 1, 'showIf'], '第2题的条件“等于”只能选一个选项'],
    ['a condition on a text question', [{ type: 'text', options: undefined }, { showIf: { questionId: 'q1', op: 'equals', values: ['a'] } }], ['questions', 1, 'showIf'], '第2题的显示条件只能按单选题或多选题的选项判断（第1题是填空题）'],
    ['min picks above max', [{ type: 'multiple', options: opts('a', 'b', 'c'), minPicks: 3, maxPicks: 2 }], ['questions', 0, 'minPicks'], '第1题的最少选择数不能大于最多选择数'],
    ['number min above max', [{ type: 'number', options: undefined, min: 5, max: 1 }], ['questions', 0, 'min'], '第1题的最小值不能大于最大值'],
    ['a matrix without rows', [{ type: 'matrix', options: undefined, scale: opts('好', '差') }], ['questions', 0, 'rows'], '第1题（矩阵题）还没有行'],
    ['two “other” options', [{ options: [{ id: 'a', label: '甲', other: true }, { id: 'b', label: '乙', other: true }] }], ['questions', 0, 'options'], '第1题只能有一个“其他（请注明）”选项'],
    ['crossTab on a multiple', [{ type: 'multiple', crossTab: true }], ['questions', 0, 'crossTab'], '第1题不是单选题，不能用于交叉分析'],
  ] as const)('refuses %s with the exact problem', (_label, questions, path, message) => {
    expect(definitionProblems(def(questions as unknown as Partial<Question>[]))).toContainEqual({ path, message });
  });

  it('refuses duplicate question ids', () => {
    const d = def([{}, {}]);
    d.questions[1]!.id = 'q1';
    expect(definitionProblems(d)).toEqual([{ path: ['questions', 1, 'id'], message: '第2题与第1题的编号重复（“q1”）' }]);
  });

  it('bounds the counters: too many cross-tab dimensions, then too many counters', () => {
    expect(definitionProblems(def(Array.from({ length: 6 }, () => ({ crossTab: true })))).map((p) => p.message)).toEqual(['最多 5 道单选题可用于交叉分析（现在有 6 道）']);
    const big = def([
      ...Array.from({ length: 5 }, () => ({ crossTab: true, options: opts(...'abcdefghijklmnopqrstuvwxyz0123'.split('')) })),
      ...Array.from({ length: 10 }, () => ({ type: 'matrix' as const, options: undefined, rows: opts(...'abcdefghijklmnopqrst'.split('')), scale: opts(...'abcdefghij'.split('')) })),
    ]);
    expect(counterCount(big)).toBeGreaterThan(MAX_COUNTERS);
    expect(definitionProblems(big)[0]!.message).toMatch(/^统计项过多/);
    // The bench questionnaire stays well inside.
    expect(counterCount(twentyQuestions())).toBeLessThan(3000);
  });
});

describe('skip logic', () => {
  const ids = (answers: Record<string, unknown>) => visibleQuestions(SMALL, answers).map((q) => q.id);

  it.each([
    ['equals: shown when the earlier answer matches', { meal: { pick: 'a' } }, true],
    ['equals: hidden otherwise', { meal: { pick: 'b' } }, false],
    ['equals: hidden when not answered', {}, false],
  ])('%s', (_l, answers, shown) => {
    expect(ids(answers).includes('when')).toBe(shown);
  });

  it.each([
    ['oneOf with a multiple', { op: 'oneOf', values: ['a', 'c'] }, { q1: { picks: ['c'] } }, true],
    ['oneOf not matching', { op: 'oneOf', values: ['a', 'c'] }, { q1: { picks: ['b'] } }, false],
    ['equals on a multiple means “includes”', { op: 'equals', values: ['b'] }, { q1: { picks: ['a', 'b'] } }, true],
    ['notAnswered, unanswered', { op: 'notAnswered', values: [] }, {}, true],
    ['notAnswered, answered', { op: 'notAnswered', values: [] }, { q1: { picks: ['a'] } }, false],
    ['notAnswered, empty picks count as unanswered', { op: 'notAnswered', values: [] }, { q1: { picks: [] } }, true],
  ] as const)('%s', (_l, showIf, answers, shown) => {
    const d = def([{ type: 'multiple', options: opts('甲', '乙', '丙') }, { showIf: { questionId: 'q1', ...showIf } as never }]);
    expect(visibleQuestions(d, answers).map((q) => q.id).includes('q2')).toBe(shown);
  });

  it('a chain: hiding a question hides what depends on it, even if it was answered', () => {
    const d = def([{}, { showIf: { questionId: 'q1', op: 'equals', values: ['a'] } }, { showIf: { questionId: 'q2', op: 'equals', values: ['a'] } }]);
    expect(visibleQuestions(d, { q1: { pick: 'a' }, q2: { pick: 'a' } }).map((q) => q.id)).toEqual(['q1', 'q2', 'q3']);
    expect(visibleQuestions(d, { q1: { pick: 'b' }, q2: { pick: 'a' } }).map((q) => q.id)).toEqual(['q1']);
  });
});

describe('checkAnswers', () => {
  it('accepts a complete answer and cleans it', () => {
    const r = checkAnswers(SMALL, { ...SMALL_ANSWER, name: '  ', when: { picks: ['x', 'b'], other: ' 下午茶 ' } });
    expect(r).toEqual({ ok: true, answers: { ...SMALL_ANSWER, when: { picks: ['b', 'x'], other: '下午茶' } } });
  });

  const without = (k: string) => Object.fromEntries(Object.entries(SMALL_ANSWER).filter(([x]) => x !== k));
  it.each([
    ['an unknown question id', { ...SMALL_ANSWER, nope: 1 }, 'nope', '问卷中没有这道题'],
    ['a missing required answer', without('stars'), 'stars', '此题为必答题'],
    ['a required question shown by skip logic', without('when'), 'when', '此题为必答题'],
    ['an unknown option', { ...SMALL_ANSWER, age: { pick: 'z' } }, 'age', '选项无效，请重新选择'],
    ['a single given as a string', { ...SMALL_ANSWER, age: 'a' }, 'age', '请选择一个选项'],
    ['too many picks', { ...SMALL_ANSWER, when: { picks: ['a', 'b', 'c'] } }, 'when', '最多选择 2 项'],
    ['duplicate picks', { ...SMALL_ANSWER, when: { picks: ['a', 'a'] } }, 'when', '选项重复'],
    ['“other” without its text', { ...SMALL_ANSWER, when: { picks: ['x'] } }, 'when', '请填写“其他（请注明）”的具体内容'],
    ['a number below min', { ...SMALL_ANSWER, price: -1 }, 'price', '不能小于 0'],
    ['a number above max', { ...SMALL_ANSWER, price: 51 }, 'price', '不能大于 50'],
    ['a decimal for an integer', { ...SMALL_ANSWER, price: 1.5 }, 'price', '请填写整数'],
    ['a number as text', { ...SMALL_ANSWER, price: '12' }, 'price', '请填写数字'],
    ['a rating of 0', { ...SMALL_ANSWER, stars: 0 }, 'stars', '请选择 1–5 星'],
    ['a rating of 6', { ...SMALL_ANSWER, stars: 6 }, 'stars', '请选择 1–5 星'],
    ['a matrix with an unknown column', { ...SMALL_ANSWER, grid: { clean: 'meh' } }, 'grid', '选项无效，请重新选择'],
    ['a matrix with an unknown row', { ...SMALL_ANSWER, grid: { lift: 'good' } }, 'grid', '选项无效，请重新选择'],
    ['a partial ranking', { ...SMALL_ANSWER, rank: ['a', 'b'] }, 'rank', '请为所有选项排序'],
    ['a ranking with repeats', { ...SMALL_ANSWER, rank: ['a', 'a', 'b'] }, 'rank', '排序无效，请重新排序'],
    ['a long text over its limit', { ...SMALL_ANSWER, name: '字'.repeat(101) }, 'name', '最多 100 字'],
  ])('refuses %s', (_l, raw, question, message) => {
    const r = checkAnswers(SMALL, raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toContainEqual({ path: [question], message });
  });

  it('drops answers to hidden questions (no error, not stored)', () => {
    const r = checkAnswers(SMALL, { ...SMALL_ANSWER, meal: { pick: 'b' }, when: { picks: ['a', 'b', 'c', 'z'] } });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.answers).not.toHaveProperty('when');
  });

  it('a required matrix needs every row', () => {
    const d = def([{ type: 'matrix', options: undefined, required: true, rows: [{ id: 'r1', label: '卫生' }, { id: 'r2', label: '治安' }], scale: opts('好', '差') }]);
    expect(checkAnswers(d, { q1: { r1: 'a' } })).toEqual({ ok: false, problems: [{ path: ['q1'], message: '请为“治安”选择' }] });
    expect(checkAnswers(d, {})).toEqual({ ok: false, problems: [{ path: ['q1'], message: '请为每一行选择' }] });
  });

  it('an invalid answer does not open its follow-up question', () => {
    const r = checkAnswers(SMALL, { ...SMALL_ANSWER, meal: { pick: 'zz' }, when: undefined });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path[0])).toEqual(['meal']);
  });

  it('progress counts visible questions only', () => {
    expect(progressOf(SMALL, { meal: { pick: 'b' } })).toEqual({ done: 1, total: 8 });
    expect(progressOf(SMALL, { meal: { pick: 'a' } })).toEqual({ done: 1, total: 9 });
  });
});

describe('tallies', () => {
  it('deltas of one answer', () => {
    const r = checkAnswers(SMALL, SMALL_ANSWER);
    if (!r.ok) throw new Error('fixture invalid');
    const d = tallyDeltas(SMALL, r.answers, true);
    expect(d.main).toMatchObject({
      n: 1, staff: 1, 'q.age.o.b': 1, 'q.when.o.b': 1, 'q.when.o.x': 1, 'q.price.sum': 12, 'q.stars.o.v4': 1,
      'q.grid.m.clean.good': 1, 'q.rank.rank.b': 1, 'q.rank.rank.a': 2, 'q.rank.o.b': 1, 'q.idea.n': 1,
    });
    expect(d.main).not.toHaveProperty('q.name.n');
    expect(Object.keys(d.cross)).toEqual(['age']);
    expect(d.cross.age!.group).toBe('b');
    expect(d.cross.age!.deltas).toMatchObject({ n: 1, 'q.meal.o.a': 1 });
    expect(d.cross.age!.deltas).not.toHaveProperty('staff');
  });

  it('summed deltas give the results (what the counters mean)', () => {
    let body: Record<string, unknown> = {};
    for (let n = 0; n < 60; n++) {
      const r = checkAnswers(twentyQuestions(), twentyAnswer(n));
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      body = addCounters(body, nestCounters(tallyDeltas(twentyQuestions(), r.answers, false).main));
    }
    const res = resultsOf(twentyQuestions(), body);
    const byId = Object.fromEntries(res.map((q) => [q.id, q]));
    expect(body.n).toBe(60);
    expect(byId.age!.counts!.map((c) => c.count)).toEqual([15, 15, 15, 15]);
    expect(byId.age!.counts![0]!.percent).toBe(25);
    expect(byId.mealt!.answered).toBe(20);
    expect(byId.s1!.average).toBe(3);
    expect(byId.price!.average).toBe(9.5);
    expect(byId.mx!.matrix!.rows[0]).toEqual({ id: 'r1', label: '卫生', answered: 60, counts: [60, 0, 0] });
    expect(byId.rank!.ranking![0]).toEqual({ id: 'a', label: '加装电梯', averageRank: 1.5, first: 30 });
    expect(byId.why!.answered).toBe(0);
    // The “其他（请注明）” option is marked, so results can list its texts; the others are not.
    expect(byId.need!.counts!.filter((c) => c.other).map((c) => c.id)).toEqual(['x']);
    expect(byId.need!.counts!.find((c) => c.id === 'x')).toMatchObject({ count: 6, other: true });
    expect(byId.age!.counts!.some((c) => 'other' in c)).toBe(false);
  });

  it('ids: deterministic per person or household; shards in range', () => {
    expect(answerId('s1', 'm1', false)).toBe('ans:s1:m1');
    expect(answerId('s1', 'k', true)).toBe('ans:s1:hh:k');
    expect(addressKey(' ３栋 ', '2单元')).toBe(addressKey('3栋', '2单元'));
    const shards = new Set(Array.from({ length: 200 }, (_, i) => shardOf(`ans:s:${i}`)));
    expect([...shards].sort()).toEqual(Array.from({ length: TALLY_SHARDS }, (_, i) => i));
  });
});

describe('phase, labels and builder helpers', () => {
  const s = { status: 'published' as const, openAt: '2025-03-01T00:00:00Z', closeAt: '2025-03-10T00:00:00Z' };
  it.each([
    ['2025-02-28T23:59:59Z', 'not_open'],
    ['2025-03-01T00:00:00Z', 'open'],
    ['2025-03-09T23:59:59Z', 'open'],
    ['2025-03-10T00:00:00Z', 'closed'],
  ])('at %s the questionnaire is %s', (at, phase) => {
    expect(phaseOf(s, new Date(at))).toBe(phase);
  });
  it('closed and draft win over times', () => {
    expect(phaseOf({ ...s, status: 'closed' }, new Date('2025-03-05T00:00:00Z'))).toBe('closed');
    expect(phaseOf({ ...s, status: 'draft' }, new Date('2025-03-05T00:00:00Z'))).toBe('draft');
  });
  it('labels answers as people read them', () => {
    const q = (id: string) => SMALL.questions.find((x) => x.id === id)!;
    expect(answerLabel(q('when'), { picks: ['b', 'x'], other: '下午茶' })).toBe('午餐；其他（请注明）：下午茶');
    expect(answerLabel(q('grid'), { clean: 'good', safe: 'bad' })).toBe('环境卫生：满意；治安：不满意');
    expect(answerLabel(q('rank'), ['b', 'a', 'c'])).toBe('1.医疗 2.助餐 3.文娱');
    expect(answerLabel(q('stars'), 4)).toBe('4 星');
  });
  it('duplicates and moves questions; a move that breaks a condition is reported', () => {
    const dup = duplicateQuestion(SMALL, 0);
    expect(dup[1]).toMatchObject({ title: '您的年龄段（副本）', type: 'single' });
    expect(new Set(dup.map((x) => x.id)).size).toBe(dup.length);
    const moved = { ...SMALL, questions: moveQuestion(SMALL.questions, 2, 0) };
    expect(definitionProblems(moved).map((p) => p.message)).toContain('第1题的显示条件引用了后面的第3题，只能引用前面的题目');
  });
});
