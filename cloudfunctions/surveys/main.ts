import { makeCloudMain } from '../../src/server/cloud-main';
import { surveysArea } from '../../src/features/surveys/surveys.actions';
export const main = makeCloudMain(surveysArea);
