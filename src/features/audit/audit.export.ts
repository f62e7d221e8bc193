/** Server only: audit entries as an .xlsx workbook. */
import type { AuditEntry } from '../../server/audit/chain';
import type { Stored } from '../../server/store/store';
import { notesSheet, shanghaiDateTime, streamingBook, tableSheet } from '../../server/xlsx';


const COLUMNS = [
  { header: '链', key: 'chain', width: 20 },
  { header: '序号', key: 'seq', width: 8 },
  { header: '时间', key: 'at', width: 18 },
  { header: '操作人编号', key: 'actor', width: 24 },
  { header: '身份', key: 'role', width: 14 },
  { header: '操作', key: 'action', width: 26 },
  { header: '写入的记录', key: 'targets', width: 50 },
  { header: '记录数', key: 'targetCount', width: 8 },
  { header: '结果', key: 'outcome', width: 14 },
  { header: '请求编号', key: 'requestId', width: 26 },
  { header: '输入摘要 (SHA-256)', key: 'inputDigest', width: 66 },
  { header: '上一条哈希', key: 'prevHash', width: 66 },
  { header: '本条哈希', key: 'hash', width: 66 },
] as const;

export const AUDIT_EXPORT_HEADERS: readonly string[] = COLUMNS.map((c) => c.header);

export function buildAuditWorkbook(rows: Stored<AuditEntry>[], meta: { regionName: string; exportedAt: string; truncated: boolean }): Promise<Buffer> {
  return streamingBook(meta.exportedAt, (wb) => {
    const ws = tableSheet(wb, '审计日志', COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width })));
    for (const e of rows) {
      ws.addRow({
        chain: e.chain,
        seq: e.seq,
        at: shanghaiDateTime(e.at),
        actor: e.actor,
        role: e.role,
        action: e.action,
        targets: e.targets.map((t) => `${t.collection}/${t.id}`).join('\n'),
        targetCount: e.targetCount,
        outcome: e.outcome,
        requestId: e.requestId,
        inputDigest: e.inputDigest,
        prevHash: e.prevHash,
        hash: e.hash,
      }).commit();
    }
    ws.commit();
    notesSheet(wb, [
      { k: '区域', v: meta.regionName },
      { k: '导出时间', v: `${shanghaiDateTime(meta.exportedAt)}（北京时间）` },
      { k: '条数', v: rows.length },
      ...(meta.truncated ? [{ k: '提示', v: `记录超过 ${rows.length} 条，仅导出最新的 ${rows.length} 条` }] : []),
      { k: '说明', v: '每条记录含上一条的哈希，删除或改动任何一条都能被校验发现；日志不含个人信息' },
    ]);
  });
}
