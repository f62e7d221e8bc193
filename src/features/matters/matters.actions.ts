/**
 * The ten matters (一社区一年10件实事): the demand list and its proposals by similarity, assessment and
 * committee scores, council meetings, and 四议两公开 from the draft slate to the year's fixed list; then each matter's plan and progress. One file per use case in actions/.
 */
import { defineArea } from '../../server/action';
import { assessmentActions } from './actions/assessment';
import { demandActions } from './actions/demands';
import { meetingActions } from './actions/meetings';
import { planActions } from './actions/plan';
import { procedureActions } from './actions/procedure';
import { progressActions } from './actions/progress';
import { surveySourceActions } from './actions/survey-sources';
import { mattersContract } from './matters.schema';

export { MattersErrors, personKey } from './actions/demands';

export const mattersArea = defineArea('matters', mattersContract, {
  ...demandActions,
  ...assessmentActions,
  ...procedureActions,
  ...meetingActions,
  ...surveySourceActions,
  ...planActions,
  ...progressActions,
});
