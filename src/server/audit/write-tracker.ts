/**
 * Notes which documents an action wrote without the action saying so: the store handed to an
 * audited action records every successful insert, update, increment and remove into that request's
 * list. Writes inside a transaction count only once it has committed. A view per request (no
 * AsyncLocalStorage: its promise hooks cost every request ~20% CPU); caches that live as long as the
 * store find the store behind it through `baseStore`.
 */
import { BASE_STORE, type Collection, type CollectionDef, type Store, type TxCollection, type TxStore } from '../store/store';
import type { AuditTarget } from './chain';

function wrapCollection<C extends TxCollection<any>>(inner: C, name: string, sink: AuditTarget[]): C {
  const note = (id: string) => sink.push({ collection: name, id });
  const w: TxCollection<any> = {
    get: (id) => inner.get(id),
    getMany: (ids) => inner.getMany(ids),
    async insert(doc, opts) {
      const r = await inner.insert(doc, opts);
      note(r._id);
      return r;
    },
    async update(id, rev, patch) {
      const r = await inner.update(id, rev, patch);
      note(id);
      return r;
    },
    async increment(id, deltas) {
      const r = await inner.increment(id, deltas);
      note(id);
      return r;
    },
    async remove(id, rev) {
      const existed = await inner.remove(id, rev);
      if (existed) note(id);
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

/** The recording view of `inner` for one request: what it writes lands in `sink`. */
export function trackingStore(inner: Store, sink: AuditTarget[]): Store {
  const handles = new Map<CollectionDef<unknown>, Collection<unknown>>();
  return {
    [BASE_STORE]: inner,
    collection<T>(def: CollectionDef<T>): Collection<T> {
      let c = handles.get(def as CollectionDef<unknown>);
      if (!c) handles.set(def as CollectionDef<unknown>, (c = wrapCollection(inner.collection(def as CollectionDef<unknown>), def.name, sink)));
      return c as Collection<T>;
    },
    async transaction(fn) {
      // A transaction that aborts (and is retried) wrote nothing.
      const pending: AuditTarget[] = [];
      const result = await inner.transaction((tx: TxStore) => fn({ collection: <T>(def: CollectionDef<T>) => wrapCollection(tx.collection(def), def.name, pending) }));
      sink.push(...pending);
      return result;
    },
    close: () => inner.close(),
  } as Store;
}
