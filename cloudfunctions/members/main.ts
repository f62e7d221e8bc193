import { makeCloudMain } from '../../src/server/cloud-main';
import { membersArea } from '../../src/features/members/members.actions';
export const main = makeCloudMain(membersArea);
