/** The audit log through dispatch on a real, demo-seeded SQLite store. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { AUDIT_EXPORT_HEADERS } from '../../src/features/audit/audit.export';
import { auditEntries, auditHeads } from '../../src/server/audit/audit.collections';
import { entryId, hashOf, headId, type AuditEntry } from '../../src/server/audit/chain';
import { digestOf } from '../../src/server/audit/digest';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import type { Stored } from '../../src/server/store/store';
import { codeOf, createHarness, dataOf, testStore, type Harness } from '../support/harness';

let seq = 0;
const requestId = () => `audit-req-${String(++seq).padStart(6, '0')}`;

function helpers(h: Harness) {
  const entries = () => h.services.store.collection(auditEntries);
  return {
    entries,
    async chain(chain: string): Promise<Stored<AuditEntry>[]> {
      const out: Stored<AuditEntry>[] = [];
      let cursor: string | null = null;
      do {
        const page = await entries().find({ where: { chain }, orderBy: { field: 'seq', direction: 'asc' }, limit: 100, cursor });
        out.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    },
    submit: async (openid: string, text = '小区东门的路灯坏了好几天了') =>
      dataOf(await h.call('suggestions', 'submit', { requestId: requestId(), communityId: R.peixin, category: '公共设施', text }, openid))._id as string,
    verify: async (openid: string, regionId: string) => dataOf(await h.call('audit', 'verify', { regionId }, openid)),
  };
}

describe('audit log: appended by dispatch for staff writes', () => {
  let h: Harness;
  let x: ReturnType<typeof helpers>;
  let s1: string;
  let s2: string;
  beforeAll(async () => {
    h = await createHarness();
    x = helpers(h);
    s1 = await x.submit(P.residentPeixin.openid);
    s2 = await x.submit(P.residentPeixin.openid, '希望在小区里多装几张长椅');
  });
  afterAll(() => h.close());

  it('residents’ writes are not audited', async () => {
    expect(await x.entries().count()).toBe(0);
    expect(await h.services.store.collection(auditHeads).count()).toBe(0);
  });

  it('appends one entry per staff write, chained per community, with actor, role, action, targets, request id and input digest', async () => {
    dataOf(await h.call('suggestions', 'reply', { id: s1, text: '已联系物业，本周内修好' }, P.adminPeixin.openid));
    dataOf(await h.call('suggestions', 'setStatus', { id: s2, status: 'under_review', reason: '正在核实' }, P.adminPeixin.openid));
    dataOf(await h.call('members', 'createInvitation', { communityId: R.peixin, role: 'grid_worker' }, P.adminPeixin.openid));
    // A transaction's writes count once it commits.
    dataOf(await h.call('suggestions', 'markDuplicate', { id: s2, duplicateOf: s1 }, P.adminPeixin.openid));

    const chain = await x.chain(R.peixin);
    expect(chain.map((e) => [e.seq, e.action])).toEqual([
      [1, 'suggestions.reply'],
      [2, 'suggestions.setStatus'],
      [3, 'members.createInvitation'],
      [4, 'suggestions.markDuplicate'],
    ]);
    expect(chain.every((e) => e.actor === P.adminPeixin.memberId && e.role === 'community_admin' && e.outcome === 'ok')).toBe(true);
    expect(chain[0]!.targets).toEqual([{ collection: 'suggestions', id: s1 }]);
    expect(chain[3]!.targets).toEqual([{ collection: 'suggestions', id: s2 }]);
    expect(chain[2]!.targets[0]!.collection).toBe('invitations');
    expect(chain[0]!.inputDigest).toBe(digestOf({ id: s1, text: '已联系物业，本周内修好' }));
    expect(chain[0]!.requestId).toMatch(/^test-\d+$/);
    expect(new Set(chain.map((e) => e.requestId)).size).toBe(4);
    expect(chain[0]!.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.prevHash).toBe(chain[i - 1]!.hash);
    expect(chain.map((e) => e._id)).toEqual([1, 2, 3, 4].map((n) => entryId(R.peixin, n)));
    expect([chain[0]!.cityId, chain[0]!.districtId, chain[0]!.communityId]).toEqual([R.city, R.hanbin, R.peixin]);
    const head = await h.services.store.collection(auditHeads).get(headId(R.peixin));
    expect([head?.seq, head?.hash]).toEqual([4, chain[3]!.hash]);
  });

  it('a staff action that fails before writing appends nothing', async () => {
    const before = await x.entries().count();
    expect(codeOf(await h.call('suggestions', 'markDuplicate', { id: s1, duplicateOf: s1 }, P.adminPeixin.openid))).toBe('SUGGESTION.BAD_DUPLICATE');
    expect(codeOf(await h.call('suggestions', 'reply', { id: s2, text: '重复建议不能答复吧' }, P.adminPeixin.openid))).not.toBe('OK');
    expect(await x.entries().count()).toBe(before);
  });

  it('a grid worker’s write goes to its community’s chain; no personal data from the input is stored', async () => {
    const phone = '13912345678';
    const name = '欧阳翠花';
    dataOf(
      await h.call(
        'visits',
        'createHousehold',
        { gridId: R.peixinGrid1, headName: name, membersCount: 3, phone, building: '9栋', unit: '1单元', room: '302', note: `联系电话 ${phone}` },
        P.gridPeixin.openid,
      ),
    );
    const last = (await x.chain(R.peixin)).at(-1)!;
    expect([last.action, last.role, last.actor]).toEqual(['visits.createHousehold', 'grid_worker', P.gridPeixin.memberId]);
    expect(last.targets.length).toBeGreaterThan(0);
    const everything = JSON.stringify([...(await x.chain(R.peixin)), ...(await h.services.store.collection(auditHeads).find({ limit: 100 })).items]);
    for (const secret of [phone, name, P.gridPeixin.openid, P.residentPeixin.phone, P.residentPeixin.name, '已联系物业']) expect(everything).not.toContain(secret);
  });

  it('verify: an intact chain is ok; an altered entry is reported, then a removed one', async () => {
    expect(await x.verify(P.adminPeixin.openid, R.peixin)).toEqual({ ok: true, chains: [expect.objectContaining({ chain: R.peixin, ok: true, checked: 5, headSeq: 5, broken: null })] });

    const col = x.entries();
    const e2 = (await col.get(entryId(R.peixin, 2)))!;
    await col.update(e2._id, e2._rev, { actor: 'm-someone-else' });
    const altered = await x.verify(P.districtHanbin.openid, R.hanbin);
    expect(altered.ok).toBe(false);
    expect(altered.chains.find((c: { chain: string }) => c.chain === R.peixin)).toMatchObject({ ok: false, checked: 1, broken: { seq: 2, reason: 'altered', entryId: entryId(R.peixin, 2) } });

    // Put the field back: the chain verifies again (the hash covers the content, not the store's revision).
    const now2 = (await col.get(e2._id))!;
    await col.update(e2._id, now2._rev, { actor: e2.actor });
    expect((await x.verify(P.adminPeixin.openid, R.peixin)).ok).toBe(true);

    // Altered with its own hash recomputed: the next entry's link gives it away.
    const forged = { ...e2, actor: 'm-someone-else' };
    const e2now = (await col.get(e2._id))!;
    await col.update(e2._id, e2now._rev, { actor: forged.actor, hash: hashOf(forged) });
    expect((await x.verify(P.adminPeixin.openid, R.peixin)).chains[0]).toMatchObject({ ok: false, checked: 2, broken: { seq: 3, reason: 'unlinked' } });
    const e2forged = (await col.get(e2._id))!;
    await col.update(e2._id, e2forged._rev, { actor: e2.actor, hash: e2.hash });
    expect((await x.verify(P.adminPeixin.openid, R.peixin)).ok).toBe(true);

    // A removed entry leaves a gap in the seqs.
    const e3 = (await col.get(entryId(R.peixin, 3)))!;
    expect(await col.remove(e3._id)).toBe(true);
    expect((await x.verify(P.cityAnkang.openid, R.city)).chains.find((c: { chain: string }) => c.chain === R.peixin)).toMatchObject({
      ok: false,
      checked: 2,
      broken: { seq: 3, reason: 'missing' },
    });
    const { _id, _rev, ...body } = e3;
    void _rev;
    await col.insert(body, { id: _id });
    expect((await x.verify(P.adminPeixin.openid, R.peixin)).ok).toBe(true);

    // The newest entry removed: the head still counts it.
    const e5 = (await col.get(entryId(R.peixin, 5)))!;
    await col.remove(e5._id);
    expect((await x.verify(P.adminPeixin.openid, R.peixin)).chains[0]).toMatchObject({ ok: false, checked: 4, broken: { seq: 5, reason: 'missing' } });
    const { _id: id5, _rev: rev5, ...body5 } = e5;
    void rev5;
    await col.insert(body5, { id: id5 });

    // Two entries' contents swapped under each other's ids.
    const [a, b] = [(await col.get(entryId(R.peixin, 1)))!, (await col.get(entryId(R.peixin, 2)))!];
    const strip = ({ _id: _i, _rev: _r, ...rest }: Stored<AuditEntry>) => rest;
    await col.update(a._id, a._rev, strip(b));
    await col.update(b._id, b._rev, strip(a));
    expect((await x.verify(P.adminPeixin.openid, R.peixin)).chains[0]).toMatchObject({ ok: false, checked: 0, broken: { seq: 1, reason: 'reordered' } });
    const [a2, b2] = [(await col.get(a._id))!, (await col.get(b._id))!];
    await col.update(a._id, a2._rev, strip(a));
    await col.update(b._id, b2._rev, strip(b));
    expect((await x.verify(P.adminPeixin.openid, R.peixin)).ok).toBe(true);
  });

  // The command reads the SQLite file in a data directory; the stand-in keeps its documents in memory.
  const onDisk = testStore() === 'sqlite' ? it : it.skip;
  onDisk('`npm run audit:verify` walks the chains of a data directory and exits 1 on a broken one', async () => {
    const run = () =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(join('node_modules', '.bin', 'tsx'), ['scripts/audit-verify.ts'], { env: { ...process.env, DATA_DIR: h.dataDir } }, (err, stdout) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout }),
        );
      });
    const good = await run();
    expect(good.code).toBe(0);
    expect(good.out).toContain(`ok      ${R.peixin}  5 entries`);

    const col = x.entries();
    const e4 = (await col.get(entryId(R.peixin, 4)))!;
    await col.update(e4._id, e4._rev, { targets: [] });
    const bad = await run();
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`BROKEN  ${R.peixin}  at seq 4`);
    expect(bad.out).toContain('altered');
    await col.update(e4._id, e4._rev + 1, { targets: e4.targets });
  }, 30_000);

  it('parallel staff writes in one community each get their own seq', async () => {
    const ids = await Promise.all([1, 2, 3, 4, 5].map((i) => x.submit(P.residentPeixin.openid, `第 ${i} 条并发测试建议内容`)));
    const results = await Promise.all(ids.map((id) => h.call('suggestions', 'setStatus', { id, status: 'under_review', reason: '核实中' }, P.adminPeixin.openid)));
    expect(results.map(codeOf)).toEqual(['OK', 'OK', 'OK', 'OK', 'OK']);
    const chain = await x.chain(R.peixin);
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await x.verify(P.adminPeixin.openid, R.peixin)).ok).toBe(true);
  });

  it('reading: district and city admins read their region, a community admin their community; nobody else', async () => {
    dataOf(await h.call('members', 'createInvitation', { communityId: R.xiaojiaba, role: 'grid_worker' }, P.adminXiaojiaba.openid));
    const list = async (openid: string, regionId: string) => h.call('audit', 'list', { regionId, limit: 100 }, openid);

    const district = dataOf(await list(P.districtHanbin.openid, R.hanbin));
    expect(new Set(district.items.map((e: AuditEntry) => e.chain))).toEqual(new Set([R.peixin, R.xiaojiaba]));
    expect(district.items.length).toBe(11);
    const at = district.items.map((e: AuditEntry) => e.at);
    expect([...at].sort().reverse()).toEqual(at);

    const community = dataOf(await list(P.adminPeixin.openid, R.peixin));
    expect(community.items.map((e: AuditEntry) => e.seq)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(dataOf(await list(P.cityAnkang.openid, R.city)).items.length).toBe(11);

    const paged = dataOf(await h.call('audit', 'list', { regionId: R.hanbin, limit: 4 }, P.districtHanbin.openid));
    expect(paged.items.length).toBe(4);
    const next = dataOf(await h.call('audit', 'list', { regionId: R.hanbin, limit: 100, cursor: paged.nextCursor }, P.districtHanbin.openid));
    expect(next.items.length).toBe(7);

    expect(codeOf(await list(P.districtHanbin.openid, R.hanyin))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await list(P.adminXiaojiaba.openid, R.peixin))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await list(P.adminPeixin.openid, R.hanbin))).toBe('AUTH.FORBIDDEN');
    for (const who of [P.residentPeixin, P.gridPeixin, P.canteenPeixin]) expect(codeOf(await list(who.openid, R.peixin))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('audit', 'verify', { regionId: R.hanyin }, P.districtHanbin.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('audit', 'exportXlsx', { regionId: R.hanyin }, P.districtHanbin.openid))).toBe('AUTH.FORBIDDEN');
    // Reading is not a write: nothing appended.
    expect(await x.entries().count()).toBe(11);
  });

  it('export: the district’s entries as .xlsx, newest first', async () => {
    const out = dataOf(await h.call('audit', 'exportXlsx', { regionId: R.hanbin }, P.districtHanbin.openid));
    expect([out.count, out.truncated]).toEqual([11, false]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await h.services.files.read(out.fileId))! as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('审计日志')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...AUDIT_EXPORT_HEADERS]);
    expect(ws.rowCount).toBe(12);
    expect(ws.getRow(2).getCell(6).value).toBe('members.createInvitation');
    // Exporting writes a file, not the store: still 11 entries.
    expect(await x.entries().count()).toBe(11);
  });

  it('an append that cannot be written is logged without personal data; the action’s answer stands', async () => {
    const h2 = await createHarness();
    try {
      const y = helpers(h2);
      const id = await y.submit(P.residentPeixin.openid);
      // Someone already holds seq 1 of this chain while the head says none: every attempt collides.
      await h2.services.store.collection(auditEntries).insert({} as AuditEntry, { id: entryId(R.peixin, 1) });
      const r = await h2.call('suggestions', 'reply', { id, text: `请联系 ${P.residentPeixin.phone}` }, P.adminPeixin.openid);
      expect(codeOf(r)).toBe('OK');
      const line = h2.logs.find((l) => l.msg === 'audit append failed');
      expect(line).toMatchObject({ level: 'error', action: 'suggestions.reply', code: 'STORE.CONFLICT' });
      expect(JSON.stringify(h2.logs)).not.toContain(P.residentPeixin.phone);
    } finally {
      await h2.close();
    }
  });
});
