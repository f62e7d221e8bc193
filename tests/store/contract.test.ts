/**
 * The store contract: one suite, every adapter. SQLite always (a temp file per test);
 * CloudBase only with TCB_ENV + TENCENTCLOUD_SECRETID/SECRETKEY (a real environment).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../src/lib/errors';
import { openSqliteStore } from '../../src/server/store/sqlite';
import { defineCollection, type Store, type Stored } from '../../src/server/store/store';
import { withRetry } from '../../src/server/conflict-retry';
import { createCloudbaseStandIn, standInDb } from './cloudbase-standin';

interface Item {
  communityId: string;
  createdAt: string;
  status: string;
  title: string;
  score: number;
  stats?: { views?: number; likes?: number };
  note?: string | null;
}

const items = defineCollection<Item>({
  name: 'contract_items',
  indexes: [['communityId', 'createdAt'], ['communityId', 'score'], 'status', 'score', 'title', 'createdAt'],
});
const counters = defineCollection<{ label: string; n?: number; stats?: { views?: number } }>({ name: 'contract_counters', indexes: [] });
/** A sort field that is sometimes null or missing. */
const ranked = defineCollection<{ rank?: number | null; group: string }>({ name: 'contract_ranked', indexes: [['group', 'rank']] });

interface Harness {
  /** Opens a store over the same backing data each time (so close/reopen can be tested). */
  open(): Store;
  reset(): Promise<void>;
  done(): Promise<void>;
}

interface Adapter {
  name: string;
  skipReason: string | null;
  harness(): Harness;
}

const sqlite: Adapter = {
  name: 'sqlite',
  skipReason: null,
  harness() {
    let dir = '';
    return {
      open: () => openSqliteStore(join(dir, 'store.db')),
      async reset() {
        if (dir) rmSync(dir, { recursive: true, force: true });
        dir = mkdtempSync(join(tmpdir(), 'shishi-store-'));
      },
      async done() {
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const cloudbaseCreds = Boolean(process.env.TCB_ENV && process.env.TENCENTCLOUD_SECRETID && process.env.TENCENTCLOUD_SECRETKEY);
const cloudbase: Adapter = {
  name: 'cloudbase',
  skipReason: cloudbaseCreds ? null : 'CloudBase contract suite skipped: set TCB_ENV, TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY to run it',
  harness() {
    // Loaded only with credentials: the SDK must never be touched by accident.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const tcb = require('@cloudbase/node-sdk');
    const { openCloudbaseStore } = require('../../src/server/store/cloudbase') as typeof import('../../src/server/store/cloudbase');
    const app = tcb.init({ env: process.env.TCB_ENV, secretId: process.env.TENCENTCLOUD_SECRETID, secretKey: process.env.TENCENTCLOUD_SECRETKEY });
    const db = app.database();
    return {
      open: () => openCloudbaseStore(db),
      async reset() {
        for (const name of [items.name, counters.name, ranked.name]) {
          try {
            await db.createCollection(name);
          } catch {
            // exists already
          }
          await db.collection(name).where({ _id: db.command.exists(true) }).remove();
        }
      },
      async done() {},
    };
  },
};

/** The real CloudBase adapter and SDK client over an in-memory model of the service (see cloudbase-standin.ts). */
const cloudbaseStandIn: Adapter = {
  name: 'cloudbase adapter over an in-memory stand-in of the service',
  skipReason: null,
  harness() {
    const service = createCloudbaseStandIn();
    const { openCloudbaseStore } = require('../../src/server/store/cloudbase') as typeof import('../../src/server/store/cloudbase');
    return {
      open: () => openCloudbaseStore(standInDb(service)), // requests go to the stand-in, never to the network
      async reset() {
        service.clear();
      },
      async done() {},
    };
  },
};

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    return isAppError(e) ? e.code : `Error: ${(e as Error).message}`;
  }
  return 'resolved';
};

const item = (i: number, over: Partial<Item> = {}): Item => ({
  communityId: i % 2 === 0 ? 'c-even' : 'c-odd',
  createdAt: `2024-05-${String(1 + (i % 5)).padStart(2, '0')}T00:00:00.000Z`, // many ties
  status: ['open', 'doing', 'done'][i % 3] as string,
  title: `Suggestion ${i} 路灯`,
  score: i,
  ...over,
});

for (const adapter of [sqlite, cloudbaseStandIn, cloudbase]) {
  if (adapter.skipReason) console.log(adapter.skipReason);
  const d = adapter.skipReason ? describe.skip : describe;

  d(`store contract: ${adapter.name}`, () => {
    const h = adapter.skipReason ? (null as unknown as Harness) : adapter.harness();
    let store: Store;

    beforeEach(async () => {
      await h.reset();
      store = h.open();
    });
    afterEach(async () => {
      await store.close();
    });
    afterAll(async () => {
      await h?.done();
    });

    const seed = async (n: number): Promise<Stored<Item>[]> => {
      const col = store.collection(items);
      const out: Stored<Item>[] = [];
      for (let i = 0; i < n; i++) out.push(await col.insert(item(i), { id: `item-${String(i).padStart(3, '0')}` }));
      return out;
    };

    test('insert assigns _id and _rev 1; get and getMany read it back', async () => {
      const col = store.collection(items);
      const a = await col.insert(item(1));
      expect(a._rev).toBe(1);
      expect(typeof a._id).toBe('string');
      expect(await col.get(a._id)).toEqual(a);
      expect(await col.get('no-such-id')).toBeNull();
      const b = await col.insert(item(2), { id: 'b' });
      expect(b._id).toBe('b');
      expect(await col.getMany(['b', 'missing', a._id, 'b'])).toEqual([b, a]);
      expect(await col.getMany([])).toEqual([]);
    });

    test('generated ids are unique', async () => {
      const col = store.collection(counters);
      const docs = await Promise.all(Array.from({ length: 40 }, (_, i) => col.insert({ label: `x${i}` })));
      expect(new Set(docs.map((x) => x._id)).size).toBe(40);
    });

    test('a deterministic id is unique, also under concurrent inserts', async () => {
      const col = store.collection(counters);
      await col.insert({ label: 'first' }, { id: 'meal:e1:2024-05-01' });
      expect(await codeOf(col.insert({ label: 'second' }, { id: 'meal:e1:2024-05-01' }))).toBe('STORE.DUPLICATE');
      expect((await col.get('meal:e1:2024-05-01'))?.label).toBe('first');

      const results = await Promise.allSettled(['a', 'b'].map((label) => col.insert({ label }, { id: 'race' })));
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(isAppError(lost[0]?.reason) && lost[0]?.reason.code).toBe('STORE.DUPLICATE');
      const winner = (won[0] as PromiseFulfilledResult<Stored<{ label: string }>>).value;
      expect((await col.get('race'))?.label).toBe(winner.label);
    });

    test('update merges shallowly, bumps _rev and rejects a stale _rev', async () => {
      const col = store.collection(items);
      const a = await col.insert(item(1, { stats: { views: 1, likes: 2 } }), { id: 'u' });
      const b = await col.update('u', 1, { status: 'done', stats: { views: 5 } });
      expect(b).toEqual({ ...a, status: 'done', stats: { views: 5 }, _rev: 2 });
      expect(await col.get('u')).toEqual(b);
      expect(await codeOf(col.update('u', 1, { status: 'open' }))).toBe('STORE.CONFLICT');
      expect((await col.get('u'))?.status).toBe('done');
      expect(await codeOf(col.update('gone', 1, { status: 'open' }))).toBe('STORE.NOT_FOUND');
      const c = await col.update('u', 2, { note: null });
      expect(c.note).toBeNull();
      expect(c._rev).toBe(3);
    });

    test('concurrent updates with the same _rev: exactly one wins', async () => {
      const col = store.collection(items);
      await col.insert(item(1), { id: 'u' });
      const results = await Promise.allSettled(['a', 'b', 'c'].map((status) => col.update('u', 1, { status })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await col.get('u'))?._rev).toBe(2);
    });

    test('increment creates fields at 0, handles dotted paths and is atomic', async () => {
      const col = store.collection(counters);
      await col.insert({ label: 'c' }, { id: 'k' });
      const a = await col.increment('k', { n: 2, 'stats.views': 1 });
      expect(a).toMatchObject({ n: 2, stats: { views: 1 }, _rev: 2, label: 'c' });
      const b = await col.increment('k', { n: -5 });
      expect(b.n).toBe(-3);
      await Promise.all(Array.from({ length: 50 }, () => col.increment('k', { n: 1, 'stats.views': 2 })));
      const c = await col.get('k');
      expect(c).toMatchObject({ n: 47, stats: { views: 101 }, _rev: 53 });
      expect(await codeOf(col.increment('gone', { n: 1 }))).toBe('STORE.NOT_FOUND');
    });

    test('remove with and without _rev', async () => {
      const col = store.collection(items);
      await col.insert(item(1), { id: 'r1' });
      await col.insert(item(2), { id: 'r2' });
      expect(await col.remove('r1')).toBe(true);
      expect(await col.remove('r1')).toBe(false);
      expect(await col.get('r1')).toBeNull();
      expect(await codeOf(col.remove('r2', 7))).toBe('STORE.CONFLICT');
      expect(await col.get('r2')).not.toBeNull();
      expect(await col.remove('r2', 1)).toBe(true);
      expect(await col.remove('r2', 1)).toBe(false);
    });

    test('find filters by equality, in, ranges and contains', async () => {
      await seed(30);
      const col = store.collection(items);
      const ids = async (where: Parameters<typeof col.find>[0]) =>
        (await col.find({ ...where, limit: 100 })).items.map((x) => x.score).sort((x, y) => x - y);
      expect(await ids({ where: { status: 'done' } })).toEqual([2, 5, 8, 11, 14, 17, 20, 23, 26, 29]);
      expect(await ids({ where: { status: 'done', communityId: 'c-even' } })).toEqual([2, 8, 14, 20, 26]);
      expect(await ids({ where: { status: { in: ['open', 'doing'] }, score: { lt: 6 } } })).toEqual([0, 1, 3, 4]);
      expect(await ids({ where: { status: { in: [] } } })).toEqual([]);
      expect(await ids({ where: { score: { gt: 3, lte: 6 } } })).toEqual([4, 5, 6]);
      expect(await ids({ where: { score: { gte: 28 } } })).toEqual([28, 29]);
      expect(await ids({ where: { createdAt: { gte: '2024-05-05', lt: '2024-05-06' } } })).toEqual([4, 9, 14, 19, 24, 29]);
      expect(await ids({ where: { title: { contains: 'suggestion 1' } } })).toEqual([1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
      expect(await ids({ where: { title: { contains: 'ION 2' }, communityId: 'c-odd' } })).toEqual([21, 23, 25, 27, 29]);
      expect(await ids({ where: { title: { contains: '路灯' }, score: { lt: 3 } } })).toEqual([0, 1, 2]);
      expect(await ids({ where: { title: { contains: '.*' } } })).toEqual([]); // literal text, not a pattern
    });

    test('order asc/desc breaks ties by _id in the same direction', async () => {
      const all = await seed(20);
      const col = store.collection(items);
      const key = (x: Stored<Item>) => `${x.createdAt}|${x._id}`;
      const asc = [...all].sort((x, y) => (key(x) < key(y) ? -1 : 1)).map((x) => x._id);
      const got = await col.find({ orderBy: { field: 'createdAt', direction: 'asc' }, limit: 100 });
      expect(got.items.map((x) => x._id)).toEqual(asc);
      const desc = await col.find({ orderBy: { field: 'createdAt', direction: 'desc' }, limit: 100 });
      expect(desc.items.map((x) => x._id)).toEqual([...asc].reverse());
      const byId = await col.find({ limit: 100 });
      expect(byId.items.map((x) => x._id)).toEqual(all.map((x) => x._id));
    });

    test('cursor pagination walks every page with no duplicates or gaps', async () => {
      const all = await seed(57);
      const col = store.collection(items);
      for (const direction of ['asc', 'desc'] as const) {
        for (const [where, expected] of [
          [undefined, all],
          [{ communityId: 'c-odd' }, all.filter((x) => x.communityId === 'c-odd')],
        ] as const) {
          const seen: string[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const page: Awaited<ReturnType<typeof col.find>> = await col.find({
              where, orderBy: { field: 'createdAt', direction }, limit: 10, cursor,
            });
            seen.push(...page.items.map((x) => x._id));
            cursor = page.nextCursor;
            pages++;
            expect(page.items.length).toBe(cursor ? 10 : expected.length - (pages - 1) * 10);
          } while (cursor);
          expect(pages).toBe(Math.ceil(expected.length / 10));
          expect(new Set(seen).size).toBe(seen.length);
          expect([...seen].sort()).toEqual(expected.map((x) => x._id).sort());
        }
      }
    });

    test('a page walk stays consistent while items are added', async () => {
      await seed(15);
      const col = store.collection(items);
      const first = await col.find({ orderBy: { field: 'score', direction: 'desc' }, limit: 5 });
      await col.insert(item(100), { id: 'late-high' }); // sorts before the cursor: not repeated
      await col.insert(item(3, { score: -1 }), { id: 'late-low' }); // sorts after: shows up
      const rest: string[] = [];
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await col.find({ orderBy: { field: 'score', direction: 'desc' }, limit: 5, cursor });
        rest.push(...page.items.map((x) => x._id));
        cursor = page.nextCursor;
      }
      expect(rest).toHaveLength(11);
      expect(rest[rest.length - 1]).toBe('late-low');
      expect(rest).not.toContain('late-high');
    });

    test('pagination keeps items whose sort value is null or missing (first in asc, last in desc)', async () => {
      const col = store.collection(ranked);
      const ids: string[] = [];
      for (let i = 0; i < 17; i++) {
        const rank = i % 4 === 0 ? undefined : i % 4 === 1 ? null : i % 3; // missing, null and ties
        const doc = await col.insert(rank === undefined ? { group: 'g' } : { group: 'g', rank }, { id: `r${String(i).padStart(2, '0')}` });
        ids.push(doc._id);
      }
      await col.insert({ group: 'other', rank: 1 });
      for (const direction of ['asc', 'desc'] as const) {
        const seen: Stored<{ rank?: number | null; group: string }>[] = [];
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<typeof col.find>> = await col.find({
            where: { group: 'g' }, orderBy: { field: 'rank', direction }, limit: 3, cursor,
          });
          seen.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen.map((x) => x._id).sort()).toEqual(ids);
        const nulls = seen.filter((x) => x.rank === null || x.rank === undefined).map((x) => x._id);
        expect(nulls).toHaveLength(9);
        const ranks = seen.map((x) => x.rank ?? -Infinity);
        const sorted = [...ranks].sort((a, b) => (direction === 'asc' ? a - b : b - a));
        expect(ranks).toEqual(sorted);
      }
    });

    test('limit defaults to 20, clamps above 100 and rejects below 1', async () => {
      const col = store.collection(counters);
      for (let i = 0; i < 120; i++) await col.insert({ label: `l${i}` }, { id: `k${String(i).padStart(3, '0')}` });
      expect((await col.find()).items).toHaveLength(20);
      expect((await col.find({ limit: 1 })).items).toHaveLength(1);
      const big = await col.find({ limit: 100 });
      expect(big.items).toHaveLength(100);
      expect(big.nextCursor).not.toBeNull();
      expect((await col.find({ limit: 500 })).items).toHaveLength(100);
      expect(await codeOf(col.find({ limit: 0 }))).toMatch(/^Error: /);
      expect(await codeOf(col.find({ limit: 2.5 }))).toMatch(/^Error: /);
      const last = await col.find({ limit: 100, cursor: big.nextCursor });
      expect(last.items).toHaveLength(20);
      expect(last.nextCursor).toBeNull();
    });

    test('bad or foreign cursors are bad input', async () => {
      await seed(3);
      const col = store.collection(items);
      const page = await col.find({ orderBy: { field: 'score', direction: 'asc' }, limit: 1 });
      expect(await codeOf(col.find({ cursor: 'not-a-cursor!' }))).toBe('INPUT.INVALID');
      expect(await codeOf(col.find({ orderBy: { field: 'score', direction: 'desc' }, cursor: page.nextCursor }))).toBe('INPUT.INVALID');
    });

    test('count with and without conditions', async () => {
      await seed(25);
      const col = store.collection(items);
      expect(await col.count()).toBe(25);
      expect(await col.count({ communityId: 'c-even' })).toBe(13);
      expect(await col.count({ communityId: 'c-even', score: { gte: 20 } })).toBe(3);
      expect(await col.count({ status: 'nothing' })).toBe(0);
    });

    test('transaction commits all its writes', async () => {
      await store.collection(items).insert(item(1), { id: 't1' });
      const out = await store.transaction(async (tx) => {
        const col = tx.collection(items);
        const a = await col.get('t1');
        await col.update('t1', a!._rev, { status: 'done' });
        await col.insert(item(2), { id: 't2' });
        await tx.collection(counters).insert({ label: 'tx' }, { id: 'c1' });
        return 'ok';
      });
      expect(out).toBe('ok');
      const col = store.collection(items);
      expect((await col.get('t1'))?.status).toBe('done');
      expect(await col.get('t2')).not.toBeNull();
      expect(await store.collection(counters).get('c1')).not.toBeNull();
    });

    test('a thrown error rolls the whole transaction back', async () => {
      await store.collection(items).insert(item(1), { id: 't1' });
      const boom = new Error('boom');
      await expect(
        store.transaction(async (tx) => {
          const col = tx.collection(items);
          await col.update('t1', 1, { status: 'done' });
          await col.insert(item(2), { id: 't2' });
          await tx.collection(counters).insert({ label: 'tx' }, { id: 'c1' });
          throw boom;
        }),
      ).rejects.toBe(boom);
      const col = store.collection(items);
      expect(await col.get('t1')).toMatchObject({ status: item(1).status, _rev: 1 });
      expect(await col.get('t2')).toBeNull();
      expect(await store.collection(counters).get('c1')).toBeNull();
      // an AppError inside (a duplicate) rolls back too
      expect(
        await codeOf(
          store.transaction(async (tx) => {
            await tx.collection(counters).insert({ label: 'x' }, { id: 'c2' });
            await tx.collection(items).insert(item(3), { id: 't1' });
          }),
        ),
      ).toBe('STORE.DUPLICATE');
      expect(await store.collection(counters).get('c2')).toBeNull();
    });

    // --- The transaction rules (store.ts): CloudBase's, on every adapter. ---
    test('find and count inside a transaction fail, and its writes are rolled back', async () => {
      await store.collection(items).insert(item(1), { id: 'q1' });
      for (const query of ['find', 'count'] as const) {
        const outcome = await codeOf(
          store.transaction(async (tx) => {
            await tx.collection(counters).insert({ label: 'before the query' }, { id: `q-${query}` });
            const col = tx.collection(items) as unknown as { find(): Promise<unknown>; count(): Promise<unknown> };
            return query === 'find' ? col.find() : col.count();
          }),
        );
        expect(outcome).toMatch(/^Error: .*(transaction|single-document)/i);
        expect(await store.collection(counters).get(`q-${query}`)).toBeNull();
      }
    });

    test('a duplicate inside aborts the transaction even when the callback catches it', async () => {
      await store.collection(items).insert(item(1), { id: 'd1' });
      const outcome = await codeOf(
        store.transaction(async (tx) => {
          await tx.collection(counters).insert({ label: 'x' }, { id: 'd-c' });
          try {
            await tx.collection(items).insert(item(2), { id: 'd1' });
          } catch {
            // "already there, carry on" is what CloudBase does not allow
          }
          return 'carried on';
        }),
      );
      expect(outcome).toBe('STORE.DUPLICATE');
      expect(await store.collection(counters).get('d-c')).toBeNull();
      expect((await store.collection(items).get('d1'))?.score).toBe(1);
    });

    test('a stale _rev inside aborts the transaction even when the callback catches it', async () => {
      await store.collection(items).insert(item(1), { id: 's1' });
      await store.collection(items).update('s1', 1, { status: 'changed outside' });
      const outcome = await codeOf(
        store.transaction(async (tx) => {
          await tx.collection(counters).insert({ label: 'x' }, { id: 's-c' });
          await tx.collection(items).update('s1', 1, { status: 'stale' }).catch(() => null);
          return 'carried on';
        }),
      );
      expect(outcome).toBe('STORE.CONFLICT');
      expect(await store.collection(counters).get('s-c')).toBeNull();
      expect(await store.collection(items).get('s1')).toMatchObject({ status: 'changed outside', _rev: 2 });
    });

    test('inside a transaction: reads see its own writes; results equal what is committed', async () => {
      await store.collection(items).insert(item(1, { stats: { views: 1 } }), { id: 'w1' });
      await store.collection(counters).insert({ label: 'k' }, { id: 'w2' });
      await store.collection(items).insert(item(3), { id: 'w3' });
      const got = await store.transaction(async (tx) => {
        const col = tx.collection(items);
        const cnt = tx.collection(counters);
        const updated = await col.update('w1', 1, { status: 'done', stats: { likes: 2 }, note: null });
        expect(await col.get('w1')).toEqual(updated);
        const inc = await cnt.increment('w2', { n: 3, 'stats.views': 2 });
        expect(await cnt.get('w2')).toEqual(inc);
        const inserted = await col.insert(item(4), { id: 'w4' });
        expect(await col.getMany(['w4', 'w1', 'nope'])).toEqual([inserted, updated]);
        expect(await col.remove('w3', 1)).toBe(true);
        expect(await col.get('w3')).toBeNull();
        expect(await col.remove('w3')).toBe(false);
        expect(await codeOf(col.update('gone', 1, { status: 'x' }))).toBe('STORE.NOT_FOUND');
        expect(await codeOf(cnt.increment('gone', { n: 1 }))).toBe('STORE.NOT_FOUND');
        return { updated, inc, inserted };
      });
      expect(got.updated).toEqual({ ...item(1), status: 'done', stats: { likes: 2 }, note: null, _id: 'w1', _rev: 2 });
      expect(got.inc).toEqual({ label: 'k', n: 3, stats: { views: 2 }, _id: 'w2', _rev: 2 });
      expect(await store.collection(items).get('w1')).toEqual(got.updated);
      expect(await store.collection(counters).get('w2')).toEqual(got.inc);
      expect(await store.collection(items).get('w4')).toEqual(got.inserted);
      expect(await store.collection(items).get('w3')).toBeNull();
    });

    test('a rollback undoes only that transaction: concurrent writes by others are kept', async () => {
      const col = store.collection(counters);
      await col.insert({ label: 'a', n: 0 }, { id: 'ra' });
      await col.insert({ label: 'b', n: 0 }, { id: 'rb' });
      await col.insert({ label: 'c', n: 0 }, { id: 'rc' });
      const boom = new Error('boom');
      const [failed, plain, other] = await Promise.allSettled([
        store.transaction(async (tx) => {
          await tx.collection(counters).increment('ra', { n: 1 });
          await tx.collection(counters).insert({ label: 'new' }, { id: 'r-new' });
          throw boom;
        }),
        col.increment('rb', { n: 1 }),
        store.transaction(async (tx) => tx.collection(counters).increment('rc', { n: 1 })),
      ]);
      expect(failed).toEqual({ status: 'rejected', reason: boom });
      expect(plain.status).toBe('fulfilled');
      expect(other.status).toBe('fulfilled');
      expect((await col.get('ra'))?.n).toBe(0);
      expect(await col.get('r-new')).toBeNull();
      expect((await col.get('rb'))?.n).toBe(1);
      expect((await col.get('rc'))?.n).toBe(1);
    });

    test('transactions racing on one document: with the retry helper every one is counted once', async () => {
      await store.collection(counters).insert({ label: 'hot', n: 0 }, { id: 'hot' });
      const bump = () =>
        withRetry(() =>
          store.transaction(async (tx) => {
            const c = tx.collection(counters);
            const cur = await c.get('hot');
            await c.update('hot', cur!._rev, { n: (cur!.n ?? 0) + 1 });
          }),
        );
      const results = await Promise.allSettled([bump(), bump(), bump()]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      expect(await store.collection(counters).get('hot')).toMatchObject({ n: 3, _rev: 4 });
    });

    test('where and orderBy on undeclared fields are programming errors', async () => {
      const col = store.collection(items);
      expect(await codeOf(col.find({ where: { note: 'x' } }))).toMatch(/not declared/);
      expect(await codeOf(col.find({ orderBy: { field: 'note', direction: 'asc' } }))).toMatch(/not declared/);
      expect(await codeOf(col.count({ 'stats.views': 1 }))).toMatch(/not declared/);
      expect(await codeOf(col.find({ where: { status: undefined as unknown as string } }))).toMatch(/^Error: /);
    });

    test('data survives close and reopen', async () => {
      await store.collection(items).insert(item(1), { id: 'keep' });
      await store.collection(counters).insert({ label: 'c' }, { id: 'k' });
      await store.collection(counters).increment('k', { n: 3 });
      await store.close();
      store = h.open();
      expect((await store.collection(items).get('keep'))?.title).toBe(item(1).title);
      expect(await store.collection(counters).get('k')).toMatchObject({ n: 3, _rev: 2 });
      expect(await store.collection(items).count({ communityId: 'c-odd' })).toBe(1);
    });
  });
}

/** What only the stand-in can show directly: the service's locks, snapshots, expiry and refusals, at the SDK level. */
describe('CloudBase stand-in: the service behaviour the adapter relies on', () => {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const { openCloudbaseStore } = require('../../src/server/store/cloudbase') as typeof import('../../src/server/store/cloudbase');
  let clock = 0;
  let service: ReturnType<typeof createCloudbaseStandIn>;
  let db: any;
  let store: Store;
  beforeEach(async () => {
    clock = 0;
    service = createCloudbaseStandIn({ now: () => clock });
    db = standInDb(service);
    store = openCloudbaseStore(db);
    await store.collection(counters).insert({ label: 'x', n: 0 }, { id: 'x' });
    await store.collection(counters).insert({ label: 'y', n: 0 }, { id: 'y' });
  });
  afterEach(() => {
    expect(service.openTransactions()).toBe(0); // nothing leaks a lock
  });

  /** An open transaction at the SDK level, held by the test. */
  const begin = async () => {
    const t = await db.startTransaction();
    return { t, c: t.collection(counters.name) };
  };

  test('a second transaction writing a locked document fails at once with a conflict; the first commits', async () => {
    const a = await begin();
    await a.c.doc('x').update({ n: 1 });
    const started = Date.now();
    let runs = 0;
    const second = store.transaction(async (tx) => {
      runs++;
      return tx.collection(counters).increment('x', { n: 10 });
    });
    expect(await codeOf(second)).toBe('STORE.CONFLICT');
    expect(Date.now() - started).toBeLessThan(1000); // at once, not after the lock is released
    expect(runs).toBe(1); // surfaced to the one retry helper, not retried by the SDK's runTransaction
    await a.t.commit();
    expect((await store.collection(counters).get('x'))?.n).toBe(1);
  });

  test('a plain write to a locked document waits for the lock, then applies on top', async () => {
    const a = await begin();
    await a.c.doc('x').update({ n: 5 });
    let settled = false;
    const plain = store.collection(counters).increment('x', { n: 1 }).finally(() => (settled = true));
    // Plain work on another document completes meanwhile; the waiting write does not.
    await store.collection(counters).increment('y', { n: 1 });
    await store.collection(counters).get('y');
    expect(settled).toBe(false);
    await a.t.commit();
    expect((await plain).n).toBe(6);
  });

  test('a transaction reads its snapshot, and writing a document committed after it conflicts', async () => {
    const a = await begin();
    expect((await a.c.doc('x').get()).data.n).toBe(0);
    await store.collection(counters).increment('x', { n: 7 });
    expect((await a.c.doc('x').get()).data.n).toBe(0); // still the snapshot
    const res = await a.c.doc('x').update({ n: 1 }).catch((e: unknown) => e);
    expect(res).toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
    expect((await store.collection(counters).get('x'))?.n).toBe(7);
    expect(await a.c.doc('y').get()).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' }); // the conflict aborted it
  });

  test('abort drops only that transaction\'s writes; another one open at the same time commits its own', async () => {
    const a = await begin();
    const b = await begin();
    await a.c.doc('x').update({ n: 1 });
    await b.c.doc('y').update({ n: 2 });
    await b.c.add({ _id: 'z', label: 'z' });
    expect((await a.c.doc('z').get()).data).toBeNull(); // b's insert is not visible to a
    await a.t.rollback();
    await b.t.commit();
    const col = store.collection(counters);
    expect((await col.get('x'))?.n).toBe(0);
    expect((await col.get('y'))?.n).toBe(2);
    expect((await col.get('z'))?.label).toBe('z');
  });

  test('many transactions on different documents run at once (no global lock, no deadlock)', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);
    const held = await Promise.all(ids.map(() => begin()));
    expect(service.openTransactions()).toBe(20);
    await Promise.all(held.map((h, i) => h.c.add({ _id: ids[i], label: 'p' })));
    await Promise.all(held.map((h) => h.t.commit()));
    expect(await store.collection(counters).getMany(ids)).toHaveLength(20);
  });

  test('a duplicate key inside a transaction aborts it', async () => {
    const a = await begin();
    await a.c.add({ _id: 'fresh', label: 'f' });
    expect(await a.c.add({ _id: 'x', label: 'dup' })).toMatchObject({ code: 'DATABASE_DUPLICATE_WRITE' });
    expect(await a.c.doc('y').get()).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
    expect(await a.t.commit().catch((e: unknown) => e)).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
    expect(await store.collection(counters).get('fresh')).toBeNull();
  });

  test('queries carrying a transaction id are refused, as in production', async () => {
    const a = await begin();
    expect(await a.c.where({ label: 'x' }).get()).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
    expect(await a.c.where({ _id: 'x' }).updateAndReturn({ n: 3 })).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
    const id = a.t.getTransactionId();
    const multiRemove = { collectionName: counters.name, query: JSON.stringify({ label: 'x' }), queryType: 'WHERE', multi: true, transactionId: id };
    expect(await service.send('database.removeDocument', multiRemove)).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
    const multiUpdate = { ...multiRemove, data: JSON.stringify({ $set: { n: 9 } }), merge: true };
    expect(await service.send('database.modifyDocument', multiUpdate)).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
    expect(await service.send('database.calculateDocument', { ...multiRemove })).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
    await a.t.rollback();
    expect((await store.collection(counters).get('x'))?.n).toBe(0);
  });

  test('a transaction expires after 10 s: later steps and commit fail, its writes are gone, its locks released', async () => {
    const outcome = await codeOf(
      store.transaction(async (tx) => {
        await tx.collection(counters).increment('x', { n: 1 });
        clock += 10_001;
        await tx.collection(counters).increment('y', { n: 1 });
      }),
    );
    expect(outcome).toMatch(/^Error: .*expired/);
    const a = await begin();
    await a.c.doc('x').update({ n: 2 });
    clock += 10_001;
    expect(await a.t.commit().catch((e: unknown) => e)).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
    await store.collection(counters).increment('x', { n: 1 }); // not locked any more: does not wait
    expect(await store.collection(counters).get('x')).toMatchObject({ n: 1, _rev: 2 });
  });
});
