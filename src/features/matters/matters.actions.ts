/**
 * The ten matters (一社区一年10件实事): the demand list and its proposals by similarity, assessment and
 * committee scores, council meetings, and 四议两公开 from the draft slate to the year's fixed list. One file per use case in actions/.
 */
import { defineArea } from '../../server/action';
import { assessmentActions } from './actions/assessment';
import { committeeAccessActions } from './actions/committee-access';
import { demandActions } from './actions/demands';
import { meetingActions } from './actions/meetings';
import { procedureActions } from './actions/procedure';
import { settingsActions } from './actions/settings';
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
});
