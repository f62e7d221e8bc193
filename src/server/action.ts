import type { z } from 'zod';
import type { ActionContract, AreaContract } from '../lib/contract';
import type { Grant, Member, Role } from '../features/members/members.schema';
import type { Stored, Store } from './store/store';
import type { FilesPort } from './files/files';
import type { NotificationsPort } from './notify/port';
import type { ScopeTarget } from './scope';

/** Content-safety port: local word list on the host, WeChat msgSecCheck in production. */
export interface ContentSafety {
  /** Returns the offending fragment (for the message) or null when the text is fine. */
  check(text: string, openid: string): Promise<{ ok: true } | { ok: false; reason: string }>;
}

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** What every action gets. Clock and ids are injected so tests control them. */
export interface Services {
  store: Store;
  files: FilesPort;
  safety: ContentSafety;
  /** Subscription messages; sending needs the person's consent and is never an error without it. */
  notify: NotificationsPort;
  log: Logger;
  now: () => Date;
  newId: () => string;
  /** Signs session tokens on the local host; absent in CloudBase. */
  demoMode?: boolean;
}

export interface Caller {
  openid: string;
  /** null until the person joins a community or redeems an invitation. */
  member: Stored<Member> | null;
}

export interface ActionContext extends Services {
  caller: Caller;
  /** The caller's grants whose role is allowed for this action and which cover the action's scope. */
  grants: Grant[];
  requestId: string;
}

/**
 * Who may call: a list of roles (checked against the caller's grants), or
 * 'signed-in' (anyone identified, member or not), or 'public' (no identity needed).
 */
export type Access = readonly Role[] | 'signed-in' | 'public';

export interface ActionDef<C extends ActionContract> {
  roles: Access;
  /**
   * What the call touches, for role-based actions: a resource (`{ canteen: id }`, `{ grid: id }`…) or a
   * bare region id. Dispatch allows the call only if one of the caller's grants with an allowed role is
   * held on that resource or covers its region (see scope.ts); actions do not check again.
   * Return null to skip the check (e.g. “my own” actions).
   */
  scope?: (input: z.output<C['input']>, ctx: ActionContext) => Promise<ScopeTarget> | ScopeTarget;
  run: (input: z.output<C['input']>, ctx: ActionContext) => Promise<z.input<C['output']>>;
}

export type AreaActions<A extends AreaContract> = { [K in keyof A]: ActionDef<A[K]> };

export interface Area<A extends AreaContract = AreaContract> {
  name: string;
  contract: A;
  actions: AreaActions<A>;
  /** Work a timer trigger starts (see timers.ts), by trigger name: no caller, idempotent. */
  timers?: Record<string, (ctx: ActionContext) => Promise<unknown>>;
}

/** The manifest of one feature area: its contract plus how each action is authorised and run. */
export const defineArea = <A extends AreaContract>(name: string, contract: A, actions: AreaActions<A>): Area<A> => ({
  name,
  contract,
  actions,
});
