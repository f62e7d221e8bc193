import { defineCollection } from '../../server/store/store';
import type { AlertDone, GridMonth, Household, Visit, VisitRules, WorkerMonth } from './visits.schema';

/**
 * Indexes follow the queries:
 * - households: a grid's ledger by address; due lists by nextDueAt; coverage counts
 *   (gridId + nextDueAt range, filtered on lastVisitMonth); a community's ledger for export
 * - visits: a household's history; a worker's week; the admin feed by community [+ grid | worker | kind]
 */
export const households = defineCollection<Household>({
  name: 'households',
  indexes: [
    ['gridId', 'addressKey'],
    ['gridId', 'nextDueAt'],
    ['communityId', 'addressKey'],
    ['gridId', 'lastVisitMonth'],
  ],
});

export const visits = defineCollection<Visit>({
  name: 'visits',
  indexes: [
    ['householdId', 'visitedAt'],
    ['workerId', 'visitedAt'],
    ['communityId', 'visitedAt'],
    ['communityId', 'gridId', 'visitedAt'],
    ['communityId', 'workerId', 'visitedAt'],
    ['communityId', 'kind', 'visitedAt'],
  ],
});

export const visitRules = defineCollection<VisitRules>({ name: 'visit_rules', indexes: [] });
export const gridMonths = defineCollection<GridMonth>({ name: 'visit_grid_months', indexes: [] });
export const workerMonths = defineCollection<WorkerMonth>({ name: 'visit_worker_months', indexes: [] });
/** Empty documents whose deterministic ids say “already counted”. */
export const visitMarks = defineCollection<{ at: string }>({ name: 'visit_marks', indexes: [] });

/** Care alerts cleared by a grid worker or the admin: `_id` = the care alert's id. */
export const alertsDone = defineCollection<AlertDone>({ name: 'visit_alerts_done', indexes: [] });
