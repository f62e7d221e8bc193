/** The suggestion box through dispatch on a real, demo-seeded SQLite store. */
import ExcelJS from 'exceljs';
import type { Result } from '../../src/lib/errors';
import { DEMO_NEWCOMER_OPENID, DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import { suggestions } from '../../src/features/suggestions/suggestions.collections';
import { EXPORT_HEADERS } from '../../src/features/suggestions/suggestions.export';
import { daysFromMinutes, medianOf, suggestionId } from '../../src/features/suggestions/suggestions.rules';
import { EXPORT_MAX, type Suggestion } from '../../src/features/suggestions/suggestions.schema';
import type { Stored } from '../../src/server/store/store';
import { createHarness, type Harness } from '../support/harness';

const P = DEMO_PEOPLE;
const R = REGION_IDS;
const DAY = 24 * 3600_000;

type Who = keyof typeof P | 'newcomer' | 'anonymous';
const EVERYONE: Who[] = [...(Object.keys(P) as (keyof typeof P)[]), 'newcomer', 'anonymous'];
const openidOf = (w: Who): string | null => (w === 'anonymous' ? null : w === 'newcomer' ? DEMO_NEWCOMER_OPENID : P[w].openid);

const codeOf = (r: Result<unknown>): string => (r.ok ? 'OK' : r.error.code);
function ok<T = any>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.data;
}

let seq = 0;
const newRequestId = () => `req-${String(++seq).padStart(8, '0')}`;

function helpers(h: Harness) {
  const col = () => h.services.store.collection(suggestions);
  return {
    col,
    count: (where?: Record<string, string>) => col().count(where),
    submit: (who: Who, extra: Record<string, unknown> = {}) =>
      h.call(
        'suggestions',
        'submit',
        { requestId: newRequestId(), communityId: R.peixin, category: '公共设施', text: '3栋门口的路灯不亮了，晚上出行不方便', ...extra },
        openidOf(who),
      ),
    as: (who: Who, action: string, input: unknown) => h.call('suggestions', action, input, openidOf(who)),
    /** Every suggestion in the store, read directly (for independent expectations). */
    async all(): Promise<Stored<Suggestion>[]> {
      const out: Stored<Suggestion>[] = [];
      let cursor: string | null = null;
      do {
        const page = await col().find({ limit: 100, cursor });
        out.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    },
  };
}

/** Admin of 培新街社区 number two, through the real invitation flow. */
async function secondPeixinAdmin(h: Harness): Promise<string> {
  const openid = 'test-second-admin-peixin';
  const inv = ok(await h.call('members', 'createInvitation', { communityId: R.peixin, role: 'community_admin' }, P.adminPeixin.openid));
  ok(await h.call('members', 'redeemInvitation', { code: inv.code, name: '王强', phone: '13900000009' }, openid));
  return openid;
}

describe('suggestions: every action × every demo role', () => {
  let h: Harness;
  let x: ReturnType<typeof helpers>;
  let original: string;
  beforeAll(async () => {
    h = await createHarness();
    x = helpers(h);
    original = ok(await x.submit('residentPeixin', { text: '培新街菜市场门口的路灯坏了很久' }))._id;
  });
  afterAll(() => h.close());

  type Action = 'submit' | 'mine' | 'get' | 'inbox' | 'reply' | 'setStatus' | 'markDuplicate' | 'exportXlsx' | 'stats';
  /** Who gets what; everyone not listed gets AUTH.FORBIDDEN (anonymous: AUTH.UNAUTHENTICATED). */
  const expected: Record<Action, Partial<Record<Who, string>>> = {
    submit: { residentPeixin: 'OK', adminPeixin: 'OK' },
    mine: { residentPeixin: 'OK', residentXiaojiaba: 'OK', adminPeixin: 'OK' },
    // Another community's resident learns nothing, not even that the id exists.
    get: { residentPeixin: 'OK', adminPeixin: 'OK', residentXiaojiaba: 'SUGGESTION.NOT_FOUND' },
    inbox: { adminPeixin: 'OK' },
    reply: { adminPeixin: 'OK' },
    setStatus: { adminPeixin: 'OK' },
    markDuplicate: { adminPeixin: 'OK' },
    exportXlsx: { adminPeixin: 'OK' },
    stats: { districtHanbin: 'OK', cityAnkang: 'OK' },
  };
  const cells = (Object.keys(expected) as Action[]).flatMap((a) =>
    EVERYONE.map((w) => [a, w, expected[a][w] ?? (w === 'anonymous' ? 'AUTH.UNAUTHENTICATED' : 'AUTH.FORBIDDEN')] as const),
  );

  it.each(cells)('%s as %s → %s', async (action, who, want) => {
    // A fresh suggestion of 李秀兰 (培新街社区) for the actions that touch one.
    const target = ok(await x.submit('residentPeixin'))._id;
    const inputs: Record<Action, unknown> = {
      submit: { requestId: newRequestId(), communityId: R.peixin, category: '环境卫生', text: '楼道里堆放杂物，存在消防隐患' },
      mine: {},
      get: { id: target },
      inbox: { communityId: R.peixin },
      reply: { id: target, text: '已联系物业，本周内修复' },
      setStatus: { id: target, status: 'under_review', reason: '已转交物业核实' },
      markDuplicate: { id: target, duplicateOf: original },
      exportXlsx: { communityId: R.peixin },
      stats: { regionId: R.hanbin },
    };
    const before = await x.count();
    const r = await x.as(who, action, inputs[action]);
    expect(codeOf(r)).toBe(want);
    if (want !== 'OK') {
      // Refused calls write nothing.
      expect(await x.count()).toBe(before);
      expect((await x.col().get(target))!._rev).toBe(1);
    }
  });

  it("肖家坝社区's admin cannot read, reply to or export 培新街社区's suggestions, and vice versa", async () => {
    const peixin = ok(await x.submit('residentPeixin'))._id;
    const xiaojiaba = ok(await x.submit('residentXiaojiaba', { communityId: R.xiaojiaba }))._id;
    const tries: [Who, string, unknown][] = [
      ['adminXiaojiaba', 'get', { id: peixin }],
      ['adminXiaojiaba', 'inbox', { communityId: R.peixin }],
      ['adminXiaojiaba', 'reply', { id: peixin, text: '收到' }],
      ['adminXiaojiaba', 'setStatus', { id: peixin, status: 'closed', reason: '不属于本社区' }],
      ['adminXiaojiaba', 'markDuplicate', { id: peixin, duplicateOf: xiaojiaba }],
      ['adminXiaojiaba', 'exportXlsx', { communityId: R.peixin }],
      ['adminPeixin', 'get', { id: xiaojiaba }],
      ['adminPeixin', 'inbox', { communityId: R.xiaojiaba }],
      ['adminPeixin', 'reply', { id: xiaojiaba, text: '收到' }],
      ['adminPeixin', 'markDuplicate', { id: xiaojiaba, duplicateOf: peixin }],
      ['adminPeixin', 'exportXlsx', { communityId: R.xiaojiaba }],
      // A grid of another community is still outside the admin's scope.
      ['adminXiaojiaba', 'inbox', { communityId: R.peixinGrid1 }],
      ['districtHanbin', 'stats', { regionId: R.hanyin }],
      ['districtHanbin', 'stats', { regionId: R.city }],
    ];
    for (const [who, action, input] of tries) {
      expect([who, action, codeOf(await x.as(who, action, input))]).toEqual([who, action, 'AUTH.FORBIDDEN']);
    }
    expect((await x.col().get(peixin))!._rev).toBe(1);
    expect((await x.col().get(xiaojiaba))!._rev).toBe(1);
  });

  it("a resident cannot get another resident's suggestion, even in the same community", async () => {
    // 刘芳 is also a resident of 培新街社区; as a resident her suggestion is hers alone.
    const hers = ok(await x.submit('adminPeixin', { text: '建议在社区广场增设几张休息座椅' }))._id;
    const r = await x.as('residentPeixin', 'get', { id: hers });
    expect(codeOf(r)).toBe('SUGGESTION.NOT_FOUND');
    expect(codeOf(await x.as('residentPeixin', 'get', { id: 'sg-does-not-exist' }))).toBe('SUGGESTION.NOT_FOUND');
    const mine = ok(await x.as('residentPeixin', 'mine', {}));
    expect(mine.items.map((i: { _id: string }) => i._id)).not.toContain(hers);
  });

  it('the author sees no personal fields; the admin sees contact details', async () => {
    const id = ok(await x.submit('residentPeixin', { place: '3栋门口', showName: true }))._id;
    const own = ok(await x.as('residentPeixin', 'get', { id }));
    for (const k of ['authorName', 'authorPhone', 'authorAddress', 'source', 'firstReplyAt']) expect(own).not.toHaveProperty(k);
    const admin = ok(await x.as('adminPeixin', 'get', { id }));
    expect(admin).toMatchObject({ authorName: '李秀兰', authorPhone: '13800000001', authorAddress: '3栋2单元', source: 'box', place: '3栋门口', showName: true });
    const stored = (await x.col().get(id))!;
    expect(stored).toMatchObject({ districtId: R.hanbin, cityId: R.city, communityId: R.peixin, authorId: P.residentPeixin.memberId });
  });

  it('writes no personal data to the logs', () => {
    const text = JSON.stringify(h.logs);
    for (const p of Object.values(P)) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.phone);
    }
    expect(text).not.toContain('路灯');
  });
});

describe('suggestions: submit', () => {
  let h: Harness;
  let x: ReturnType<typeof helpers>;
  beforeAll(async () => {
    h = await createHarness();
    x = helpers(h);
  });
  afterAll(() => h.close());

  it('stores the suggestion with a received timeline and photo URLs', async () => {
    const photo = await h.uploadPhoto(P.residentPeixin.openid);
    const photo2 = await h.uploadPhoto(P.residentPeixin.openid, 'png');
    const v = ok(await x.submit('residentPeixin', { category: '环境卫生', text: '  楼道堆物严重，影响通行  ', photos: [photo, photo2, photo] }));
    expect(v).toMatchObject({ category: '环境卫生', text: '楼道堆物严重，影响通行', status: 'received', duplicateOf: null, place: null, showName: false });
    expect(v.timeline).toEqual([{ at: h.services.now().toISOString(), kind: 'received', status: 'received' }]);
    expect(v.photoUrls).toHaveLength(2);
    for (const u of v.photoUrls) expect(typeof u).toBe('string');
    expect((await x.col().get(v._id))!.photos).toEqual([photo, photo2]);
  });

  it('a double tap and a retry after a timeout make one suggestion', async () => {
    const before = await x.count();
    const input = { requestId: 'double-tap-0001', communityId: R.peixin, category: '养老助餐', text: '建议社区增设老年助餐点' };
    const a = ok(await x.as('residentPeixin', 'submit', input));
    h.advance(30_000);
    const b = ok(await x.as('residentPeixin', 'submit', input));
    expect(b).toEqual(a);
    expect(a._id).toBe(suggestionId(P.residentPeixin.memberId, 'double-tap-0001'));
    expect(await x.count()).toBe(before + 1);
  });

  it('parallel retries with one request id → one suggestion, every call answered with it', async () => {
    const before = await x.count();
    const input = { requestId: 'parallel-retry-01', communityId: R.peixin, category: '医疗健康', text: '希望社区卫生站周末也能开门' };
    const results = await Promise.all(Array.from({ length: 8 }, () => x.as('residentPeixin', 'submit', input)));
    const ids = new Set(results.map((r) => ok(r)._id));
    expect(ids.size).toBe(1);
    expect(await x.count()).toBe(before + 1);
  });

  it('the same request id with different content is still the first suggestion', async () => {
    const first = ok(await x.as('residentPeixin', 'submit', { requestId: 'same-id-00001', communityId: R.peixin, category: '其他', text: '第一次提交的内容' }));
    const again = ok(await x.as('residentPeixin', 'submit', { requestId: 'same-id-00001', communityId: R.peixin, category: '道路交通', text: '换了内容再提交一次' }));
    expect(again._id).toBe(first._id);
    expect(again.text).toBe('第一次提交的内容');
    // The same request id from another person is a different suggestion.
    const other = ok(await x.as('residentXiaojiaba', 'submit', { requestId: 'same-id-00001', communityId: R.xiaojiaba, category: '其他', text: '另一位居民的建议' }));
    expect(other._id).not.toBe(first._id);
  });

  it.each([
    ['代开发票，联系我', undefined, '虚假发票'],
    ['小区门口有人发小广告', '加微信abc12345', '广告引流'],
  ])('unsafe content %j (place %j) is refused with a message naming the problem', async (text, place, category) => {
    const before = await x.count();
    const r = await x.submit('residentPeixin', { text, ...(place ? { place } : {}) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('SUGGESTION.UNSAFE_CONTENT');
    expect(r.error.message).toContain(category);
    expect(r.error.message).toContain('请修改后再提交');
    expect(await x.count()).toBe(before);
  });

  it('a report that mentions a problem is not censored', async () => {
    ok(await x.submit('residentPeixin', { text: '小区里晚上有人聚众赌博，噪音很大' }));
  });

  describe('bad input: error code and nothing written', () => {
    const base = () => ({ requestId: newRequestId(), communityId: R.peixin, category: '公共设施', text: '健身器材损坏，存在安全隐患' });
    const cases: [string, () => Promise<unknown>, string][] = [
      ['text is a number', async () => ({ ...base(), text: 12345 }), 'INPUT.INVALID'],
      ['photos is a string', async () => ({ ...base(), photos: 'abc' }), 'INPUT.INVALID'],
      ['showName is a string', async () => ({ ...base(), showName: 'yes' }), 'INPUT.INVALID'],
      ['input is an array', async () => [1, 2], 'INPUT.INVALID'],
      ['4 characters', async () => ({ ...base(), text: '路灯不亮' }), 'INPUT.INVALID'],
      ['501 characters', async () => ({ ...base(), text: '灯'.repeat(501) }), 'INPUT.INVALID'],
      ['unknown category', async () => ({ ...base(), category: '天气' }), 'INPUT.INVALID'],
      ['missing request id', async () => ({ ...base(), requestId: undefined }), 'INPUT.INVALID'],
      ['bad request id', async () => ({ ...base(), requestId: 'a b' }), 'INPUT.INVALID'],
      ['101-character place', async () => ({ ...base(), place: '地'.repeat(101) }), 'INPUT.INVALID'],
    ];
    it.each(cases)('%s → %s', async (_name, make, want) => {
      const before = await x.count();
      expect(codeOf(await x.as('residentPeixin', 'submit', await make()))).toBe(want);
      expect(await x.count()).toBe(before);
    });

    it('500 characters is accepted', async () => {
      ok(await x.submit('residentPeixin', { text: '灯'.repeat(500) }));
    });

    it('7 photos → INPUT.INVALID with the field named', async () => {
      const photos = await Promise.all(Array.from({ length: 7 }, () => h.uploadPhoto(P.residentPeixin.openid)));
      const before = await x.count();
      const r = await x.submit('residentPeixin', { photos });
      expect(codeOf(r)).toBe('INPUT.INVALID');
      if (!r.ok) expect(r.error.issues?.[0]?.path).toEqual(['photos']);
      expect(await x.count()).toBe(before);
      ok(await x.submit('residentPeixin', { photos: photos.slice(0, 6) }));
    });

    it("another person's photos, unknown file ids and non-images are refused", async () => {
      const theirs = await h.uploadPhoto(P.residentXiaojiaba.openid);
      const mine = await h.uploadPhoto(P.residentPeixin.openid);
      // The caller's own file, but not a photo (e.g. one of their exports).
      const text = await h.services.files.put(Buffer.from('not an image at all'), {
        ownerOpenid: P.residentPeixin.openid, contentType: 'text/plain', ext: 'txt', folder: 'exports',
      });
      const before = await x.count();
      expect(codeOf(await x.submit('residentPeixin', { photos: [mine, theirs] }))).toBe('FILE.NOT_OWNER');
      expect(codeOf(await x.submit('residentPeixin', { photos: ['no-such-file'] }))).toBe('FILE.NOT_FOUND');
      expect(codeOf(await x.submit('residentPeixin', { photos: [text.fileId] }))).toBe('FILE.BAD_TYPE');
      expect(await x.count()).toBe(before);
    });

    it('an unknown action and a malformed event', async () => {
      const before = await x.count();
      expect(codeOf(await x.as('residentPeixin', 'delete', {}))).toBe('ACTION.UNKNOWN');
      expect(codeOf(await x.as('residentPeixin', 'toString', {}))).toBe('ACTION.UNKNOWN');
      const { dispatch } = await import('../../src/server/dispatch');
      const { areas } = await import('../../src/server/areas');
      expect(codeOf(await dispatch(areas, 'suggestions', 'not json', { openid: P.residentPeixin.openid }, h.services, 'r1'))).toBe('INPUT.INVALID');
      expect(await x.count()).toBe(before);
    });

    it('a resident cannot submit to a grid of their community pretending it is a community', async () => {
      const before = await x.count();
      expect(codeOf(await x.submit('residentPeixin', { communityId: R.peixinGrid1 }))).toBe('AUTH.FORBIDDEN');
      expect(await x.count()).toBe(before);
    });
  });
});

describe('suggestions: the admin at work', () => {
  let h: Harness;
  let x: ReturnType<typeof helpers>;
  beforeAll(async () => {
    h = await createHarness();
    x = helpers(h);
  });
  afterAll(() => h.close());

  it('a reply is visible to the author, signed by the community, and sets the first reply time once', async () => {
    const id = ok(await x.submit('residentPeixin'))._id;
    h.advance(DAY + 3600_000);
    const first = ok(await x.as('adminPeixin', 'reply', { id, text: '已联系供电所，明天上午维修' }));
    expect(first.status).toBe('replied');
    const firstAt = h.services.now().toISOString();
    expect(first.firstReplyAt).toBe(firstAt);
    h.advance(DAY);
    ok(await x.as('adminPeixin', 'reply', { id, text: '路灯已修好，感谢反馈' }));
    const stored = (await x.col().get(id))!;
    expect(stored.firstReplyAt).toBe(firstAt);
    expect(stored.firstReplyMinutes).toBe(25 * 60);

    const own = ok(await x.as('residentPeixin', 'get', { id }));
    expect(own.timeline.map((e: { kind: string; text?: string; by?: string }) => [e.kind, e.text, e.by])).toEqual([
      ['received', undefined, undefined],
      ['reply', '已联系供电所，明天上午维修', '培新街社区 工作人员'],
      ['reply', '路灯已修好，感谢反馈', '培新街社区 工作人员'],
    ]);
    expect(JSON.stringify(own)).not.toContain(P.adminPeixin.name);
    const listed = ok(await x.as('residentPeixin', 'mine', {})).items.find((i: { _id: string }) => i._id === id);
    expect(listed.timeline).toHaveLength(3);
  });

  it('status changes follow the state machine and need a reason', async () => {
    const id = ok(await x.submit('residentPeixin'))._id;
    expect(codeOf(await x.as('adminPeixin', 'setStatus', { id, status: 'closed', reason: '' }))).toBe('INPUT.INVALID');
    expect(codeOf(await x.as('adminPeixin', 'setStatus', { id, status: 'closed' }))).toBe('INPUT.INVALID');
    expect(codeOf(await x.as('adminPeixin', 'setStatus', { id, status: 'replied', reason: '直接答复' }))).toBe('INPUT.INVALID');
    ok(await x.as('adminPeixin', 'setStatus', { id, status: 'under_review', reason: '已转交城管核实' }));
    const same = await x.as('adminPeixin', 'setStatus', { id, status: 'under_review', reason: '再次核实' });
    expect(codeOf(same)).toBe('SUGGESTION.BAD_TRANSITION');
    ok(await x.as('adminPeixin', 'setStatus', { id, status: 'closed', reason: '不属于社区职责范围，已告知' }));
    const r = await x.as('adminPeixin', 'reply', { id, text: '补充说明' });
    expect(codeOf(r)).toBe('SUGGESTION.BAD_TRANSITION');
    if (!r.ok) expect(r.error.message).toContain('已关闭');
    ok(await x.as('adminPeixin', 'setStatus', { id, status: 'under_review', reason: '居民补充了材料，重新处理' }));
    ok(await x.as('adminPeixin', 'setStatus', { id, status: 'adopted', reason: '纳入今年的需求清单' }));
    expect(codeOf(await x.as('adminPeixin', 'setStatus', { id, status: 'closed', reason: '关闭' }))).toBe('SUGGESTION.BAD_TRANSITION');
    // A note on an adopted suggestion keeps it adopted.
    expect(ok(await x.as('adminPeixin', 'reply', { id, text: '已列入第三季度实施计划' })).status).toBe('adopted');
    const own = ok(await x.as('residentPeixin', 'get', { id }));
    expect(own.timeline.map((e: { status: string }) => e.status)).toEqual(['received', 'under_review', 'closed', 'under_review', 'adopted', 'adopted']);
    expect(own.timeline[2]).toMatchObject({ kind: 'status', text: '不属于社区职责范围，已告知', by: '培新街社区 工作人员' });
    expect(codeOf(await x.as('adminPeixin', 'reply', { id: 'sg-missing', text: '收到了' }))).toBe('SUGGESTION.NOT_FOUND');
  });

  it('duplicates keep their link; bad links are refused', async () => {
    const a = ok(await x.submit('residentPeixin', { text: '东门健身器材损坏，单杠松动' }))._id;
    const b = ok(await x.submit('adminPeixin', { text: '东门的健身器材坏了，有安全隐患' }))._id;
    const c = ok(await x.submit('residentPeixin', { text: '健身器材单杠松动，请尽快修理' }))._id;
    const elsewhere = ok(await x.submit('residentXiaojiaba', { communityId: R.xiaojiaba }))._id;

    const bad: [unknown, string][] = [
      [{ id: b, duplicateOf: b }, 'SUGGESTION.BAD_DUPLICATE'],
      [{ id: b, duplicateOf: elsewhere }, 'SUGGESTION.BAD_DUPLICATE'],
      [{ id: b, duplicateOf: 'sg-missing' }, 'SUGGESTION.BAD_DUPLICATE'],
    ];
    for (const [input, want] of bad) expect(codeOf(await x.as('adminPeixin', 'markDuplicate', input))).toBe(want);
    expect((await x.col().get(b))!._rev).toBe(1);

    const dup = ok(await x.as('adminPeixin', 'markDuplicate', { id: b, duplicateOf: a }));
    expect(dup).toMatchObject({ status: 'duplicate', duplicateOf: a });
    // The target may not itself be a duplicate, and a duplicate is not marked twice.
    const chained = await x.as('adminPeixin', 'markDuplicate', { id: c, duplicateOf: b });
    expect(codeOf(chained)).toBe('SUGGESTION.BAD_DUPLICATE');
    expect(codeOf(await x.as('adminPeixin', 'markDuplicate', { id: b, duplicateOf: c }))).toBe('SUGGESTION.BAD_TRANSITION');

    // The author (刘芳 as a resident) sees the link in her own view and timeline.
    const own = ok(await x.as('adminPeixin', 'mine', {})).items.find((i: { _id: string }) => i._id === b);
    expect(own).toMatchObject({ status: 'duplicate', duplicateOf: a });
    expect(own.timeline[own.timeline.length - 1]).toMatchObject({ kind: 'duplicate', duplicateOf: a, by: '培新街社区 工作人员' });
    // The original moves on; the duplicate keeps pointing at it.
    ok(await x.as('adminPeixin', 'reply', { id: a, text: '已报修' }));
    expect((await x.col().get(b))!.duplicateOf).toBe(a);
    // Reopening unlinks, the history stays.
    const reopened = ok(await x.as('adminPeixin', 'setStatus', { id: b, status: 'under_review', reason: '经核实不是同一处器材' }));
    expect(reopened.duplicateOf).toBeNull();
    expect(reopened.timeline.map((e: { kind: string }) => e.kind)).toEqual(['received', 'duplicate', 'status']);
  });

  it('two admins acting at once never lose a timeline entry', async () => {
    const second = await secondPeixinAdmin(h);
    const id = ok(await x.submit('residentPeixin'))._id;
    const [r1, r2, r3] = await Promise.all([
      x.as('adminPeixin', 'reply', { id, text: '第一位管理员的答复' }),
      h.call('suggestions', 'reply', { id, text: '第二位管理员的答复' }, second),
      h.call('suggestions', 'setStatus', { id, status: 'adopted', reason: '纳入需求清单' }, second),
    ]);
    [r1, r2, r3].forEach((r) => ok(r));
    const s = (await x.col().get(id))!;
    expect(s._rev).toBe(4);
    expect(s.timeline.map((e) => e.text).sort()).toEqual([undefined, '第一位管理员的答复', '第二位管理员的答复', '纳入需求清单'].sort());
    expect(s.status).toBe('adopted');
  });

  it('many parallel replies all land', async () => {
    const id = ok(await x.submit('residentPeixin'))._id;
    const texts = Array.from({ length: 4 }, (_, i) => `第 ${i + 1} 条答复`);
    (await Promise.all(texts.map((text) => x.as('adminPeixin', 'reply', { id, text })))).forEach((r) => ok(r));
    const s = (await x.col().get(id))!;
    expect(s.timeline.filter((e) => e.kind === 'reply').map((e) => e.text).sort()).toEqual([...texts].sort());
  });
});

describe('suggestions: lists and export', () => {
  let h: Harness;
  let x: ReturnType<typeof helpers>;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    // Start from an empty box in 培新街社区 so the numbers below are exact.
    h = await createHarness({ now: new Date('2025-03-01T01:00:00.000Z') });
    x = helpers(h);
    for (const s of await x.all()) await x.col().remove(s._id);
    // Created at 2025-03-01 09:00, 03-02 09:00, … (Shanghai).
    const plan: [string, Who, string, string][] = [
      ['lamp', 'residentPeixin', '公共设施', '3栋门口路灯不亮'],
      ['clutter', 'residentPeixin', '环境卫生', '楼道堆物严重，影响消防通道'],
      ['meals', 'adminPeixin', '养老助餐', '建议增设老年助餐点，方便独居老人'],
      ['gym', 'residentPeixin', '公共设施', '健身器材损坏，需要维修'],
      ['road', 'residentPeixin', '道路交通', '巷口路面坑洼，雨天积水'],
    ];
    for (const [key, who, category, text] of plan) {
      ids[key] = ok(await x.submit(who, { category, text }))._id;
      h.advance(DAY);
    }
    ok(await x.as('adminPeixin', 'reply', { id: ids.lamp, text: '已报修，明日维修' }));
    ok(await x.as('adminPeixin', 'setStatus', { id: ids.meals, status: 'adopted', reason: '纳入年度需求清单' }));
  });
  afterAll(() => h.close());

  const walk = async (who: Who, action: string, input: Record<string, unknown>) => {
    const out: any[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: any[]; nextCursor: string | null } = ok(await x.as(who, action, { ...input, cursor }));
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  };

  it('mine: own only, newest first, in pages', async () => {
    const items = await walk('residentPeixin', 'mine', {});
    expect(items.map((i) => i._id)).toEqual([ids.road, ids.gym, ids.clutter, ids.lamp]);
  });

  it('inbox: newest first, cursor pages without repeats', async () => {
    const items = await walk('adminPeixin', 'inbox', { communityId: R.peixin, limit: 2 });
    expect(items.map((i) => i._id)).toEqual([ids.road, ids.gym, ids.meals, ids.clutter, ids.lamp]);
    expect(items[2]).toEqual({
      _id: ids.meals, category: '养老助餐', excerpt: '建议增设老年助餐点，方便独居老人', status: 'adopted', authorName: '刘芳', photoCount: 0,
      createdAt: '2025-03-03T01:00:00.000Z',
    });
  });

  it.each([
    [{ status: 'received' }, ['road', 'gym', 'clutter']],
    [{ status: 'replied' }, ['lamp']],
    [{ category: '公共设施' }, ['gym', 'lamp']],
    [{ status: 'received', category: '公共设施' }, ['gym']],
    [{ q: '路' }, ['road', 'lamp']],
    [{ q: '助餐' }, ['meals']],
    [{ from: '2025-03-02', to: '2025-03-03' }, ['meals', 'clutter']],
    [{ from: '2025-03-04' }, ['road', 'gym']],
    [{ to: '2025-03-01' }, ['lamp']],
    [{ from: '2025-03-06' }, []],
  ])('inbox filter %j', async (filter, want) => {
    const items = await walk('adminPeixin', 'inbox', { communityId: R.peixin, ...filter });
    expect(items.map((i) => i._id)).toEqual(want.map((k) => ids[k]));
  });

  it('inbox refuses unreal or reversed dates', async () => {
    expect(codeOf(await x.as('adminPeixin', 'inbox', { communityId: R.peixin, from: '2025-02-30' }))).toBe('INPUT.INVALID');
    const r = await x.as('adminPeixin', 'inbox', { communityId: R.peixin, from: '2025-03-05', to: '2025-03-01' });
    expect(codeOf(r)).toBe('INPUT.INVALID');
    if (!r.ok) expect(r.error.message).toBe('开始日期不能晚于结束日期');
  });

  const openXlsx = async (fileId: string) => {
    const bytes = await h.services.files.read(fileId);
    expect(bytes).not.toBeNull();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes! as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('建议列表')!;
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
    return { wb, rows };
  };

  it('exports the filtered list as a readable .xlsx owned by the admin', async () => {
    const res = ok(await x.as('adminPeixin', 'exportXlsx', { communityId: R.peixin, category: '公共设施' }));
    expect(res).toMatchObject({ count: 2, truncated: false });
    expect(typeof res.url).toBe('string');
    const stat = await h.services.files.stat(res.fileId);
    expect(stat).toMatchObject({ ownerOpenid: P.adminPeixin.openid });
    const { wb, rows } = await openXlsx(res.fileId);
    expect(rows[0]).toEqual([...EXPORT_HEADERS]);
    expect(rows).toHaveLength(3);
    const [gym, lamp] = [rows[1]!, rows[2]!];
    const col = (name: string) => EXPORT_HEADERS.indexOf(name);
    expect(gym[col('编号')]).toBe(ids.gym);
    expect(lamp[col('提交时间')]).toBe('2025-03-01 09:00');
    expect(lamp[col('状态')]).toBe('已答复');
    expect(lamp[col('建议内容')]).toBe('3栋门口路灯不亮');
    expect(lamp[col('居民姓名')]).toBe('李秀兰');
    expect(lamp[col('联系电话')]).toBe('13800000001');
    expect(lamp[col('住址')]).toBe('3栋2单元');
    expect(lamp[col('首次答复时间')]).toBe('2025-03-06 09:00');
    expect(lamp[col('最新答复')]).toBe('已报修，明日维修');
    const about: string[] = [];
    wb.getWorksheet('说明')!.eachRow((r) => about.push(String((r.values as unknown[])[2] ?? '')));
    expect(about).toContain('培新街社区');
    expect(about).toContain('类别：公共设施');
  });

  it('an export with nothing matching is still a valid workbook', async () => {
    const res = ok(await x.as('adminPeixin', 'exportXlsx', { communityId: R.peixin, q: '不存在的内容' }));
    expect(res.count).toBe(0);
    expect((await openXlsx(res.fileId)).rows).toEqual([[...EXPORT_HEADERS]]);
  });
});

describe('suggestions: export cap', () => {
  it(`exports at most ${EXPORT_MAX} rows, the newest, and says it truncated`, async () => {
    const h = await createHarness();
    try {
      const x = helpers(h);
      const base = (await x.col().get(ok(await x.submit('residentPeixin'))._id))!;
      const { _id, _rev, ...fields } = base;
      const existing = await x.count({ communityId: R.peixin });
      const extra = EXPORT_MAX + 1 - existing;
      // In chunks: one transaction of 10,000 writes would outlive CloudBase's transaction lifetime.
      for (let from = 0; from < extra; from += 500) {
        await h.services.store.transaction(async (tx) => {
          const c = tx.collection(suggestions);
          for (let i = from; i < Math.min(extra, from + 500); i++) {
            const at = new Date(Date.parse('2025-06-01T00:00:00.000Z') + i * 60_000).toISOString();
            await c.insert({ ...fields, text: `批量建议 ${i}`, createdAt: at, updatedAt: at });
          }
        });
      }
      const res = ok(await x.as('adminPeixin', 'exportXlsx', { communityId: R.peixin }));
      expect(res).toMatchObject({ count: EXPORT_MAX, truncated: true });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await h.services.files.read(res.fileId))! as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('建议列表')!;
      expect(sheet.rowCount).toBe(EXPORT_MAX + 1);
      expect(sheet.getRow(2).getCell(5).value).toBe(`批量建议 ${extra - 1}`);
    } finally {
      await h.close();
    }
  }, 120_000);
});

describe('suggestions: stats for district and city', () => {
  let h: Harness;
  let x: ReturnType<typeof helpers>;
  beforeAll(async () => {
    h = await createHarness({ now: new Date('2025-04-01T00:00:00.000Z') });
    x = helpers(h);
  });
  afterAll(() => h.close());

  it('match the stored rows (demo data included), and carry no personal data', async () => {
    const rows = await x.all();
    const city = ok(await x.as('cityAnkang', 'stats', { regionId: R.city }));
    expect(city.items.map((i: { communityId: string }) => i.communityId).sort()).toEqual(
      [R.peixin, R.laochengComm, R.xiaojiaba, R.dongcheng, R.yucai].sort(),
    );
    for (const item of city.items) {
      const mine = rows.filter((r) => r.communityId === item.communityId);
      const replied = mine.filter((r) => r.firstReplyAt !== null);
      const median = medianOf(replied.map((r) => (Date.parse(r.firstReplyAt!) - Date.parse(r.createdAt)) / 60_000).map(Math.floor));
      expect(item).toEqual({
        communityId: item.communityId,
        communityName: expect.any(String),
        collected: mine.length,
        replied: replied.length,
        medianDaysToFirstReply: median === null ? null : daysFromMinutes(median),
      });
    }
    const district = ok(await x.as('districtHanbin', 'stats', { regionId: R.hanbin }));
    expect(district.items.map((i: { communityName: string }) => i.communityName).sort()).toEqual(['培新街社区', '老城社区', '肖家坝社区'].sort());
    // A district admin may look at one street of their district.
    const street = ok(await x.as('districtHanbin', 'stats', { regionId: R.jiangbei }));
    expect(street.items.map((i: { communityId: string }) => i.communityId)).toEqual([R.xiaojiaba]);

    const text = JSON.stringify([city, district]);
    for (const p of Object.values(P)) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.phone);
    }
    for (const r of rows) expect(text).not.toContain(r.text);
    for (const item of city.items) expect(Object.keys(item).sort()).toEqual(['collected', 'communityId', 'communityName', 'medianDaysToFirstReply', 'replied']);
  });

  it('exact numbers on a known set', async () => {
    for (const s of await x.all()) await x.col().remove(s._id);
    const t0 = Date.parse('2025-04-01T00:00:00.000Z');
    const plan: [Who, string, number | null][] = [
      // 培新街社区: replies after 1, 2 and 4 days, one waiting → median 2 days.
      ['residentPeixin', R.peixin, 1 * DAY],
      ['residentPeixin', R.peixin, 2 * DAY],
      ['adminPeixin', R.peixin, 4 * DAY],
      ['residentPeixin', R.peixin, null],
      // 肖家坝社区: 12 h and 36 h → median 1 day.
      ['residentXiaojiaba', R.xiaojiaba, 12 * 3600_000],
      ['residentXiaojiaba', R.xiaojiaba, 36 * 3600_000],
    ];
    for (const [who, communityId, after] of plan) {
      h.setNow(new Date(t0));
      const id = ok(await x.submit(who, { communityId }))._id;
      if (after === null) continue;
      h.setNow(new Date(t0 + after));
      const admin = communityId === R.peixin ? 'adminPeixin' : 'adminXiaojiaba';
      ok(await x.as(admin, 'reply', { id, text: '已处理' }));
      h.advance(DAY);
      ok(await x.as(admin, 'reply', { id, text: '再次答复不改变首次答复时间' }));
    }
    const byId = (items: any[]) => Object.fromEntries(items.map((i) => [i.communityId, [i.collected, i.replied, i.medianDaysToFirstReply]]));
    expect(byId(ok(await x.as('districtHanbin', 'stats', { regionId: R.hanbin })).items)).toEqual({
      [R.peixin]: [4, 3, 2],
      [R.xiaojiaba]: [2, 2, 1],
      [R.laochengComm]: [0, 0, null],
    });
    expect(byId(ok(await x.as('cityAnkang', 'stats', { regionId: R.city })).items)).toMatchObject({
      [R.dongcheng]: [0, 0, null],
      [R.yucai]: [0, 0, null],
    });
  });
});

describe('suggestions: demo seed', () => {
  it('about thirty valid suggestions in every community and status; seeding again writes nothing', async () => {
    const { seedDemoSuggestions, DEMO_SUGGESTION_COUNT } = await import('../../src/server/demo/seed-suggestions');
    const { Suggestion } = await import('../../src/features/suggestions/suggestions.schema');
    const { seedDemoMatters, DEMO_MATTERS_SUGGESTION_COUNT } = await import('../../src/server/demo/seed-matters');
    const h = await createHarness();
    try {
      const x = helpers(h);
      const rows = await x.all();
      // The box's own demo set, and the neighbours' suggestions adopted into the demo demand lists.
      expect(rows).toHaveLength(DEMO_SUGGESTION_COUNT + DEMO_MATTERS_SUGGESTION_COUNT);
      expect(DEMO_SUGGESTION_COUNT).toBeGreaterThanOrEqual(25);
      for (const r of rows) expect(Suggestion.safeParse(r).success).toBe(true);
      expect(new Set(rows.map((r) => r.communityId))).toEqual(new Set([R.peixin, R.laochengComm, R.xiaojiaba, R.dongcheng, R.yucai]));
      expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['received', 'under_review', 'replied', 'adopted', 'closed', 'duplicate']));
      for (const r of rows.filter((r) => r.status === 'duplicate')) {
        const target = rows.find((t) => t._id === r.duplicateOf);
        expect(target?.communityId).toBe(r.communityId);
      }
      // The demo residents find theirs under “my suggestions”.
      expect(ok(await x.as('residentPeixin', 'mine', {})).items.length).toBeGreaterThan(0);
      expect(ok(await x.as('residentXiaojiaba', 'mine', {})).items.length).toBeGreaterThan(0);
      h.advance(10 * DAY);
      await seedDemoSuggestions(h.services);
      await seedDemoMatters(h.services);
      const again = await x.all();
      expect(again.map((r) => [r._id, r._rev, r.createdAt])).toEqual(rows.map((r) => [r._id, r._rev, r.createdAt]));
    } finally {
      await h.close();
    }
  });
});
