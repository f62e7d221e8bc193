/** Optimistic writes (`update` with a read's `_rev`) throw STORE.CONFLICT when someone wrote in between. */
import { ErrorCodes, isAppError } from '../lib/errors';

/** After this many conflicting attempts the error reaches the caller, who is asked to retry. */
export const MAX_ATTEMPTS = 8;

/** The smallest unit of back-off; the unit grows to the time an attempt took. */
export const BACKOFF_MS = 4;

/**
 * A random pause before the next attempt, up to `unit · 2^(attempt-1)`, where the unit is the longest
 * attempt so far. On CloudBase a second transactional writer of a document conflicts at once; retried
 * at once, the losers collide again with the next winner and run out of attempts. Spread over a few
 * transaction lengths, they go through one after another.
 */
const backoff = (attempt: number, unitMs: number) =>
  new Promise((r) => setTimeout(r, Math.random() * Math.max(BACKOFF_MS, unitMs) * 2 ** (attempt - 1)));

/** Runs `fn` again (it must re-read what it writes) while it fails with STORE.CONFLICT. */
export async function withRetry<R>(fn: () => Promise<R>, attempts = MAX_ATTEMPTS): Promise<R> {
  let unit = 0;
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    try {
      return await fn();
    } catch (e) {
      if (attempt < attempts && isAppError(e) && e.code === ErrorCodes.CONFLICT) {
        unit = Math.max(unit, Date.now() - started);
        await backoff(attempt, unit);
        continue;
      }
      throw e;
    }
  }
}
