import { ErrorCodes, type Result } from '../lib/errors';
import type { Area, Logger, Services } from './action';
import { createJsonLogger } from './log';
import { openidFromCloudbaseContext } from './cloudbase-identity';
import { dispatch } from './dispatch';
import { newId } from './ids';

/**
 * The cloud-function transport: `main(event, context)` for one area. It takes the area itself, not
 * the registry, so each function's bundle holds only its own actions and their dependencies.
 * The caller is whoever the platform context says (WX_OPENID), never what the event claims.
 * SHISHI_STORE=sqlite switches to the local adapters at SHISHI_DATA_DIR (tests); otherwise CloudBase.
 * Adapters are required lazily so each mode loads only its own (CloudBase bundles never need better-sqlite3).
 */

// console.log, not process.stdout: the SCF runtime collects function logs through console.
const log: Logger = createJsonLogger((line) => console.log(line.trimEnd()));

let rejectionHandlerInstalled = false;

/** The SDK can fire rejections nobody awaits (see TOOLCHAIN.md); on Node ≥ 15 they would kill the instance. */
function installRejectionHandler() {
  if (rejectionHandlerInstalled) return;
  rejectionHandlerInstalled = true;
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled rejection', { error: reason instanceof Error ? reason.stack?.split('\n').slice(0, 6).join('\n') : String(reason) });
  });
}

function localServices(): Services {
  const dataDir = process.env.SHISHI_DATA_DIR;
  if (!dataDir) throw new Error('SHISHI_STORE=sqlite needs SHISHI_DATA_DIR');
  const { createLocalServices } = require('./local-services') as typeof import('./local-services');
  return createLocalServices({ dataDir, secret: process.env.SESSION_SECRET || 'shishi-cloud-main-local', demoMode: false, log });
}

/**
 * Template ids from the function's NOTIFY_TEMPLATES. A malformed value must not take the whole
 * function down with it: it is logged (key paths only) and nothing is sent until it is fixed.
 */
function cloudTemplates(load: typeof import('./notify/templates').loadTemplates): import('./notify/templates').Templates {
  try {
    return load(process.env);
  } catch (e) {
    log.error('notify templates unusable', { error: e instanceof Error ? e.stack ?? e.name : typeof e });
    return {};
  }
}

function cloudbaseServices(): Services {
  const tcb = require('@cloudbase/node-sdk') as typeof import('@cloudbase/node-sdk');
  const { openCloudbaseStore } = require('./store/cloudbase') as typeof import('./store/cloudbase');
  const { openCloudbaseFiles } = require('./files/cloudbase') as typeof import('./files/cloudbase');
  const { openWechatSafety } = require('./safety/wechat') as typeof import('./safety/wechat');
  const { createNotifications } = require('./notify/notifications') as typeof import('./notify/notifications');
  const { wechatDeliver } = require('./notify/wechat') as typeof import('./notify/wechat');
  const { loadTemplates } = require('./notify/templates') as typeof import('./notify/templates');
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
        return (res.result ?? res) as import('./safety/wechat').MsgSecCheckResponse;
      },
    }),
    log,
    now,
    newId: () => newId(),
    demoMode: false,
  };
}

/** One set of services per function instance (warm invocations reuse it). */
let services: Services | null = null;

function getServices(): Services {
  if (!services) services = process.env.SHISHI_STORE === 'sqlite' ? localServices() : cloudbaseServices();
  return services;
}

export type CloudMain = (event: unknown, context: unknown) => Promise<Result<unknown>>;

export function makeCloudMain(area: Area<any>): CloudMain {
  installRejectionHandler();
  const areaName = area.name;
  const registry: Record<string, Area> = { [areaName]: area };
  return async (event, context) => {
    const platformId = (context as { request_id?: unknown } | null)?.request_id;
    const requestId = typeof platformId === 'string' && platformId ? platformId : newId();
    let svc: Services;
    try {
      svc = getServices();
    } catch (e) {
      log.error('services failed to start', { area: areaName, requestId, error: e instanceof Error ? e.stack?.split('\n').slice(0, 6).join('\n') : String(e) });
      return { ok: false, error: { code: ErrorCodes.INTERNAL, message: `系统繁忙，请稍后重试（编号 ${requestId}）`, requestId } };
    }
    const openid = openidFromCloudbaseContext(context);
    return dispatch(registry, areaName, event, openid ? { openid } : null, svc, requestId);
  };
}
