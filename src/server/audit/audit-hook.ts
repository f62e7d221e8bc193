/**
 * Dispatch's one call into the audit log: runs an action and, when a staff role called it and it
 * wrote something, appends an entry to its region's chain. The append runs after the action's own
 * writes have committed; if it fails, the answer stands (the write happened and a retry would repeat
 * it) and an error line with codes and ids only is logged for operations to follow up.
 */
import { isAppError } from '../../lib/errors';
import type { Access, ActionContext } from '../action';
import { appendEntry, TARGETS_KEPT, type AuditTarget } from './chain';
import { digestOf, sha256 } from './digest';
import { isStaffRole } from './staff-roles';
import { trackingStore } from './write-tracker';

export interface AuditMeta {
  area: string;
  action: string;
  roles: Access;
  /** The parsed input: only its digest is kept. */
  input: unknown;
  /** The region the scope check resolved (null when the action has none). */
  target: string | null;
  /** Region ids root first (city, district, street, community, grid), or null if unknown. */
  regionPath: (regionId: string) => Promise<string[] | null>;
}

/** Positions in a region path: city → district → street → community → grid. */
const DISTRICT = 1;
const COMMUNITY = 3;

/** Region fields of an entry: a grid's writes go to its community's chain. */
function chainFields(regionId: string, path: string[] | null) {
  if (!path) return { chain: regionId, cityId: null, districtId: null, communityId: null };
  const chain = path.length > COMMUNITY + 1 ? path[COMMUNITY]! : path[path.length - 1]!;
  return { chain, cityId: path[0] ?? null, districtId: path[DISTRICT] ?? null, communityId: path[COMMUNITY] ?? null };
}

const SAFE_ID = /^[A-Za-z0-9_.:@/+-]{1,120}$/;
/** A phone or ID number as a whole id segment (digits inside a hex or base32 id are not). */
const NUMBER_SEGMENT = /(?<![A-Za-z0-9])\d{7,}[Xx]?(?![A-Za-z0-9])/;

/** Ids are kept as they are unless they could carry personal data (an openid, a phone or ID number, free text). */
export function safeTarget(t: AuditTarget, openid: string): AuditTarget {
  const clear = SAFE_ID.test(t.id) && !NUMBER_SEGMENT.test(t.id) && !(openid && t.id.includes(openid));
  return clear ? t : { collection: t.collection, id: `sha256:${sha256(t.id).slice(0, 32)}` };
}

function dedupe(targets: AuditTarget[]): AuditTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const k = `${t.collection}\u0000${t.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export async function runAudited<R>(ctx: ActionContext, meta: AuditMeta, run: () => Promise<R>): Promise<R> {
  const grant = Array.isArray(meta.roles) && ctx.caller.member ? ctx.grants.find((g) => isStaffRole(g.role)) : undefined;
  if (!grant) return run();
  const store = ctx.store;
  const written: AuditTarget[] = [];
  ctx.store = trackingStore(store, written);
  let outcome = 'ok';
  try {
    return await run();
  } catch (e) {
    outcome = isAppError(e) ? e.code : 'INTERNAL';
    throw e;
  } finally {
    ctx.store = store;
    if (written.length) {
      const action = `${meta.area}.${meta.action}`;
      try {
        const regionId = meta.target ?? grant.regionId;
        const targets = dedupe(written).map((t) => safeTarget(t, ctx.caller.openid));
        await appendEntry(store, {
          ...chainFields(regionId, await meta.regionPath(regionId)),
          at: ctx.now().toISOString(),
          actor: ctx.caller.member!._id,
          role: grant.role,
          action,
          targets: targets.slice(0, TARGETS_KEPT),
          targetCount: targets.length,
          requestId: ctx.requestId,
          inputDigest: digestOf(meta.input ?? null),
          outcome,
        });
      } catch (e) {
        ctx.log.error('audit append failed', {
          action,
          requestId: ctx.requestId,
          code: isAppError(e) ? e.code : 'INTERNAL',
          error: e instanceof Error ? (e.stack ?? e.name) : typeof e,
        });
      }
    }
  }
}
