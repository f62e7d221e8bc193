import { makeCloudMain } from '../../src/server/cloud-main';
import { notifyArea } from '../../src/features/notify/notify.actions';
export const main = makeCloudMain(notifyArea);
