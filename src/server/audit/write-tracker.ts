/**
 * Notes which documents an action wrote without the action saying so: the store handed to an
 * audited action records every successful insert, update, increment and remove. Writes inside a
 * transaction count only once it has committed. One wrapper per store (its identity stays stable for
 * per-store caches); the current request's list travels in AsyncLocalStorage.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Collection, CollectionDef, Store, TxCollection, TxStore } from '../store/store';
import type { AuditTarget } from './chain';

const current = new AsyncLocalStorage<AuditTarget[]>();
const wrappers = new WeakMap<Store, Store>();

const note = (collection: string, id: string) => current.getStore()?.push({ collection, id });

function wrapCollection<C extends TxCollection<any>>(inner: C, name: string): C {
  const w: TxCollection<any> = {
    get: (id) => inner.get(id),
    getMany: (ids) => inner.getMany(ids),
    async insert(doc, opts) {
      const r = await inner.insert(doc, opts);
      note(name, r._id);
      return r;
    },
    async update(id, rev, patch) {
      const r = await inner.update(id, rev, patch);
      note(name, id);
      return r;
    },
    async increment(id, deltas) {
      const r = await inner.increment(id, deltas);
      note(name, id);
      return r;
    },
    async remove(id, rev) {
      const existed = await inner.remove(id, rev);
      if (existed) note(name, id);
      return existed;
    },
  };
  const full = inner as unknown as Collection<any>;
  if (typeof full.find === 'function') {
    (w as Collection<any>).find = (opts) => full.find(opts);
    (w as Collection<any>).count = (where) => full.count(where);
  }
  return w as C;
}

function wrapTx(tx: TxStore): TxStore {
  return { collection: <T>(def: CollectionDef<T>) => wrapCollection(tx.collection(def), def.name) };
}

/** The recording view of `inner` (the same object for the same store). */
export function trackingStore(inner: Store): Store {
  const hit = wrappers.get(inner);
  if (hit) return hit;
  const handles = new Map<CollectionDef<unknown>, Collection<unknown>>();
  const store: Store = {
    collection<T>(def: CollectionDef<T>): Collection<T> {
      let c = handles.get(def as CollectionDef<unknown>);
      if (!c) handles.set(def as CollectionDef<unknown>, (c = wrapCollection(inner.collection(def as CollectionDef<unknown>), def.name)));
      return c as Collection<T>;
    },
    async transaction(fn) {
      const sink = current.getStore();
      if (!sink) return inner.transaction(fn);
      // A transaction that aborts (and is retried) wrote nothing.
      const pending: AuditTarget[] = [];
      const result = await inner.transaction((tx) => current.run(pending, () => fn(wrapTx(tx))));
      sink.push(...pending);
      return result;
    },
    close: () => inner.close(),
  };
  wrappers.set(inner, store);
  return store;
}

/** Runs `fn` with `sink` collecting what the tracking store writes on its behalf. */
export const collectWrites = <R>(sink: AuditTarget[], fn: () => Promise<R>): Promise<R> => current.run(sink, fn);
