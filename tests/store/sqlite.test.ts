/** SQLite-only behaviour: durability settings, the transaction lock, and surviving kill -9. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteStore, sqlitePragma } from '../../src/server/store/sqlite';
import { defineCollection, type Store, type TxStore } from '../../src/server/store/store';

const notes = defineCollection<{ text: string; n?: number }>({ name: 'notes', indexes: ['text'] });

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shishi-sqlite-'));
  store = openSqliteStore(join(dir, 'db.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A promise plus its resolver, to hold a transaction open until the test says so. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}
const settle = () => new Promise((r) => setImmediate(r));

test('WAL, synchronous=FULL and a busy timeout', () => {
  expect(sqlitePragma(store, 'journal_mode')).toBe('wal');
  expect(sqlitePragma(store, 'synchronous')).toBe(2); // FULL
  expect(sqlitePragma(store, 'busy_timeout')).toBeGreaterThan(0);
});

test('operations outside an open transaction wait for it, then see its result', async () => {
  const col = store.collection(notes);
  await col.insert({ text: 'a' }, { id: 'a' });
  const held = gate();
  let entered = false;
  const tx = store.transaction(async (t) => {
    await t.collection(notes).update('a', 1, { text: 'changed' });
    entered = true;
    await held.wait;
  });
  while (!entered) await settle();
  let outside: string | undefined;
  const read = col.get('a').then((d) => (outside = d?.text));
  const write = col.insert({ text: 'b' }, { id: 'b' });
  await settle();
  expect(outside).toBeUndefined(); // queued, not interleaved with the open transaction
  held.open();
  await tx;
  await Promise.all([read, write]);
  expect(outside).toBe('changed');
  expect(await col.count()).toBe(2);
});

test('transactions run one after another', async () => {
  const col = store.collection(notes);
  await col.insert({ text: 'x', n: 0 }, { id: 'x' });
  // read-modify-write inside each: serialised, so no update is lost
  await Promise.all(
    Array.from({ length: 10 }, () =>
      store.transaction(async (t) => {
        const c = t.collection(notes);
        const d = await c.get('x');
        await settle();
        await c.update('x', d!._rev, { n: (d!.n ?? 0) + 1 });
      }),
    ),
  );
  expect((await col.get('x'))?.n).toBe(10);
});

test('using the outer store inside a transaction fails fast instead of deadlocking', async () => {
  await expect(store.transaction(async () => store.collection(notes).get('a'))).rejects.toThrow(/tx store/);
  await expect(store.transaction(async () => store.transaction(async () => 1))).rejects.toThrow(/tx store/);
});

test('the tx store is unusable once its transaction ended', async () => {
  let leaked: TxStore | null = null;
  await store.transaction(async (t) => {
    leaked = t;
  });
  await expect(leaked!.collection(notes).get('a')).rejects.toThrow(/finished/);
});

test('a table first created inside a rolled-back transaction still works afterwards', async () => {
  const fresh = defineCollection<{ v: number }>({ name: 'fresh', indexes: ['v'] });
  await expect(
    store.transaction(async (t) => {
      await t.collection(fresh).insert({ v: 1 });
      throw new Error('undo');
    }),
  ).rejects.toThrow('undo');
  const col = store.collection(fresh);
  expect(await col.count()).toBe(0);
  await col.insert({ v: 2 });
  expect((await col.find({ where: { v: 2 } })).items).toHaveLength(1);
});

test('an acknowledged write survives kill -9', async () => {
  const file = join(dir, 'crash.sqlite');
  const script = `
    const { openSqliteStore } = require(${JSON.stringify(resolve(__dirname, '../../src/server/store/sqlite'))});
    const store = openSqliteStore(${JSON.stringify(file)});
    const col = store.collection({ name: 'notes', indexes: [] });
    (async () => { for (let i = 0; ; i++) { await col.insert({ text: 'n' + i }, { id: 'n' + i }); process.stdout.write('ack ' + i + '\\n'); } })();
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let acked = -1;
  await new Promise<void>((done, fail) => {
    child.on('error', fail);
    child.stdout.on('data', (buf: Buffer) => {
      const m = /ack (\d+)\n$/.exec(buf.toString());
      if (m) acked = Number(m[1]);
      if (acked >= 200 && !child.killed) {
        child.kill('SIGKILL');
      }
    });
    child.on('exit', () => done());
  });
  expect(acked).toBeGreaterThanOrEqual(200);
  const after = openSqliteStore(file);
  const col = after.collection(defineCollection<{ text: string }>({ name: 'notes', indexes: [] }));
  const missing: number[] = [];
  for (let i = 0; i <= acked; i++) if (!(await col.get(`n${i}`))) missing.push(i);
  expect(missing).toEqual([]);
  await after.close();
}, 30_000);
