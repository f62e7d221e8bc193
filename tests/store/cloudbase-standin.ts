/**
 * An in-memory stand-in for the CloudBase database service, plugged in below the real
 * @cloudbase/database client (its request class), so the adapter's real queries — serialised by the
 * SDK exactly as in production — run without credentials or network.
 * It implements the Mongo subset our adapter emits: $and/$or, equality (null matches missing),
 * $in/$ne/$gt/$gte/$lt/$lte with type bracketing, regular expressions, $set/$unset/$inc on dotted paths,
 * sort/limit, duplicate `_id` errors, findOneAndUpdate returning the new document, and transactions
 * (one at a time, rolled back by snapshot). It is a model of the service, not the service: the real
 * suite still runs against CloudBase when credentials are present.
 */
import { EJSON } from 'bson';

type Doc = Record<string, unknown>;
type Coll = Map<string, Doc>;

const clone = <T>(v: T): T => structuredClone(v);

function getPath(doc: unknown, path: string): unknown {
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

function matches(doc: Doc, query: Doc): boolean {
  return Object.entries(query).every(([key, cond]) => {
    if (key === '$and') return (cond as Doc[]).every((q) => matches(doc, q));
    if (key === '$or') return (cond as Doc[]).some((q) => matches(doc, q));
    if (key === '$nor') return !(cond as Doc[]).some((q) => matches(doc, q));
    const value = getPath(doc, key);
    const isOps = cond !== null && typeof cond === 'object' && !isRegExp(cond) && Object.keys(cond).some((k) => k.startsWith('$'));
    return isOps ? matchOps(value, cond as Doc) : equals(value, cond);
  });
}

function applyUpdate(doc: Doc, update: Doc): void {
  for (const [op, fields] of Object.entries(update)) {
    for (const [path, v] of Object.entries(fields as Doc)) {
      if (op === '$set') setPath(doc, path, clone(v));
      else if (op === '$unset') unsetPath(doc, path);
      else if (op === '$inc') setPath(doc, path, ((getPath(doc, path) as number | undefined) ?? 0) + (v as number));
      else throw new Error(`stand-in: unsupported update ${op}`);
    }
  }
}

const parse = (s: unknown): Doc => (typeof s === 'string' ? (EJSON.parse(s) as Doc) : ((s as Doc) ?? {}));
const out = (d: Doc) => EJSON.stringify(d, { relaxed: false });

export function createCloudbaseStandIn() {
  let data = new Map<string, Coll>();
  let snapshot: Map<string, Coll> | null = null;
  let txSeq = 0;
  let txLock: Promise<void> = Promise.resolve();
  let releaseTx: (() => void) | null = null;
  const coll = (name: string): Coll => {
    let c = data.get(name);
    if (!c) data.set(name, (c = new Map()));
    return c;
  };
  const select = (name: string, query: Doc, order?: Doc, limit?: number): Doc[] => {
    let docs = [...coll(name).values()].filter((d) => matches(d, query));
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
    if (limit !== undefined) docs = docs.slice(0, limit);
    return docs;
  };

  async function handle(action: string, p: Doc = {}): Promise<unknown> {
    await new Promise((r) => setImmediate(r)); // a network hop: lets concurrent calls interleave
    const name = p.collectionName as string;
    switch (action) {
      case 'database.insertDocument': {
        const ids: string[] = [];
        for (const raw of p.data as string[]) {
          const doc = parse(raw);
          const id = (doc._id as string) ?? `auto${Math.random().toString(36).slice(2)}`;
          if (coll(name).has(id)) return { code: 'DATABASE_DUPLICATE_WRITE', message: 'E11000 duplicate key error' };
          coll(name).set(id, { ...clone(doc), _id: id });
          ids.push(id);
        }
        return { data: { insertedIds: ids }, requestId: 'r' };
      }
      case 'database.getDocument': {
        const order = p.order ? parse(p.order) : undefined;
        const docs = select(name, parse(p.query), order, (p.limit as number | undefined) ?? 100);
        return { data: { list: docs.map(out) }, requestId: 'r' };
      }
      case 'database.calculateDocument':
        return { data: { total: select(name, parse(p.query)).length }, requestId: 'r' };
      case 'database.modifyAndReturnDoc': {
        const [doc] = select(name, parse(p.query), undefined, 1);
        if (!doc) return { data: { updated: 0, doc: null }, requestId: 'r' };
        applyUpdate(doc, parse(p.data));
        return { data: { updated: 1, doc: out(doc) }, requestId: 'r' };
      }
      case 'database.removeDocument': {
        const docs = select(name, parse(p.query), undefined, p.multi ? undefined : 1);
        for (const d of docs) coll(name).delete(d._id as string);
        return { data: { deleted: docs.length }, requestId: 'r' };
      }
      case 'database.startTransaction': {
        const prev = txLock;
        txLock = new Promise((r) => (releaseTx = r));
        await prev;
        snapshot = clone(data);
        return { transactionId: `tx${++txSeq}`, requestId: 'r' };
      }
      case 'database.commitTransaction':
      case 'database.abortTransaction': {
        if (action === 'database.abortTransaction' && snapshot) data = snapshot;
        snapshot = null;
        releaseTx?.();
        return { requestId: 'r' };
      }
      default:
        throw new Error(`stand-in: unsupported action ${action}`);
    }
  }

  /** Plays the SDK's request class: `new Db.reqClass(config).send(action, params)`. */
  class StandInRequest {
    constructor(_config: unknown) {}
    send(action: string, params: Doc): Promise<unknown> {
      return handle(action, params);
    }
  }

  return {
    StandInRequest,
    /** Drops every collection (the suite's reset). */
    clear: () => {
      data = new Map();
    },
  };
}
