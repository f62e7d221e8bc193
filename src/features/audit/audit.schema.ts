import { z } from 'zod';
import { defineContract } from '../../lib/contract';
import { BREAK_REASONS } from './audit.labels';

export const AuditTargetView = z.object({ collection: z.string(), id: z.string() });

/** One log entry as officials see it: ids, codes, times and digests; no personal data is stored. */
export const AuditEntryView = z.object({
  _id: z.string(),
  chain: z.string(),
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  targets: z.array(AuditTargetView),
  targetCount: z.number().int(),
  requestId: z.string(),
  inputDigest: z.string(),
  outcome: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const BreakReason = z.enum(BREAK_REASONS);


export const ChainReportView = z.object({
  chain: z.string(),
  ok: z.boolean(),
  checked: z.number().int(),
  headSeq: z.number().int(),
  broken: z.object({ seq: z.number().int(), entryId: z.string(), reason: BreakReason }).nullable(),
});

export const AUDIT_EXPORT_MAX = 10_000;

const RegionInput = z.object({ regionId: z.string().min(1).max(64) });

export const auditContract = defineContract({
  /** Entries of a community (its chain, newest first), or of every chain in a district or the city (newest first). */
  list: {
    input: RegionInput.extend({ cursor: z.string().max(500).nullish(), limit: z.number().int().min(1).max(100).default(20) }),
    output: z.object({ items: z.array(AuditEntryView), nextCursor: z.string().nullable() }),
  },
  /** The same entries as .xlsx (newest first, at most AUDIT_EXPORT_MAX). */
  exportXlsx: {
    input: RegionInput,
    output: z.object({ fileId: z.string(), url: z.string(), count: z.number().int(), truncated: z.boolean() }),
  },
  /** Walks every chain of the region and reports the first broken link of each. */
  verify: {
    input: RegionInput,
    output: z.object({ ok: z.boolean(), chains: z.array(ChainReportView) }),
  },
});
