/**
 * The ten matters (一社区一年10件实事): the demand list and its proposals by similarity, assessment and
 * committee scores, council meetings, 四议两公开 from the draft slate to the year's fixed list, and how a matter
 * ends: completion, 验收, the public result, ratings and 回访. One file per use case in actions/.
 */
import { defineArea } from '../../server/action';
import { acceptanceActions } from './actions/acceptance';
import { assessmentActions } from './actions/assessment';
import { committeeAccessActions } from './actions/committee-access';
import { demandActions } from './actions/demands';
import { followUpActions } from './actions/followup';
import { meetingActions } from './actions/meetings';
import { printActions } from './actions/print';
import { procedureActions } from './actions/procedure';
import { settingsActions } from './actions/settings';
import { ratingActions } from './actions/ratings';
import { surveySourceActions } from './actions/survey-sources';
import { mattersContract } from './matters.schema';

export { MattersErrors, personKey } from './actions/demands';

export const mattersArea = defineArea('matters', mattersContract, {
  ...demandActions,
  ...assessmentActions,
  ...procedureActions,
  ...meetingActions,
  ...surveySourceActions,
  ...settingsActions,
  ...committeeAccessActions,
  ...printActions,
  ...acceptanceActions,
  ...ratingActions,
  ...followUpActions,
});
