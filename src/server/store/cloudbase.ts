/**
 * CloudBase store (production), over `app.database()` of @cloudbase/node-sdk.
 * - `_rev` lives in each document; plain writes are conditional on it: `where({ _id, _rev }).updateAndReturn`
 *   (findOneAndUpdate: the match, the write and the returned document are one atomic step).
 * - Pages are keyset cursors (where + orderBy on the sort field and `_id`), never skip.
 * - Declared indexes must also be created in the console / manager-node (≤ 20 per collection);
 *   this adapter only enforces that queries use declared fields.
 * - Transactions: `startTransaction` + commit/rollback of our own (not `runTransaction`, which re-runs
 *   the callback on a conflict: the one retry helper, conflict-retry.ts, decides that). Inside, only
 *   `doc(id).get/update/remove` and `add`, as CloudBase allows: update = read in the transaction,
 *   compare `_rev`, write `_rev + 1`. A conflict (the service's or a stale `_rev`) or a duplicate key
 *   aborts the transaction, which then rejects with it even if the callback caught it.
 */
import { AppError, ErrorCodes, isAppError } from '../../lib/errors';
import { newId } from '../ids';
import type { Collection, CollectionDef, Fields, FindOptions, Page, Scalar, Store, Stored, TxCollection, TxStore, Where } from './store';
import {
  assertCollectionName, assertDeltas, conflict, declaredFields, decodeCursor, duplicate, encodeCursor, getPath,
  missing, normalizeLimit, normalizeOrder, parseWhere, stripManaged, type Cond,
} from './query';

/* The SDK is loosely typed (`any` throughout); these are the few shapes we rely on. */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Db = any;
type Coll = any;

/** SDK calls either throw or resolve to `{ code, message }`; normalise both to thrown errors. */
async function call<R>(p: Promise<R>): Promise<R> {
  let res: R;
  try {
    res = await p;
  } catch (e) {
    throw translate(e);
  }
  const code = (res as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code) throw translate(res);
  return res;
}

function translate(e: unknown): Error {
  if (e instanceof AppError) return e;
  const code = String((e as { code?: unknown })?.code ?? '');
  const message = String((e as { message?: unknown })?.message ?? e);
  if (code === 'DATABASE_DUPLICATE_WRITE' || /E11000|duplicate key/i.test(message)) return duplicate();
  if (code === 'DATABASE_TRANSACTION_CONFLICT') return conflict();
  if (e instanceof Error) return e;
  return new Error(`cloudbase: ${code} ${message}`.trim());
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function condValue(db: Db, c: Cond): unknown {
  const _ = db.command;
  switch (c.kind) {
    case 'eq':
      return c.value;
    case 'in':
      return _.in(c.values);
    case 'range': {
      let cmd: any = null;
      for (const [op, v] of Object.entries(c.range)) cmd = cmd ? cmd.and(_[op](v)) : _[op](v);
      return cmd;
    }
    case 'contains':
      // An empty needle matches any string, as instr(x, '') does in SQLite.
      return db.RegExp({ regexp: c.text ? escapeRegExp(c.text) : '^', options: 'i' });
  }
}

/** `{ field: condition }` objects, AND-ed by the caller. */
function whereParts(db: Db, where: Where | undefined, fields: Set<string>, name: string): Record<string, unknown>[] {
  return parseWhere(where, fields, name).map(([f, c]) => ({ [f]: condValue(db, c) }));
}

function combine(db: Db, parts: Record<string, unknown>[]): unknown | null {
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0] : db.command.and(parts);
}

/** Patch values: a nested object replaces the old one (update() would merge it); undefined removes the field. */
function patchData(db: Db, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) out[k] = db.command.remove();
    else if (v !== null && typeof v === 'object') out[k] = db.command.set(v);
    else out[k] = v;
  }
  return out;
}

function incData(db: Db, entries: [string, number][]): Record<string, unknown> {
  const out: Record<string, unknown> = { _rev: db.command.inc(1) };
  for (const [f, d] of entries) out[f] = db.command.inc(d);
  return out;
}

class CloudbaseCollection<T> implements Collection<T> {
  private readonly fields: Set<string>;
  constructor(
    private readonly db: Db,
    private readonly coll: Coll,
    private readonly name: string,
    spec: CollectionDef<unknown>,
  ) {
    this.fields = declaredFields(spec);
  }

  private async exists(id: string): Promise<boolean> {
    return (await this.get(id)) !== null;
  }

  async insert(doc: Omit<T, '_id' | '_rev'>, opts?: { id?: string }): Promise<Stored<T>> {
    const id = opts?.id ?? newId();
    if (typeof id !== 'string' || id === '') throw new Error('store: bad id');
    const stored = { ...JSON.parse(JSON.stringify(stripManaged(doc))), _id: id, _rev: 1 };
    // `add` with an existing `_id` fails atomically (DATABASE_DUPLICATE_WRITE).
    await call(this.coll.add(stored));
    return stored as Stored<T>;
  }

  async get(id: string): Promise<Stored<T> | null> {
    const res = await call<any>(this.coll.doc(id).get());
    const data = Array.isArray(res?.data) ? res.data[0] : res?.data;
    return (data ?? null) as Stored<T> | null;
  }

  async getMany(ids: string[]): Promise<Stored<T>[]> {
    const unique = [...new Set(ids)];
    const found = new Map<string, Stored<T>>();
    for (let i = 0; i < unique.length; i += 100) {
      const chunk = unique.slice(i, i + 100);
      const res = await call<any>(this.coll.where({ _id: this.db.command.in(chunk) }).limit(chunk.length).get());
      for (const d of res.data as Stored<T>[]) found.set(d._id, d);
    }
    return unique.flatMap((id) => (found.has(id) ? [found.get(id) as Stored<T>] : []));
  }

  async find(opts: FindOptions = {}): Promise<Page<T>> {
    const _ = this.db.command;
    const limit = normalizeLimit(opts.limit);
    const order = normalizeOrder(opts, this.fields, this.name);
    const pos = decodeCursor(opts.cursor, order);
    const parts = whereParts(this.db, opts.where, this.fields, this.name);
    const f = order.field;
    const asc = order.direction === 'asc';
    if (pos) {
      // Null/missing sort values come first in asc and last in desc (as in SQLite).
      const idAfter = asc ? _.gt(pos.id) : _.lt(pos.id);
      if (f === '_id') parts.push({ _id: idAfter });
      else if (pos.value === null) {
        parts.push(asc ? _.or([{ [f]: null, _id: idAfter }, { [f]: _.neq(null) }]) : { [f]: null, _id: idAfter });
      } else {
        const beyond = asc ? _.gt(pos.value) : _.lt(pos.value);
        const branches: unknown[] = [{ [f]: beyond }, { [f]: pos.value, _id: idAfter }];
        if (!asc) branches.push({ [f]: null });
        parts.push(_.or(branches));
      }
    }
    const cond = combine(this.db, parts);
    let q = cond === null ? this.coll : this.coll.where(cond);
    q = q.orderBy(f, order.direction);
    if (f !== '_id') q = q.orderBy('_id', order.direction);
    const res = await call<any>(q.limit(limit + 1).get());
    const rows = res.data as Stored<T>[];
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const value = last ? getPath(last, f) : undefined;
    const nextCursor =
      rows.length > limit && last ? encodeCursor(order, { value: value === undefined ? null : (value as Scalar), id: last._id }) : null;
    return { items, nextCursor };
  }

  async count(where?: Where): Promise<number> {
    const cond = combine(this.db, whereParts(this.db, where, this.fields, this.name));
    const res = await call<any>((cond === null ? this.coll : this.coll.where(cond)).count());
    return Number(res.total);
  }

  /** One conditional, atomic write that returns the new document; null when nothing matched. */
  private async writeOne(match: Record<string, unknown>, data: Record<string, unknown>): Promise<Stored<T> | null> {
    const res = await call<any>(this.coll.where(match).updateAndReturn(data));
    return res.updated === 1 && res.doc ? (res.doc as Stored<T>) : null;
  }

  async update(id: string, expectedRev: number, patch: Partial<Omit<T, '_id' | '_rev'>>): Promise<Stored<T>> {
    const data = { ...patchData(this.db, stripManaged(patch)), _rev: this.db.command.inc(1) };
    const doc = await this.writeOne({ _id: id, _rev: expectedRev }, data);
    if (doc) return doc;
    throw (await this.exists(id)) ? conflict() : missing();
  }

  async increment(id: string, deltas: Record<string, number>): Promise<Stored<T>> {
    const doc = await this.writeOne({ _id: id }, incData(this.db, assertDeltas(deltas)));
    if (doc) return doc;
    throw missing();
  }

  async remove(id: string, expectedRev?: number): Promise<boolean> {
    const match = expectedRev === undefined ? { _id: id } : { _id: id, _rev: expectedRev };
    const res = await call<any>(this.coll.where(match).remove());
    if (res.deleted === 1) return true;
    if (expectedRev !== undefined && (await this.exists(id))) throw conflict();
    return false;
  }
}

/** Shared by the collections of one transaction: whether it is still usable, and what aborted it. */
interface TxState {
  finished: boolean;
  /** A conflict or duplicate: the transaction is aborted; every later step and the outcome are this error. */
  abortedBy: AppError | null;
}

const isAbort = (e: unknown): e is AppError =>
  isAppError(e) && (e.code === ErrorCodes.CONFLICT || e.code === ErrorCodes.DUPLICATE);

/** Single-document operations by id, as CloudBase allows inside a transaction (`t.collection(n)`). */
class CloudbaseTxCollection<T> implements TxCollection<T> {
  constructor(
    private readonly db: Db,
    private readonly coll: Coll,
    private readonly state: TxState,
  ) {}

  /** Runs one step; an abort error poisons the transaction. */
  private async step<R>(fn: () => Promise<R>): Promise<R> {
    if (this.state.abortedBy) throw this.state.abortedBy;
    if (this.state.finished) throw new Error('store: transaction already finished');
    try {
      return await fn();
    } catch (e) {
      if (isAbort(e)) this.state.abortedBy = e;
      throw e;
    }
  }

  private async read(id: string): Promise<Stored<T> | null> {
    const res = await call<any>(this.coll.doc(id).get());
    const data = Array.isArray(res?.data) ? res.data[0] : res?.data;
    return (data ?? null) as Stored<T> | null;
  }

  get(id: string): Promise<Stored<T> | null> {
    return this.step(() => this.read(id));
  }

  async getMany(ids: string[]): Promise<Stored<T>[]> {
    const out: Stored<T>[] = [];
    for (const id of new Set(ids)) {
      const d = await this.get(id);
      if (d) out.push(d);
    }
    return out;
  }

  insert(doc: Fields<T>, opts?: { id?: string }): Promise<Stored<T>> {
    return this.step(async () => {
      const id = opts?.id ?? newId();
      if (typeof id !== 'string' || id === '') throw new Error('store: bad id');
      const stored = { ...JSON.parse(JSON.stringify(stripManaged(doc))), _id: id, _rev: 1 };
      await call(this.coll.add(stored));
      return stored as Stored<T>;
    });
  }

  /** Writes `data` to a document this transaction has read; the result is computed from that read. */
  private async write(id: string, data: Record<string, unknown>): Promise<void> {
    const res = await call<any>(this.coll.doc(id).update(data));
    if (res.updated !== 1) throw missing();
  }

  update(id: string, expectedRev: number, patch: Partial<Fields<T>>): Promise<Stored<T>> {
    return this.step(async () => {
      const cur = await this.read(id);
      if (!cur) throw missing();
      if (cur._rev !== expectedRev) throw conflict();
      const fields = stripManaged(patch);
      await this.write(id, { ...patchData(this.db, fields), _rev: expectedRev + 1 });
      return JSON.parse(JSON.stringify({ ...cur, ...fields, _rev: expectedRev + 1 })) as Stored<T>;
    });
  }

  increment(id: string, deltas: Record<string, number>): Promise<Stored<T>> {
    return this.step(async () => {
      const entries = assertDeltas(deltas);
      const cur = await this.read(id);
      if (!cur) throw missing();
      await this.write(id, incData(this.db, entries));
      const next = JSON.parse(JSON.stringify(cur)) as Record<string, unknown>;
      for (const [f, d] of entries) {
        const parts = f.split('.');
        let o = next;
        for (const p of parts.slice(0, -1)) {
          if (o[p] === null || typeof o[p] !== 'object') o[p] = {};
          o = o[p] as Record<string, unknown>;
        }
        const last = parts[parts.length - 1] as string;
        o[last] = (typeof o[last] === 'number' ? (o[last] as number) : 0) + d;
      }
      next._rev = cur._rev + 1;
      return next as Stored<T>;
    });
  }

  remove(id: string, expectedRev?: number): Promise<boolean> {
    return this.step(async () => {
      const cur = await this.read(id);
      if (!cur) return false;
      if (expectedRev !== undefined && cur._rev !== expectedRev) throw conflict();
      const res = await call<any>(this.coll.doc(id).remove());
      return res.deleted === 1;
    });
  }

  /** Not part of TxCollection; here so a cast cannot smuggle a query into a transaction. */
  find(): never {
    throw new Error('store: CloudBase transactions allow single-document operations only (no find in a transaction)');
  }

  count(): never {
    throw new Error('store: CloudBase transactions allow single-document operations only (no count in a transaction)');
  }
}

async function rollbackQuietly(t: any): Promise<void> {
  try {
    await t.rollback();
  } catch {
    // already aborted or expired on the service: nothing left to undo
  }
}

async function runTransaction<R>(db: Db, fn: (tx: TxStore) => Promise<R>): Promise<R> {
  const t = await call<any>(db.startTransaction());
  const state: TxState = { finished: false, abortedBy: null };
  const tx: TxStore = {
    collection<T>(def: CollectionDef<T>): TxCollection<T> {
      assertCollectionName(def.name);
      return new CloudbaseTxCollection<T>(db, t.collection(def.name), state);
    },
  };
  let result: R;
  try {
    result = await fn(tx);
  } catch (e) {
    // The callback's own error says more than the abort it may have turned into one.
    state.finished = true;
    await rollbackQuietly(t);
    throw translate(e);
  }
  state.finished = true;
  if (state.abortedBy) {
    await rollbackQuietly(t);
    throw state.abortedBy;
  }
  try {
    await call(t.commit());
  } catch (e) {
    await rollbackQuietly(t);
    throw translate(e);
  }
  return result;
}

function makeStore(db: Db): Store {
  return {
    collection<T>(def: CollectionDef<T>): Collection<T> {
      assertCollectionName(def.name);
      return new CloudbaseCollection<T>(db, db.collection(def.name), def.name, def as CollectionDef<unknown>);
    },
    transaction: (fn) => runTransaction(db, fn),
    async close(): Promise<void> {},
  };
}

export function openCloudbaseStore(db: /* app.database() from @cloudbase/node-sdk */ any): Store {
  if (!db || typeof db.collection !== 'function' || !db.command) {
    throw new AppError(ErrorCodes.INTERNAL, '数据库未初始化');
  }
  return makeStore(db);
}
