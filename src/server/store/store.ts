/**
 * The store port: collections of JSON documents with `_id` and `_rev`.
 * Adapters: sqlite.ts (local host, tests, CI) and cloudbase.ts (production).
 * Both must pass tests/store/contract.test.ts.
 */

export type Scalar = string | number | boolean | null;

/** A stored document: the caller's fields plus `_id` and `_rev` (1 on insert, +1 on each write). */
export type Stored<T> = T & { _id: string; _rev: number };

/** Strip store-managed fields, for inserts and patches. */
export type Fields<T> = Omit<T, '_id' | '_rev'>;

export interface Range {
  gt?: Scalar;
  gte?: Scalar;
  lt?: Scalar;
  lte?: Scalar;
}

/**
 * Conditions on declared (indexed) fields, all AND-ed:
 * a scalar means equality; `{ in: [...] }` membership; a Range; `{ contains: 'text' }` substring
 * search (case-insensitive) for small, already-narrowed sets such as one community's inbox.
 */
export type Condition = Scalar | { in: Scalar[] } | Range | { contains: string };
export type Where = Record<string, Condition>;

export interface FindOptions {
  where?: Where;
  /** Sort field (must be declared) and direction; ties broken by `_id` in the same direction. Default `_id` asc. */
  orderBy?: { field: string; direction: 'asc' | 'desc' };
  /** 1..100; default 20. */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
}

export interface Page<T> {
  items: Stored<T>[];
  /** null when there are no more items. */
  nextCursor: string | null;
}

export const MAX_PAGE = 100;

export interface CollectionSpec {
  name: string;
  /**
   * Indexes: a field, or a compound list of fields (equality fields first, then the sort/range field),
   * e.g. ['openid', ['communityId', 'createdAt']]. Only fields named here may appear in `where` and
   * `orderBy`; dotted paths allowed. `_id` is always indexed.
   */
  indexes: (string | string[])[];
}

/** Declares a collection once, with the document type it holds. */
export interface CollectionDef<T> extends CollectionSpec {
  /** Phantom: carries T for inference only. */
  readonly __type?: T;
}

export const defineCollection = <T>(spec: CollectionSpec): CollectionDef<T> => spec;

export interface Collection<T> {
  /** Inserts; with `id`, fails with STORE.DUPLICATE if it exists (how uniqueness is expressed). */
  insert(doc: Fields<T>, opts?: { id?: string }): Promise<Stored<T>>;
  get(id: string): Promise<Stored<T> | null>;
  getMany(ids: string[]): Promise<Stored<T>[]>;
  find(opts?: FindOptions): Promise<Page<T>>;
  count(where?: Where): Promise<number>;
  /** Shallow-merges `patch` if `_rev` still equals `expectedRev`; otherwise STORE.CONFLICT. NOT_FOUND if gone. */
  update(id: string, expectedRev: number, patch: Partial<Fields<T>>): Promise<Stored<T>>;
  /** Atomically adds to numeric (possibly dotted) fields, creating them at 0; bumps `_rev`. NOT_FOUND if gone. */
  increment(id: string, deltas: Record<string, number>): Promise<Stored<T>>;
  /** Removes; with `expectedRev`, only if unchanged (STORE.CONFLICT otherwise). Returns whether it existed. */
  remove(id: string, expectedRev?: number): Promise<boolean>;
}

/**
 * What CloudBase allows inside a transaction: single-document operations by id, nothing else.
 * No find, count or where — on either adapter (SQLite refuses them at run time too), so a query that
 * would fail only in production fails in the tests here. Queries that decide a write run before the
 * transaction; uniqueness is carried by deterministic ids.
 */
export interface TxCollection<T> {
  get(id: string): Promise<Stored<T> | null>;
  /** One `get` per id (CloudBase has no multi-document read in a transaction). */
  getMany(ids: string[]): Promise<Stored<T>[]>;
  /** With `id`: STORE.DUPLICATE if it exists, which aborts the whole transaction (as on CloudBase). */
  insert(doc: Fields<T>, opts?: { id?: string }): Promise<Stored<T>>;
  /** Shallow-merges `patch` if `_rev` equals `expectedRev` in the transaction's snapshot; STORE.CONFLICT aborts. */
  update(id: string, expectedRev: number, patch: Partial<Fields<T>>): Promise<Stored<T>>;
  increment(id: string, deltas: Record<string, number>): Promise<Stored<T>>;
  remove(id: string, expectedRev?: number): Promise<boolean>;
}

/** The store handed to a transaction's callback. */
export interface TxStore {
  collection<T>(def: CollectionDef<T>): TxCollection<T>;
}

export interface Store {
  collection<T>(def: CollectionDef<T>): Collection<T>;
  /**
   * Runs `fn` atomically with CloudBase's rules on both adapters: single-document operations by id
   * only (see TxCollection). STORE.DUPLICATE or STORE.CONFLICT inside aborts the whole transaction and
   * rejects with that error even if `fn` caught it. Transactions do not nest. Inside, use only `tx`.
   */
  transaction<R>(fn: (tx: TxStore) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/** Set on a per-request view of a store (the audit's write tracker) to the store it views. */
export const BASE_STORE: unique symbol = Symbol('baseStore');

/** The store behind a per-request view, for caches that live as long as the store (region paths). */
export const baseStore = (store: Store | TxStore): object => (store as { [BASE_STORE]?: Store })[BASE_STORE] ?? store;
