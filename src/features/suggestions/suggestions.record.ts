/**
 * The one way to build a new suggestion record, whatever its source: the box (submit), a household
 * visit's residents' requests, a questionnaire's open answers. Pure: the caller resolves the region
 * ancestry and chooses the id (deterministic, so a retried source never files a suggestion twice).
 */
import { receivedEntry } from './suggestions.rules';
import type { Category, Source, Suggestion, SuggestionOrigin } from './suggestions.schema';

export interface NewSuggestion {
  communityId: string;
  districtId: string;
  cityId: string;
  /** Who the suggestion is from: a member, or for visits the household (`household:<id>`). */
  author: { id: string; openid: string; name: string; phone: string | null; address: string | null };
  showName: boolean;
  source: Source;
  category: Category;
  text: string;
  place?: string | null;
  photos?: string[];
  /** The record it came from (visit, survey response), shown to admins with the suggestion. */
  origin?: SuggestionOrigin | null;
  /** ISO instant. */
  now: string;
}

export function newSuggestionRecord(s: NewSuggestion): Omit<Suggestion, '_id'> {
  return {
    communityId: s.communityId,
    districtId: s.districtId,
    cityId: s.cityId,
    authorId: s.author.id,
    authorOpenid: s.author.openid,
    authorName: s.author.name,
    authorPhone: s.author.phone,
    authorAddress: s.author.address,
    showName: s.showName,
    source: s.source,
    category: s.category,
    text: s.text,
    place: s.place || null,
    photos: s.photos ?? [],
    status: 'received',
    duplicateOf: null,
    timeline: [receivedEntry(s.now)],
    createdAt: s.now,
    updatedAt: s.now,
    firstReplyAt: null,
    firstReplyMinutes: null,
    ...(s.origin ? { origin: s.origin } : {}),
  };
}
