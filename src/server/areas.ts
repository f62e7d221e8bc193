import type { Area } from './action';
import { membersArea } from '../features/members/members.actions';
import { regionsArea } from '../features/regions/regions.actions';
import { suggestionsArea } from '../features/suggestions/suggestions.actions';
import { surveysArea } from '../features/surveys/surveys.actions';
import { canteenArea } from '../features/canteen/canteen.actions';
import { visitsArea } from '../features/visits/visits.actions';
import { auditArea } from '../features/audit/audit.actions';
import { notifyArea } from '../features/notify/notify.actions';
import { mattersArea } from '../features/matters/matters.actions';
import { unitsArea } from '../features/units/units.actions';
import { leadersArea } from '../features/leaders/leaders.actions';

/** Every feature area; each becomes one cloud function and one `/fn/<area>` route. */
export const areas = {
  members: membersArea,
  regions: regionsArea,
  suggestions: suggestionsArea,
  surveys: surveysArea,
  canteen: canteenArea,
  visits: visitsArea,
  audit: auditArea,
  notify: notifyArea,
  matters: mattersArea,
  units: unitsArea,
  leaders: leadersArea,
} satisfies Record<string, Area<any>>;

export type AreaName = keyof typeof areas;
