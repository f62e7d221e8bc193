/** Server only: the ledger template and the ledger export, in the same columns (an export re-imports as is). */
import type { Stored } from '../../server/store/store';
import { notesSheet, shanghaiDateTime, streamingBook, tableSheet } from '../../server/xlsx';
import { LEDGER_COLUMNS } from './visits.import';
import { TAGS, type Household } from './visits.schema';

export { XLSX_TYPE } from '../../server/xlsx';

const VISIT_COLUMNS = [
  { key: 'lastVisitAt', header: '最近走访时间', width: 18 },
  { key: 'visitCount', header: '累计走访次数', width: 12 },
  { key: 'dueDay', header: '下次应访日期', width: 14 },
] as const;

export const EXPORT_HEADERS: readonly string[] = [...LEDGER_COLUMNS.map((c) => c.header), ...VISIT_COLUMNS.map((c) => c.header)];
export const TEMPLATE_HEADERS: readonly string[] = LEDGER_COLUMNS.map((c) => c.header);

/** The empty ledger with two example rows and the rules for each column. */
export function buildTemplate(meta: { communityName: string; gridNames: string[]; at: string }): Promise<Buffer> {
  return streamingBook(meta.at, (wb) => {
    const ws = tableSheet(wb, '住户台账', LEDGER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width })));
    const grid = meta.gridNames[0] ?? '第一网格';
    ws.addRow({ grid, building: '3栋', unit: '2单元', room: '501', headName: '王桂芳', membersCount: 1, phone: '13800000000', tags: '独居老人、低保', note: '示例行，导入前请删除' }).commit();
    ws.addRow({ grid, building: '3栋', unit: '2单元', room: '502', headName: '刘建华', membersCount: 3, phone: '', tags: '', note: '示例行，导入前请删除' }).commit();
    ws.commit();
    notesSheet(wb, [
      { k: '社区', v: meta.communityName },
      { k: '网格', v: meta.gridNames.length ? `填写以下之一：${meta.gridNames.join('、')}` : '本社区还没有网格，请先在“网格管理”中添加' },
      { k: '必填', v: '楼栋、房号、户主姓名、家庭人数；网格（社区只有一个网格时可不填）' },
      { k: '标签', v: `可填多个，用顿号或逗号分隔：${TAGS.join('、')}` },
      { k: '联系电话', v: '11 位手机号，或带区号的固定电话（如 0915-3212345）；可不填' },
      { k: '重复导入', v: '同一地址（楼栋＋单元＋房号）再次导入会更新该户信息，不会重复建户' },
      { k: '注意', v: '表中含居民个人信息，仅供社区工作使用，请勿外传' },
    ], 70);
  });
}

export interface LedgerExportRow {
  household: Stored<Household>;
  gridName: string;
  dueDay: string | null;
}

/** The ledger with its visit columns; `masked` hides phones for roles that only need the counts. */
export function buildLedgerExport(
  rows: LedgerExportRow[],
  meta: { communityName: string; at: string; truncated: boolean; masked: (phone: string | null) => string },
): Promise<Buffer> {
  return streamingBook(meta.at, (wb) => {
    const ws = tableSheet(wb, '住户台账', [...LEDGER_COLUMNS, ...VISIT_COLUMNS].map((c) => ({ header: c.header, key: c.key, width: c.width })));
    for (const { household: h, gridName, dueDay } of rows) {
      ws.addRow({
        grid: gridName,
        building: h.building,
        unit: h.unit,
        room: h.room,
        headName: h.headName,
        membersCount: h.membersCount,
        phone: meta.masked(h.phone),
        tags: h.tags.join('、'),
        note: h.note,
        lastVisitAt: shanghaiDateTime(h.lastVisitAt),
        visitCount: h.visitCount,
        dueDay: dueDay ?? '',
      }).commit();
    }
    ws.commit();
    notesSheet(wb, [
      { k: '社区', v: meta.communityName },
      { k: '导出时间', v: `${shanghaiDateTime(meta.at)}（北京时间）` },
      { k: '户数', v: rows.length },
      ...(meta.truncated ? [{ k: '提示', v: `超过 ${rows.length} 户，仅导出前 ${rows.length} 户，请按网格分别导出` }] : []),
      { k: '再次导入', v: '前 9 列与导入模板相同，修改后可直接导入更新；走访列导入时忽略' },
      { k: '注意', v: '表中含居民个人信息，仅供社区工作使用，请勿外传' },
    ], 70);
  });
}
