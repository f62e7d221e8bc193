import { defineCollection } from '../../server/store/store';
import type { Suggestion } from './suggestions.schema';

/**
 * Indexes follow the queries: equality fields first, then the sort/range field.
 * - mine: authorId, newest first
 * - inbox / export: communityId [+ status | + category], createdAt range, newest first; `text` for the
 *   substring search, which runs on one community's already-narrowed rows
 * - stats: counts per communityId, and firstReplyMinutes ranges for the median
 */
export const suggestions = defineCollection<Suggestion>({
  name: 'suggestions',
  indexes: [
    ['authorId', 'createdAt'],
    ['communityId', 'createdAt'],
    ['communityId', 'status', 'createdAt'],
    ['communityId', 'category', 'createdAt'],
    ['communityId', 'firstReplyMinutes'],
    'text',
  ],
});
