/** SQLite-only behaviour: durability settings, the transaction lock, and surviving kill -9. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteStore, sqliteCheckpoints, sqlitePragma } from '../../src/server/store/sqlite';
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
/** Waits for a condition the code under test brings about (turn by turn, no fixed sleep). */
async function until(cond: () => boolean, turns = 10_000): Promise<void> {
  for (let i = 0; i < turns && !cond(); i++) await settle();
  if (!cond()) throw new Error('condition never held');
}

test('WAL, synchronous=NORMAL (our own fsync makes commits durable) and a busy timeout; FULL on request', async () => {
  expect(sqlitePragma(store, 'journal_mode')).toBe('wal');
  expect(sqlitePragma(store, 'synchronous')).toBe(1); // NORMAL: COMMIT does not sync, fsyncFd does
  expect(sqlitePragma(store, 'wal_autocheckpoint')).toBe(0); // checkpoints run in a worker
  expect(sqlitePragma(store, 'busy_timeout')).toBeGreaterThan(0);
  const full = openSqliteStore(join(dir, 'full.sqlite'), { sync: 'full' });
  expect(sqlitePragma(full, 'synchronous')).toBe(2);
  await full.collection(notes).insert({ text: 'f' }, { id: 'f' });
  expect((await full.collection(notes).get('f'))?.text).toBe('f');
  await full.close();
});

test('checkpoints run in a worker thread, not inside COMMIT; the -wal stops growing and the data stays', async () => {
  const file = join(dir, 'ckpt.sqlite');
  const s = openSqliteStore(file, { checkpointEveryGroups: 10 });
  expect(sqliteCheckpoints(s)).toBeNull(); // no worker until one is wanted
  const col = s.collection(notes);
  const body = 'x'.repeat(3000); // about a page each
  for (let i = 0; i < 200; i++) await col.insert({ text: body + i }, { id: `k${i}` });
  const done = () => (sqliteCheckpoints(s)?.last as { ok: boolean; checkpointed: number } | null) ?? null;
  await until(() => (done()?.checkpointed ?? 0) > 0);
  expect(done()?.ok).toBe(true);
  // Restarted after complete checkpoints: the -wal is reused from its start, not grown. 400 such
  // inserts write ~12 MB of frames (a page of text in the row and one in the index, plus b-tree pages).
  for (let i = 200; i < 400; i++) await col.insert({ text: body + i }, { id: `k${i}` });
  expect(statSync(`${file}-wal`).size).toBeLessThan(4 * 1024 * 1024);
  await s.close();
  const again = openSqliteStore(file);
  expect(await again.collection(notes).count()).toBe(400);
  await again.close();
});

test('a process whose store closes during a checkpoint waits for it instead of exiting half way', async () => {
  // Under jest the event loop is kept alive anyway: a process of its own shows it.
  const script = `
    const { openSqliteStore } = require(${JSON.stringify(resolve(__dirname, '../../src/server/store/sqlite'))});
    const s = openSqliteStore(${JSON.stringify(join(dir, 'close.sqlite'))}, { checkpointEveryGroups: 1 });
    const col = s.collection({ name: 'notes', indexes: [] });
    (async () => {
      for (let i = 0; i < 30; i++) await col.insert({ text: 'x'.repeat(3000) }, { id: 'k' + i });
      await s.close();
      process.stdout.write('closed');
    })();
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  await new Promise((r) => child.on('exit', r));
  expect(out).toBe('closed');
}, 30_000);

test('plain reads see the last committed state, never the writes of a group still open; plain writes queue behind it', async () => {
  const col = store.collection(notes);
  await col.insert({ text: 'a' }, { id: 'a' });
  const held = gate();
  let entered = false;
  const tx = store.transaction(async (t) => {
    await t.collection(notes).update('a', 1, { text: 'changed' });
    await t.collection(notes).insert({ text: 'new' }, { id: 'c' });
    entered = true;
    await held.wait;
  });
  await until(() => entered);
  // The reader does not wait for the open group: it answers from the last commit.
  expect((await col.get('a'))?.text).toBe('a');
  expect(await col.get('c')).toBeNull();
  expect(await col.count()).toBe(1);
  let wrote = false;
  const write = col.insert({ text: 'b' }, { id: 'b' }).then(() => (wrote = true));
  await settle();
  await settle();
  expect(wrote).toBe(false); // queued behind the open transaction, not interleaved with it
  expect(await col.get('b')).toBeNull();
  held.open();
  await tx;
  await write;
  expect((await col.get('a'))?.text).toBe('changed');
  expect(await col.count()).toBe(3);
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

test('an acknowledged write survives kill -9, plain writes and transactions alike, in groups', async () => {
  const file = join(dir, 'crash.sqlite');
  // 16 writers at once, so writes share groups: even ones insert plainly, odd ones write two documents
  // in a transaction. A line is printed only once the store has answered.
  const script = `
    const { openSqliteStore } = require(${JSON.stringify(resolve(__dirname, '../../src/server/store/sqlite'))});
    const store = openSqliteStore(${JSON.stringify(file)});
    const col = store.collection({ name: 'notes', indexes: [] });
    const writer = async (w) => {
      for (let i = 0; ; i++) {
        const id = 'w' + w + '-' + i;
        if (w % 2 === 0) await col.insert({ text: id }, { id });
        else await store.transaction(async (tx) => {
          await tx.collection({ name: 'notes', indexes: [] }).insert({ text: id }, { id });
          await tx.collection({ name: 'notes', indexes: [] }).insert({ text: id }, { id: id + '-pair' });
        });
        process.stdout.write('ack ' + id + '\\n');
      }
    };
    for (let w = 0; w < 16; w++) void writer(w);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked: string[] = [];
  let buf = '';
  await new Promise<void>((done, fail) => {
    child.on('error', fail);
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l.startsWith('ack ')) acked.push(l.slice(4));
      if (acked.length >= 400 && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', () => done());
  });
  expect(acked.length).toBeGreaterThanOrEqual(400);
  const after = openSqliteStore(file);
  const col = after.collection(defineCollection<{ text: string }>({ name: 'notes', indexes: [] }));
  const missing: string[] = [];
  for (const id of acked) {
    if (!(await col.get(id))) missing.push(id);
    if (/^w\d*[13579]-/.test(id) && !(await col.get(`${id}-pair`))) missing.push(`${id}-pair`);
  }
  expect(missing).toEqual([]);
  // A transaction is all or nothing, acknowledged or not (some were in flight at the kill).
  const torn: string[] = [];
  for (let w = 1; w < 16; w += 2) {
    for (let i = 0; i < acked.length; i++) {
      const one = await col.get(`w${w}-${i}`);
      if (Boolean(one) !== Boolean(await col.get(`w${w}-${i}-pair`))) torn.push(`w${w}-${i}`);
      if (!one) break;
    }
  }
  expect(torn).toEqual([]);
  await after.close();
}, 30_000);
