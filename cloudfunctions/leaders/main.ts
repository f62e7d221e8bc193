import { makeCloudMain } from '../../src/server/cloud-main';
import { leadersArea } from '../../src/features/leaders/leaders.actions';
export const main = makeCloudMain(leadersArea);
