/** The audit log's collections are declared by the server (dispatch appends to them); listed here with the area's. */
export { auditEntries, auditHeads } from '../../server/audit/audit.collections';
