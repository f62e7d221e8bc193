/**
 * The one retry helper. Optimistic writes (`update` with a read's `_rev`) throw STORE.CONFLICT when someone
 * wrote in between; a transaction that reads an id before inserting it throws STORE.DUPLICATE when a
 * concurrent one inserted it first (on CloudBase both abort the transaction). Running it again settles it.
 */
import { ErrorCodes, isAppError } from '../lib/errors';

/** After this many conflicting attempts the error reaches the caller, who is asked to retry. */
export const MAX_ATTEMPTS = 8;

/** The smallest unit of back-off; the unit grows to the longest attempt so far. */
export const BACKOFF_MS = 4;

export interface RetryOptions {
  attempts?: number;
  /**
   * Also retry STORE.DUPLICATE. Only for work that reads every id it inserts first (and then does not
   * insert it), so the next attempt sees the winner instead of looping.
   */
  duplicates?: boolean;
}

/**
 * A random pause before the next attempt, up to `unit · 2^(attempt-1)`. On CloudBase a second
 * transactional writer of a document conflicts at once; retried at once, the losers collide again with
 * the next winner and run out of attempts. Spread over a few attempt lengths, they go through in turn.
 */
const backoff = (attempt: number, unitMs: number) =>
  new Promise((r) => setTimeout(r, Math.random() * Math.max(BACKOFF_MS, unitMs) * 2 ** (attempt - 1)));

/** Runs `fn` again (it must re-read what it writes) while it fails with STORE.CONFLICT (or DUPLICATE, if asked). */
export async function withRetry<R>(fn: () => Promise<R>, opts: RetryOptions = {}): Promise<R> {
  const attempts = opts.attempts ?? MAX_ATTEMPTS;
  let unit = 0;
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    try {
      return await fn();
    } catch (e) {
      const raced = isAppError(e) && (e.code === ErrorCodes.CONFLICT || (opts.duplicates === true && e.code === ErrorCodes.DUPLICATE));
      if (attempt < attempts && raced) {
        unit = Math.max(unit, Date.now() - started);
        await backoff(attempt, unit);
        continue;
      }
      throw e;
    }
  }
}
