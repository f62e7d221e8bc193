/**
 * The elderly canteen (孝义食堂): canteens and prices, elders and their applications, meal cards,
 * check-in at the counter, reports, anomalies and care alerts. One file per use case in actions/.
 */
import { defineArea } from '../../server/action';
import { anomalyActions } from './actions/anomalies';
import { canteenActions } from './actions/canteens';
import { cardActions } from './actions/cards';
import { checkInActions } from './actions/check-in';
import { elderActions } from './actions/elders';
import { reportActions } from './actions/reports';
import { canteenContract } from './canteen.schema';

export { CanteenErrors } from './actions/shared';
export { MAX_FAILURES } from './actions/check-in';

export const canteenArea = defineArea('canteen', canteenContract, {
  ...canteenActions,
  ...elderActions,
  ...cardActions,
  ...checkInActions,
  ...reportActions,
  ...anomalyActions,
});
