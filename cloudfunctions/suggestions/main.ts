import { makeCloudMain } from '../../src/server/cloud-main';
import { suggestionsArea } from '../../src/features/suggestions/suggestions.actions';
export const main = makeCloudMain(suggestionsArea);
