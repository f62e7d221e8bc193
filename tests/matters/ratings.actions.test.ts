/**
 * Residents' ratings through dispatch, on SQLite and the CloudBase stand-in: one per resident (also under
 * concurrent submits), only once accepted, only residents of the matter's community, satisfaction kept on
 * write, comments listed without names, and the admin's flag when dissatisfaction crosses the line.
 */
import { matters, ratings } from '../../src/features/matters/matters.collections';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { readAll } from '../../src/server/read-all';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';
import { acceptedMatter, addPerson, ADMIN, getMatterDoc, makeMatter, OTHER_RESIDENT, RESIDENT, YEAR } from './closing-fixture';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const rate = (matterId: string, who: string, level = 'satisfied', comment?: string) =>
  h.call('matters', 'rateMatter', { matterId, level, ...(comment !== undefined ? { comment } : {}) }, who);
const stored = async (matterId: string) => (await readAll(h.services.store.collection(ratings), { where: { matterId } })).items;

let people = 0;
/** n new residents of 培新街社区. */
const residents = async (n: number) => Promise.all(Array.from({ length: n }, async () => {
  const openid = `rater-${++people}`;
  await addPerson(h, openid, { role: 'resident', regionId: R.peixin, regionName: '培新街社区' }, `居民${people}号`);
  return openid;
}));

describe('who may rate, and when', () => {
  test('before 验收 every state is refused, and nothing is written', async () => {
    for (const state of ['planning', 'in_progress', 'completed'] as const) {
      const id = await makeMatter(h, { state });
      const r = await rate(id, RESIDENT);
      expect(r).toMatchObject({ ok: false, error: { code: 'MATTERS.NOT_ACCEPTED', message: '实事完成并验收后才能评价' } });
      expect(await stored(id)).toEqual([]);
      expect((await getMatterDoc(h, id)).satisfaction).toBeUndefined();
    }
  });

  test('a resident of another community, staff without a resident grant, and strangers are refused', async () => {
    const id = await acceptedMatter(h);
    for (const who of [OTHER_RESIDENT, P.adminXiaojiaba.openid, P.districtHanbin.openid, P.gridPeixin.openid, 'demo-newcomer']) {
      expect([who, codeOf(await rate(id, who))]).toEqual([who, 'AUTH.FORBIDDEN']);
    }
    expect(await stored(id)).toEqual([]);
  });

  test('a rating counts once; a second one is refused and changes nothing', async () => {
    const id = await acceptedMatter(h);
    expect(dataOf(await rate(id, RESIDENT, 'basic', '路灯亮了，就是有一盏偏暗'))).toEqual({ mine: 'basic', satisfaction: { satisfied: 0, basic: 1, dissatisfied: 0, total: 1, rate: 1 } });
    const rev = (await getMatterDoc(h, id))._rev;
    expect(await rate(id, RESIDENT, 'dissatisfied')).toMatchObject({ ok: false, error: { code: 'MATTERS.RATING_EXISTS', message: '您已评价过这件实事' } });
    expect((await getMatterDoc(h, id))._rev).toBe(rev);
    expect(await stored(id)).toEqual([expect.objectContaining({ _id: `rating:${id}:${P.residentPeixin.memberId}`, level: 'basic' })]);
    expect(dataOf(await h.call('matters', 'getResult', { matterId: id }, RESIDENT))).toMatchObject({ mine: 'basic', canRate: false });
  });

  test('bad input: code and message, nothing written', async () => {
    const id = await acceptedMatter(h);
    const cases: [string, string | undefined, string][] = [
      ['great', undefined, 'INPUT.INVALID'],
      ['satisfied', '好'.repeat(201), 'INPUT.INVALID'],
      ['satisfied', '这里有人卖冰毒', 'MATTERS.UNSAFE_CONTENT'],
    ];
    for (const [level, comment, code] of cases) {
      const r = await rate(id, RESIDENT, level, comment);
      expect([level, codeOf(r)]).toEqual([level, code]);
      expect(r.ok ? '' : r.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await stored(id)).toEqual([]);
    expect(codeOf(await rate('matter:nope', RESIDENT))).toBe('MATTERS.MATTER_NOT_FOUND');
  });

  test('a reopened matter takes no ratings until it is accepted again', async () => {
    const id = await acceptedMatter(h);
    dataOf(await h.call('matters', 'reopenMatter', { matterId: id, reason: '路灯又坏了三盏，重新整改' }, ADMIN));
    expect(codeOf(await rate(id, RESIDENT))).toBe('MATTERS.RATING_CLOSED');
  });
});

describe('under concurrent submits', () => {
  test('10 parallel submits by one resident: exactly one stored, counts +1', async () => {
    const id = await acceptedMatter(h);
    const [who] = await residents(1);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => rate(id, who!, i % 2 ? 'dissatisfied' : 'satisfied')));
    const codes = results.map(codeOf);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'MATTERS.RATING_EXISTS')).toHaveLength(9);
    const rows = await stored(id);
    expect(rows).toHaveLength(1);
    const s = (await getMatterDoc(h, id)).satisfaction!;
    expect(s.total).toBe(1);
    expect(s[rows[0]!.level]).toBe(1);
  });

  test('12 residents at once: every rating counted, none lost', async () => {
    const id = await acceptedMatter(h);
    const who = await residents(12);
    const results = await Promise.all(who.map((w, i) => rate(id, w, ['satisfied', 'basic', 'dissatisfied'][i % 3])));
    expect(results.map(codeOf)).toEqual(who.map(() => 'OK'));
    expect((await getMatterDoc(h, id)).satisfaction).toEqual({ satisfied: 4, basic: 4, dissatisfied: 4, total: 12 });
    expect(await stored(id)).toHaveLength(12);
  });
});

describe("satisfaction and the admin's flag", () => {
  test('kept on write; the rating that takes 不满意 to 30 % of at least 5 raises the flag, which shows on the board', async () => {
    const id = await acceptedMatter(h);
    const who = await residents(6);
    for (const [i, level] of (['satisfied', 'satisfied', 'basic', 'dissatisfied'] as const).entries()) dataOf(await rate(id, who[i]!, level));
    expect((await getMatterDoc(h, id)).attention?.open ?? false).toBe(false); // 1 of 4: too few ratings
    const fifth = dataOf(await rate(id, who[4]!, 'dissatisfied')); // 2 of 5 = 40 %
    expect(fifth.satisfaction).toEqual({ satisfied: 2, basic: 1, dissatisfied: 2, total: 5, rate: 0.6 });
    const m = await getMatterDoc(h, id);
    expect(m.attention).toMatchObject({ open: true, reasons: ['ratings'], since: h.services.now().toISOString() });

    const board = dataOf(await h.call('matters', 'closingBoard', { communityId: R.peixin, year: YEAR }, ADMIN)).items;
    expect(board[0]).toMatchObject({ matterId: id, attention: ['ratings'], satisfaction: { total: 5, rate: 0.6 } });
    // The stored counts are the truth: the same as counting the ratings.
    const rows = await stored(id);
    expect(rows.filter((r) => r.level === 'dissatisfied')).toHaveLength(m.satisfaction!.dissatisfied);
    expect(codeOf(await h.call('matters', 'closingBoard', { communityId: R.peixin, year: YEAR }, RESIDENT))).toBe('AUTH.FORBIDDEN');
  });

  test('a matter with a stricter line set at 验收 is flagged by its own rule', async () => {
    const id = await acceptedMatter(h, {}, { attention: { share: 0.5, minRatings: 2 } });
    const who = await residents(2);
    dataOf(await rate(id, who[0]!, 'satisfied'));
    expect((await getMatterDoc(h, id)).attention?.open ?? false).toBe(false);
    dataOf(await rate(id, who[1]!, 'dissatisfied'));
    expect((await getMatterDoc(h, id)).attention?.open).toBe(true);
  });
});

describe('comments', () => {
  test('only ratings with a comment, newest first, paged by 20, never who wrote them', async () => {
    const id = await acceptedMatter(h);
    const who = await residents(23);
    for (const [i, w] of who.entries()) {
      h.advance(1000);
      dataOf(await rate(id, w, i % 2 ? 'basic' : 'satisfied', i === 22 ? undefined : `评论第${i}条：路灯很亮`));
    }
    const first = dataOf(await h.call('matters', 'listRatingComments', { matterId: id }, RESIDENT));
    expect(first.items).toHaveLength(20);
    expect(first.items[0]).toMatchObject({ level: 'basic', comment: '评论第21条：路灯很亮' });
    const second = dataOf(await h.call('matters', 'listRatingComments', { matterId: id, cursor: first.nextCursor }, RESIDENT));
    expect(second.items.map((c: { comment: string }) => c.comment)).toEqual(['评论第1条：路灯很亮', '评论第0条：路灯很亮']);
    expect(second.nextCursor).toBeNull();
    const text = JSON.stringify([first, second]);
    expect(text).not.toMatch(/rater-|m-rater|居民\d+号|rating:/);
    expect(codeOf(await h.call('matters', 'listRatingComments', { matterId: id }, OTHER_RESIDENT))).toBe('AUTH.FORBIDDEN');
    expect(await h.services.store.collection(matters).get(id)).toMatchObject({ satisfaction: { total: 23 } });
  });
});
