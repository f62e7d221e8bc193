import ExcelJS from 'exceljs';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { surveyAnswers, surveyTallies, surveys, surveyTexts } from '../../src/features/surveys/surveys.collections';
import { suggestions } from '../../src/features/suggestions/suggestions.collections';
import { checkAnswers } from '../../src/features/surveys/surveys.rules';
import { addCounters, nestCounters, tallyDeltas, tallyId, TALLY_SHARDS } from '../../src/features/surveys/surveys.tally.rules';
import type { Definition } from '../../src/features/surveys/surveys.schema';
import { codeOf, createHarness, dataOf, DEFAULT_NOW, type Harness } from '../support/harness';
import { settings, SMALL, SMALL_ANSWER, twentyAnswer, twentyQuestions } from './fixtures';

const admin = P.adminPeixin.openid;
const resident = P.residentPeixin.openid;

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

async function published(def: Definition = SMALL, s: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
  const created = dataOf(await h.call('surveys', 'create', { communityId: R.peixin, definition: def, settings: settings(s) }, admin));
  dataOf(await h.call('surveys', 'publish', { id: created._id }, admin));
  return { id: created._id, version: created.version };
}

/** Residents of 培新街社区 who joined through the app (distinct openids, optional shared address). */
async function residents(n: number, prefix = 'r', building = (i: number) => `${(i % 9) + 1}栋`): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const openid = `${prefix}-${i}`;
    dataOf(await h.call('members', 'joinCommunity', { communityId: R.peixin, name: `居民${i}`, building: building(i), unit: `${i}单元` }, openid));
    out.push(openid);
  }
  return out;
}

const submit = (survey: { id: string; version: number }, answers: unknown, openid: string) =>
  h.call('surveys', 'submit', { surveyId: survey.id, version: survey.version, answers }, openid);

/** Recount from the stored answers, as the tallies should be. */
async function recount(surveyId: string, def: Definition) {
  const all = await h.services.store.collection(surveyAnswers).find({ where: { surveyId }, limit: 100 });
  let body: Record<string, unknown> = {};
  for (const a of all.items) {
    const r = checkAnswers(def, a.answers);
    if (!r.ok) throw new Error('stored answer invalid');
    body = addCounters(body, nestCounters(tallyDeltas(def, r.answers, a.staffEntered).main));
  }
  return { body, count: all.items.length };
}

describe('building and publishing', () => {
  it('only the community admin of that community; others are refused', async () => {
    const input = { communityId: R.peixin, definition: SMALL, settings: settings() };
    expect(codeOf(await h.call('surveys', 'create', input, admin))).toBe('OK');
    for (const who of [resident, P.gridPeixin.openid, P.adminXiaojiaba.openid, P.districtHanbin.openid]) {
      expect(codeOf(await h.call('surveys', 'create', input, who))).toBe('AUTH.FORBIDDEN');
    }
  });

  it('an invalid definition is refused with the exact problem, and nothing is written', async () => {
    const before = await h.services.store.collection(surveys).count();
    const bad = { ...SMALL, questions: [SMALL.questions[2]!, ...SMALL.questions.filter((q) => q.id !== 'when')] };
    const r = await h.call('surveys', 'create', { communityId: R.peixin, definition: bad, settings: settings() }, admin);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('SURVEY.INVALID_DEFINITION');
      expect(r.error.message).toBe('第1题的显示条件引用了后面的第3题，只能引用前面的题目');
      expect(r.error.issues?.[0]?.path).toEqual(['questions', 0, 'showIf']);
    }
    expect(await h.services.store.collection(surveys).count()).toBe(before);
  });

  it('a questionnaire whose close time has passed cannot be published', async () => {
    const created = dataOf(await h.call('surveys', 'create', { communityId: R.peixin, definition: SMALL, settings: settings({ closeAt: '2025-01-01T00:00:00Z', openAt: '2024-12-01T00:00:00Z' }) }, admin));
    const r = await h.call('surveys', 'publish', { id: created._id }, admin);
    expect(r.ok ? 'OK' : r.error.message).toBe('结束时间已过，请重新设置');
  });

  it('questions lock with the first answer; a new version is a new draft linked to it', async () => {
    const s = await published();
    const edit = { id: s.id, definition: { ...SMALL, title: '改标题' }, settings: settings() };
    expect(codeOf(await h.call('surveys', 'update', edit, admin))).toBe('OK');
    dataOf(await submit(s, SMALL_ANSWER, resident));
    expect(codeOf(await h.call('surveys', 'update', edit, admin))).toBe('SURVEY.LOCKED');
    const v2 = dataOf(await h.call('surveys', 'newVersion', { id: s.id }, admin));
    expect(v2).toMatchObject({ status: 'draft', version: 2, previousId: s.id, locked: false, title: '改标题' });
  });
});

describe('answering', () => {
  it('a resident answers once; the second gets SURVEY.ALREADY_ANSWERED; results show the answer', async () => {
    const s = await published();
    expect(dataOf(await h.call('surveys', 'get', { id: s.id }, resident))).toMatchObject({ phase: 'open', answered: false });
    expect(codeOf(await submit(s, SMALL_ANSWER, resident))).toBe('OK');
    expect(codeOf(await submit(s, SMALL_ANSWER, resident))).toBe('SURVEY.ALREADY_ANSWERED');
    expect(dataOf(await h.call('surveys', 'get', { id: s.id }, resident)).answered).toBe(true);
    const listed = dataOf(await h.call('surveys', 'list', { communityId: R.peixin }, resident)).items;
    expect(listed.find((x: { _id: string }) => x._id === s.id)).toMatchObject({ answered: true, phase: 'open' });
    expect(listed.find((x: { _id: string }) => x._id === 'survey-demo-peixin')).toMatchObject({ answered: false });
    const res = dataOf(await h.call('surveys', 'results', { surveyId: s.id }, admin));
    expect(res.total).toBe(1);
    expect(res.questions.find((q: { id: string }) => q.id === 'meal').counts[0]).toMatchObject({ label: '需要', count: 1, percent: 100 });
    expect(res.questions.find((q: { id: string }) => q.id === 'stars').average).toBe(4);
  });

  it('a resident of another community can neither read, answer, nor see results', async () => {
    const s = await published();
    const other = P.residentXiaojiaba.openid;
    expect(codeOf(await h.call('surveys', 'get', { id: s.id }, other))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await submit(s, SMALL_ANSWER, other))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('surveys', 'results', { surveyId: s.id }, other))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('surveys', 'results', { surveyId: s.id }, resident))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('surveys', 'results', { surveyId: s.id }, P.adminXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('surveys', 'results', { surveyId: s.id }, P.districtHanbin.openid))).toBe('OK');
    expect(codeOf(await h.call('surveys', 'exportXlsx', { surveyId: s.id }, resident))).toBe('AUTH.FORBIDDEN');
  });

  it('bad answers are refused per question and write nothing', async () => {
    const s = await published();
    const r = await submit(s, { ...SMALL_ANSWER, stars: 9, nope: 'x' }, resident);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('SURVEY.INVALID_ANSWER');
      expect(r.error.issues).toEqual(expect.arrayContaining([{ path: ['nope'], message: '问卷中没有这道题' }, { path: ['stars'], message: '请选择 1–5 星' }]));
    }
    expect(await h.services.store.collection(surveyAnswers).count()).toBe(0);
    expect(dataOf(await h.call('surveys', 'results', { surveyId: s.id }, admin)).total).toBe(0);
    expect(dataOf(await h.call('surveys', 'adminGet', { id: s.id }, admin)).locked).toBe(false);
  });

  it('answers to hidden questions are discarded', async () => {
    const s = await published();
    dataOf(await submit(s, { ...SMALL_ANSWER, meal: { pick: 'b' } }, resident));
    const stored = (await h.services.store.collection(surveyAnswers).find({ where: { surveyId: s.id } })).items[0]!;
    expect(stored.answers).not.toHaveProperty('when');
  });

  it('closed and not yet open say so', async () => {
    const later = await published(SMALL, { openAt: new Date(DEFAULT_NOW.getTime() + 86400_000).toISOString() });
    const r = await submit(later, SMALL_ANSWER, resident);
    expect(codeOf(r)).toBe('SURVEY.NOT_OPEN');
    expect(dataOf(await h.call('surveys', 'get', { id: later.id }, resident)).phase).toBe('not_open');
    const s = await published();
    dataOf(await h.call('surveys', 'close', { id: s.id }, admin));
    expect(codeOf(await submit(s, SMALL_ANSWER, resident))).toBe('SURVEY.CLOSED');
    const timed = await published();
    h.advance(8 * 86400_000);
    expect(codeOf(await submit(timed, SMALL_ANSWER, resident))).toBe('SURVEY.CLOSED');
  });

  it('a stale version is refused', async () => {
    const s = await published();
    expect(codeOf(await submit({ ...s, version: 7 }, SMALL_ANSWER, resident))).toBe('SURVEY.VERSION_CHANGED');
  });

  it('one per household: a second resident at the same address is refused', async () => {
    const s = await published(SMALL, { perHousehold: true });
    // Same building and unit as 李秀兰 (3栋 2单元), written differently.
    dataOf(await h.call('members', 'joinCommunity', { communityId: R.peixin, name: '李家儿子', building: '3栋 ', unit: '2单元' }, 'son-of-li'));
    expect(codeOf(await submit(s, SMALL_ANSWER, resident))).toBe('OK');
    const r = await submit(s, SMALL_ANSWER, 'son-of-li');
    expect(r.ok ? 'OK' : r.error.message).toBe('您家已经填写过这份问卷，感谢参与');
    expect(dataOf(await h.call('surveys', 'get', { id: s.id }, 'son-of-li')).answered).toBe(true);
  });
});

describe('staff entry (代录)', () => {
  it('grid workers and admins of the community enter paper answers, marked and counted apart', async () => {
    const s = await published();
    const input = (requestId: string) => ({ surveyId: s.id, version: s.version, answers: SMALL_ANSWER, respondent: { building: '8栋', unit: '1单元', name: '王大爷' }, requestId });
    expect(codeOf(await h.call('surveys', 'staffSubmit', input('paper-0001'), P.gridPeixin.openid))).toBe('OK');
    // A retry of the same sheet lands on the same answer.
    expect(codeOf(await h.call('surveys', 'staffSubmit', input('paper-0001'), P.gridPeixin.openid))).toBe('OK');
    expect(codeOf(await h.call('surveys', 'staffSubmit', input('paper-0002'), admin))).toBe('OK');
    expect(codeOf(await h.call('surveys', 'staffSubmit', input('paper-0003'), P.adminXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('surveys', 'staffSubmit', input('paper-0004'), resident))).toBe('AUTH.FORBIDDEN');
    dataOf(await submit(s, SMALL_ANSWER, resident));
    const res = dataOf(await h.call('surveys', 'results', { surveyId: s.id }, admin));
    expect(res).toMatchObject({ total: 3, staffEntered: 2 });
    const stored = (await h.services.store.collection(surveyAnswers).find({ where: { surveyId: s.id } })).items;
    expect(stored.filter((a) => a.staffEntered).map((a) => a.enteredBy).sort()).toEqual([P.adminPeixin.memberId, P.gridPeixin.memberId].sort());
  });
});

describe('anonymity', () => {
  it('an anonymous questionnaire never reveals who answered: not in records, results, texts or the export', async () => {
    const s = await published(SMALL, { anonymous: true });
    dataOf(await submit(s, SMALL_ANSWER, resident));
    dataOf(await submit(s, { ...SMALL_ANSWER, idea: '路灯坏了' }, admin));
    const stored = (await h.services.store.collection(surveyAnswers).find({ where: { surveyId: s.id } })).items;
    const raw = JSON.stringify(stored) + JSON.stringify((await h.services.store.collection(surveyTexts).find({ where: { surveyId: s.id, questionId: 'idea' } })).items);
    for (const p of [P.residentPeixin, P.adminPeixin]) {
      for (const secret of [p.memberId, p.openid, p.name, '3栋', '1栋']) expect(raw).not.toContain(secret);
    }
    const res = dataOf(await h.call('surveys', 'results', { surveyId: s.id }, admin));
    expect(JSON.stringify(res)).not.toMatch(/李秀兰|刘芳|m-lixiulan|m-liufang/);
    const exp = dataOf(await h.call('surveys', 'exportXlsx', { surveyId: s.id }, admin));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await h.services.files.read(exp.fileId))! as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value)))));
    const text = cells.join('|');
    expect(text).not.toMatch(/李秀兰|刘芳|m-lixiulan|m-liufang|ans:/);
    expect(wb.getWorksheet('答卷')!.getRow(1).values).not.toContain('姓名');
    expect(text).toContain('路灯坏了');
  });

  it('a named questionnaire exports names and readable labels, one row per answer', async () => {
    const s = await published();
    dataOf(await submit(s, SMALL_ANSWER, resident));
    const exp = dataOf(await h.call('surveys', 'exportXlsx', { surveyId: s.id }, admin));
    expect(exp).toMatchObject({ count: 1, truncated: false });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await h.services.files.read(exp.fileId))! as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('答卷')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const row = (ws.getRow(2).values as unknown[]).slice(1);
    const at = (h: string) => row[header.indexOf(h)];
    expect(at('姓名')).toBe('李秀兰');
    expect(at('3. 希望在哪些时段用餐？')).toBe('午餐；其他（请注明）：下午茶');
    expect(at('6. 对以下服务的评价 - 治安')).toBe('一般');
    expect(at('5. 对社区现有服务的满意度')).toBe(4);
    expect(wb.getWorksheet('统计')).toBeDefined();
  });
});

describe('concurrency', () => {
  it('many different people at once: tallies equal a recount', async () => {
    const def = twentyQuestions();
    const s = await published(def);
    const people = await residents(40);
    const results = await Promise.all(people.map((p, i) => submit(s, twentyAnswer(i), p)));
    expect(results.map(codeOf)).toEqual(people.map(() => 'OK'));
    const res = dataOf(await h.call('surveys', 'results', { surveyId: s.id }, admin));
    const { body, count } = await recount(s.id, def);
    expect(count).toBe(40);
    expect(res.total).toBe(40);
    const tallies = await h.services.store.collection(surveyTallies).getMany(Array.from({ length: TALLY_SHARDS }, (_, i) => tallyId(s.id, i)));
    const main = tallies.reduce((acc, t) => addCounters(acc, t.c), {} as Record<string, unknown>);
    expect(main).toEqual(body);
    // Cross-tab groups add up to the total.
    const x = dataOf(await h.call('surveys', 'crossTab', { surveyId: s.id, by: 'age' }, admin));
    expect(x.groups.reduce((n: number, g: { total: number }) => n + g.total, 0)).toBe(40);
  });

  it('the same person twice at the same instant: one answer, counted once', async () => {
    const s = await published();
    const [a, b] = await Promise.all([submit(s, SMALL_ANSWER, resident), submit(s, SMALL_ANSWER, resident)]);
    expect([codeOf(a), codeOf(b)].sort()).toEqual(['OK', 'SURVEY.ALREADY_ANSWERED']);
    expect(await h.services.store.collection(surveyAnswers).count({ surveyId: s.id })).toBe(1);
    expect(dataOf(await h.call('surveys', 'results', { surveyId: s.id }, admin)).total).toBe(1);
    expect(await h.services.store.collection(surveyTexts).count({ surveyId: s.id })).toBe(2);
  });
});

describe('results tools', () => {
  it('text answers are listed and searchable', async () => {
    const s = await published();
    const people = await residents(3);
    for (const [i, p] of people.entries()) dataOf(await submit(s, { ...SMALL_ANSWER, idea: ['增加路灯', '修电梯', '路灯太暗'][i] }, p));
    const all = dataOf(await h.call('surveys', 'texts', { surveyId: s.id, questionId: 'idea' }, admin));
    expect(all.items).toHaveLength(3);
    const hit = dataOf(await h.call('surveys', 'texts', { surveyId: s.id, questionId: 'idea', q: '路灯' }, admin));
    expect(hit.items.map((t: { text: string }) => t.text).sort()).toEqual(['增加路灯', '路灯太暗']);
  });

  it('an option or a text becomes a suggestion (source survey, link kept), once', async () => {
    const s = await published();
    dataOf(await submit(s, SMALL_ANSWER, resident));
    const input = { surveyId: s.id, questionId: 'meal', optionId: 'a', category: '养老助餐', text: '问卷中多数居民需要老年助餐服务' };
    expect(codeOf(await h.call('surveys', 'toSuggestion', input, resident))).toBe('AUTH.FORBIDDEN');
    const first = dataOf(await h.call('surveys', 'toSuggestion', input, admin));
    expect(first.created).toBe(true);
    expect(dataOf(await h.call('surveys', 'toSuggestion', input, admin))).toEqual({ suggestionId: first.suggestionId, created: false });
    const sg = await h.services.store.collection(suggestions).get(first.suggestionId);
    expect(sg).toMatchObject({ source: 'survey', communityId: R.peixin, status: 'received', origin: { kind: 'survey', id: s.id, questionId: 'meal', optionId: 'a' } });
    expect(dataOf(await h.call('suggestions', 'get', { id: first.suggestionId }, admin)).text).toBe(input.text);
    const text = dataOf(await h.call('surveys', 'texts', { surveyId: s.id, questionId: 'idea' }, admin)).items[0];
    const fromText = dataOf(await h.call('surveys', 'toSuggestion', { surveyId: s.id, questionId: 'idea', textId: text._id, category: '养老助餐', text: text.text }, admin));
    expect(fromText.created).toBe(true);
    expect(codeOf(await h.call('surveys', 'toSuggestion', { ...input, optionId: 'zz' }, admin))).toBe('SURVEY.NOT_FOUND');
  });

  it('the definition exports as JSON and imports as a draft elsewhere; a bad file is refused', async () => {
    const s = await published();
    const json = dataOf(await h.call('surveys', 'exportDefinition', { id: s.id }, admin));
    expect(json.format).toBe('shishi-survey/1');
    const copy = dataOf(await h.call('surveys', 'importDefinition', { communityId: R.xiaojiaba, definition: JSON.parse(JSON.stringify(json)), settings: settings() }, P.adminXiaojiaba.openid));
    expect(copy).toMatchObject({ status: 'draft', communityId: R.xiaojiaba, title: SMALL.title });
    expect(copy.questions).toEqual(dataOf(await h.call('surveys', 'adminGet', { id: s.id }, admin)).questions);
    expect(codeOf(await h.call('surveys', 'importDefinition', { communityId: R.xiaojiaba, definition: { title: 'x' }, settings: settings() }, P.adminXiaojiaba.openid))).toBe('SURVEY.INVALID_DEFINITION');
    const broken = { ...json, questions: [{ ...json.questions[0], options: [] }] };
    const r = await h.call('surveys', 'importDefinition', { communityId: R.xiaojiaba, definition: broken, settings: settings() }, P.adminXiaojiaba.openid);
    expect(r.ok ? 'OK' : r.error.message).toBe('第1题（单选题）还没有选项');
  });
});
