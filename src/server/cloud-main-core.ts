import { ErrorCodes, type Result } from '../lib/errors';
import type { Area, Logger, Services } from './action';
import { openidFromCloudbaseContext } from './cloudbase-identity';
import { dispatch } from './dispatch';
import { newId } from './ids';
import { runTimer, timerName } from './timers';

/**
 * The cloud-function transport shared by the production entry (cloud-main.ts, CloudBase adapters) and
 * the test entry (cloud-main-local.ts, SQLite): `main(event, context)` for one area. The caller is
 * whoever the platform context says (WX_OPENID), never what the event claims.
 */
export type CloudMain = (event: unknown, context: unknown) => Promise<Result<unknown>>;

let rejectionHandlerInstalled = false;

/** The SDK can fire rejections nobody awaits (see TOOLCHAIN.md); on Node ≥ 15 they would kill the instance. */
export function installRejectionHandler(log: Logger): void {
  if (rejectionHandlerInstalled) return;
  rejectionHandlerInstalled = true;
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled rejection', { error: reason instanceof Error ? reason.stack?.split('\n').slice(0, 6).join('\n') : String(reason) });
  });
}

/** `getServices` runs on the first call and its result is kept: warm invocations reuse it. */
export function makeCloudMainWith(area: Area<any>, makeServices: () => Services, log: Logger): CloudMain {
  installRejectionHandler(log);
  const areaName = area.name;
  const registry: Record<string, Area> = { [areaName]: area };
  let services: Services | null = null;
  return async (event, context) => {
    const platformId = (context as { request_id?: unknown } | null)?.request_id;
    const requestId = typeof platformId === 'string' && platformId ? platformId : newId();
    try {
      services ??= makeServices();
    } catch (e) {
      log.error('services failed to start', { area: areaName, requestId, error: e instanceof Error ? e.stack?.split('\n').slice(0, 6).join('\n') : String(e) });
      return { ok: false, error: { code: ErrorCodes.INTERNAL, message: `系统繁忙，请稍后重试（编号 ${requestId}）`, requestId } };
    }
    const openid = openidFromCloudbaseContext(context);
    const timer = openid ? null : timerName(event);
    if (timer) return runTimer(area, timer, services, requestId);
    return dispatch(registry, areaName, event, openid ? { openid } : null, services, requestId);
  };
}
