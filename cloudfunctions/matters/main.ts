import { makeCloudMain } from '../../src/server/cloud-main';
import { mattersArea } from '../../src/features/matters/matters.actions';
export const main = makeCloudMain(mattersArea);
