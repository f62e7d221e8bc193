/**
 * H5: the outbox's photos live in IndexedDB (a blob per photo survives a reload; storage quotas are far
 * larger than localStorage's ~5 MB), and the network coming back is the window's `online` event.
 */
import type { LocalImage } from './transport-types';

const DB = 'shishi-outbox';
const STORE = 'photos';

let opened: Promise<IDBDatabase> | null = null;
const db = (): Promise<IDBDatabase> => {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => {
        opened = null;
        reject(req.error);
      };
    });
  }
  return opened;
};

const run = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> =>
  db().then(
    (d) =>
      new Promise<T>((resolve, reject) => {
        const tx = d.transaction(STORE, mode);
        const req = fn(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      }),
  );

const blobOf = async (image: LocalImage): Promise<Blob> => image.blob ?? (await (await fetch(image.path)).blob());
const urls = new Map<string, string>();

export const photoStore = {
  /** Keeps a picked (already compressed) photo; returns its ref. */
  async keep(image: LocalImage, key: string): Promise<string> {
    const blob = await blobOf(image);
    await run('readwrite', (s) => s.put(blob, key));
    return `idb:${key}`;
  },
  async image(ref: string): Promise<LocalImage> {
    const blob = await run<Blob | undefined>('readonly', (s) => s.get(ref.slice(4)));
    if (!blob) throw Object.assign(new Error('photo gone'), { code: 'FILE.LOCAL_MISSING' });
    return { path: await this.preview(ref, blob), size: blob.size, blob };
  },
  /** A displayable URL of the local copy. */
  async preview(ref: string, known?: Blob): Promise<string> {
    const hit = urls.get(ref);
    if (hit) return hit;
    const blob = known ?? (await run<Blob | undefined>('readonly', (s) => s.get(ref.slice(4))));
    if (!blob) return '';
    const url = URL.createObjectURL(blob);
    urls.set(ref, url);
    return url;
  },
  async drop(ref: string): Promise<void> {
    const url = urls.get(ref);
    if (url) URL.revokeObjectURL(url);
    urls.delete(ref);
    await run('readwrite', (s) => s.delete(ref.slice(4)));
  },
};

export function onNetworkBack(fn: () => void): () => void {
  window.addEventListener('online', fn);
  return () => window.removeEventListener('online', fn);
}
