import type { Area, Logger } from './action';
import { makeCloudMainWith, type CloudMain } from './cloud-main-core';
import { createLocalServices } from './local-services';
import { createJsonLogger } from './log';

/**
 * The test entry of a cloud function: the same transport as production (cloud-main-core.ts) on the
 * local adapters — SQLite and files in SHISHI_DATA_DIR, the word list. Never part of a deployed bundle.
 */
const log: Logger = createJsonLogger((line) => console.log(line.trimEnd()));

export function makeLocalCloudMain(area: Area<any>): CloudMain {
  return makeCloudMainWith(
    area,
    () => {
      const dataDir = process.env.SHISHI_DATA_DIR;
      if (!dataDir) throw new Error('the local cloud entry needs SHISHI_DATA_DIR');
      return createLocalServices({ dataDir, secret: process.env.SESSION_SECRET || 'shishi-cloud-main-local', demoMode: false, log });
    },
    log,
  );
}
