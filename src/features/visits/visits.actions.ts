/**
 * Household visits (入户走访): a community admin keeps the grids, the household ledger and the visit
 * rules; grid workers see only their grids' households and record visits (idempotently, from an offline
 * outbox); residents' requests become suggestions with source 'visit'. Residents never see any of it.
 * One file per use case in actions/.
 */
import { defineArea } from '../../server/action';
import { coverageActions } from './actions/coverage';
import { gridActions } from './actions/grids';
import { householdActions } from './actions/households';
import { ledgerActions } from './actions/ledger';
import { recordActions } from './actions/record';
import { workerDayActions } from './actions/worker-day';
import { visitsContract } from './visits.schema';

export { VisitErrors } from './actions/shared';

export const visitsArea = defineArea('visits', visitsContract, {
  ...gridActions,
  ...householdActions,
  ...ledgerActions,
  ...recordActions,
  ...workerDayActions,
  ...coverageActions,
});
