import { z } from 'zod';
import { AppError, ErrorCodes, isAppError, type ErrorIssue, type Result } from '../lib/errors';
import { memberByOpenid, regionPath, resolvers } from './access';
import type { ActionContext, Area, Caller, Services } from './action';
import { runAudited } from './audit/audit-hook';
import { deniedMessage, resolveScope } from './scope';

/** The event a cloud function receives and the body the local host accepts. */
export const DispatchEvent = z.object({
  action: z.string().min(1).max(64),
  input: z.unknown().optional(),
});

export interface Identity {
  openid: string;
}

const toIssues = (err: z.ZodError): ErrorIssue[] =>
  err.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message }));

export const invalidInput = (err: z.ZodError) => new AppError(ErrorCodes.INPUT_INVALID, '输入内容有误，请检查后重试', toIssues(err));

/**
 * identity → action lookup → zod input → role and scope → run → zod output.
 * Never throws: every failure becomes `{ ok: false, error }`.
 */
export async function dispatch(
  areas: Record<string, Area>,
  areaName: string,
  rawEvent: unknown,
  identity: Identity | null,
  services: Services,
  requestId: string,
): Promise<Result<unknown>> {
  try {
    // Own keys only: an area named `constructor` or `__proto__` must not reach Object.prototype.
    const area = Object.hasOwn(areas, areaName) ? areas[areaName] : undefined;
    const event = DispatchEvent.safeParse(rawEvent);
    if (!event.success) throw new AppError(ErrorCodes.INPUT_INVALID, '请求格式有误', toIssues(event.error));
    const contract = area && Object.hasOwn(area.contract, event.data.action) ? area.contract[event.data.action] : undefined;
    const def = contract ? area!.actions[event.data.action] : undefined;
    if (!area || !contract || !def) throw new AppError(ErrorCodes.UNKNOWN_ACTION, '未知的操作');

    if (def.roles !== 'public' && !identity) throw new AppError(ErrorCodes.UNAUTHENTICATED, '请先登录');
    const member = identity ? await memberByOpenid(services.store, identity.openid) : null;
    const caller: Caller = { openid: identity?.openid ?? '', member };

    const parsed = contract.input.safeParse(event.data.input ?? {});
    if (!parsed.success) throw invalidInput(parsed.error);

    const ctx: ActionContext = { ...services, caller, grants: member?.grants ?? [], requestId };
    let scopePath: string[] | null = null;
    if (Array.isArray(def.roles)) {
      const roles = def.roles as readonly string[];
      const byRole = (member?.grants ?? []).filter((g) => roles.includes(g.role));
      if (byRole.length === 0) throw new AppError(ErrorCodes.FORBIDDEN, '您的身份无权执行此操作');
      ctx.grants = byRole;
      if (def.scope) {
        const target = await def.scope(parsed.data, ctx);
        const covered = await resolveScope(resolvers, services.store, byRole, target);
        ctx.grants = covered.grants;
        scopePath = covered.path;
        if (ctx.grants.length === 0) throw new AppError(ErrorCodes.FORBIDDEN, deniedMessage(target));
      }
    }

    // The audit chain is the region the scope resolved to (a canteen's or grid's own region).
    const target = scopePath ? scopePath[scopePath.length - 1]! : null;
    const audit = {
      area: areaName, action: event.data.action, roles: def.roles, input: parsed.data, target,
      regionPath: async (id: string) => (id === target ? scopePath : regionPath(services.store, id)),
    };
    const out = await runAudited(ctx, audit, () => def.run(parsed.data, ctx));
    const checked = contract.output.safeParse(out);
    if (!checked.success) {
      services.log.error('output contract violated', { area: areaName, action: event.data.action, requestId, issues: toIssues(checked.error) });
      throw new Error('output contract violated');
    }
    return { ok: true, data: checked.data };
  } catch (e) {
    if (isAppError(e)) return { ok: false, error: { code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}) } };
    // The logger keeps a stack's class name and frames only: messages may echo personal data.
    services.log.error('unexpected error', { area: areaName, requestId, error: e instanceof Error ? (e.stack ?? e.name) : typeof e });
    return { ok: false, error: { code: ErrorCodes.INTERNAL, message: `系统繁忙，请稍后重试（编号 ${requestId}）`, requestId } };
  }
}
