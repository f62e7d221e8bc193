/**
 * SQLite store (better-sqlite3): one table per collection, `id TEXT PRIMARY KEY, rev INTEGER, doc TEXT`,
 * with expression indexes on the declared fields (each ending in `id`, so keyset pages are index walks).
 * WAL + synchronous=FULL: an acknowledged write survives kill -9 and power loss.
 */
import Database from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import { newId } from '../ids';
import type { Collection, CollectionDef, FindOptions, Page, Scalar, Store, Stored, Where } from './store';
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

/** FIFO lock held by an open transaction; plain operations only wait while it is held. */
class Mutex {
  private held = false;
  private waiters: (() => void)[] = [];
  get busy(): boolean {
    return this.held;
  }
  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

interface Shared {
  db: Db;
  stmts: Map<string, Database.Statement>;
  tables: Map<string, Set<string>>;
  mutex: Mutex;
  /** Marks the async context of the running transaction, to catch use of the outer store inside it. */
  inTx: AsyncLocalStorage<object>;
  /** Token of the open transaction, null when none. */
  tx: object | null;
  /** Tables created or extended inside the open transaction: forgotten again if it rolls back. */
  txSchema: string[];
  /** Bumped when a rollback undid schema, so collections re-check their table. */
  gen: number;
  closed: boolean;
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
function stmt(s: Shared, sql: string, raw = false): Database.Statement {
  const key = raw ? `raw:${sql}` : sql;
  let st = s.stmts.get(key);
  if (st) {
    // Most recently used last (Map keeps insertion order): dynamic `in` lists and page sizes must
    // not grow the cache forever, nor push out the statements every request uses.
    s.stmts.delete(key);
  } else {
    if (s.stmts.size >= STMT_CACHE) s.stmts.delete(s.stmts.keys().next().value as string);
    st = s.db.prepare(sql);
    if (raw) st.raw(true);
  }
  s.stmts.set(key, st);
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

/** Creates the table and its indexes on first use (runs only inside the gate, never inside another's transaction). */
function ensureTable(s: Shared, def: CollectionDef<unknown>, fields: Set<string>): void {
  const known = s.tables.get(def.name);
  if (known && [...fields].every((f) => known.has(f))) return;
  if (s.tx) s.txSchema.push(def.name);
  const table = `"col_${def.name}"`;
  s.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, doc TEXT NOT NULL)`);
  for (const entry of def.indexes) {
    const cols = typeof entry === 'string' ? [entry] : entry;
    if (cols.length === 1 && cols[0] === '_id') continue;
    const name = `"ix_${def.name}_${cols.join(',')}"`;
    s.db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${table} (${cols.map(expr).join(', ')}, id)`);
  }
  s.tables.set(def.name, new Set([...(known ?? []), ...fields]));
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

class SqliteCollection<T> implements Collection<T> {
  private readonly table: string;
  private readonly name: string;
  private readonly fields: Set<string>;
  private readyGen = -1;
  constructor(
    private readonly s: Shared,
    private readonly def: CollectionDef<unknown>,
    private readonly gate: <R>(f: () => R) => Promise<R>,
  ) {
    assertCollectionName(def.name);
    this.name = def.name;
    this.fields = declaredFields(def);
    this.table = `"col_${def.name}"`;
  }

  /** Every operation runs through the gate, after making sure the table exists. */
  private run<R>(f: () => R): Promise<R> {
    return this.gate(() => {
      if (this.readyGen !== this.s.gen) {
        ensureTable(this.s, this.def, this.fields);
        if (!this.s.tx) this.readyGen = this.s.gen;
      }
      return f();
    });
  }

  private getRow(id: string): Row | undefined {
    return stmt(this.s, `SELECT id, rev, doc FROM ${this.table} WHERE id = ?`).get(id) as Row | undefined;
  }

  insert(doc: Omit<T, '_id' | '_rev'>, opts?: { id?: string }): Promise<Stored<T>> {
    return this.run(() => {
      const id = opts?.id ?? newId();
      if (typeof id !== 'string' || id === '') throw new Error('store: bad id');
      const text = docText(stripManaged(doc));
      try {
        stmt(this.s, `INSERT INTO ${this.table} (id, rev, doc) VALUES (?, 1, ?)`).run(id, text);
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw duplicate();
        throw e;
      }
      return toDoc<T>({ id, rev: 1, doc: text });
    });
  }

  get(id: string): Promise<Stored<T> | null> {
    return this.run(() => {
      const r = this.getRow(id);
      return r ? toDoc<T>(r) : null;
    });
  }

  getMany(ids: string[]): Promise<Stored<T>[]> {
    return this.run(() => {
      if (ids.length === 0) return [];
      const rows = stmt(this.s, `SELECT id, rev, doc FROM ${this.table} WHERE id IN (SELECT value FROM json_each(?))`)
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

  find(opts: FindOptions = {}): Promise<Page<T>> {
    return this.run(() => {
      const { limit, order, segs } = this.findPlan(opts);
      let rows: RawRow[] = [];
      for (const { sql, params } of segs) {
        // The limit is written into the SQL, not bound: with a bound LIMIT, SQLite re-plans the
        // statement on every run (the value may change the plan), which costs as much as the query.
        const got = stmt(this.s, sql + (limit + 1 - rows.length), true).all(...params) as RawRow[];
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
  explainFind(opts: FindOptions): Promise<string[][]> {
    return this.run(() =>
      this.findPlan(opts).segs.map(({ sql, params }) =>
        (this.s.db.prepare(`EXPLAIN QUERY PLAN ${sql}1`).all(...params) as { detail: string }[]).map((r) => r.detail),
      ),
    );
  }

  count(where?: Where): Promise<number> {
    return this.run(() => {
      const params: Param[] = [];
      const conds = whereSql(where, this.fields, this.name, params);
      const sql = `SELECT count(*) AS n FROM ${this.table}` + (conds.length ? ` WHERE ${conds.join(' AND ')}` : '');
      return (stmt(this.s, sql).get(...params) as { n: number }).n;
    });
  }

  update(id: string, expectedRev: number, patch: Partial<Omit<T, '_id' | '_rev'>>): Promise<Stored<T>> {
    return this.run(() => {
      const r = this.getRow(id);
      if (!r) throw missing();
      if (r.rev !== expectedRev) throw conflict();
      // Shallow merge; a key patched to `undefined` disappears, as JSON has no undefined.
      const text = docText({ ...JSON.parse(r.doc), ...stripManaged(patch) });
      const res = stmt(this.s, `UPDATE ${this.table} SET rev = rev + 1, doc = ? WHERE id = ? AND rev = ?`).run(text, id, expectedRev);
      if (res.changes !== 1) throw conflict(); // another process wrote in between
      return toDoc<T>({ id, rev: expectedRev + 1, doc: text });
    });
  }

  increment(id: string, deltas: Record<string, number>): Promise<Stored<T>> {
    return this.run(() => {
      const entries = assertDeltas(deltas);
      const sets = entries.map(([f]) => `'$.${f}', coalesce(json_extract(doc, '$.${f}'), 0) + ?`).join(', ');
      const sql = `UPDATE ${this.table} SET rev = rev + 1, doc = json_set(doc, ${sets}) WHERE id = ? RETURNING id, rev, doc`;
      const r = stmt(this.s, sql).get(...entries.map(([, d]) => d), id) as Row | undefined;
      if (!r) throw missing();
      return toDoc<T>(r);
    });
  }

  remove(id: string, expectedRev?: number): Promise<boolean> {
    return this.run(() => {
      if (expectedRev === undefined) {
        return stmt(this.s, `DELETE FROM ${this.table} WHERE id = ?`).run(id).changes === 1;
      }
      if (stmt(this.s, `DELETE FROM ${this.table} WHERE id = ? AND rev = ?`).run(id, expectedRev).changes === 1) return true;
      if (this.getRow(id)) throw conflict();
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

export function sqlitePragma(store: Store, name: 'journal_mode' | 'synchronous' | 'busy_timeout'): unknown {
  const s = (store as Store & { [SHARED]?: Shared })[SHARED];
  if (!s) throw new Error('sqlitePragma: not a SQLite store');
  return s.db.pragma(name, { simple: true });
}

function assertOpen(s: Shared): void {
  if (s.closed) throw new Error('store: closed');
}

function makeStore(s: Shared, gate: <R>(f: () => R) => Promise<R>, tx: boolean): Store {
  // Actions ask for their collections on every call; a handle is stateless apart from its schema check.
  const handles = new Map<CollectionDef<unknown>, SqliteCollection<unknown>>();
  const store: Store & { [SHARED]: Shared } = {
    [SHARED]: s,
    collection<T>(def: CollectionDef<T>): Collection<T> {
      assertOpen(s);
      let c = handles.get(def as CollectionDef<unknown>);
      if (!c) {
        if (handles.size > 200) handles.clear();
        c = new SqliteCollection<unknown>(s, def as CollectionDef<unknown>, gate);
        handles.set(def as CollectionDef<unknown>, c);
      }
      return c as unknown as Collection<T>;
    },
    transaction<R>(fn: (tx: Store) => Promise<R>): Promise<R> {
      // Nested: join the open transaction (CloudBase cannot nest either).
      return tx ? fn(store) : runTransaction(s, fn);
    },
    async close(): Promise<void> {
      if (tx) throw new Error('store: close the outer store, not a transaction');
      if (s.closed) return;
      await s.mutex.acquire();
      s.closed = true;
      s.db.close();
      s.mutex.release();
    },
  };
  return store;
}

const insideTx = (s: Shared): boolean => s.tx !== null && s.inTx.getStore() === s.tx;

async function runTransaction<R>(s: Shared, fn: (tx: Store) => Promise<R>): Promise<R> {
  if (insideTx(s)) throw new Error('store: nested transaction on the outer store; use the tx store');
  await s.mutex.acquire();
  const token = {};
  try {
    assertOpen(s);
    s.db.exec('BEGIN IMMEDIATE');
    s.tx = token;
    s.txSchema = [];
    const txGate = async <X>(f: () => X): Promise<X> => {
      if (s.tx !== token) throw new Error('store: transaction already finished');
      return f();
    };
    try {
      const result = await s.inTx.run(token, () => fn(makeStore(s, txGate, true)));
      s.db.exec('COMMIT');
      return result;
    } catch (e) {
      if (s.db.inTransaction) s.db.exec('ROLLBACK');
      if (s.txSchema.length) {
        for (const name of s.txSchema) s.tables.delete(name);
        s.stmts.clear();
        s.gen++;
      }
      throw e;
    }
  } finally {
    s.tx = null;
    s.mutex.release();
  }
}

export function openSqliteStore(file: string): Store {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const s: Shared = {
    db, stmts: new Map(), tables: new Map(), mutex: new Mutex(), inTx: new AsyncLocalStorage(),
    tx: null, txSchema: [], gen: 0, closed: false,
  };
  // Fast path: no transaction open → run synchronously, no await on the lock.
  const gate = async <R>(f: () => R): Promise<R> => {
    if (!s.mutex.busy) {
      assertOpen(s);
      return f();
    }
    if (insideTx(s)) throw new Error('store: inside a transaction use the tx store, not the outer one');
    await s.mutex.acquire();
    try {
      assertOpen(s);
      return f();
    } finally {
      s.mutex.release();
    }
  };
  return makeStore(s, gate, false);
}
