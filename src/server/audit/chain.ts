/**
 * The hash chain: each entry carries the hash of the one before it in the same chain, and a head
 * document per chain holds the last seq and hash. Appending reads the head and writes the entry and
 * the head in one transaction by id (CloudBase's rules); the entry's id carries its seq, so two
 * appenders cannot both take the same seq — the loser's transaction aborts and is retried.
 */
import { AppError, ErrorCodes, isAppError } from '../../lib/errors';
import { withRetry } from '../conflict-retry';
import type { Store, Stored } from '../store/store';
import { auditEntries, auditHeads } from './audit.collections';
import { digestOf } from './digest';
import type { AuditEntry, AuditRecord } from './entry';

export type { AuditEntry, AuditHead, AuditRecord, AuditTarget } from './entry';

export const GENESIS = '0'.repeat(64);
export const TARGETS_KEPT = 50;

export const entryId = (chain: string, seq: number): string => `audit:${chain}:${String(seq).padStart(10, '0')}`;
export const headId = (chain: string): string => `auditHead:${chain}`;

/** The hash of an entry: every field but the store's and the hash itself. */
export function hashOf(entry: Omit<AuditEntry, 'hash'> | AuditEntry): string {
  const { _id, _rev, hash, ...body } = entry as AuditEntry & { _id?: string; _rev?: number };
  void _id;
  void _rev;
  void hash;
  return digestOf(body);
}

/** Appends one entry to its chain; retried when another appender took the seq first. */
export function appendEntry(store: Store, record: AuditRecord): Promise<Stored<AuditEntry>> {
  return withRetry(async () => {
    try {
      return await store.transaction(async (tx) => {
        const heads = tx.collection(auditHeads);
        const head = await heads.get(headId(record.chain));
        const seq = (head?.seq ?? 0) + 1;
        const body: Omit<AuditEntry, 'hash'> = { ...record, seq, prevHash: head?.hash ?? GENESIS };
        const hash = hashOf(body);
        const stored = await tx.collection(auditEntries).insert({ ...body, hash }, { id: entryId(record.chain, seq) });
        if (head) await heads.update(head._id, head._rev, { seq, hash, at: record.at });
        else {
          const { chain, cityId, districtId, communityId, at } = record;
          await heads.insert({ chain, cityId, districtId, communityId, seq, hash, at }, { id: headId(record.chain) });
        }
        return stored;
      });
    } catch (e) {
      // Someone appended seq (or created the head) first: read the head again.
      if (isAppError(e) && e.code === ErrorCodes.DUPLICATE) throw new AppError(ErrorCodes.CONFLICT, '审计日志写入冲突');
      throw e;
    }
  });
}

export type BreakReason = 'altered' | 'missing' | 'reordered' | 'unlinked' | 'head';

export interface ChainBreak {
  seq: number;
  entryId: string;
  reason: BreakReason;
}

export interface ChainReport {
  chain: string;
  ok: boolean;
  /** Entries read before the first break (all of them when ok). */
  checked: number;
  headSeq: number;
  broken: ChainBreak | null;
}

const PAGE = 100;

/** Walks a chain by seq and reports the first broken link: an altered, removed or moved entry, or a head that does not match. */
export async function verifyChain(store: Store, chain: string): Promise<ChainReport> {
  const head = await store.collection(auditHeads).get(headId(chain));
  const headSeq = head?.seq ?? 0;
  const report = (checked: number, broken: ChainBreak | null): ChainReport => ({ chain, ok: broken === null, checked, headSeq, broken });
  const at = (seq: number, reason: BreakReason): ChainBreak => ({ seq, entryId: entryId(chain, seq), reason });

  let expected = 1;
  let prevHash = GENESIS;
  let cursor: string | null = null;
  do {
    const page = await store.collection(auditEntries).find({ where: { chain }, orderBy: { field: 'seq', direction: 'asc' }, limit: PAGE, cursor });
    for (const e of page.items) {
      const checked = expected - 1;
      if (typeof e.seq !== 'number' || e.seq < expected) return report(checked, at(expected, 'reordered'));
      if (e.seq > expected) return report(checked, at(expected, 'missing'));
      if (e._id !== entryId(chain, e.seq)) return report(checked, at(expected, 'reordered'));
      if (hashOf(e) !== e.hash) return report(checked, at(expected, 'altered'));
      if (e.prevHash !== prevHash) return report(checked, at(expected, 'unlinked'));
      prevHash = e.hash;
      expected++;
    }
    cursor = page.nextCursor;
  } while (cursor);

  const checked = expected - 1;
  // The newest entries removed: the head still counts them.
  if (headSeq > checked) return report(checked, at(checked + 1, 'missing'));
  if (headSeq < checked || (checked > 0 && head?.hash !== prevHash)) return report(checked, at(Math.max(headSeq, 1), 'head'));
  return report(checked, null);
}

/** Every chain whose head is under a region (district or city), or all chains when `under` is null. */
export async function chainsUnder(store: Store, under: { districtId: string } | { cityId: string } | null): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.collection(auditHeads).find({ ...(under ? { where: under } : {}), limit: PAGE, cursor });
    out.push(...page.items.map((h) => h.chain));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
