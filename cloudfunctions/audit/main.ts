import { makeCloudMain } from '../../src/server/cloud-main';
import { auditArea } from '../../src/features/audit/audit.actions';
export const main = makeCloudMain(auditArea);
