/**
 * The suggestion box's door for other areas: a visit's requests and a questionnaire's results become
 * suggestions through here (never by writing the suggestions collection). Ids are deterministic, so a
 * retried source files nothing twice.
 */
import { AppError, ErrorCodes, isAppError } from '../../lib/errors';
import type { ActionContext } from '../../server/action';
import type { Store, Stored, TxStore } from '../../server/store/store';
import { suggestions } from './suggestions.collections';
import { newSuggestionRecord, type NewSuggestion } from './suggestions.record';
import { excerpt, staffLabel, statusEntry, suggestionId, transitionError } from './suggestions.rules';
import type { Category, Suggestion } from './suggestions.schema';
import { tellAuthor } from './suggestions.tell';
import { shanghaiDateTime } from '../../server/xlsx';

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

/** What the demand list needs of a suggestion: where, what, whose (as an id, never a name). */
export interface SuggestionBrief {
  id: string;
  communityId: string;
  districtId: string;
  cityId: string;
  category: Category;
  text: string;
  status: Suggestion['status'];
  authorId: string;
  createdAt: string;
  demandId: string | null;
}

const brief = (s: Stored<Suggestion>): SuggestionBrief => ({
  id: s._id,
  communityId: s.communityId,
  districtId: s.districtId,
  cityId: s.cityId,
  category: s.category,
  text: s.text,
  status: s.status,
  authorId: s.authorId,
  createdAt: s.createdAt,
  demandId: s.demandId ?? null,
});

export async function suggestionBrief(store: Store | TxStore, id: string): Promise<SuggestionBrief | null> {
  const s = await store.collection(suggestions).get(id);
  return s ? brief(s) : null;
}

/**
 * Inside the caller's transaction: the suggestion is adopted into a demand (its status, timeline and link).
 * Refused with SUGGESTION.BAD_TRANSITION when its status does not allow it (closed, duplicate, adopted).
 */
export async function adoptIntoDemandInTx(tx: TxStore, id: string, a: { demandId: string; reason: string; at: string; communityName: string }): Promise<Stored<Suggestion>> {
  const col = tx.collection(suggestions);
  const s = await col.get(id);
  if (!s) throw new AppError('SUGGESTION.NOT_FOUND', '这条建议不存在或已被删除');
  const refusal = transitionError(s.status, 'adopted');
  if (refusal) throw new AppError('SUGGESTION.BAD_TRANSITION', refusal);
  return col.update(id, s._rev, {
    status: 'adopted',
    demandId: a.demandId,
    timeline: [...s.timeline, statusEntry(a.at, 'adopted', a.reason, staffLabel(a.communityName))],
    updatedAt: a.at,
  });
}

/** After the adoption's transaction: its author is told (with their consent). */
export const tellAuthorOfAdoption = (ctx: Pick<ActionContext, 'notify'>, s: Stored<Suggestion>, reason: string): Promise<void> => tellAuthor(ctx, s, reason);

/**
 * Tells the authors of these suggestions (box suggestions whose authors accepted a message) how the demand
 * list moved on: `status` is a short phrase (WeChat's phrase keyword: ≤ 5 characters), `text` the detail.
 */
export async function tellAuthorsOfProgress(ctx: Pick<ActionContext, 'notify' | 'store' | 'now'>, ids: string[], status: string, textFor: (id: string) => string): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    for (const s of await ctx.store.collection(suggestions).getMany(ids.slice(i, i + 100))) {
      if (s.source !== 'box' || !s.authorOpenid) continue;
      await ctx.notify.send({
        openid: s.authorOpenid,
        template: 'suggestion_reply',
        page: `pages/suggestion/index?id=${s._id}`,
        data: { title: excerpt(s.text, 20), status, reply: textFor(s._id), time: shanghaiDateTime(ctx.now().toISOString()) },
      });
    }
  }
}
