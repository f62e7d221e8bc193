/** Server only: the ledger template and the ledger export, in the same columns (an export re-imports as is). */
import type { Stored } from '../../server/store/store';
import { shanghaiDateTime } from '../suggestions/suggestions.export';
import { LEDGER_COLUMNS } from './visits.import';
import { TAGS, type Household } from './visits.schema';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const VISIT_COLUMNS = [
  { key: 'lastVisitAt', header: '最近走访时间', width: 18 },
  { key: 'visitCount', header: '累计走访次数', width: 12 },
  { key: 'dueDay', header: '下次应访日期', width: 14 },
] as const;

export const EXPORT_HEADERS: readonly string[] = [...LEDGER_COLUMNS.map((c) => c.header), ...VISIT_COLUMNS.map((c) => c.header)];
export const TEMPLATE_HEADERS: readonly string[] = LEDGER_COLUMNS.map((c) => c.header);

async function streamingBook(build: (wb: import('exceljs').stream.xlsx.WorkbookWriter) => void, at: string): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const { PassThrough } = await import('node:stream');
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.created = new Date(at);
  build(wb);
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

function notes(wb: import('exceljs').stream.xlsx.WorkbookWriter, rows: { k: string; v: string | number }[]) {
  const about = wb.addWorksheet('说明');
  about.columns = [
    { header: '项目', key: 'k', width: 14 },
    { header: '内容', key: 'v', width: 70 },
  ];
  about.getRow(1).font = { bold: true };
  for (const n of rows) about.addRow(n).commit();
  about.commit();
}

/** The empty ledger with two example rows and the rules for each column. */
export function buildTemplate(meta: { communityName: string; gridNames: string[]; at: string }): Promise<Buffer> {
  return streamingBook((wb) => {
    const ws = wb.addWorksheet('住户台账', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = LEDGER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    ws.getRow(1).font = { bold: true };
    const grid = meta.gridNames[0] ?? '第一网格';
    ws.addRow({ grid, building: '3栋', unit: '2单元', room: '501', headName: '王桂芳', membersCount: 1, phone: '13800000000', tags: '独居老人、低保', note: '示例行，导入前请删除' }).commit();
    ws.addRow({ grid, building: '3栋', unit: '2单元', room: '502', headName: '刘建华', membersCount: 3, phone: '', tags: '', note: '示例行，导入前请删除' }).commit();
    ws.commit();
    notes(wb, [
      { k: '社区', v: meta.communityName },
      { k: '网格', v: meta.gridNames.length ? `填写以下之一：${meta.gridNames.join('、')}` : '本社区还没有网格，请先在“网格管理”中添加' },
      { k: '必填', v: '楼栋、房号、户主姓名、家庭人数；网格（社区只有一个网格时可不填）' },
      { k: '标签', v: `可填多个，用顿号或逗号分隔：${TAGS.join('、')}` },
      { k: '联系电话', v: '11 位手机号，或带区号的固定电话（如 0915-3212345）；可不填' },
      { k: '重复导入', v: '同一地址（楼栋＋单元＋房号）再次导入会更新该户信息，不会重复建户' },
      { k: '注意', v: '表中含居民个人信息，仅供社区工作使用，请勿外传' },
    ]);
  }, meta.at);
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
  return streamingBook((wb) => {
    const ws = wb.addWorksheet('住户台账', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [...LEDGER_COLUMNS, ...VISIT_COLUMNS].map((c) => ({ header: c.header, key: c.key, width: c.width }));
    ws.getRow(1).font = { bold: true };
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
    notes(wb, [
      { k: '社区', v: meta.communityName },
      { k: '导出时间', v: `${shanghaiDateTime(meta.at)}（北京时间）` },
      { k: '户数', v: rows.length },
      ...(meta.truncated ? [{ k: '提示', v: `超过 ${rows.length} 户，仅导出前 ${rows.length} 户，请按网格分别导出` }] : []),
      { k: '再次导入', v: '前 9 列与导入模板相同，修改后可直接导入更新；走访列导入时忽略' },
      { k: '注意', v: '表中含居民个人信息，仅供社区工作使用，请勿外传' },
    ]);
  }, meta.at);
}
