/**
 * Server only: reading a roster .xlsx into raw rows (exceljs is loaded on first use). Checking the rows
 * is the actions' job; this only turns cells into strings, with the sheet's row numbers.
 */

/** Column headers the template uses; a header may also carry a note in brackets, e.g. “身份证号（可空）”. */
export const ROSTER_HEADERS = {
  name: '姓名',
  gender: '性别',
  birthDate: '出生日期',
  idNumber: '身份证号',
  categories: '类别',
  phone: '手机号',
  guardianName: '监护人姓名',
  guardianPhone: '监护人电话',
  guardianRelation: '监护人关系',
} as const;
export type RosterField = keyof typeof ROSTER_HEADERS;

export interface RawRosterRow {
  /** 1-based row number in the sheet, as Excel shows it. */
  row: number;
  cells: Partial<Record<RosterField, string>>;
}

export const MAX_ROSTER_ROWS = 2000;

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return String(o.text);
    if (o.result !== undefined) return cellText(o.result);
    return '';
  }
  return String(v).trim();
}

/** Throws a RangeError with a Chinese message when the file is not a readable roster. */
export async function readRoster(bytes: Buffer): Promise<RawRosterRow[]> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new RangeError('无法读取文件，请上传 .xlsx 格式的名册');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new RangeError('名册中没有工作表');
  const header = ws.getRow(1);
  const columns = new Map<number, RosterField>();
  header.eachCell((cell, col) => {
    const text = cellText(cell.value).replace(/[（(].*$/, '').trim();
    const field = (Object.keys(ROSTER_HEADERS) as RosterField[]).find((f) => ROSTER_HEADERS[f] === text);
    if (field) columns.set(col, field);
  });
  if (![...columns.values()].includes('name')) throw new RangeError('第 1 行应为表头，且须包含“姓名”列');
  const rows: RawRosterRow[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const cells: RawRosterRow['cells'] = {};
    let any = false;
    for (const [col, field] of columns) {
      const t = cellText(row.getCell(col).value);
      if (t) {
        cells[field] = t;
        any = true;
      }
    }
    if (any) rows.push({ row: n, cells });
  });
  if (rows.length > MAX_ROSTER_ROWS) throw new RangeError(`一次最多导入 ${MAX_ROSTER_ROWS} 行，请分批导入`);
  return rows;
}

/** A roster workbook (for tests and as a template): header row plus the given rows. */
export async function buildRoster(rows: Partial<Record<RosterField, string>>[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('助餐名册');
  const fields = Object.keys(ROSTER_HEADERS) as RosterField[];
  ws.addRow(fields.map((f) => ROSTER_HEADERS[f]));
  for (const r of rows) ws.addRow(fields.map((f) => r[f] ?? ''));
  // Text cells: an ID number typed as a number loses its last digits in Excel.
  ws.getColumn(fields.indexOf('idNumber') + 1).numFmt = '@';
  return Buffer.from(await wb.xlsx.writeBuffer());
}
