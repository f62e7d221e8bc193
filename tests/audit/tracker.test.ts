/** What counts as a write, and which chain it goes to: probe actions driven through the real dispatch. */
import { z } from 'zod';
import { defineContract } from '../../src/lib/contract';
import { AppError } from '../../src/lib/errors';
import { defineArea, type Area } from '../../src/server/action';
import { areas } from '../../src/server/areas';
import { auditEntries } from '../../src/server/audit/audit.collections';
import type { AuditEntry } from '../../src/server/audit/chain';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { dispatch } from '../../src/server/dispatch';
import { defineCollection, type Stored } from '../../src/server/store/store';
import { codeOf, createHarness, type Harness } from '../support/harness';

const notes = defineCollection<{ n: number }>({ name: 'probeNotes', indexes: [] });
const Out = z.object({ ok: z.boolean() });
const probeContract = defineContract({
  districtWrite: { input: z.object({ regionId: z.string() }), output: Out },
  abortedTx: { input: z.object({ regionId: z.string() }), output: Out },
  writeThenFail: { input: z.object({ regionId: z.string() }), output: Out },
  txWrites: { input: z.object({ regionId: z.string() }), output: Out },
});
const probe = defineArea('probe', probeContract, {
  districtWrite: {
    roles: ['district_admin'],
    scope: (i) => i.regionId,
    async run(_i, ctx) {
      await ctx.store.collection(notes).insert({ n: 1 }, { id: 'note-district' });
      return { ok: true };
    },
  },
  abortedTx: {
    roles: ['community_admin'],
    scope: (i) => i.regionId,
    async run(_i, ctx) {
      await ctx.store
        .transaction(async (tx) => {
          await tx.collection(notes).insert({ n: 2 }, { id: 'note-aborted' });
          throw new AppError('PROBE.ABORT', '中止');
        })
        .catch(() => null);
      return { ok: true };
    },
  },
  writeThenFail: {
    roles: ['community_admin'],
    scope: (i) => i.regionId,
    async run(_i, ctx) {
      await ctx.store.collection(notes).insert({ n: 3 }, { id: 'note-then-fail' });
      throw new AppError('PROBE.LATE_FAILURE', '写入后失败');
    },
  },
  txWrites: {
    roles: ['community_admin'],
    scope: (i) => i.regionId,
    async run(_i, ctx) {
      await ctx.store.transaction(async (tx) => {
        await tx.collection(notes).insert({ n: 4 }, { id: 'note-tx' });
        await tx.collection(notes).increment('note-tx', { n: 1 });
      });
      await ctx.store.collection(notes).remove('note-tx');
      // Removing what is not there wrote nothing.
      await ctx.store.collection(notes).remove('note-never');
      return { ok: true };
    },
  },
});
const probeAreas = { ...areas, probe } as unknown as Record<string, Area>;

describe('audit: which writes, which chain', () => {
  let h: Harness;
  let seq = 0;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());
  const call = (action: string, input: unknown, openid: string) => dispatch(probeAreas, 'probe', { action, input }, { openid }, h.services, `probe-${++seq}`);
  const chain = async (c: string): Promise<Stored<AuditEntry>[]> =>
    (await h.services.store.collection(auditEntries).find({ where: { chain: c }, orderBy: { field: 'seq', direction: 'asc' }, limit: 100 })).items;

  it('a district-level write goes to the district’s chain and is listed for the district', async () => {
    expect(codeOf(await call('districtWrite', { regionId: R.hanbin }, P.districtHanbin.openid))).toBe('OK');
    const [e] = await chain(R.hanbin);
    expect(e).toMatchObject({ chain: R.hanbin, seq: 1, role: 'district_admin', districtId: R.hanbin, cityId: R.city, communityId: null, targets: [{ collection: 'probeNotes', id: 'note-district' }] });
    const listed = await h.call('audit', 'list', { regionId: R.hanbin }, P.districtHanbin.openid);
    expect(listed.ok && listed.data.items.map((x: AuditEntry) => x.action)).toEqual(['probe.districtWrite']);
  });

  it('a transaction that aborted wrote nothing: no entry', async () => {
    expect(codeOf(await call('abortedTx', { regionId: R.peixin }, P.adminPeixin.openid))).toBe('OK');
    expect(await h.services.store.collection(notes).get('note-aborted')).toBeNull();
    expect(await chain(R.peixin)).toEqual([]);
  });

  it('a write that committed before the action failed is still logged, with the failure code', async () => {
    expect(codeOf(await call('writeThenFail', { regionId: R.peixin }, P.adminPeixin.openid))).toBe('PROBE.LATE_FAILURE');
    const [e] = await chain(R.peixin);
    expect(e).toMatchObject({ action: 'probe.writeThenFail', outcome: 'PROBE.LATE_FAILURE', targets: [{ collection: 'probeNotes', id: 'note-then-fail' }] });
  });

  it('writes inside a committed transaction and after it count; the same id once; a remove of nothing not at all', async () => {
    expect(codeOf(await call('txWrites', { regionId: R.peixin }, P.adminPeixin.openid))).toBe('OK');
    const e = (await chain(R.peixin)).at(-1)!;
    expect([e.action, e.targets, e.targetCount]).toEqual(['probe.txWrites', [{ collection: 'probeNotes', id: 'note-tx' }], 1]);
  });
});
