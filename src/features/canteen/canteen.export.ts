/** Server only: a canteen report as .xlsx for civil affairs (exceljs loaded on first export). */
import { shanghaiDateTime } from '../../server/xlsx';
import { yuan } from './canteen.rules';
import type { Report } from './canteen.schema';

export { XLSX_TYPE } from '../../server/xlsx';

export async function buildReportWorkbook(report: Report, exportedAt: string): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(exportedAt);
  const ws = wb.addWorksheet('助餐统计', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.addRow([report.title]).font = { bold: true, size: 14 };
  const firstHeader = report.scope === 'district' ? '食堂' : report.period === 'month' ? '日期' : '价格档';
  ws.addRow([firstHeader, '就餐人次', '就餐人数', '个人缴费（元）', '应补贴（元）']).font = { bold: true };
  for (const r of report.rows) ws.addRow([r.label, r.meals, r.elders, yuan(r.cash), yuan(r.subsidy)]);
  const t = report.totals;
  ws.addRow(['合计', t.meals, t.elders, yuan(t.cash), yuan(t.subsidy)]).font = { bold: true };
  ws.addRow([]);
  ws.addRow(['按价格档']).font = { bold: true };
  for (const tier of t.tiers) ws.addRow([tier.label, tier.meals, '', yuan(tier.cash), '']);
  ws.addRow([]);
  ws.addRow([`导出时间：${shanghaiDateTime(exportedAt)}（北京时间）`]);
  ws.addRow(['说明：就餐人数为去重人数；金额单位为元；本表不含身份证号与电话。']);
  ws.columns.forEach((c, i) => {
    c.width = i === 0 ? 24 : 14;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
