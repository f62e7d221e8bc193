/**
 * Questionnaires (调查问卷): a community admin builds and publishes; residents answer once (per
 * person or household); staff enter paper answers (代录); results come from tallies kept in the same
 * transaction as each answer, so opening them costs the same at 50 or 100,000 answers.
 * One file per use case in actions/.
 */
import { defineArea } from '../../server/action';
import { answerActions } from './actions/answer';
import { buildActions } from './actions/build';
import { publishActions } from './actions/publish';
import { resultActions } from './actions/results';
import { toSuggestionActions } from './actions/to-suggestion';
import { transferActions } from './actions/transfer';
import { surveysContract } from './surveys.schema';

export { SurveyErrors } from './actions/shared';
export { SURVEY_EXPORT_MAX } from './actions/transfer';

export const surveysArea = defineArea('surveys', surveysContract, {
  ...buildActions,
  ...publishActions,
  ...answerActions,
  ...resultActions,
  ...transferActions,
  ...toSuggestionActions,
});
