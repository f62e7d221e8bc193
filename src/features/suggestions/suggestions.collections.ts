import { defineCollection } from '../../server/store/store';
import type { Suggestion } from './suggestions.schema';

/**
 * Indexes follow the queries: equality fields first, then the sort/range field.
 * - mine: authorId, newest first
 * - inbox / export: communityId [+ status | + category], createdAt range, newest first
 * - `text` is declared only so the inbox may search it (`contains`, on one community's rows). It needs
 *   no index of its own: do not create one in CloudBase (500 characters can exceed an index key).
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
