import { makeCloudMain } from '../../src/server/cloud-main';
import { regionsArea } from '../../src/features/regions/regions.actions';
export const main = makeCloudMain(regionsArea);
