/** Household visits through dispatch on a real, demo-seeded SQLite store: roles, grid scopes, idempotent record, coverage. */
import type { Result } from '../../src/lib/errors';
import { DEMO_NEWCOMER_OPENID, DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import { suggestions } from '../../src/features/suggestions/suggestions.collections';
import { careAlerts } from '../../src/features/canteen/canteen.collections';
import { gridMonths, households, visits, workerMonths } from '../../src/features/visits/visits.collections';
import { addressKey, householdId, monthOf } from '../../src/features/visits/visits.rules';
import type { Household, Visit } from '../../src/features/visits/visits.schema';
import type { Stored } from '../../src/server/store/store';
import { createHarness, type Harness } from '../support/harness';

const P = DEMO_PEOPLE;
const R = REGION_IDS;

type Who = keyof typeof P | 'newcomer' | 'anonymous';
const EVERYONE: Who[] = [...(Object.keys(P) as (keyof typeof P)[]), 'newcomer', 'anonymous'];
const openidOf = (w: Who): string | null => (w === 'anonymous' ? null : w === 'newcomer' ? DEMO_NEWCOMER_OPENID : P[w].openid);
const codeOf = (r: Result<unknown>): string => (r.ok ? 'OK' : r.error.code);
function ok<T = any>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.data;
}

/** 王桂芳, 3栋2单元501, 培新街社区 第一网格 (独居老人: weekly). */
const WANG = householdId(R.peixin, addressKey({ building: '3栋', unit: '2单元', room: '501' }));
/** 冯淑珍, 8栋1单元102, 培新街社区 第二网格. */
const FENG = householdId(R.peixin, addressKey({ building: '8栋', unit: '1单元', room: '102' }));
/** 黄永福, 肖家坝社区 第一网格. */
const HUANG = householdId(R.xiaojiaba, addressKey({ building: '12栋', unit: '1单元', room: '301' }));

let seq = 0;
const clientId = () => `client-${String(++seq).padStart(8, '0')}`;

function helpers(h: Harness) {
  const as = (who: Who | string, action: string, input: unknown) =>
    h.call('visits', action, input, (EVERYONE as string[]).includes(who) ? openidOf(who as Who) : who);
  const visitInput = (extra: Record<string, unknown> = {}) => ({
    clientId: clientId(),
    householdId: WANG,
    visitedAt: h.services.now().toISOString(),
    kind: 'care',
    findings: '老人身体状况良好，家中暖气正常',
    ...extra,
  });
  const all = async <T>(def: Parameters<typeof h.services.store.collection<T>>[0]): Promise<Stored<T>[]> => {
    const out: Stored<T>[] = [];
    let cursor: string | null = null;
    do {
      const page = await h.services.store.collection(def).find({ limit: 100, cursor });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  };
  return { as, visitInput, all, count: (def: Parameters<typeof h.services.store.collection>[0], where?: Record<string, string>) => h.services.store.collection(def).count(where) };
}

/** A grid worker for 第二网格 of 培新街社区, through the real invitation flow. */
async function secondGridWorker(h: Harness): Promise<string> {
  const openid = 'test-grid-peixin-2';
  const inv = ok(await h.call('members', 'createInvitation', { communityId: R.peixin, role: 'grid_worker', gridId: R.peixinGrid2 }, P.adminPeixin.openid));
  ok(await h.call('members', 'redeemInvitation', { code: inv.code, name: '钱芳', phone: '13900000011' }, openid));
  return openid;
}

describe('visits: every action × every demo role', () => {
  let h: Harness;
  let x: ReturnType<typeof helpers>;
  let visitId: string;
  let ledgerFile: string;
  beforeAll(async () => {
    h = await createHarness();
    x = helpers(h);
    visitId = ok(await x.as('gridPeixin', 'record', x.visitInput()))._id;
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('住户台账');
    ws.addRow(['网格', '楼栋', '单元', '房号', '户主姓名', '家庭人数']);
    ws.addRow(['第一网格', '20栋', '1单元', '101', '测试户', 1]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    ledgerFile = (await h.services.files.put(bytes, { ownerOpenid: P.adminPeixin.openid, contentType: 'application/zip', ext: 'xlsx', folder: 'imports' })).fileId;
    await h.services.store.collection(careAlerts).insert(
      { communityId: R.peixin, householdOrElderRef: `household:${WANG}`, kind: 'canteen_absence', reason: '连续 3 天未到食堂就餐', createdAt: h.services.now().toISOString() },
      { id: 'care:test:1' },
    );
  });
  afterAll(() => h.close());

  type Action = keyof typeof expected;
  const expected = {
    grids: { adminPeixin: 'OK' },
    createGrid: { adminPeixin: 'OK' },
    myGrids: { gridPeixin: 'OK' },
    rules: { adminPeixin: 'OK' },
    setRules: { adminPeixin: 'OK' },
    households: { gridPeixin: 'OK', adminPeixin: 'OK' },
    household: { gridPeixin: 'OK', adminPeixin: 'OK' },
    createHousehold: { gridPeixin: 'OK', adminPeixin: 'OK' },
    updateHousehold: { gridPeixin: 'OK', adminPeixin: 'OK' },
    importTemplate: { adminPeixin: 'OK' },
    importHouseholds: { adminPeixin: 'OK' },
    exportXlsx: { adminPeixin: 'OK' },
    record: { gridPeixin: 'OK' },
    visit: { gridPeixin: 'OK', adminPeixin: 'OK' },
    today: { gridPeixin: 'OK' },
    resolveAlert: { gridPeixin: 'OK', adminPeixin: 'OK' },
    feed: { adminPeixin: 'OK' },
    coverage: { adminPeixin: 'OK' },
  } satisfies Record<string, Partial<Record<Who, string>>>;
  const cells = (Object.keys(expected) as Action[]).flatMap((a) =>
    EVERYONE.map((w) => [a, w, (expected[a] as Partial<Record<Who, string>>)[w] ?? (w === 'anonymous' ? 'AUTH.UNAUTHENTICATED' : 'AUTH.FORBIDDEN')] as const),
  );

  let n = 0;
  it.each(cells)('%s as %s → %s', async (action, who, want) => {
    n++;
    const inputs: Record<Action, unknown> = {
      grids: { communityId: R.peixin },
      createGrid: { communityId: R.peixin, name: `测试网格${n}` },
      myGrids: {},
      rules: { communityId: R.peixin },
      setRules: { communityId: R.peixin, intervals: { 独居老人: 7, 重点关注: 14 }, defaultEveryDays: null },
      households: { gridId: R.peixinGrid1 },
      household: { id: WANG },
      createHousehold: { gridId: R.peixinGrid1, building: '30栋', unit: '1单元', room: String(100 + n), headName: '新住户', membersCount: 2 },
      updateHousehold: { id: WANG, headName: '王桂芳', membersCount: 1, phone: '13800001001', tags: ['独居老人', '低保'] },
      importTemplate: { communityId: R.peixin },
      importHouseholds: { communityId: R.peixin, fileId: ledgerFile, mode: 'check' },
      exportXlsx: { communityId: R.peixin },
      record: x.visitInput(),
      visit: { id: visitId },
      today: {},
      resolveAlert: { id: 'care:test:1' },
      feed: { communityId: R.peixin },
      coverage: { communityId: R.peixin },
    };
    const before = [await x.count(visits), await x.count(households), await x.count(suggestions)];
    const r = await x.as(who, action, inputs[action]);
    expect(codeOf(r)).toBe(want);
    if (want !== 'OK') expect([await x.count(visits), await x.count(households), await x.count(suggestions)]).toEqual(before);
  });

  it('residents, district and city admins never see a visit note or a household', async () => {
    for (const who of ['residentPeixin', 'residentXiaojiaba', 'districtHanbin', 'cityAnkang'] as const) {
      for (const [action, input] of [['visit', { id: visitId }], ['household', { id: WANG }], ['feed', { communityId: R.peixin }], ['households', { gridId: R.peixinGrid1 }]] as const) {
        const r = await x.as(who, action, input);
        expect(codeOf(r)).toBe('AUTH.FORBIDDEN');
        expect(JSON.stringify(r)).not.toContain('王桂芳');
      }
    }
  });
});

describe('grid scopes', () => {
  let h: Harness;
  let x: ReturnType<typeof helpers>;
  let second: string;
  beforeAll(async () => {
    h = await createHarness();
    x = helpers(h);
    second = await secondGridWorker(h);
  });
  afterAll(() => h.close());

  it("a grid worker cannot read or record in another worker's grid, or another community", async () => {
    const before = await x.count(visits);
    for (const [who, hid] of [['gridPeixin', FENG], ['gridPeixin', HUANG], [second, WANG]] as const) {
      expect(codeOf(await x.as(who, 'household', { id: hid }))).toBe('AUTH.FORBIDDEN');
      expect(codeOf(await x.as(who, 'record', x.visitInput({ householdId: hid })))).toBe('AUTH.FORBIDDEN');
      expect(codeOf(await x.as(who, 'updateHousehold', { id: hid, headName: '改名', membersCount: 1 }))).toBe('AUTH.FORBIDDEN');
    }
    expect(codeOf(await x.as('gridPeixin', 'households', { gridId: R.peixinGrid2 }))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await x.as('gridPeixin', 'createHousehold', { gridId: R.peixinGrid2, building: '1栋', room: '101', headName: '某某', membersCount: 1 }))).toBe('AUTH.FORBIDDEN');
    expect(await x.count(visits)).toBe(before);
    // Their own grid works.
    ok(await x.as(second, 'record', x.visitInput({ householdId: FENG })));
  });

  it("the day lists only the worker's grids; another community's admin sees nothing of this one", async () => {
    const mine = ok(await x.as('gridPeixin', 'today', {}));
    expect(mine.due.length).toBeGreaterThan(0);
    expect(new Set(mine.due.map((d: { gridId: string }) => d.gridId))).toEqual(new Set([R.peixinGrid1]));
    const theirs = ok(await x.as(second, 'today', {}));
    expect(new Set(theirs.due.map((d: { gridId: string }) => d.gridId))).toEqual(new Set([R.peixinGrid2]));
    for (const [action, input] of [['feed', { communityId: R.peixin }], ['coverage', { communityId: R.peixin }], ['household', { id: WANG }], ['exportXlsx', { communityId: R.peixin }], ['households', { gridId: R.peixinGrid1 }]] as const) {
      expect(codeOf(await x.as('adminXiaojiaba', action, input))).toBe('AUTH.FORBIDDEN');
    }
    expect(codeOf(await x.as('adminXiaojiaba', 'exportXlsx', { communityId: R.xiaojiaba, gridId: R.peixinGrid1 }))).toBe('AUTH.FORBIDDEN');
  });

  it('lists mask phones; the household page shows them to its grid worker', async () => {
    const list = ok(await x.as('gridPeixin', 'households', { gridId: R.peixinGrid1 }));
    const wang = list.items.find((i: { _id: string }) => i._id === WANG);
    expect(wang.phone).toBe('138****1001');
    expect(ok(await x.as('gridPeixin', 'household', { id: WANG })).household.phone).toBe('13800001001');
  });

  it('a community admin assigns an existing staff member to another grid (members.assignGrid)', async () => {
    const memberId = (await h.services.store.collection((await import('../../src/features/members/members.collections')).members).find({ where: { openid: second }, limit: 1 })).items[0]!._id;
    expect(codeOf(await x.as('gridPeixin', 'household', { id: WANG }))).toBe('OK');
    expect(codeOf(await h.call('members', 'assignGrid', { communityId: R.peixin, memberId: P.residentPeixin.memberId, gridId: R.peixinGrid1 }, P.adminPeixin.openid))).toBe('MEMBERS.MEMBER_NOT_FOUND');
    expect(codeOf(await h.call('members', 'assignGrid', { communityId: R.xiaojiaba, memberId, gridId: R.xiaojiabaGrid1 }, P.adminXiaojiaba.openid))).toBe('MEMBERS.MEMBER_NOT_FOUND');
    expect(codeOf(await h.call('members', 'assignGrid', { communityId: R.peixin, memberId, gridId: R.xiaojiabaGrid1 }, P.adminPeixin.openid))).toBe('MEMBERS.GRID_NOT_FOUND');
    ok(await h.call('members', 'assignGrid', { communityId: R.peixin, memberId, gridId: R.peixinGrid1 }, P.adminPeixin.openid));
    expect(codeOf(await x.as(second, 'household', { id: WANG }))).toBe('OK');
    const grids = ok(await x.as('adminPeixin', 'grids', { communityId: R.peixin }));
    expect(grids.items.find((g: { _id: string }) => g._id === R.peixinGrid1).workers.map((w: { name: string }) => w.name).sort()).toEqual(['张明', '钱芳'].sort());
  });
});

describe('record: offline retries, suggestions, photos, counters', () => {
  let h: Harness;
  let x: ReturnType<typeof helpers>;
  beforeEach(async () => {
    h = await createHarness();
    x = helpers(h);
  });
  afterEach(() => h.close());

  it('the same client id is the same visit: one note, one suggestion per request, counted once', async () => {
    const photos = [await h.uploadPhoto(P.gridPeixin.openid), await h.uploadPhoto(P.gridPeixin.openid, 'png')];
    const input = x.visitInput({
      requests: [{ text: '希望楼道加装扶手，老人上下楼不方便', category: '公共设施' }, { text: '想报名社区老年食堂助餐服务' }],
      photos,
      photoConsent: true,
      location: { latitude: 32.69, longitude: 109.03, accuracy: 15 },
    });
    const first = ok(await x.as('gridPeixin', 'record', input));
    const again = await Promise.all([1, 2, 3, 4].map(() => x.as('gridPeixin', 'record', input)));
    for (const r of again) expect(ok(r)._id).toBe(first._id);
    expect(first.photoUrls).toHaveLength(2);
    expect(await x.count(visits)).toBe(1);
    const filed = (await x.all(suggestions)).filter((s) => s.source === 'visit' && s.origin?.id === first._id);
    expect(filed.map((s) => [s.text, s.category, s.origin?.householdId, s.communityId, s.status])).toEqual([
      ['希望楼道加装扶手，老人上下楼不方便', '公共设施', WANG, R.peixin, 'received'],
      ['想报名社区老年食堂助餐服务', '其他', WANG, R.peixin, 'received'],
    ]);
    expect(first.requests.map((r: { suggestionId: string }) => r.suggestionId)).toEqual(filed.map((s) => s._id));
    // The community admin sees them in the inbox like any other suggestion.
    const inbox = ok(await h.call('suggestions', 'get', { id: filed[0]!._id }, P.adminPeixin.openid));
    expect(inbox).toMatchObject({ source: 'visit', authorName: '王桂芳', authorAddress: '3栋2单元501室' });

    const hh = (await h.services.store.collection(households).get(WANG))!;
    expect(hh.visitCount).toBe(1);
    expect(hh.lastVisitAt).toBe(input.visitedAt);
    const month = monthOf(input.visitedAt);
    expect(await h.services.store.collection(gridMonths).get(`cov:${R.peixinGrid1}:${month}`)).toMatchObject({ visits: 1, households: 1, dueVisited: 1 });
    expect(await h.services.store.collection(workerMonths).get(`wcov:${P.gridPeixin.memberId}:${month}`)).toMatchObject({ visits: 1, households: 1 });
  });

  it('parallel visits of one household by one worker all land; the household counts once this month', async () => {
    const rs = await Promise.all([0, 1, 2, 3, 4, 5].map(() => x.as('gridPeixin', 'record', x.visitInput())));
    rs.forEach((r) => ok(r));
    const hh = (await h.services.store.collection(households).get(WANG))!;
    expect(hh.visitCount).toBe(6);
    const month = monthOf(h.services.now().toISOString());
    expect(await h.services.store.collection(gridMonths).get(`cov:${R.peixinGrid1}:${month}`)).toMatchObject({ visits: 6, households: 1, dueVisited: 1 });
  });

  it.each([
    ['photos without consent', { photoConsent: false }, 'INPUT.INVALID'],
    ['ten photos', { photoCount: 10 }, 'INPUT.INVALID'],
    ['a visit in the future', { visitedAt: '2025-03-04T02:00:00.000Z' }, 'VISITS.BAD_TIME'],
    ['a visit 91 days ago', { visitedAt: '2024-12-01T02:00:00.000Z' }, 'VISITS.BAD_TIME'],
    ['a follow-up of an unknown visit', { followUpOf: 'vt-nope' }, 'VISITS.BAD_FOLLOW_UP'],
    ["someone else's photo", { foreignPhoto: true }, 'FILE.NOT_OWNER'],
    ['an unknown household', { householdId: 'hh-nope' }, 'VISITS.HOUSEHOLD_NOT_FOUND'],
    ['a request too short', { requests: [{ text: '好' }] }, 'INPUT.INVALID'],
    ['a bad client id', { clientId: 'x' }, 'INPUT.INVALID'],
  ])('%s → %s, nothing written', async (_label, opts: Record<string, unknown>, code) => {
    const own = await h.uploadPhoto(P.gridPeixin.openid);
    const { photoCount, foreignPhoto, ...extra } = opts;
    const photos = foreignPhoto ? [await h.uploadPhoto(P.residentPeixin.openid)] : photoCount ? Array.from({ length: photoCount as number }, () => own) : [own];
    const before = [await x.count(visits), await x.count(suggestions)];
    const r = await x.as('gridPeixin', 'record', x.visitInput({ photos, photoConsent: true, requests: [{ text: '希望增加路灯照明' }], ...extra }));
    expect(codeOf(r)).toBe(code);
    expect([await x.count(visits), await x.count(suggestions)]).toEqual(before);
    expect((await h.services.store.collection(households).get(WANG))!.visitCount).toBe(0);
  });

  it('a follow-up links to an earlier visit of the same household only', async () => {
    const first = ok(await x.as('gridPeixin', 'record', x.visitInput()));
    h.advance(3600_000);
    const follow = ok(await x.as('gridPeixin', 'record', x.visitInput({ kind: 'follow_up', followUpOf: first._id })));
    expect(follow.followUpOf).toBe(first._id);
    const other = householdId(R.peixin, addressKey({ building: '3栋', unit: '2单元', room: '502' }));
    expect(codeOf(await x.as('gridPeixin', 'record', x.visitInput({ householdId: other, followUpOf: first._id })))).toBe('VISITS.BAD_FOLLOW_UP');
    const detail = ok(await x.as('gridPeixin', 'household', { id: WANG }));
    expect(detail.visits.map((v: { _id: string }) => v._id)).toEqual([follow._id, first._id]);
  });
});

describe('the day and coverage', () => {
  let h: Harness;
  let x: ReturnType<typeof helpers>;
  beforeAll(async () => {
    h = await createHarness();
    x = helpers(h);
  });
  afterAll(() => h.close());

  /** Coverage computed independently by reading every household and visit. */
  async function scanCoverage(gridId: string, month: string, monthEnd: string) {
    const hs = (await x.all(households)).filter((hh: Stored<Household>) => hh.gridId === gridId);
    const vs = (await x.all(visits)).filter((v: Stored<Visit>) => v.gridId === gridId && v.month === month);
    const visitedIds = new Set(vs.map((v) => v.householdId));
    // Due this month: scheduled and due before month end as of before this month's first visit.
    const dueNotVisited = hs.filter((hh) => hh.nextDueAt !== null && hh.nextDueAt < monthEnd && !visitedIds.has(hh._id)).length;
    return { visits: vs.length, visited: visitedIds.size, dueNotVisited };
  }

  it('due households leave the day once visited; coverage matches a full scan', async () => {
    const day0 = ok(await x.as('gridPeixin', 'today', {}));
    // Seeded households with a schedule are all due (never visited); untagged ones are not.
    expect(day0.due.map((d: { headName: string }) => d.headName).sort()).toEqual(['王桂芳', '陈秀英', '赵德明', '孙丽', '周志强', '吴玉兰'].sort());
    expect(day0.alerts).toEqual([]);
    ok(await x.as('gridPeixin', 'record', x.visitInput()));
    const zhao = householdId(R.peixin, addressKey({ building: '3栋', unit: '1单元', room: '302' }));
    ok(await x.as('gridPeixin', 'record', x.visitInput({ householdId: zhao })));
    // Not due (no tags), visited anyway: counts as visited, not as due.
    const liu = householdId(R.peixin, addressKey({ building: '3栋', unit: '2单元', room: '502' }));
    ok(await x.as('gridPeixin', 'record', x.visitInput({ householdId: liu, kind: 'routine' })));
    const day1 = ok(await x.as('gridPeixin', 'today', {}));
    expect(day1.due.map((d: { _id: string }) => d._id)).not.toContain(WANG);
    expect(day1.due).toHaveLength(4);
    expect(day1.weekCount).toBe(3);

    const cov = ok(await x.as('adminPeixin', 'coverage', { communityId: R.peixin }));
    expect(cov.month).toBe('2025-03');
    const g1 = cov.grids.find((g: { id: string }) => g.id === R.peixinGrid1);
    const scan = await scanCoverage(R.peixinGrid1, '2025-03', '2025-03-31T16:00:00.000Z');
    expect(g1).toMatchObject({ visits: 3, visited: 3, due: 6, dueVisited: 2, rate: 0.333 });
    expect([g1.visits, g1.visited, g1.due - g1.dueVisited]).toEqual([scan.visits, scan.visited, scan.dueNotVisited]);
    expect(cov.workers).toEqual([expect.objectContaining({ name: '张明', visits: 3, visited: 3, due: 6, dueVisited: 2 })]);
    expect(cov.total).toMatchObject({ visits: 3, due: 8, dueVisited: 2 });
  });

  it('a weekly household is due again a week later; the rules are configurable per community', async () => {
    h.advance(7 * 24 * 3600_000);
    const day = ok(await x.as('gridPeixin', 'today', {}));
    expect(day.due.map((d: { _id: string }) => d._id)).toContain(WANG);
    expect(day.due.find((d: { _id: string }) => d._id === WANG).overdueDays).toBe(0);
    expect(day.weekCount).toBe(0);
    // 独居老人 every 10 days instead: 王桂芳 is no longer due today.
    const r = ok(await x.as('adminPeixin', 'setRules', { communityId: R.peixin, intervals: { 独居老人: 10, 重点关注: 14 }, defaultEveryDays: 60 }));
    expect(r.rescheduled).toBeGreaterThan(0);
    const after = ok(await x.as('gridPeixin', 'today', {}));
    expect(after.due.map((d: { _id: string }) => d._id)).not.toContain(WANG);
    // The untagged households now have a 60-day schedule and are due (never visited).
    expect(after.due.map((d: { headName: string }) => d.headName)).toContain('郑国平');
    expect(ok(await x.as('adminPeixin', 'rules', { communityId: R.peixin }))).toMatchObject({ intervals: { 独居老人: 10 }, defaultEveryDays: 60 });
  });

  it("care alerts: routed to the household's grid, cleared once", async () => {
    const second = await secondGridWorker(h);
    const store = h.services.store.collection(careAlerts);
    const now = h.services.now().toISOString();
    await store.insert({ communityId: R.peixin, householdOrElderRef: `household:${WANG}`, kind: 'canteen_absence', reason: '连续 3 天未到食堂就餐', createdAt: now }, { id: 'care:a1' });
    await store.insert({ communityId: R.peixin, householdOrElderRef: 'elder:e-1', kind: 'canteen_absence', reason: '连续 3 天未到食堂就餐', createdAt: now }, { id: 'care:a2' });
    await store.insert({ communityId: R.xiaojiaba, householdOrElderRef: 'elder:e-2', kind: 'canteen_absence', reason: '连续 3 天未到食堂就餐', createdAt: now }, { id: 'care:a3' });
    const ids = async (who: string) => ok(await x.as(who, 'today', {})).alerts.map((a: { _id: string }) => a._id).sort();
    expect(await ids('gridPeixin')).toEqual(['care:a1', 'care:a2']);
    expect(await ids(second)).toEqual(['care:a2']);
    expect(codeOf(await x.as(second, 'resolveAlert', { id: 'care:a1' }))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await x.as(second, 'resolveAlert', { id: 'care:a3' }))).toBe('AUTH.FORBIDDEN');
    ok(await x.as('gridPeixin', 'resolveAlert', { id: 'care:a1' }));
    ok(await x.as('gridPeixin', 'resolveAlert', { id: 'care:a1' }));
    expect(await ids('gridPeixin')).toEqual(['care:a2']);
  });

  it('the feed filters by grid, worker, kind and days', async () => {
    const all = ok(await x.as('adminPeixin', 'feed', { communityId: R.peixin }));
    expect(all.items).toHaveLength(3);
    expect(ok(await x.as('adminPeixin', 'feed', { communityId: R.peixin, kind: 'routine' })).items).toHaveLength(1);
    expect(ok(await x.as('adminPeixin', 'feed', { communityId: R.peixin, gridId: R.peixinGrid2 })).items).toHaveLength(0);
    expect(ok(await x.as('adminPeixin', 'feed', { communityId: R.peixin, workerId: P.gridPeixin.memberId, from: '2025-03-03', to: '2025-03-03' })).items).toHaveLength(3);
    expect(ok(await x.as('adminPeixin', 'feed', { communityId: R.peixin, from: '2025-03-04' })).items).toHaveLength(0);
    expect(codeOf(await x.as('adminPeixin', 'feed', { communityId: R.peixin, from: '2025-03-05', to: '2025-03-04' }))).toBe('INPUT.INVALID');
  });
});

describe('households list', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('filters by tag across pages, and lists only the due ones on request', async () => {
    const list = async (input: Record<string, unknown>) => ok(await h.call('visits', 'households', { gridId: R.peixinGrid1, ...input }, P.gridPeixin.openid));
    const alone = await list({ tag: '独居老人', limit: 2 });
    expect(alone.items.map((i: { headName: string }) => i.headName)).toHaveLength(2);
    const rest = await list({ tag: '独居老人', limit: 2, cursor: alone.nextCursor });
    const names = [...alone.items, ...rest.items].map((i: { headName: string }) => i.headName).sort();
    expect(names).toEqual(['吴玉兰', '王桂芳', '赵德明'].sort());
    const due = await list({ dueOnly: true, limit: 100 });
    expect(due.items).toHaveLength(6);
    expect(due.items.every((i: { overdueDays: number | null }) => i.overdueDays !== null && i.overdueDays >= 0)).toBe(true);
  });
});
