import { makeCloudMain } from '../../src/server/cloud-main';
import { canteenArea } from '../../src/features/canteen/canteen.actions';
export const main = makeCloudMain(canteenArea);
