/**
 * The typed client: `api.suggestions.submit(input)` → Promise<output>. Types come from the feature
 * contracts by `import type`, so neither zod schemas nor server code reach the bundle through here.
 */
import type { AreaContract, InputOf, OutputOf } from '../lib/contract';
import type { membersContract } from '../features/members/members.schema';
import type { regionsContract } from '../features/regions/regions.schema';
import type { suggestionsContract } from '../features/suggestions/suggestions.schema';
import type { canteenContract } from '../features/canteen/canteen.schema';
import type { surveysContract } from '../features/surveys/surveys.schema';
import type { visitsContract } from '../features/visits/visits.schema';
import type { auditContract } from '../features/audit/audit.schema';
import type { notifyContract } from '../features/notify/notify.schema';
import type { mattersContract } from '../features/matters/matters.schema';
import type { unitsContract } from '../features/units/units.schema';
import type { leadersContract } from '../features/leaders/leaders.schema';
import { transport } from './transport';

export type AreaClient<C extends AreaContract> = {
  [K in keyof C]: (input: InputOf<C[K]>) => Promise<OutputOf<C[K]>>;
};

const area = <C extends AreaContract>(name: string): AreaClient<C> =>
  new Proxy({} as AreaClient<C>, {
    get: (_target, action) =>
      typeof action === 'string' ? (input: unknown) => transport.call(name, action, input ?? {}) : undefined,
  });

export const api = {
  members: area<typeof membersContract>('members'),
  regions: area<typeof regionsContract>('regions'),
  suggestions: area<typeof suggestionsContract>('suggestions'),
  canteen: area<typeof canteenContract>('canteen'),
  surveys: area<typeof surveysContract>('surveys'),
  visits: area<typeof visitsContract>('visits'),
  audit: area<typeof auditContract>('audit'),
  notify: area<typeof notifyContract>('notify'),
  matters: area<typeof mattersContract>('matters'),
  units: area<typeof unitsContract>('units'),
  leaders: area<typeof leadersContract>('leaders'),
};

export { ApiError } from './api-error';
