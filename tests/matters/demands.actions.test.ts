/** The demand list through dispatch, on SQLite and on the CloudBase stand-in: adopt, enter, merge, undo, split. */
import { recount, supporterCount } from '../../src/features/matters/demands.rules';
import { demands, demandSources, demandSupport } from '../../src/features/matters/matters.collections';
import { suggestions } from '../../src/features/suggestions/suggestions.collections';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { readAll } from '../../src/server/read-all';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const ADMIN = P.adminPeixin.openid;
let seq = 0;
const submit = async (openid: string, text: string, communityId: string = R.peixin) =>
  dataOf(await h.call('suggestions', 'submit', { requestId: `demand-test-${++seq}`, communityId, category: '公共设施', text }, openid))._id as string;
const adopt = (suggestionId: string, into: string | null = null, openid = ADMIN) => h.call('matters', 'adoptSuggestion', { suggestionId, into }, openid);
const create = (title: string, openid = ADMIN, communityId: string = R.peixin) =>
  h.call('matters', 'createDemand', { requestId: `create-${++seq}`, communityId, title, category: '市场商户', note: '居民议事会上多位居民提出' }, openid);
const demand = async (id: string) => (await h.services.store.collection(demands).get(id))!;

/** The figures kept on write must equal a recount from the sources of the demand and all merged into it. */
async function expectTalliesTrue(): Promise<void> {
  const store = h.services.store;
  const all = (await readAll(store.collection(demands), {})).items;
  const sources = (await readAll(store.collection(demandSources), {})).items;
  const members = (id: string): string[] => [id, ...all.filter((d) => d.mergedInto === id).flatMap((d) => members(d._id))];
  for (const d of all) {
    const mine = new Set(members(d._id));
    const expected = recount(sources.filter((s) => mine.has(s.demandId)));
    const sup = await store.collection(demandSupport).get(d._id);
    expect({ backers: sup!.backers, anonymous: sup!.anonymous }).toEqual(expected);
    expect(d.supporters).toBe(supporterCount(expected));
    expect(d.ownSources).toBe(sources.filter((s) => s.demandId === d._id).length);
  }
}

describe('demo demand lists', () => {
  test('肖家坝: 富民市场改造提升 leads by supporters; 培新街 has the 孝义食堂; seeding again changes nothing', async () => {
    const { seedDemoMatters } = await import('../../src/server/demo/seed-matters');
    const h2 = await createHarness();
    try {
      const list = async (communityId: string, openid: string) => dataOf(await h2.call('matters', 'listDemands', { communityId, year: 2025 }, openid)).items;
      const xjb = await list(R.xiaojiaba, P.adminXiaojiaba.openid);
      expect(xjb[0]).toMatchObject({ title: '富民市场改造提升', supporters: 5, kinds: { admin: 1, suggestion: 5 } });
      expect(xjb[0].supporters).toBeGreaterThan(xjb[1].supporters);
      expect((await list(R.peixin, ADMIN)).map((d: { title: string }) => d.title)).toContain('孝义食堂（老年助餐点）');
      const before = (await readAll(h2.services.store.collection(demands), {})).items.map((d) => [d._id, d._rev]);
      await seedDemoMatters(h2.services);
      expect((await readAll(h2.services.store.collection(demands), {})).items.map((d) => [d._id, d._rev])).toEqual(before);
    } finally {
      await h2.close();
    }
  });
});

describe('adopting suggestions', () => {
  test('a suggestion becomes a demand; the suggestion is adopted and links to it; adopting it twice is refused', async () => {
    const sid = await submit(P.residentPeixin.openid, '富民市场门口路面坑洼，下雨天全是积水');
    const r = dataOf(await adopt(sid));
    expect(r.created).toBe(true);
    const d = await demand(r.demandId);
    expect(d).toMatchObject({ communityId: R.peixin, districtId: R.hanbin, cityId: R.city, status: 'open', supporters: 1, ownSources: 1, kinds: { suggestion: 1 } });
    expect(await h.services.store.collection(suggestions).get(sid)).toMatchObject({ status: 'adopted', demandId: r.demandId });
    expect(codeOf(await adopt(sid))).toBe('MATTERS.ALREADY_ADOPTED');
    expect((await demand(r.demandId)).ownSources).toBe(1);
    await expectTalliesTrue();
  });

  test('supporters are distinct people: the same resident twice counts once, another resident adds one', async () => {
    const first = dataOf(await adopt(await submit(P.residentPeixin.openid, '培新街3栋楼道灯坏了')));
    dataOf(await adopt(await submit(P.residentPeixin.openid, '3栋楼道灯还是不亮'), first.demandId));
    expect(await demand(first.demandId)).toMatchObject({ supporters: 1, ownSources: 2 });
    dataOf(await adopt(await submit(P.adminPeixin.openid, '楼道照明需要修'), first.demandId)); // 刘芳 is a resident too
    expect(await demand(first.demandId)).toMatchObject({ supporters: 2, ownSources: 3, kinds: { suggestion: 3 } });
    await expectTalliesTrue();
  });

  test('into a demand of another community, or a merged one: refused, nothing written', async () => {
    const other = dataOf(await create('肖家坝菜市场改造', P.adminXiaojiaba.openid, R.xiaojiaba));
    const sid = await submit(P.residentPeixin.openid, '菜市场里面太乱了');
    expect(codeOf(await adopt(sid, other._id))).toBe('MATTERS.MERGE_OTHER_COMMUNITY');
    expect(await h.services.store.collection(suggestions).get(sid)).toMatchObject({ status: 'received' });
    expect(codeOf(await adopt('no-such-suggestion'))).toBe('MATTERS.SUGGESTION_NOT_FOUND');
  });
});

describe('entered by the community', () => {
  test('with a note of where it came from; a retried request creates nothing twice', async () => {
    const input = { requestId: 'enter-once', communityId: R.peixin, title: '富民市场改造提升', category: '市场商户', note: '居民议事会上多位居民提出' };
    const a = dataOf(await h.call('matters', 'createDemand', input, ADMIN));
    const b = dataOf(await h.call('matters', 'createDemand', input, ADMIN));
    expect(b._id).toBe(a._id);
    expect(a).toMatchObject({ supporters: 0, ownSources: 1, kinds: { admin: 1 }, year: 2025 });
    const detail = dataOf(await h.call('matters', 'getDemand', { id: a._id }, ADMIN));
    expect(detail.sources).toEqual([expect.objectContaining({ kind: 'admin', note: '居民议事会上多位居民提出' })]);
  });

  test('who may: a community admin of that community; district and city admins read', async () => {
    expect(codeOf(await create('路灯', P.residentPeixin.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await create('路灯', P.adminXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await create('路灯', P.districtHanbin.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await create('路灯', ADMIN, R.laocheng))).toBe('AUTH.FORBIDDEN'); // a street, not this admin's
    const d = dataOf(await create('社区路灯更换'));
    expect(codeOf(await h.call('matters', 'getDemand', { id: d._id }, P.districtHanbin.openid))).toBe('OK');
    expect(codeOf(await h.call('matters', 'getDemand', { id: d._id }, P.cityAnkang.openid))).toBe('OK');
    expect(codeOf(await h.call('matters', 'getDemand', { id: d._id }, P.adminXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('matters', 'getDemand', { id: d._id }, P.residentPeixin.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('matters', 'listDemands', { communityId: R.peixin, year: 2025 }, P.districtHanbin.openid))).toBe('OK');
  });
});

describe('merge, undo, split: no source is ever lost', () => {
  test('merge counts a shared supporter once; undo restores both exactly', async () => {
    const a = dataOf(await adopt(await submit(P.residentPeixin.openid, '小区健身器材坏了好久')));
    dataOf(await adopt(await submit(P.adminPeixin.openid, '健身器材需要维修'), a.demandId));
    const b = dataOf(await adopt(await submit(P.residentPeixin.openid, '广场健身器材生锈了')));
    const before = [await demand(a.demandId), await demand(b.demandId)];

    const merged = dataOf(await h.call('matters', 'mergeDemands', { into: a.demandId, from: b.demandId }, ADMIN));
    expect(merged).toMatchObject({ supporters: 2, mergedCount: 1, kinds: { suggestion: 3 } });
    expect(await demand(b.demandId)).toMatchObject({ status: 'merged', mergedInto: a.demandId });
    const list = dataOf(await h.call('matters', 'listDemands', { communityId: R.peixin, year: 2025 }, ADMIN));
    expect(list.items.map((d: { _id: string }) => d._id)).toContain(a.demandId);
    expect(list.items.map((d: { _id: string }) => d._id)).not.toContain(b.demandId);
    const detail = dataOf(await h.call('matters', 'getDemand', { id: a.demandId }, ADMIN));
    expect(detail.sources).toHaveLength(3);
    expect(detail.sources.filter((s: { demandId: string }) => s.demandId === b.demandId)).toHaveLength(1);
    expect(detail.merged).toEqual([expect.objectContaining({ _id: b.demandId })]);
    await expectTalliesTrue();

    expect(codeOf(await h.call('matters', 'mergeDemands', { into: a.demandId, from: b.demandId }, ADMIN))).toBe('MATTERS.DEMAND_NOT_OPEN');
    expect(codeOf(await h.call('matters', 'mergeDemands', { into: a.demandId, from: a.demandId }, ADMIN))).toBe('MATTERS.MERGE_SAME');

    const undone = dataOf(await h.call('matters', 'undoMerge', { id: b.demandId }, ADMIN));
    const pick = (d: { supporters: number; anonymous: number; kinds: unknown; mergedCount: number; status: string; ownSources: number }) =>
      ({ supporters: d.supporters, anonymous: d.anonymous, kinds: d.kinds, mergedCount: d.mergedCount, status: d.status, ownSources: d.ownSources });
    expect(pick(undone.restored)).toEqual(pick(before[0]!));
    expect(pick(undone.from)).toEqual(pick(before[1]!));
    expect(codeOf(await h.call('matters', 'undoMerge', { id: b.demandId }, ADMIN))).toBe('MATTERS.NOT_MERGED');
    await expectTalliesTrue();
  });

  test('nested merges undo from the outside in', async () => {
    const [a, b, c] = [dataOf(await create('停车难 A')), dataOf(await create('停车难 B')), dataOf(await create('停车难 C'))];
    dataOf(await h.call('matters', 'mergeDemands', { into: b._id, from: c._id }, ADMIN));
    dataOf(await h.call('matters', 'mergeDemands', { into: a._id, from: b._id }, ADMIN));
    expect(codeOf(await h.call('matters', 'undoMerge', { id: c._id }, ADMIN))).toBe('MATTERS.UNDO_OUTER_MERGE_FIRST');
    expect((await demand(a._id)).kinds).toEqual({ admin: 3 });
    dataOf(await h.call('matters', 'undoMerge', { id: b._id }, ADMIN));
    dataOf(await h.call('matters', 'undoMerge', { id: c._id }, ADMIN));
    expect((await demand(a._id)).kinds).toEqual({ admin: 1 });
    await expectTalliesTrue();
  });

  test('merging across communities is refused and writes nothing', async () => {
    const mine = dataOf(await create('菜市场改造'));
    const theirs = dataOf(await create('菜市场改造', P.adminXiaojiaba.openid, R.xiaojiaba));
    const revs = [(await demand(mine._id))._rev, (await demand(theirs._id))._rev];
    expect(codeOf(await h.call('matters', 'mergeDemands', { into: mine._id, from: theirs._id }, ADMIN))).toBe('MATTERS.MERGE_OTHER_COMMUNITY');
    expect(await demand(theirs._id)).toMatchObject({ status: 'open', mergedInto: null, _rev: revs[1] });
    expect((await demand(mine._id))._rev).toBe(revs[0]);
  });

  test('split moves chosen sources to a new demand with their supporters; never all, never another demand’s', async () => {
    const a = dataOf(await adopt(await submit(P.residentPeixin.openid, '垃圾清运不及时')));
    const s2 = await submit(P.adminPeixin.openid, '垃圾站太臭了，要搬走');
    dataOf(await adopt(s2, a.demandId));
    dataOf(await adopt(await submit(P.residentPeixin.openid, '小区垃圾桶不够用'), a.demandId));
    const own = (await readAll(h.services.store.collection(demandSources), { where: { demandId: a.demandId } })).items;
    const moving = own.filter((s) => s.ref === s2).map((s) => s._id);
    const split = (sourceIds: string[], requestId = `split-${++seq}`) => h.call('matters', 'splitDemand', { id: a.demandId, sourceIds, title: '垃圾站搬迁', requestId }, ADMIN);

    expect(codeOf(await split(own.map((s) => s._id)))).toBe('MATTERS.SPLIT_EVERYTHING');
    const other = dataOf(await create('别的需求'));
    expect(codeOf(await split([`dsrc:admin:${other._id}`]))).toBe('MATTERS.SPLIT_NOT_ITS_SOURCE');
    const r = dataOf(await split(moving, 'split-once'));
    expect(r.kept).toMatchObject({ supporters: 1, ownSources: 2 });
    expect(r.created).toMatchObject({ title: '垃圾站搬迁', supporters: 1, ownSources: 1, kinds: { suggestion: 1 } });
    const again = dataOf(await split(moving, 'split-once'));
    expect(again.created._id).toBe(r.created._id);
    expect((await h.services.store.collection(demandSources).get(moving[0]!))).toMatchObject({ demandId: r.created._id, movedFrom: a.demandId });
    await expectTalliesTrue();
  });
});

describe('proposals by text similarity', () => {
  test('a new suggestion is shown the most similar open demands of its own community; one tap adopts it there', async () => {
    const h2 = await createHarness();
    try {
      const make = async (title: string, description: string, openid = ADMIN, communityId: string = R.peixin) =>
        dataOf(await h2.call('matters', 'createDemand', { requestId: `sim-${++seq}`, communityId, title, description, category: '公共设施', note: '入户走访中收集' }, openid))._id as string;
      const market = await make('富民市场改造提升', '市场地面破损、排水不畅、摊位杂乱，需要整体改造');
      await make('楼道照明', '老旧楼栋楼道灯损坏，夜间出行不便');
      await make('加装电梯', '多层住宅老人上下楼困难，希望加装电梯');
      await make('富民市场改造提升', '市场地面破损、排水不畅', P.adminXiaojiaba.openid, R.xiaojiaba);
      const sid = dataOf(await h2.call('suggestions', 'submit', { requestId: `sim-sg-${++seq}`, communityId: R.peixin, category: '市场商户', text: '富民市场里面地面坑坑洼洼，下雨排水也不行，建议改造一下' }, P.residentPeixin.openid))._id;
      const proposals = dataOf(await h2.call('matters', 'similarDemands', { suggestionId: sid }, ADMIN)).items;
      expect(proposals[0]).toMatchObject({ _id: market, title: '富民市场改造提升' });
      expect(proposals.length).toBeLessThanOrEqual(3);
      expect(codeOf(await h2.call('matters', 'similarDemands', { suggestionId: sid }, P.adminXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
      expect(dataOf(await h2.call('matters', 'adoptSuggestion', { suggestionId: sid, into: proposals[0]._id }, ADMIN))).toEqual({ demandId: market, created: false });
      expect(dataOf(await h2.call('matters', 'similarDemands', { suggestionId: sid }, ADMIN)).items).toEqual([]);
    } finally {
      await h2.close();
    }
  });
});

describe('concurrency', () => {
  test('two admins adopting the same suggestion at once: one adoption, the other told it is already on the list', async () => {
    const sid = await submit(P.residentPeixin.openid, '社区门口的人行道砖松动了');
    const results = await Promise.all([adopt(sid), adopt(sid), adopt(sid)]);
    expect(results.map(codeOf).sort()).toEqual(['MATTERS.ALREADY_ADOPTED', 'MATTERS.ALREADY_ADOPTED', 'OK']);
    const all = (await readAll(h.services.store.collection(demandSources), {})).items;
    expect(all.filter((x) => x.ref === sid)).toHaveLength(1);
    await expectTalliesTrue();
  });

  test('parallel adoptions into one demand and a merge at the same time: every source counted, tallies true', async () => {
    const a = dataOf(await create('加装电梯'));
    const b = dataOf(await adopt(await submit(P.adminPeixin.openid, '老楼加装电梯')));
    const sids = await Promise.all(Array.from({ length: 6 }, (_, i) => submit(i % 2 ? P.residentPeixin.openid : P.adminPeixin.openid, `加装电梯的建议 ${i}`)));
    const results = await Promise.all([
      ...sids.map((sid) => adopt(sid, a._id)),
      h.call('matters', 'mergeDemands', { into: a._id, from: b.demandId }, ADMIN),
    ]);
    expect(results.map(codeOf)).toEqual(results.map(() => 'OK'));
    expect(await demand(a._id)).toMatchObject({ supporters: 2, ownSources: 7, mergedCount: 1, kinds: { admin: 1, suggestion: 7 } });
    await expectTalliesTrue();
  });
});
