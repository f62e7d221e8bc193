/**
 * SQLite store (better-sqlite3): one table per collection, `id TEXT PRIMARY KEY, rev INTEGER, doc TEXT`,
 * with expression indexes on the declared fields (each ending in `id`, so keyset pages are index walks).
 *
 * Two connections. Writes — plain ones and transactions — run on the writer in groups that share one
 * COMMIT and one fsync (sqlite-group-commit.ts); each is answered only when its group is durable.
 * Plain reads see the last committed state: on the writer between groups, and while a group is open
 * there, on a read-only connection that WAL gives the last committed snapshot — never the writes of
 * an open group. A committed write is visible while its fsync still runs (up to one fsync, a few ms,
 * before its caller is answered): a kill -9 loses nothing, a power loss in that window could take back
 * a write someone has read but nobody was told was saved. Making reads wait for that fsync instead
 * stopped the next group from committing meanwhile and cost up to half the write throughput.
 *
 * Durability, "fsync off the event loop": WAL with synchronous=NORMAL, so COMMIT writes the group's
 * frames into the -wal file without syncing (nothing blocks the event loop), then an asynchronous
 * fsync (libuv's thread pool) on our own descriptor of the -wal file; callers are answered when it has
 * finished (fdatasync, see fsyncFd), while the next group already runs. Why this is as durable as
 * synchronous=FULL:
 * - FULL differs from NORMAL in WAL mode only by syncing the -wal at each commit (and padding frames,
 *   which powersafe overwrite, the default, turns off). Our fsync starts after COMMIT returned, so it
 *   covers that commit's frames; recovery replays the -wal up to its last valid commit frame.
 * - Checkpoints (a worker thread's connection, the rest on the writer: sqlite-checkpointer.ts): in
 *   NORMAL, SQLite syncs the -wal before copying frames into the database and syncs the database after.
 *   The -wal restarts from its start only after a complete checkpoint, so the frames it overwrites are
 *   already durable in the database; SQLite syncs the new header before frames follow it (CKPT sync
 *   flags, also in NORMAL): one fsync on the event loop per checkpoint cycle.
 * - The -wal file keeps its inode while the store is open (SQLite removes it only when the last
 *   connection closes; journal_size_limit is not set, so it is never truncated). It and the database
 *   may be new at open: both are fsynced there, and so is their directory, once.
 * - close(): waits until every queued group has committed and its fsync has finished, then closes.
 * - A failed fsync leaves the page cache in an unknown state: its callers get the error and the store
 *   refuses further writes until it is reopened.
 * A kill -9 loses nothing acknowledged even without our fsync (the frames are in the page cache);
 * the fsync is what makes an answer survive a power loss.
 */
import Database from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCodes, isAppError } from '../../lib/errors';
import { newId } from '../ids';
import { Checkpointer } from './sqlite-checkpointer';
import { GroupCommit } from './sqlite-group-commit';
import type { Collection, CollectionDef, FindOptions, Page, Scalar, Store, Stored, TxStore, Where } from './store';
import {
  assertCollectionName, assertDeltas, conflict, declaredFields, decodeCursor, duplicate, encodeCursor,
  getPath, missing, normalizeLimit, normalizeOrder, parseWhere, stripManaged, type Cond, type Order,
} from './query';

type Db = Database.Database;
type Param = string | number | null;
interface Row { id: string; rev: number; doc: string }
/** Rows of find statements, read in raw (array) mode: no per-row object with named columns. */
type RawRow = [id: string, rev: number, doc: string];

const bind = (v: Scalar): Param => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
const expr = (field: string): string => (field === '_id' ? 'id' : `json_extract(doc, '$.${field}')`);
/** Adds the managed fields to the freshly parsed object (spreading it into a new one costs ~10 µs a document). */
function parseDoc<T>(id: string, rev: number, doc: string): Stored<T> {
  const d = JSON.parse(doc) as Record<string, unknown>;
  d._id = id;
  d._rev = rev;
  return d as Stored<T>;
}
const toDoc = <T>(r: Row): Stored<T> => parseDoc<T>(r.id, r.rev, r.doc);

/** A connection and its prepared statements. */
interface Conn {
  db: Db;
  stmts: Map<string, Database.Statement>;
}

/** The transaction whose callback is running on the writer. */
interface TxState {
  /** A duplicate or conflict inside aborts it: later steps and its outcome are this error. */
  aborted: unknown;
  /** Tables and indexes it created (known only once its group commits). */
  created: Set<string>;
}

interface Shared {
  writer: Conn;
  reader: Conn;
  group: GroupCommit;
  /** Tables and indexes known to exist in committed state. */
  known: Set<string>;
  /** Schema being created for plain operations, by collection. */
  ensuring: Map<string, Promise<void>>;
  /** Marks the async context of the running transaction, to catch use of the outer store inside it. */
  inTx: AsyncLocalStorage<TxState>;
  tx: TxState | null;
  closed: boolean;
  checkpointer: Checkpointer | null;
}

/**
 * Documents are stored as JSON text with every non-ASCII character escaped (`\u4e2d`): the same JSON
 * value for SQLite's json functions, but V8 then receives each row as a one-byte string and skips
 * decoding UTF-8, which for Chinese text costs more than the query itself.
 */
const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;
const escapeUnit = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
function docText(doc: unknown): string {
  const text = JSON.stringify(doc);
  return NON_ASCII.test(text) ? text.replace(NON_ASCII_ALL, escapeUnit) : text;
}

/** Prepared statements kept per connection; the least recently used go first beyond this. */
const STMT_CACHE = 1000;

/** A cached prepared statement; `raw` ones return rows as arrays (no per-row object with named columns). */
function stmt(c: Conn, sql: string, raw = false): Database.Statement {
  const key = raw ? `raw:${sql}` : sql;
  let st = c.stmts.get(key);
  if (st) {
    // Most recently used last (Map keeps insertion order): dynamic `in` lists and page sizes must
    // not grow the cache forever, nor push out the statements every request uses.
    c.stmts.delete(key);
  } else {
    if (c.stmts.size >= STMT_CACHE) c.stmts.delete(c.stmts.keys().next().value as string);
    st = c.db.prepare(sql);
    if (raw) st.raw(true);
  }
  c.stmts.set(key, st);
  return st;
}

/**
 * The sort key of a found document as `json_extract` would give it (booleans as 1/0, absent as null,
 * objects as JSON text), read from the parsed document instead of a per-row SQL column.
 */
function sortKey(doc: Record<string, unknown>, field: string): Scalar {
  const v = field === '_id' ? doc._id : getPath(doc, field);
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' || typeof v === 'number') return v;
  return JSON.stringify(v);
}

/** The table and index statements of a collection, by the names SQLite lists them under. */
function schemaOf(def: CollectionDef<unknown>): { name: string; sql: string }[] {
  const table = `"col_${def.name}"`;
  const out = [{ name: `col_${def.name}`, sql: `CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, doc TEXT NOT NULL)` }];
  for (const entry of def.indexes) {
    const cols = typeof entry === 'string' ? [entry] : entry;
    if (cols.length === 1 && cols[0] === '_id') continue;
    const name = `ix_${def.name}_${cols.join(',')}`;
    out.push({ name, sql: `CREATE INDEX IF NOT EXISTS "${name}" ON ${table} (${cols.map(expr).join(', ')}, id)` });
  }
  return out;
}

/** Runs on the writer, inside a group: creates what is not known to exist; returns the names it created. */
function createMissing(s: Shared, schema: { name: string; sql: string }[], skip?: Set<string>): string[] {
  const created: string[] = [];
  for (const x of schema) {
    if (s.known.has(x.name) || skip?.has(x.name)) continue;
    s.writer.db.exec(x.sql);
    created.push(x.name);
  }
  return created;
}

function condSql(field: string, c: Cond, params: Param[]): string {
  const e = expr(field);
  switch (c.kind) {
    case 'eq':
      if (c.value === null) return `${e} IS NULL`;
      params.push(bind(c.value));
      return `${e} = ?`;
    case 'in': {
      const vals = c.values.filter((v) => v !== null);
      const parts: string[] = [];
      if (vals.length) {
        params.push(...vals.map(bind));
        parts.push(`${e} IN (${vals.map(() => '?').join(', ')})`);
      }
      if (vals.length < c.values.length) parts.push(`${e} IS NULL`);
      return parts.length ? `(${parts.join(' OR ')})` : '0';
    }
    case 'range': {
      const ops = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
      return (Object.keys(c.range) as (keyof typeof ops)[])
        .map((k) => {
          params.push(bind(c.range[k] as Scalar));
          return `${e} ${ops[k]} ?`;
        })
        .join(' AND ');
    }
    case 'contains':
      // lower() folds ASCII only; Chinese text has no case.
      params.push(c.text.toLowerCase());
      return `instr(lower(${e}), ?) > 0`;
  }
}

function whereSql(where: Where | undefined, fields: Set<string>, name: string, params: Param[]): string[] {
  return parseWhere(where, fields, name).map(([f, c]) => condSql(f, c, params));
}

/**
 * Checked, split increment paths. Tallies send the same few dozen paths on every answer: each is checked
 * and split once (the check's regex per path cost as much as the write).
 */
const PATHS = new Map<string, string[]>();
function incrementPaths(deltas: Record<string, number>): [string[], number][] {
  const out: [string[], number][] = [];
  let unknown = false;
  for (const f of Object.keys(deltas)) {
    const path = PATHS.get(f);
    const d = deltas[f]!;
    if (!path || typeof d !== 'number' || !Number.isFinite(d)) {
      unknown = true;
      break;
    }
    out.push([path, d]);
  }
  if (!unknown && out.length > 0) return out;
  const checked = assertDeltas(deltas);
  if (PATHS.size > 10_000) PATHS.clear();
  return checked.map(([f, d]) => {
    let path = PATHS.get(f);
    if (!path) PATHS.set(f, (path = f.split('.')));
    return [path, d];
  });
}

/** Adds `delta` at a dotted path, creating missing objects and the number at 0. */
function addAt(doc: Record<string, unknown>, path: string[], delta: number): void {
  let cur = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const next = cur[path[i]!];
    if (next === undefined || next === null) cur = cur[path[i]!] = {};
    else if (typeof next === 'object' && !Array.isArray(next)) cur = next as Record<string, unknown>;
    else throw new Error(`store: increment of ${path.join('.')}: ${path[i]} is not an object`);
  }
  const last = path[path.length - 1]!;
  const v = cur[last] ?? 0;
  if (typeof v !== 'number') throw new Error(`store: increment of ${path.join('.')}: not a number`);
  cur[last] = v + delta;
}

/** What a collection derives from its definition, once per definition (transactions make new handles). */
interface Meta {
  fields: Set<string>;
  table: string;
  schema: { name: string; sql: string }[];
}
const metas = new WeakMap<CollectionDef<unknown>, Meta>();
function metaOf(def: CollectionDef<unknown>): Meta {
  let m = metas.get(def);
  if (!m) {
    assertCollectionName(def.name);
    m = { fields: declaredFields(def), table: `"col_${def.name}"`, schema: schemaOf(def) };
    metas.set(def, m);
  }
  return m;
}

const isAbort = (e: unknown) => isAppError(e) && (e.code === ErrorCodes.DUPLICATE || e.code === ErrorCodes.CONFLICT);

function getRow(c: Conn, table: string, id: string): Row | undefined {
  return stmt(c, `SELECT id, rev, doc FROM ${table} WHERE id = ?`).get(id) as Row | undefined;
}

/**
 * One collection, either outside a transaction (`tx` null: reads of the last commit, writes queued for
 * a group) or inside one (everything on the writer, in the transaction's savepoint).
 */
class SqliteCollection<T> implements Collection<T> {
  private readonly table: string;
  private readonly name: string;
  private readonly fields: Set<string>;
  private readonly schema: { name: string; sql: string }[];
  private ready = false;
  constructor(
    private readonly s: Shared,
    def: CollectionDef<unknown>,
    private readonly tx: TxState | null,
  ) {
    const m = metaOf(def);
    this.name = def.name;
    this.fields = m.fields;
    this.table = m.table;
    this.schema = m.schema;
  }

  private isReady(): boolean {
    if (!this.ready) this.ready = this.schema.every((x) => this.s.known.has(x.name));
    return this.ready;
  }

  /** Plain operations: the table is created (and committed) before the reader or a queued write uses it. */
  private async ensure(): Promise<void> {
    const s = this.s;
    let p = s.ensuring.get(this.name);
    if (!p) {
      let created: string[] = [];
      p = s.group
        .submit(() => void (created = createMissing(s, this.schema)), false, { committed: () => created.forEach((n) => s.known.add(n)) })
        .finally(() => s.ensuring.delete(this.name));
      s.ensuring.set(this.name, p);
    }
    await p;
  }

  /** Checks shared by plain operations. */
  private outer(): void {
    if (this.s.closed) throw new Error('store: closed');
    if (this.s.tx !== null && this.s.inTx.getStore() === this.s.tx) {
      throw new Error('store: inside a transaction use the tx store, not the outer one');
    }
  }

  /**
   * A plain read of the last committed state. On the writer when no group is open there (its page cache
   * stays warm; a WAL reader loses its whole cache at every commit of another connection, which made
   * reads under write load several times slower); else on the reader.
   */
  private async read<R>(f: (c: Conn) => R): Promise<R> {
    this.outer();
    if (!this.isReady()) await this.ensure();
    const s = this.s;
    return f(s.writer.db.inTransaction ? s.reader : s.writer);
  }

  /** A plain write: one entry of a group, answered when the group is durable. */
  private async write<R>(f: () => R): Promise<R> {
    this.outer();
    if (!this.isReady()) await this.ensure();
    if (this.s.closed) throw new Error('store: closed');
    return this.s.group.submit(f, false);
  }

  /** A step of the running transaction, on the writer. A duplicate or conflict aborts the transaction. */
  private async step<R>(f: () => R): Promise<R> {
    const t = this.tx!;
    if (this.s.tx !== t) throw new Error('store: transaction already finished');
    if (t.aborted) throw t.aborted;
    if (!this.isReady()) for (const n of createMissing(this.s, this.schema, t.created)) t.created.add(n);
    try {
      return f();
    } catch (e) {
      if (isAbort(e)) t.aborted = e;
      throw e;
    }
  }

  private onReads<R>(f: (c: Conn) => R): Promise<R> {
    return this.tx ? this.step(() => f(this.s.writer)) : this.read(f);
  }

  private onWrites<R>(f: () => R): Promise<R> {
    return this.tx ? this.step(f) : this.write(f);
  }

  insert(doc: Omit<T, '_id' | '_rev'>, opts?: { id?: string }): Promise<Stored<T>> {
    const id = opts?.id ?? newId();
    if (typeof id !== 'string' || id === '') return Promise.reject(new Error('store: bad id'));
    const text = docText(stripManaged(doc));
    return this.onWrites(() => {
      try {
        stmt(this.s.writer, `INSERT INTO ${this.table} (id, rev, doc) VALUES (?, 1, ?)`).run(id, text);
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw duplicate();
        throw e;
      }
      return toDoc<T>({ id, rev: 1, doc: text });
    });
  }

  get(id: string): Promise<Stored<T> | null> {
    return this.onReads((c) => {
      const r = getRow(c, this.table, id);
      return r ? toDoc<T>(r) : null;
    });
  }

  getMany(ids: string[]): Promise<Stored<T>[]> {
    return this.onReads((c) => {
      if (ids.length === 0) return [];
      const rows = stmt(c, `SELECT id, rev, doc FROM ${this.table} WHERE id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(ids)) as Row[];
      const byId = new Map(rows.map((r) => [r.id, r]));
      const out: Stored<T>[] = [];
      for (const id of new Set(ids)) {
        const r = byId.get(id);
        if (r) out.push(toDoc<T>(r));
      }
      return out;
    });
  }

  /**
   * The find as keyset segments, run in order until a page (+1, to detect more) is filled.
   * Each segment's SQL ends in `LIMIT `: the caller appends the row count.
   */
  findPlan(opts: FindOptions): { limit: number; order: Order; segs: { sql: string; params: Param[] }[] } {
    const limit = normalizeLimit(opts.limit);
    const order = normalizeOrder(opts, this.fields, this.name);
    const pos = decodeCursor(opts.cursor, order);
    const baseParams: Param[] = [];
    const base = whereSql(opts.where, this.fields, this.name, baseParams);
    const k = expr(order.field);
    const dir = order.direction === 'asc' ? 'ASC' : 'DESC';
    // NULL sorts first in asc and last in desc; separate segments keep the common (non-null) case
    // an index range seek instead of a walk from the start of the index.
    // A segment with the key fixed to NULL orders by `id` alone, which the index (…, key, id) gives.
    const segs: [string, Param[], boolean][] = [];
    if (!pos) segs.push(['', [], false]);
    else if (order.field === '_id') segs.push([dir === 'ASC' ? 'id > ?' : 'id < ?', [pos.id], false]);
    else if (pos.value === null) {
      if (dir === 'ASC') segs.push([`${k} IS NULL AND id > ?`, [pos.id], true], [`${k} IS NOT NULL`, [], false]);
      else segs.push([`${k} IS NULL AND id < ?`, [pos.id], true]);
    } else {
      const v = bind(pos.value);
      if (dir === 'ASC') segs.push([`${k} >= ? AND (${k} > ? OR id > ?)`, [v, v, pos.id], false]);
      else segs.push([`${k} <= ? AND (${k} < ? OR id < ?)`, [v, v, pos.id], false], [`${k} IS NULL`, [], true]);
    }
    return {
      limit,
      order,
      segs: segs.map(([seg, segParams, nullKey]) => {
        const conds = seg ? [...base, seg] : base;
        const sort = nullKey || order.field === '_id' ? `id ${dir}` : `${k} ${dir}, id ${dir}`;
        const sql =
          `SELECT id, rev, doc FROM ${this.table}` +
          (conds.length ? ` WHERE ${conds.join(' AND ')}` : '') +
          ` ORDER BY ${sort} LIMIT `;
        return { sql, params: [...baseParams, ...segParams] };
      }),
    };
  }

  /** Queries are not single-document operations: refused inside a transaction, as CloudBase does. */
  private noQueryInTx(what: string): void {
    if (this.tx) throw new Error(`store: transactions allow single-document operations only (no ${what} in a transaction)`);
  }

  async find(opts: FindOptions = {}): Promise<Page<T>> {
    this.noQueryInTx('find');
    return this.read((c) => {
      const { limit, order, segs } = this.findPlan(opts);
      let rows: RawRow[] = [];
      for (const { sql, params } of segs) {
        // The limit is written into the SQL, not bound: with a bound LIMIT, SQLite re-plans the
        // statement on every run (the value may change the plan), which costs as much as the query.
        const got = stmt(c, sql + (limit + 1 - rows.length), true).all(...params) as RawRow[];
        rows = rows.length ? rows.concat(got) : got;
        if (rows.length > limit) break;
      }
      const more = rows.length > limit;
      const n = more ? limit : rows.length;
      const items = new Array<Stored<T>>(n);
      for (let i = 0; i < n; i++) {
        const r = rows[i]!;
        items[i] = parseDoc<T>(r[0], r[1], r[2]);
      }
      const last = items[n - 1] as Record<string, unknown> | undefined;
      const nextCursor = more && last ? encodeCursor(order, { value: sortKey(last, order.field), id: last._id as string }) : null;
      return { items, nextCursor };
    });
  }

  /** EXPLAIN QUERY PLAN of each segment of a find (for tests and diagnosis). */
  async explainFind(opts: FindOptions): Promise<string[][]> {
    this.noQueryInTx('find');
    return this.read((c) =>
      this.findPlan(opts).segs.map(({ sql, params }) =>
        (c.db.prepare(`EXPLAIN QUERY PLAN ${sql}1`).all(...params) as { detail: string }[]).map((r) => r.detail),
      ),
    );
  }

  async count(where?: Where): Promise<number> {
    this.noQueryInTx('count');
    return this.read((c) => {
      const params: Param[] = [];
      const conds = whereSql(where, this.fields, this.name, params);
      const sql = `SELECT count(*) AS n FROM ${this.table}` + (conds.length ? ` WHERE ${conds.join(' AND ')}` : '');
      return (stmt(c, sql).get(...params) as { n: number }).n;
    });
  }

  update(id: string, expectedRev: number, patch: Partial<Omit<T, '_id' | '_rev'>>): Promise<Stored<T>> {
    const fields = stripManaged(patch);
    return this.onWrites(() => {
      const w = this.s.writer;
      const r = getRow(w, this.table, id);
      if (!r) throw missing();
      if (r.rev !== expectedRev) throw conflict();
      // Shallow merge; a key patched to `undefined` disappears, as JSON has no undefined.
      const text = docText({ ...JSON.parse(r.doc), ...fields });
      const res = stmt(w, `UPDATE ${this.table} SET rev = rev + 1, doc = ? WHERE id = ? AND rev = ?`).run(text, id, expectedRev);
      if (res.changes !== 1) throw conflict(); // another process wrote in between
      return toDoc<T>({ id, rev: expectedRev + 1, doc: text });
    });
  }

  increment(id: string, deltas: Record<string, number>): Promise<Stored<T>> {
    let entries: [string[], number][];
    try {
      entries = incrementPaths(deltas);
    } catch (e) {
      return Promise.reject(e);
    }
    // Read, add and write back in JS: the writer runs one write at a time, so this is atomic, and it
    // parses the document once (json_set with a json_extract per path costs twice as much on tallies).
    return this.onWrites(() => {
      const w = this.s.writer;
      const r = getRow(w, this.table, id);
      if (!r) throw missing();
      const d = JSON.parse(r.doc) as Record<string, unknown>;
      for (const [path, delta] of entries) addAt(d, path, delta);
      stmt(w, `UPDATE ${this.table} SET rev = ?, doc = ? WHERE id = ?`).run(r.rev + 1, docText(d), id);
      d._id = id;
      d._rev = r.rev + 1;
      return d as Stored<T>;
    });
  }

  remove(id: string, expectedRev?: number): Promise<boolean> {
    return this.onWrites(() => {
      const w = this.s.writer;
      if (expectedRev === undefined) {
        return stmt(w, `DELETE FROM ${this.table} WHERE id = ?`).run(id).changes === 1;
      }
      if (stmt(w, `DELETE FROM ${this.table} WHERE id = ? AND rev = ?`).run(id, expectedRev).changes === 1) return true;
      if (getRow(w, this.table, id)) throw conflict();
      return false;
    });
  }
}

/** SQLite-only diagnostics for tests: query plans and pragmas. */
export function explainFind<T>(col: Collection<T>, opts: FindOptions): Promise<string[][]> {
  if (!(col instanceof SqliteCollection)) throw new Error('explainFind: not a SQLite collection');
  return col.explainFind(opts);
}

const SHARED = Symbol('sqlite');

export function sqlitePragma(store: Store, name: 'journal_mode' | 'synchronous' | 'busy_timeout' | 'wal_autocheckpoint'): unknown {
  const s = (store as Store & { [SHARED]?: Shared })[SHARED];
  if (!s) throw new Error('sqlitePragma: not a SQLite store');
  return s.writer.db.pragma(name, { simple: true });
}

/** Collection handles per store: actions ask for them on every call. */
function handles(s: Shared, tx: TxState | null): <T>(def: CollectionDef<T>) => SqliteCollection<T> {
  const map = new Map<CollectionDef<unknown>, SqliteCollection<unknown>>();
  return <T>(def: CollectionDef<T>) => {
    let c = map.get(def as CollectionDef<unknown>);
    if (!c) {
      if (map.size > 200) map.clear();
      c = new SqliteCollection<unknown>(s, def as CollectionDef<unknown>, tx);
      map.set(def as CollectionDef<unknown>, c);
    }
    return c as unknown as SqliteCollection<T>;
  };
}

function txStore(s: Shared, t: TxState): Store {
  const collection = handles(s, t);
  const store: Store = {
    collection: (def) => collection(def),
    // Nested: join the open transaction (CloudBase cannot nest either).
    transaction: (fn) => fn(store),
    close: () => Promise.reject(new Error('store: close the outer store, not a transaction')),
  };
  return store;
}

function runTransaction<R>(s: Shared, fn: (tx: TxStore) => Promise<R>): Promise<R> {
  if (s.closed) return Promise.reject(new Error('store: closed'));
  if (s.tx !== null && s.inTx.getStore() === s.tx) {
    return Promise.reject(new Error('store: nested transaction on the outer store; use the tx store'));
  }
  const t: TxState = { aborted: null, created: new Set() };
  return s.group.submit(
    async () => {
      s.tx = t;
      try {
        // A callback that throws is answered with its own error (it says more than the abort it may
        // have turned into one); one that carried on after an abort, with the abort. As the CloudBase adapter.
        const result = await s.inTx.run(t, () => fn(txStore(s, t)));
        if (t.aborted) throw t.aborted;
        return result;
      } finally {
        s.tx = null;
      }
    },
    true,
    {
      committed: () => t.created.forEach((n) => s.known.add(n)),
      // Statements prepared against tables that no longer exist are dropped with them.
      rolledBack: () => t.created.size > 0 && s.writer.stmts.clear(),
    },
  );
}

/**
 * The real sync of the -wal, on libuv's thread pool: fdatasync(2), as SQLite itself syncs on Linux. It
 * flushes the data and the metadata needed to read it back (the file's size), not the timestamps.
 */
export const fsyncFd = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));

function fsyncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface SqliteOptions {
  /**
   * 'wal-fsync' (default): synchronous=NORMAL plus our fsync of the -wal off the event loop (see the top).
   * 'full': synchronous=FULL, COMMIT syncs on the event loop.
   */
  sync?: 'wal-fsync' | 'full';
  /** How the -wal descriptor is synced (tests wrap fsyncFd to hold or fail it). */
  fsync?: (fd: number) => Promise<void>;
  /** A checkpoint (in a worker thread) after this many durable groups; default CHECKPOINT_EVERY. */
  checkpointEveryGroups?: number;
}

/** Page cache per connection, in KiB. */
const CACHE_KIB = 65536;

/** Groups between checkpoints: at ~10 pages a group, about what SQLite's default of 1,000 pages gives. */
export const CHECKPOINT_EVERY = 100;

/** The checkpoint worker's last outcome (tests). */
export function sqliteCheckpoints(store: Store): { last: unknown } | null {
  const s = (store as Store & { [SHARED]?: Shared })[SHARED];
  if (!s) throw new Error('sqliteCheckpoints: not a SQLite store');
  return s.checkpointer ? { last: s.checkpointer.last } : null;
}

export function openSqliteStore(file: string, opts: SqliteOptions = {}): Store {
  const mode = opts.sync ?? 'wal-fsync';
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${mode === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  // SQLite's default page cache is 2 MB: a host's working set (members, cards, counters) outgrows it and
  // every miss is a read of the -wal or the database file. 64 MB per connection, allocated as used.
  db.pragma(`cache_size = -${CACHE_KIB}`);
  // Checkpoints run in a worker thread (sqlite-checkpointer.ts), not inside COMMIT on the event loop.
  if (mode === 'wal-fsync') db.pragma('wal_autocheckpoint = 0');
  // Reading the schema also creates the -wal file if it is not there yet.
  const known = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')").pluck().all() as string[]);
  let walFd: number | null = null;
  if (mode === 'wal-fsync') {
    walFd = openSync(`${file}-wal`, 'r+');
    fsyncSync(walFd);
    fsyncPath(file, 'r+');
    fsyncPath(dirname(file), 'r');
  }
  const reader = new Database(file, { readonly: true });
  reader.pragma('busy_timeout = 5000');
  reader.pragma(`cache_size = -${CACHE_KIB}`);

  const ctl = (sql: string) => {
    const st = db.prepare(sql);
    return () => void st.run();
  };
  const fd = walFd;
  const sync = opts.fsync ?? fsyncFd;
  // Started on first need: most stores in tests never write enough to want a checkpoint.
  let checkpointer: Checkpointer | null = null;
  let groupsSinceCheckpoint = 0;
  const checkpointEvery = opts.checkpointEveryGroups ?? CHECKPOINT_EVERY;
  const onDurable = (groups: number) => {
    groupsSinceCheckpoint += groups;
    if (groupsSinceCheckpoint < checkpointEvery || checkpointer?.busy) return;
    groupsSinceCheckpoint = 0;
    checkpointer ??= s.checkpointer = new Checkpointer(file, (message) => process.emitWarning(`sqlite checkpoint: ${message}`));
    void checkpointer.run().then((r) => {
      // Frames committed while the worker copied: copy them here, where no commit can interleave, so
      // the checkpoint is complete and the next write restarts the -wal from its start.
      if (!r.ok || s.closed || db.inTransaction) return;
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch (e) {
        process.emitWarning(`sqlite checkpoint: ${(e as Error).message}`); // the next one tries again
      }
    });
  };
  const group = new GroupCommit(
    {
      begin: ctl('BEGIN IMMEDIATE'),
      commit: ctl('COMMIT'),
      rollback: ctl('ROLLBACK'),
      savepoint: ctl('SAVEPOINT g'),
      release: ctl('RELEASE g'),
      rollbackTo: ctl('ROLLBACK TO g'),
      inTransaction: () => db.inTransaction,
    },
    fd === null ? null : () => sync(fd),
    onDurable,
  );
  const s: Shared = {
    writer: { db, stmts: new Map() }, reader: { db: reader, stmts: new Map() }, group, known,
    ensuring: new Map(), inTx: new AsyncLocalStorage(), tx: null, closed: false, checkpointer: null,
  };
  const collection = handles(s, null);
  let closing: Promise<void> | null = null;
  const store: Store & { [SHARED]: Shared } = {
    [SHARED]: s,
    collection<T>(def: CollectionDef<T>): Collection<T> {
      if (s.closed) throw new Error('store: closed');
      return collection(def);
    },
    transaction: (fn) => runTransaction(s, fn),
    close(): Promise<void> {
      // What was accepted before close still commits and syncs; nothing new is accepted.
      closing ??= (async () => {
        s.closed = true;
        await group.idle();
        await checkpointer?.close();
        reader.close();
        if (walFd !== null) closeSync(walFd);
        db.close();
      })();
      return closing;
    },
  };
  return store;
}
