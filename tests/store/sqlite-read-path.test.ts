/**
 * SQLite read path details that speed up lists: documents stored as ASCII JSON, find with the page
 * size written into the SQL, cursors taken from the parsed documents, collection handles reused.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/server/store/sqlite';
import { defineCollection, type Store } from '../../src/server/store/store';

interface Note {
  text: string;
  n?: number | null;
  flag?: boolean;
  meta?: { tag: string };
}
const notes = defineCollection<Note>({ name: 'notes', indexes: ['text', 'n', 'flag', 'meta.tag'] });

let dir: string;
let file: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shishi-sqlite-read-'));
  file = join(dir, 'db.sqlite');
  store = openSqliteStore(file);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rawDocs = (): string[] => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT doc FROM "col_notes" ORDER BY id').all() as { doc: string }[]).map((r) => r.doc);
  } finally {
    db.close();
  }
};

test('non-ASCII text is stored as ASCII JSON and reads back, matches and searches unchanged', async () => {
  const col = store.collection(notes);
  const texts = ['路灯坏了两个多月', 'emoji 😀 and é', 'line\u2028sep', 'lone \ud800 surrogate', 'plain ascii', '"quoted" \\ back'];
  for (const [i, text] of texts.entries()) await col.insert({ text, meta: { tag: `标签${i}` } }, { id: `n${i}` });
  for (const doc of rawDocs()) expect(doc).toMatch(/^[\x20-\x7e]*$/);
  for (const [i, text] of texts.entries()) {
    expect((await col.get(`n${i}`))?.text).toBe(text);
    expect((await col.find({ where: { text } })).items.map((d) => d._id)).toEqual([`n${i}`]);
    expect((await col.find({ where: { 'meta.tag': `标签${i}` } })).items.map((d) => d._id)).toEqual([`n${i}`]);
  }
  expect((await col.find({ where: { text: { contains: '两个' } } })).items.map((d) => d._id)).toEqual(['n0']);
  expect((await col.find({ where: { text: { contains: '😀' } } })).items.map((d) => d._id)).toEqual(['n1']);
  const updated = await col.update('n0', 1, { text: '已经修好了' });
  expect(updated.text).toBe('已经修好了');
  expect((await col.get('n0'))?.text).toBe('已经修好了');
  expect(rawDocs()[0]).toMatch(/^[\x20-\x7e]*$/);
  const bumped = await col.increment('n0', { n: 2 });
  expect(bumped).toMatchObject({ text: '已经修好了', n: 2, _rev: 3 });
});

test('documents written as plain UTF-8 JSON (older databases) still read and match', async () => {
  await store.collection(notes).insert({ text: 'seed' }, { id: 'seed' }); // creates the table
  const db = new Database(file);
  db.prepare('INSERT INTO "col_notes" (id, rev, doc) VALUES (?, 1, ?)').run('old', JSON.stringify({ text: '旧数据', meta: { tag: '旧' } }));
  db.close();
  const col = store.collection(notes);
  expect(await col.get('old')).toEqual({ _id: 'old', _rev: 1, text: '旧数据', meta: { tag: '旧' } });
  expect((await col.find({ where: { text: '旧数据' } })).items.map((d) => d._id)).toEqual(['old']);
});

test('pages of every size walk the whole ordering, whatever the sort key holds', async () => {
  const col = store.collection(notes);
  // numbers with ties and nulls, booleans, strings: the cursor carries each kind of key
  for (let i = 0; i < 23; i++) {
    await col.insert({ text: `t${String(i % 7).padStart(2, '0')}`, n: i % 5 === 0 ? null : i % 4, flag: i % 3 === 0 }, { id: `id${String(i).padStart(2, '0')}` });
  }
  const all = async (field: string, direction: 'asc' | 'desc', limit: number) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await col.find({ orderBy: { field, direction }, limit, cursor });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((d) => d._id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  };
  for (const field of ['n', 'flag', 'text', '_id']) {
    for (const direction of ['asc', 'desc'] as const) {
      const once = await all(field, direction, 100);
      expect(new Set(once).size).toBe(23);
      for (const limit of [1, 2, 3, 5, 22]) expect(await all(field, direction, limit)).toEqual(once);
    }
  }
});

test('collection handles are reused, and still see a table re-created after a rolled-back transaction', async () => {
  expect(store.collection(notes)).toBe(store.collection(notes));
  const fresh = defineCollection<{ v: number }>({ name: 'fresh2', indexes: ['v'] });
  const handle = store.collection(fresh);
  await expect(
    store.transaction(async (t) => {
      await t.collection(fresh).insert({ v: 1 });
      throw new Error('undo');
    }),
  ).rejects.toThrow('undo');
  await handle.insert({ v: 2 });
  expect((await handle.find({ where: { v: 2 } })).items).toHaveLength(1);
});
