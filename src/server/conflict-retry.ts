/** Optimistic writes (`update` with a read's `_rev`) throw STORE.CONFLICT when someone wrote in between. */
import { ErrorCodes, isAppError } from '../lib/errors';

/** After this many conflicting attempts the error reaches the caller, who is asked to retry. */
export const MAX_ATTEMPTS = 5;

/**
 * Runs `fn` again (it must re-read what it writes) while it fails with STORE.CONFLICT, or with one of
 * `retryOn` (e.g. STORE.DUPLICATE where a race on a deterministic id is settled by reading again).
 */
export async function withRetry<R>(fn: () => Promise<R>, attempts = MAX_ATTEMPTS, retryOn: readonly string[] = [ErrorCodes.CONFLICT]): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt < attempts && isAppError(e) && retryOn.includes(e.code)) continue;
      throw e;
    }
  }
}
