import { defineCollection } from '../store/store';
import type { AuditEntry, AuditHead } from './entry';

/**
 * Entries `audit:<chain>:<seq, 10 digits>`; one chain per community (or per district/city for
 * actions at that level). Listing: a chain by seq; a district or city newest first.
 */
export const auditEntries = defineCollection<AuditEntry>({
  name: 'auditEntries',
  indexes: [['chain', 'seq'], ['districtId', 'at'], ['cityId', 'at']],
});

/** One head per chain, `auditHead:<chain>`: the last seq and hash, moved in the same transaction as each append. */
export const auditHeads = defineCollection<AuditHead>({
  name: 'auditHeads',
  indexes: ['districtId', 'cityId'],
});
