/** The audit log's stored shapes (server only). */

export interface AuditTarget {
  collection: string;
  id: string;
}

/** What one audited action wrote. No personal data: ids, codes, times and digests only. */
export interface AuditRecord {
  /** The chain: a community, or the district/city an action at that level touched. */
  chain: string;
  cityId: string | null;
  districtId: string | null;
  communityId: string | null;
  at: string;
  /** Member id of the caller. */
  actor: string;
  role: string;
  /** `area.action`. */
  action: string;
  targets: AuditTarget[];
  /** All written documents; `targets` keeps the first TARGETS_KEPT. */
  targetCount: number;
  requestId: string;
  /** sha-256 of the canonical JSON of the action's parsed input: proves an input without storing it. */
  inputDigest: string;
  /** 'ok', or the error code of an action that failed after some of its writes committed. */
  outcome: string;
}

export interface AuditEntry extends AuditRecord {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface AuditHead {
  chain: string;
  cityId: string | null;
  districtId: string | null;
  communityId: string | null;
  seq: number;
  hash: string;
  at: string;
}
