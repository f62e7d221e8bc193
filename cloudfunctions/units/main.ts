import { makeCloudMain } from '../../src/server/cloud-main';
import { unitsArea } from '../../src/features/units/units.actions';
export const main = makeCloudMain(unitsArea);
