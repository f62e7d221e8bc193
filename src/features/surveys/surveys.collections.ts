import { defineCollection } from '../../server/store/store';
import type { AnswerRecord, Survey, TallyRecord, TextRecord } from './surveys.schema';

/**
 * - surveys: a community's list (admin: newest first; residents: published ones)
 * - surveyAnswers: `_id` = `ans:<surveyId>:<who>` (one per person or household); export pages by survey, oldest first
 * - surveyTexts: text and “other” answers per question, newest first; `text` declared for `contains` search only
 *   (no CloudBase index on it: 1,000 characters can exceed an index key)
 * - surveyTallies: read by id only (`tally:<surveyId>:<shard>[:x:<dimension>]`)
 */
export const surveys = defineCollection<Survey>({
  name: 'surveys',
  indexes: [['communityId', 'createdAt'], ['communityId', 'status', 'openAt']],
});
export const surveyAnswers = defineCollection<AnswerRecord>({ name: 'surveyAnswers', indexes: [['surveyId', 'createdAt']] });
export const surveyTexts = defineCollection<TextRecord>({ name: 'surveyTexts', indexes: [['surveyId', 'questionId', 'createdAt'], 'text'] });
export const surveyTallies = defineCollection<TallyRecord>({ name: 'surveyTallies', indexes: [] });
