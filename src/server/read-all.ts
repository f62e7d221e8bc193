/** The one "read every page" loop: pages of at most 100 (the store's limit) until done or `max` rows. */
import type { Collection, FindOptions, Stored } from './store/store';

export const PAGE = 100;

export interface ReadAll<T> {
  items: Stored<T>[];
  /** True when `max` rows were read and more remain. */
  truncated: boolean;
}

export async function readAll<T>(col: Collection<T>, opts: Omit<FindOptions, 'limit' | 'cursor'>, max = 10_000): Promise<ReadAll<T>> {
  const items: Stored<T>[] = [];
  let cursor: string | null = null;
  do {
    const page = await col.find({ ...opts, limit: Math.min(PAGE, max - items.length), cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return { items, truncated: cursor !== null };
}

/** The pages themselves, for writers that stream (an .xlsx export). `done()` says whether `max` cut it short. */
export function pagesOf<T>(col: Collection<T>, opts: Omit<FindOptions, 'limit' | 'cursor'>, max: number) {
  let cursor: string | null = null;
  let count = 0;
  let started = false;
  async function* pages(): AsyncGenerator<Stored<T>[]> {
    started = true;
    do {
      const page = await col.find({ ...opts, limit: Math.min(PAGE, max - count), cursor });
      count += page.items.length;
      cursor = page.nextCursor;
      yield page.items;
    } while (cursor && count < max);
  }
  return { pages: pages(), count: () => count, truncated: () => started && cursor !== null };
}
