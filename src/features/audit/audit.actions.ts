/**
 * The audit log (审计日志), read side: district and city admins read, export and verify the log of
 * their region; a community admin those of their own community. Dispatch writes it (server/audit).
 */
import { AppError } from '../../lib/errors';
import { defineArea, type ActionContext } from '../../server/action';
import { saveExport } from '../../server/files/exports';
import { chainsUnder, verifyChain, type AuditEntry } from '../../server/audit/chain';
import { regionPath } from '../regions/regions.service';
import type { FindOptions, Stored } from '../../server/store/store';
import { auditEntries } from './audit.collections';
import { buildAuditWorkbook } from './audit.export';
import { AUDIT_EXPORT_MAX, auditContract, type AuditEntryView } from './audit.schema';

const ROLES = ['community_admin', 'district_admin', 'city_admin'] as const;
/** Chains verified in one call: a city of a few hundred communities. */
const VERIFY_MAX_CHAINS = 500;

type Level = { kind: 'community' | 'street'; chain: string } | { kind: 'district'; districtId: string } | { kind: 'city'; cityId: string };

/** Region paths run city → district → street → community → grid. */
async function levelOf(ctx: ActionContext, regionId: string): Promise<Level> {
  const path = await regionPath(ctx.store, regionId);
  if (!path) throw new AppError('REGION.NOT_FOUND', '区域不存在');
  if (path.length === 1) return { kind: 'city', cityId: regionId };
  if (path.length === 2) return { kind: 'district', districtId: regionId };
  if (path.length <= 4) return { kind: path.length === 3 ? 'street' : 'community', chain: regionId };
  throw new AppError('AUDIT.BAD_REGION', '请选择社区、区县或市');
}

function query(level: Level): Pick<FindOptions, 'where' | 'orderBy'> {
  if (level.kind === 'city') return { where: { cityId: level.cityId }, orderBy: { field: 'at', direction: 'desc' } };
  if (level.kind === 'district') return { where: { districtId: level.districtId }, orderBy: { field: 'at', direction: 'desc' } };
  return { where: { chain: level.chain }, orderBy: { field: 'seq', direction: 'desc' } };
}

const view = (e: Stored<AuditEntry>): AuditEntryView => ({
  _id: e._id,
  chain: e.chain,
  seq: e.seq,
  at: e.at,
  actor: e.actor,
  role: e.role,
  action: e.action,
  targets: e.targets,
  targetCount: e.targetCount,
  requestId: e.requestId,
  inputDigest: e.inputDigest,
  outcome: e.outcome,
  prevHash: e.prevHash,
  hash: e.hash,
});

export const auditArea = defineArea('audit', auditContract, {
  list: {
    roles: ROLES,
    scope: (input) => input.regionId,
    async run(input, ctx) {
      const page = await ctx.store.collection(auditEntries).find({ ...query(await levelOf(ctx, input.regionId)), limit: input.limit, cursor: input.cursor ?? null });
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  },

  exportXlsx: {
    roles: ROLES,
    scope: (input) => input.regionId,
    async run(input, ctx) {
      const q = query(await levelOf(ctx, input.regionId));
      const rows: Stored<AuditEntry>[] = [];
      let cursor: string | null = null;
      do {
        const page = await ctx.store.collection(auditEntries).find({ ...q, limit: Math.min(100, AUDIT_EXPORT_MAX - rows.length), cursor });
        rows.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && rows.length < AUDIT_EXPORT_MAX);
      const exportedAt = ctx.now().toISOString();
      const regionName = ctx.grants.find((g) => g.regionId === input.regionId)?.regionName ?? input.regionId;
      const bytes = await buildAuditWorkbook(rows, { regionName, exportedAt, truncated: cursor !== null });
      return { ...(await saveExport(ctx.files, ctx.caller.openid, bytes)), count: rows.length, truncated: cursor !== null };
    },
  },

  verify: {
    roles: ROLES,
    scope: (input) => input.regionId,
    async run(input, ctx) {
      const level = await levelOf(ctx, input.regionId);
      const chains =
        level.kind === 'city' ? await chainsUnder(ctx.store, { cityId: level.cityId })
        : level.kind === 'district' ? await chainsUnder(ctx.store, { districtId: level.districtId })
        : [level.chain];
      if (chains.length > VERIFY_MAX_CHAINS) throw new AppError('AUDIT.TOO_MANY_CHAINS', '区域内的日志链过多，请按区县分别校验');
      const reports = [];
      for (const chain of chains.sort()) reports.push(await verifyChain(ctx.store, chain));
      return { ok: reports.every((r) => r.ok), chains: reports };
    },
  },
});
