import type { Area, Logger, Services } from './action';
import { makeCloudMainWith, type CloudMain } from './cloud-main-core';
import { openCloudbaseFiles } from './files/cloudbase';
import { newId } from './ids';
import { createJsonLogger } from './log';
import { openWechatSafety, type MsgSecCheckResponse } from './safety/wechat';
import { createNotifications } from './notify/notifications';
import { loadTemplates, type Templates } from './notify/templates';
import { wechatDeliver } from './notify/wechat';
import { openCloudbaseStore } from './store/cloudbase';

/**
 * The production entry of every cloud function (cloudfunctions/<area>/main.ts): CloudBase adapters only.
 * Nothing here may reach SQLite, the local file store or the word list — the bundle test reads
 * esbuild's metafile to keep it so. Tests use cloud-main-local.ts instead.
 */

export type { CloudMain } from './cloud-main-core';

// console.log, not process.stdout: the SCF runtime collects function logs through console.
const log: Logger = createJsonLogger((line) => console.log(line.trimEnd()));

/**
 * Template ids from the function's NOTIFY_TEMPLATES. A malformed value must not take the whole
 * function down with it: it is logged (key paths only) and nothing is sent until it is fixed.
 */
function cloudTemplates(load: typeof loadTemplates): Templates {
  try {
    return load(process.env);
  } catch (e) {
    log.error('notify templates unusable', { error: e instanceof Error ? e.stack ?? e.name : typeof e });
    return {};
  }
}

function cloudbaseServices(): Services {
  // Required on the first call, not at load: see scripts/size.mjs for what each costs.
  const tcb = require('@cloudbase/node-sdk') as typeof import('@cloudbase/node-sdk');
  const app = tcb.init({ env: tcb.SYMBOL_CURRENT_ENV });
  const store = openCloudbaseStore(app.database());
  const now = () => new Date();
  const openapi = async (apiName: string, requestData: unknown) => {
    const res = (await app.callWxOpenApi({ apiName, requestData })) as { result?: { errcode?: number; errmsg?: string } };
    return res.result;
  };
  return {
    store,
    notify: createNotifications({ store, templates: cloudTemplates(loadTemplates), deliver: wechatDeliver(openapi), log, now }),
    files: openCloudbaseFiles(app),
    // msgSecCheck through the platform's cloud call: no access token to manage.
    safety: openWechatSafety({
      call: async (body) => {
        const res = (await app.callWxOpenApi({ apiName: '/wxa/msg_sec_check', requestData: body })) as { result?: unknown };
        return (res.result ?? res) as MsgSecCheckResponse;
      },
    }),
    log,
    now,
    newId: () => newId(),
    demoMode: false,
  };
}

export function makeCloudMain(area: Area<any>): CloudMain {
  return makeCloudMainWith(area, cloudbaseServices, log);
}
