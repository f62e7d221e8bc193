import type { Area, Logger, Services } from './action';
import { makeCloudMainWith, type CloudMain } from './cloud-main-core';
import { openCloudbaseFiles } from './files/cloudbase';
import { newId } from './ids';
import { createJsonLogger } from './log';
import { openWechatSafety, type MsgSecCheckResponse } from './safety/wechat';
import { openCloudbaseStore } from './store/cloudbase';

/**
 * The production entry of every cloud function (cloudfunctions/<area>/main.ts): CloudBase adapters only.
 * Nothing here may reach SQLite, the local file store or the word list — the bundle test reads
 * esbuild's metafile to keep it so. Tests use cloud-main-local.ts instead.
 */

export type { CloudMain } from './cloud-main-core';

// console.log, not process.stdout: the SCF runtime collects function logs through console.
const log: Logger = createJsonLogger((line) => console.log(line.trimEnd()));

function cloudbaseServices(): Services {
  // Required on the first call, not at load: see scripts/size.mjs for what each costs.
  const tcb = require('@cloudbase/node-sdk') as typeof import('@cloudbase/node-sdk');
  const app = tcb.init({ env: tcb.SYMBOL_CURRENT_ENV });
  return {
    store: openCloudbaseStore(app.database()),
    files: openCloudbaseFiles(app),
    // msgSecCheck through the platform's cloud call: no access token to manage.
    safety: openWechatSafety({
      call: async (body) => {
        const res = (await app.callWxOpenApi({ apiName: '/wxa/msg_sec_check', requestData: body })) as { result?: unknown };
        return (res.result ?? res) as MsgSecCheckResponse;
      },
    }),
    log,
    now: () => new Date(),
    newId: () => newId(),
    demoMode: false,
  };
}

export function makeCloudMain(area: Area<any>): CloudMain {
  return makeCloudMainWith(area, cloudbaseServices, log);
}
