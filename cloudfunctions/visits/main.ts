import { makeCloudMain } from '../../src/server/cloud-main';
import { visitsArea } from '../../src/features/visits/visits.actions';
export const main = makeCloudMain(visitsArea);
