/**
 * Timer triggers (cloudbaserc.json `triggers`): CloudBase calls the function with
 * `{ Type: 'Timer', TriggerName, Time }` and no caller. The area's timer of that name runs with the
 * services and no identity; it must be idempotent (a timer may fire twice, and an event without a
 * caller is all it takes to start one). Only callers without an openid reach here.
 */
import { ErrorCodes, type Result } from '../lib/errors';
import type { ActionContext, Area, Services } from './action';

/** The trigger's name when the event is a timer's, else null. */
export function timerName(event: unknown): string | null {
  if (!event || typeof event !== 'object') return null;
  const { Type, TriggerName } = event as { Type?: unknown; TriggerName?: unknown };
  return Type === 'Timer' && typeof TriggerName === 'string' && TriggerName.length <= 60 ? TriggerName : null;
}

export async function runTimer(area: Area, name: string, services: Services, requestId: string): Promise<Result<unknown>> {
  const run = area.timers && Object.hasOwn(area.timers, name) ? area.timers[name] : undefined;
  if (!run) return { ok: false, error: { code: ErrorCodes.UNKNOWN_ACTION, message: '未知的定时任务' } };
  const ctx: ActionContext = { ...services, caller: { openid: '', member: null }, grants: [], requestId };
  try {
    const data = await run(ctx);
    services.log.info('timer done', { area: area.name, timer: name, requestId });
    return { ok: true, data };
  } catch (e) {
    services.log.error('timer failed', { area: area.name, timer: name, requestId, error: e instanceof Error ? e.stack?.split('\n').slice(0, 6).join('\n') : String(e) });
    return { ok: false, error: { code: ErrorCodes.INTERNAL, message: `定时任务失败（编号 ${requestId}）`, requestId } };
  }
}
