/**
 * The ten matters (一社区一年10件实事): the demand list and its proposals by similarity, assessment and
 * committee scores, council meetings, 四议两公开 from the draft slate to the year's fixed list; each matter's plan and
 * progress; and how a matter ends: completion, 验收, the public result, ratings and 回访. One file per use case in actions/.
 */
import { type ActionContext, defineArea } from '../../server/action';
import { acceptanceActions } from './actions/acceptance';
import { assessmentActions } from './actions/assessment';
import { committeeAccessActions } from './actions/committee-access';
import { demandActions } from './actions/demands';
import { followUpActions } from './actions/followup';
import { meetingActions } from './actions/meetings';
import { printActions } from './actions/print';
import { resultSheetActions } from './actions/result-sheet';
import { planActions } from './actions/plan';
import { procedureActions } from './actions/procedure';
import { progressActions, runDueReminders } from './actions/progress';
import { settingsActions } from './actions/settings';
import { ratingActions } from './actions/ratings';
import { surveySourceActions } from './actions/survey-sources';
import { mattersContract } from './matters.schema';
import { DEFAULT_REMINDER_DAYS } from './plan.rules';

export { MattersErrors, personKey } from './actions/demands';

const area = defineArea('matters', mattersContract, {
  ...demandActions,
  ...assessmentActions,
  ...procedureActions,
  ...meetingActions,
  ...surveySourceActions,
  ...settingsActions,
  ...committeeAccessActions,
  ...printActions,
  ...acceptanceActions,
  ...resultSheetActions,
  ...ratingActions,
  ...followUpActions,
  ...planActions,
  ...progressActions,
});

/** The daily timer (cloudbaserc.json): owners reminded before due days, matters started on their first milestone's day. */
export const mattersArea = { ...area, timers: { dueReminders: (ctx: ActionContext) => runDueReminders(ctx, null, DEFAULT_REMINDER_DAYS) } };
