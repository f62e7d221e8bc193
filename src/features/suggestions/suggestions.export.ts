/** Server only: the inbox export as an .xlsx workbook (exceljs is loaded on first export, not on cold start). */
import type { Stored } from '../../server/store/store';
import { notesSheet, shanghaiDateTime, streamingBook, tableSheet } from '../../server/xlsx';
import { STATUS_LABELS, type Suggestion } from './suggestions.schema';

export { XLSX_TYPE, shanghaiDateTime } from '../../server/xlsx';

const COLUMNS = [
  { header: '编号', key: 'id', width: 36 },
  { header: '提交时间', key: 'createdAt', width: 18 },
  { header: '类别', key: 'category', width: 10 },
  { header: '状态', key: 'status', width: 14 },
  { header: '建议内容', key: 'text', width: 60 },
  { header: '地点', key: 'place', width: 20 },
  { header: '照片数', key: 'photos', width: 8 },
  { header: '居民姓名', key: 'name', width: 10 },
  { header: '联系电话', key: 'phone', width: 14 },
  { header: '住址', key: 'address', width: 14 },
  { header: '同意公开姓名', key: 'showName', width: 12 },
  { header: '首次答复时间', key: 'firstReplyAt', width: 18 },
  { header: '最新答复', key: 'lastReply', width: 40 },
  { header: '重复于', key: 'duplicateOf', width: 36 },
] as const;

export const EXPORT_HEADERS: readonly string[] = COLUMNS.map((c) => c.header);

export interface ExportMeta {
  communityName: string;
  /** Human-readable filter, e.g. “状态：已答复；类别：环境卫生”. */
  filter: string;
  exportedAt: string;
  truncated: boolean;
}

export function buildSuggestionsWorkbook(rows: Stored<Suggestion>[], meta: ExportMeta): Promise<Buffer> {
  return streamingBook(meta.exportedAt, (wb) => {
    const wrap = { alignment: { wrapText: true, vertical: 'top' as const } };
    const ws = tableSheet(wb, '建议列表', COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.key === 'text' || c.key === 'lastReply' ? { style: wrap } : {}) })));
    for (const s of rows) {
      const lastReply = [...s.timeline].reverse().find((e) => e.kind === 'reply');
      ws.addRow({
        id: s._id,
        createdAt: shanghaiDateTime(s.createdAt),
        category: s.category,
        status: STATUS_LABELS[s.status],
        text: s.text,
        place: s.place ?? '',
        photos: s.photos.length,
        name: s.authorName,
        phone: s.authorPhone ?? '',
        address: s.authorAddress ?? '',
        showName: s.showName ? '是' : '否',
        firstReplyAt: shanghaiDateTime(s.firstReplyAt),
        lastReply: lastReply?.text ?? '',
        duplicateOf: s.duplicateOf ?? '',
      }).commit();
    }
    ws.commit();

    notesSheet(wb, [
      { k: '社区', v: meta.communityName },
      { k: '筛选条件', v: meta.filter || '全部' },
      { k: '导出时间', v: `${shanghaiDateTime(meta.exportedAt)}（北京时间）` },
      { k: '条数', v: rows.length },
      ...(meta.truncated ? [{ k: '提示', v: `符合条件的建议超过 ${rows.length} 条，仅导出最新的 ${rows.length} 条，请缩小日期范围后分批导出` }] : []),
      { k: '注意', v: '表中含居民个人信息，仅供社区工作使用，请勿外传' },
    ]);
  });
}
