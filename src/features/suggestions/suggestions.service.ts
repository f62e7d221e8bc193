/**
 * The suggestion box's door for other areas: a visit's requests and a questionnaire's results become
 * suggestions through here (never by writing the suggestions collection). Ids are deterministic, so a
 * retried source files nothing twice.
 */
import { ErrorCodes, isAppError } from '../../lib/errors';
import type { Store, TxStore } from '../../server/store/store';
import { suggestions } from './suggestions.collections';
import { newSuggestionRecord, type NewSuggestion } from './suggestions.record';
import { suggestionId } from './suggestions.rules';

export type { NewSuggestion };

/** The id a source's suggestion gets: its author (or source record) and a key unique within it. */
export const suggestionIdFor = (authorId: string, key: string): string => suggestionId(authorId, key);

/** Inside the caller's transaction: files the suggestion unless that id exists; true when it was filed. */
export async function fileSuggestionInTx(tx: TxStore, id: string, s: NewSuggestion): Promise<boolean> {
  if (await tx.collection(suggestions).get(id)) return false;
  await tx.collection(suggestions).insert(newSuggestionRecord(s), { id });
  return true;
}

/** Outside a transaction: files the suggestion once; false when that id was already filed. */
export async function fileSuggestion(store: Store, id: string, s: NewSuggestion): Promise<boolean> {
  if (await store.collection(suggestions).get(id)) return false;
  try {
    await store.collection(suggestions).insert(newSuggestionRecord(s), { id });
    return true;
  } catch (e) {
    if (isAppError(e) && e.code === ErrorCodes.DUPLICATE) return false;
    throw e;
  }
}
