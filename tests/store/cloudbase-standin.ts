/**
 * An in-memory stand-in for the CloudBase database service, plugged in below the real
 * @cloudbase/database client (its request class), so the adapter's real requests — serialised by the
 * SDK exactly as in production — run without credentials or network.
 *
 * Queries: the Mongo subset our adapter emits ($and/$or, equality with null matching missing,
 * $in/$ne/$gt/$gte/$lt/$lte with type bracketing, regular expressions, $set/$unset/$inc on dotted paths,
 * sort/limit/offset, duplicate `_id` errors, findOneAndUpdate returning the new document).
 *
 * Transactions, as the service behaves (TOOLCHAIN.md, 2026-12-02):
 * - each one reads a snapshot taken at its start plus its own writes (multi-version documents,
 *   copy-on-write per document: nothing is cloned wholesale);
 * - only single-document operations by `_id` (`doc(id).get/set/update/remove`, `add`); a query, count,
 *   findOneAndUpdate or multi-document write that carries a transaction id is refused;
 * - a write locks its document until commit/abort: another transaction writing it fails at once with
 *   DATABASE_TRANSACTION_CONFLICT, as does writing a document committed after the snapshot; a plain
 *   (non-transactional) write to a locked document waits for the lock;
 * - a conflict or a duplicate key aborts the transaction; commit applies only its writes, abort drops
 *   only its writes; after 10 s a transaction has expired (operations and commit fail);
 * - any number may be open at once (no global lock).
 * It is a model of the service, not the service: the contract suite also runs against CloudBase when
 * credentials are present.
 */
import { EJSON } from 'bson';
import { openCloudbaseStore } from '../../src/server/store/cloudbase';
import type { Store } from '../../src/server/store/store';

type Doc = Record<string, unknown>;
type Reply = Record<string, unknown>;

/** One committed state of a document; `doc` null is a deletion. */
interface Version {
  seq: number;
  doc: Doc | null;
}

interface Tx {
  id: string;
  /** Commit sequence number its reads see. */
  snap: number;
  started: number;
  /** Its own writes by key (null = removed), visible only to itself until commit. */
  writes: Map<string, Doc | null>;
  state: 'open' | 'committed' | 'aborted';
  why?: string;
}

export const TX_LIFETIME_MS = 10_000;

const clone = <T>(v: T): T => structuredClone(v);
const keyOf = (coll: string, id: string) => `${coll}\u0000${id}`;

function getPath(doc: unknown, path: string): unknown {
  if (!path.includes('.')) return doc !== null && typeof doc === 'object' ? (doc as Doc)[path] : undefined;
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Doc)[part];
  }
  return cur;
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    if (cur[p] === null || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Doc;
  }
  cur[parts[parts.length - 1] as string] = value;
}

function unsetPath(doc: Doc, path: string): void {
  const parts = path.split('.');
  const parent = parts.length === 1 ? doc : getPath(doc, parts.slice(0, -1).join('.'));
  if (parent && typeof parent === 'object') delete (parent as Doc)[parts[parts.length - 1] as string];
}

/** Mongo's type order, reduced to what we store. */
const typeClass = (v: unknown): number =>
  v === null || v === undefined ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : Array.isArray(v) ? 4 : typeof v === 'object' ? 3 : 5;

function compare(a: unknown, b: unknown): number {
  const ta = typeClass(a);
  const tb = typeClass(b);
  if (ta !== tb) return ta - tb;
  if (ta === 0) return 0;
  if (ta === 1 || ta === 2 || ta === 5) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

const isRegExp = (v: unknown): v is { pattern: string; options: string } =>
  typeof v === 'object' && v !== null && (v as { _bsontype?: string })._bsontype === 'BSONRegExp';

function equals(value: unknown, expected: unknown): boolean {
  if (expected === null) return value === null || value === undefined;
  if (isRegExp(expected)) return typeof value === 'string' && new RegExp(expected.pattern, expected.options).test(value);
  return typeClass(value) === typeClass(expected) && compare(value, expected) === 0;
}

function matchOps(value: unknown, ops: Doc): boolean {
  return Object.entries(ops).every(([op, arg]) => {
    const sameType = typeClass(value) === typeClass(arg);
    switch (op) {
      case '$eq':
        return equals(value, arg);
      case '$ne':
        return !equals(value, arg);
      case '$in':
        return (arg as unknown[]).some((x) => equals(value, x));
      case '$nin':
        return !(arg as unknown[]).some((x) => equals(value, x));
      case '$gt':
        return sameType && compare(value, arg) > 0;
      case '$gte':
        return sameType && compare(value, arg) >= 0;
      case '$lt':
        return sameType && compare(value, arg) < 0;
      case '$lte':
        return sameType && compare(value, arg) <= 0;
      case '$exists':
        return (value !== undefined) === arg;
      default:
        throw new Error(`stand-in: unsupported operator ${op}`);
    }
  });
}

/** A query compiled once into a predicate (selects scan whole collections: keep the per-document work small). */
type Pred = (doc: Doc) => boolean;
function compile(query: Doc): Pred {
  const preds: Pred[] = Object.entries(query).map(([key, cond]): Pred => {
    if (key === '$and') {
      const ps = (cond as Doc[]).map(compile);
      return (d) => ps.every((p) => p(d));
    }
    if (key === '$or') {
      const ps = (cond as Doc[]).map(compile);
      return (d) => ps.some((p) => p(d));
    }
    if (key === '$nor') {
      const ps = (cond as Doc[]).map(compile);
      return (d) => !ps.some((p) => p(d));
    }
    const isOps = cond !== null && typeof cond === 'object' && !isRegExp(cond) && Object.keys(cond).some((k) => k.startsWith('$'));
    if (isOps) return (d) => matchOps(getPath(d, key), cond as Doc);
    if (isRegExp(cond)) {
      const re = new RegExp(cond.pattern, cond.options);
      return (d) => {
        const v = getPath(d, key);
        return typeof v === 'string' && re.test(v);
      };
    }
    return (d) => equals(getPath(d, key), cond);
  });
  return preds.length === 1 ? (preds[0] as Pred) : (d) => preds.every((p) => p(d));
}

/** The ids a query pins down by `_id` equality or `$in` at its top level; null when it does not. */
function pinnedIds(query: Doc): string[] | null {
  const c = query._id;
  if (typeof c === 'string') return [c];
  if (c && typeof c === 'object' && Array.isArray((c as Doc).$in) && Object.keys(c).length === 1) return [...new Set(((c as Doc).$in as unknown[]).map(String))];
  return null;
}

/** A new document: `merge` applies update operators to a copy, otherwise `data` replaces it (keeping `_id`). */
function written(old: Doc | null, id: string, data: Doc, merge: boolean): Doc {
  if (!merge) return { ...clone(data), _id: id };
  const doc = old ? clone(old) : { _id: id };
  for (const [op, fields] of Object.entries(data)) {
    if (!op.startsWith('$')) {
      setPath(doc, op, clone(fields));
      continue;
    }
    for (const [path, v] of Object.entries(fields as Doc)) {
      if (op === '$set') setPath(doc, path, clone(v));
      else if (op === '$unset') unsetPath(doc, path);
      else if (op === '$inc') setPath(doc, path, ((getPath(doc, path) as number | undefined) ?? 0) + (v as number));
      else throw new Error(`stand-in: unsupported update ${op}`);
    }
  }
  return doc;
}

const parse = (s: unknown): Doc => (typeof s === 'string' ? (EJSON.parse(s) as Doc) : ((s as Doc) ?? {}));
const out = (d: Doc) => EJSON.stringify(d, { relaxed: false });
const ok = (data?: unknown): Reply => ({ ...(data === undefined ? {} : { data }), requestId: 'stand-in' });
const fail = (code: string, message: string): Reply => ({ code, message, requestId: 'stand-in' });
const conflictReply = () => fail('DATABASE_TRANSACTION_CONFLICT', 'database transaction conflict: write conflict');
const duplicateReply = (id: string) => fail('DATABASE_DUPLICATE_WRITE', `E11000 duplicate key error: _id ${JSON.stringify(id)}`);
const refused = (what: string) =>
  fail('DATABASE_TRANSACTION_FAIL', `${what} is not allowed in a transaction: use doc(id).get/set/update/remove or add`);

export interface StandInOptions {
  /** Clock for transaction expiry (ms); tests of the 10 s lifetime inject one. */
  now?: () => number;
}

export function createCloudbaseStandIn(opts: StandInOptions = {}) {
  const now = opts.now ?? (() => performance.now());
  /** Collection → id → versions, oldest first. */
  let data = new Map<string, Map<string, Version[]>>();
  let seq = 0;
  let txSeq = 0;
  const txs = new Map<string, Tx>();
  const locks = new Map<string, Tx>();
  /** Plain writers waiting for some lock to be released; each re-checks when woken. */
  let waiters: (() => void)[] = [];

  const coll = (name: string): Map<string, Version[]> => {
    let c = data.get(name);
    if (!c) data.set(name, (c = new Map()));
    return c;
  };
  const versions = (name: string, id: string): Version[] | undefined => data.get(name)?.get(id);
  const latest = (name: string, id: string): Version | undefined => versions(name, id)?.at(-1);
  const at = (name: string, id: string, snap: number): Doc | null => {
    const vs = versions(name, id);
    if (!vs) return null;
    for (let i = vs.length - 1; i >= 0; i--) if ((vs[i] as Version).seq <= snap) return (vs[i] as Version).doc;
    return null;
  };

  /** Keeps only the versions an open transaction may still read. */
  function prune(name: string, id: string): void {
    const vs = versions(name, id);
    if (!vs) return;
    let oldest = Infinity;
    for (const t of txs.values()) if (t.state === 'open') oldest = Math.min(oldest, t.snap);
    let keepFrom = vs.length - 1;
    while (keepFrom > 0 && (vs[keepFrom] as Version).seq > oldest) keepFrom--;
    if (keepFrom > 0) vs.splice(0, keepFrom);
    if (vs.length === 1 && (vs[0] as Version).doc === null && oldest === Infinity) data.get(name)?.delete(id);
  }

  function commitWrite(name: string, id: string, doc: Doc | null, s: number): void {
    const vs = coll(name).get(id);
    if (vs) vs.push({ seq: s, doc });
    else coll(name).set(id, [{ seq: s, doc }]);
    prune(name, id);
  }

  function end(t: Tx, state: 'committed' | 'aborted', why?: string): void {
    t.state = state;
    t.why = why;
    for (const k of t.writes.keys()) if (locks.get(k) === t) locks.delete(k);
    txs.delete(t.id);
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  }

  /** Lazy expiry: a transaction past its lifetime is aborted when next touched. */
  function expireIfDue(t: Tx): void {
    if (t.state === 'open' && now() - t.started > TX_LIFETIME_MS) end(t, 'aborted', 'expired');
  }

  /** The open transaction, or the reply that refuses the request. */
  function openTx(id: unknown): { tx: Tx } | { refusal: Reply } {
    const t = txs.get(String(id)) ?? null;
    if (t) expireIfDue(t);
    if (!t || t.state !== 'open') {
      return { refusal: fail('DATABASE_TRANSACTION_FAIL', `transaction ${String(id)} is not open (committed, aborted or expired after ${TX_LIFETIME_MS / 1000} s)`) };
    }
    return { tx: t };
  }

  const lockHolder = (k: string): Tx | null => {
    const t = locks.get(k);
    if (!t) return null;
    expireIfDue(t);
    return t.state === 'open' ? t : null;
  };

  /** Waits until no other transaction holds any of these keys (woken on release, or at the holder's expiry). */
  async function waitUnlocked(keys: () => string[]): Promise<void> {
    for (;;) {
      const holders = keys().map(lockHolder).filter((t): t is Tx => t !== null);
      if (holders.length === 0) return;
      const deadline = Math.min(...holders.map((t) => t.started + TX_LIFETIME_MS - now()));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline + 1));
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** A transactional write to one document: lock it, or conflict (which aborts the transaction). */
  function claim(t: Tx, name: string, id: string): Reply | null {
    const k = keyOf(name, id);
    const holder = lockHolder(k);
    const changedSinceSnapshot = (latest(name, id)?.seq ?? 0) > t.snap;
    if ((holder && holder !== t) || changedSinceSnapshot) {
      end(t, 'aborted', 'write conflict');
      return conflictReply();
    }
    locks.set(k, t);
    return null;
  }

  const txView = (t: Tx, name: string, id: string): Doc | null => {
    const k = keyOf(name, id);
    return t.writes.has(k) ? (t.writes.get(k) as Doc | null) : at(name, id, t.snap);
  };

  /** `{ _id: id }` of a by-id request; null for anything else (a query). */
  const docIdOf = (p: Doc): string | null => {
    if (p.queryType !== 'DOC' || p.multi) return null;
    const q = parse(p.query);
    return Object.keys(q).length === 1 && typeof q._id === 'string' ? q._id : null;
  };

  function select(name: string, query: Doc, order?: Doc, limit?: number, offset = 0): Doc[] {
    let docs: Doc[] = [];
    const match = compile(query);
    const ids = pinnedIds(query);
    const candidates = ids ? ids.map((id) => coll(name).get(id)).filter((vs): vs is Version[] => vs !== undefined) : coll(name).values();
    for (const vs of candidates) {
      const d = (vs.at(-1) as Version).doc;
      if (d && match(d)) docs.push(d);
    }
    if (order) {
      const keys = Object.entries(order);
      docs.sort((a, b) => {
        for (const [k, dir] of keys) {
          const c = compare(getPath(a, k), getPath(b, k));
          if (c !== 0) return c * (dir as number);
        }
        return 0;
      });
    }
    docs = docs.slice(offset);
    if (limit !== undefined) docs = docs.slice(0, limit);
    return docs;
  }

  let autoSeq = 0;
  const autoId = () => `auto${(++autoSeq).toString(36)}${Math.random().toString(36).slice(2, 10)}`;

  async function inTransaction(action: string, p: Doc): Promise<Reply> {
    const name = p.collectionName as string;
    const open = openTx(p.transactionId);
    if ('refusal' in open) return open.refusal;
    const t = open.tx;
    switch (action) {
      case 'database.getDocument': {
        const id = docIdOf(p);
        if (id === null) return refused('a query (where/orderBy/limit)');
        const d = txView(t, name, id);
        return ok({ list: d ? [out(d)] : [] });
      }
      case 'database.insertDocument': {
        const ids: string[] = [];
        for (const raw of p.data as string[]) {
          const doc = parse(raw);
          const id = (doc._id as string | undefined) ?? autoId();
          const k = keyOf(name, id);
          const holder = lockHolder(k);
          if ((holder && holder !== t) || (latest(name, id)?.seq ?? 0) > t.snap) {
            end(t, 'aborted', 'write conflict');
            return conflictReply();
          }
          if (txView(t, name, id)) {
            end(t, 'aborted', 'duplicate key');
            return duplicateReply(id);
          }
          locks.set(k, t);
          t.writes.set(k, { ...doc, _id: id }); // freshly parsed: nothing else holds it
          ids.push(id);
        }
        return ok({ insertedIds: ids });
      }
      case 'database.modifyDocument': {
        const id = docIdOf(p);
        if (id === null) return refused('a multi-document update (where().update)');
        const old = txView(t, name, id);
        if (!old && !p.upsert) return ok({ updated: 0 });
        const c = claim(t, name, id);
        if (c) return c;
        t.writes.set(keyOf(name, id), written(old, id, parse(p.data), Boolean(p.merge)));
        return ok(old ? { updated: 1 } : { updated: 0, upsert_id: id });
      }
      case 'database.removeDocument': {
        const id = docIdOf(p);
        if (id === null) return refused('a multi-document remove (where().remove)');
        if (!txView(t, name, id)) return ok({ deleted: 0 });
        const c = claim(t, name, id);
        if (c) return c;
        t.writes.set(keyOf(name, id), null);
        return ok({ deleted: 1 });
      }
      case 'database.modifyAndReturnDoc':
        return refused('updateAndReturn (findOneAndUpdate)');
      case 'database.calculateDocument':
        return refused('count');
      case 'database.commitTransaction': {
        const s = ++seq;
        for (const [k, doc] of t.writes) {
          const [c, id] = k.split('\u0000') as [string, string];
          commitWrite(c, id, doc, s);
        }
        end(t, 'committed');
        return ok();
      }
      default:
        throw new Error(`stand-in: unsupported action ${action} in a transaction`);
    }
  }

  async function plain(action: string, p: Doc): Promise<Reply> {
    const name = p.collectionName as string;
    switch (action) {
      case 'database.getDocument': {
        const order = p.order ? parse(p.order) : undefined;
        const docs = select(name, parse(p.query), order, (p.limit as number | undefined) ?? 100, (p.offset as number | undefined) ?? 0);
        return ok({ list: docs.map(out) });
      }
      case 'database.calculateDocument':
        return ok({ total: select(name, parse(p.query)).length });
      case 'database.insertDocument': {
        const docs = (p.data as string[]).map(parse).map((d) => ({ ...d, _id: (d._id as string | undefined) ?? autoId() }));
        await waitUnlocked(() => docs.map((d) => keyOf(name, d._id)));
        const ids: string[] = [];
        for (const doc of docs) {
          if (latest(name, doc._id)?.doc) return duplicateReply(doc._id);
          commitWrite(name, doc._id, doc, ++seq);
          ids.push(doc._id);
        }
        return ok({ insertedIds: ids });
      }
      case 'database.modifyAndReturnDoc':
      case 'database.modifyDocument':
      case 'database.removeDocument': {
        const query = parse(p.query);
        const multi = action !== 'database.modifyAndReturnDoc' && p.multi !== false && p.queryType !== 'DOC';
        const pick = () => select(name, query, undefined, multi ? undefined : 1);
        await waitUnlocked(() => pick().map((d) => keyOf(name, d._id as string)));
        const docs = pick(); // unchanged since the wait: no await in between
        if (action === 'database.removeDocument') {
          for (const d of docs) commitWrite(name, d._id as string, null, ++seq);
          return ok({ deleted: docs.length });
        }
        const update = parse(p.data);
        const merge = action === 'database.modifyAndReturnDoc' || Boolean(p.merge);
        if (docs.length === 0 && p.upsert) {
          const id = docIdOf(p) ?? autoId();
          commitWrite(name, id, written(null, id, update, merge), ++seq);
          return ok({ updated: 0, upsert_id: id });
        }
        let last: Doc | null = null;
        for (const d of docs) {
          last = written(d, d._id as string, update, merge);
          commitWrite(name, d._id as string, last, ++seq);
        }
        if (action === 'database.modifyAndReturnDoc') return ok({ updated: docs.length, doc: last ? out(last) : null });
        return ok({ updated: docs.length });
      }
      case 'database.addCollection':
        return ok();
      default:
        throw new Error(`stand-in: unsupported action ${action}`);
    }
  }

  async function handle(action: string, p: Doc = {}): Promise<Reply> {
    await new Promise((r) => setImmediate(r)); // a network hop: lets concurrent calls interleave
    if (action === 'database.startTransaction') {
      const t: Tx = { id: `tx${++txSeq}`, snap: seq, started: now(), writes: new Map(), state: 'open' };
      txs.set(t.id, t);
      return { transactionId: t.id, requestId: 'stand-in' };
    }
    if (action === 'database.abortTransaction') {
      const t = txs.get(String(p.transactionId));
      if (t && t.state === 'open') end(t, 'aborted', 'rolled back');
      return ok();
    }
    // The SDK leaves transactionId undefined outside transactions (and never sends it with count).
    return p.transactionId ? inTransaction(action, p) : plain(action, p);
  }

  /** Plays the SDK's request class: `new Db.reqClass(config).send(action, params)`. */
  class StandInRequest {
    constructor(_config: unknown) {}
    send(action: string, params: Doc): Promise<Reply> {
      return handle(action, params);
    }
  }

  return {
    StandInRequest,
    send: handle,
    /** Drops every collection (the suite's reset). Open transactions are forgotten. */
    clear: () => {
      data = new Map();
      txs.clear();
      locks.clear();
    },
    /** Transactions still open (for tests: none should leak). */
    openTransactions: () => [...txs.values()].filter((t) => (expireIfDue(t), t.state === 'open')).length,
  };
}

export type CloudbaseStandIn = ReturnType<typeof createCloudbaseStandIn>;

/**
 * A database client of the real SDK whose requests go to `service`. The SDK's request class is
 * global, so one router class serves every stand-in by the client's config; other clients (a real
 * CloudBase suite in the same file) keep the class that was there before.
 */
export function standInDb(service: CloudbaseStandIn): unknown {
  const { Db } = require('@cloudbase/database') as { Db: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (Db.reqClass !== RoutedRequest) {
    fallback = Db.reqClass ?? null;
    Db.reqClass = RoutedRequest;
  }
  return new Db({ envName: 'stand-in', throwOnCode: true, standIn: service });
}

type RequestClass = new (config: unknown) => { send(action: string, params: Doc, opts?: unknown): Promise<unknown> };
let fallback: RequestClass | null = null;

class RoutedRequest {
  readonly send: (action: string, params: Doc, opts?: unknown) => Promise<unknown>;
  constructor(config: { standIn?: CloudbaseStandIn }) {
    if (config?.standIn) {
      const service = config.standIn;
      this.send = (action, params) => service.send(action, params);
    } else {
      if (!fallback) throw new Error('stand-in: a client without a stand-in service must never reach the network');
      const real = new fallback(config);
      this.send = (action, params, opts) => real.send(action, params, opts);
    }
  }
}

/** The real CloudBase adapter over a fresh stand-in (what action suites run on with SHISHI_TEST_STORE=cloudbase-standin). */
export function openStandInStore(service: CloudbaseStandIn = createCloudbaseStandIn()): Store {
  return openCloudbaseStore(standInDb(service));
}
