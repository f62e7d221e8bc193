/**
 * Server only: reading a household ledger (.xlsx) and checking it row by row. exceljs is loaded on
 * first use. `checkLedger` is pure: every problem is reported with its Excel line number, and the
 * caller decides whether anything is written (nothing, unless every row is valid or the admin chose
 * “only the valid rows”).
 */
import { addressKey, parseTags } from './visits.rules';
import { HouseholdAddress, HouseholdFields, MAX_IMPORT_ROWS, type ImportIssue, type Tag } from './visits.schema';

/** The ledger's columns, in the template's order; export adds the visit columns after them. */
export const LEDGER_COLUMNS = [
  { key: 'grid', header: '网格', width: 12 },
  { key: 'building', header: '楼栋', width: 10 },
  { key: 'unit', header: '单元', width: 8 },
  { key: 'room', header: '房号', width: 8 },
  { key: 'headName', header: '户主姓名', width: 12 },
  { key: 'membersCount', header: '家庭人数', width: 10 },
  { key: 'phone', header: '联系电话', width: 16 },
  { key: 'tags', header: '标签', width: 22 },
  { key: 'note', header: '备注', width: 30 },
] as const;
export type LedgerKey = (typeof LEDGER_COLUMNS)[number]['key'];
const REQUIRED: readonly LedgerKey[] = ['building', 'room', 'headName', 'membersCount'];

/** One data row as text cells, with its Excel line number. */
export interface RawRow {
  line: number;
  cells: Partial<Record<LedgerKey, string>>;
}

export interface LedgerRow {
  line: number;
  gridId: string;
  building: string;
  unit: string;
  room: string;
  addressKey: string;
  headName: string;
  membersCount: number;
  phone: string | null;
  tags: Tag[];
  note: string;
}

export interface LedgerCheck {
  rows: number;
  valid: LedgerRow[];
  issues: ImportIssue[];
  badLines: number;
}

export class LedgerFileError extends Error {}

const HEADER_ALIASES: Record<string, LedgerKey> = {
  网格: 'grid', 所属网格: 'grid', 网格名称: 'grid',
  楼栋: 'building', 楼号: 'building', 栋: 'building',
  单元: 'unit', 单元号: 'unit',
  房号: 'room', 门牌号: 'room', 房间号: 'room', 室: 'room',
  户主姓名: 'headName', 户主: 'headName', 姓名: 'headName',
  家庭人数: 'membersCount', 人数: 'membersCount', 家庭成员数: 'membersCount',
  联系电话: 'phone', 电话: 'phone', 手机号: 'phone', 联系方式: 'phone',
  标签: 'tags', 人员类别: 'tags', 类别: 'tags',
  备注: 'note',
};

type Texts = Map<number, string>;

/** Collects rows after the header (the first non-empty row); throws LedgerFileError when it is not a ledger. */
function ledgerCollector() {
  let header: Map<number, LedgerKey> | null = null;
  const rows: RawRow[] = [];
  return {
    add(texts: Texts, line: number): void {
      if (texts.size === 0) return;
      if (!header) {
        header = headerOf(texts, line);
        return;
      }
      if (rows.length >= MAX_IMPORT_ROWS) throw new LedgerFileError(`一次最多导入 ${MAX_IMPORT_ROWS} 户，请分批导入`);
      const cells: RawRow['cells'] = {};
      for (const [col, key] of header) {
        const t = texts.get(col);
        if (t !== undefined) cells[key] = t;
      }
      rows.push({ line, cells });
    },
    get empty(): boolean {
      return header === null;
    },
    done(): RawRow[] {
      if (!header) throw new LedgerFileError('文件是空的，请用模板填写后上传');
      return rows;
    },
  };
}

function rowTexts(row: import('exceljs').Row): Texts {
  const texts: Texts = new Map();
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    const t = (cell.text ?? '').toString().trim();
    if (t) texts.set(col, t);
  });
  return texts;
}

/**
 * Reads the first worksheet with exceljs's streaming reader (about twice as fast as loading the whole
 * workbook for 20,000 rows). If the streaming reader fails or sees nothing, the whole-workbook reader gets a second
 * look before the file is called invalid: the two parse differently, and an official's file that Excel
 * opens should not be refused for a reader's quirk.
 */
export async function readLedger(bytes: Buffer): Promise<RawRow[]> {
  const { default: ExcelJS } = await import('exceljs');
  try {
    const streamed = await streamLedger(ExcelJS, bytes);
    if (streamed) return streamed;
  } catch (e) {
    if (e instanceof LedgerFileError) throw e;
  }
  try {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    const ledger = ledgerCollector();
    sheet?.eachRow({ includeEmpty: false }, (row, n) => ledger.add(rowTexts(row), n));
    return ledger.done();
  } catch (e) {
    if (e instanceof LedgerFileError) throw e;
    throw new LedgerFileError('文件不是有效的 Excel（.xlsx）文件，请用模板填写后上传');
  }
}

/** null when it saw no rows at all: the whole-workbook reader then decides whether the file is empty. */
async function streamLedger(ExcelJS: typeof import('exceljs'), bytes: Buffer): Promise<RawRow[] | null> {
  const { Readable } = await import('node:stream');
  const ledger = ledgerCollector();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' });
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<import('exceljs').Row>) ledger.add(rowTexts(row), row.number);
    break; // the first worksheet only
  }
  return ledger.empty ? null : ledger.done();
}

function headerOf(texts: Map<number, string>, line: number): Map<number, LedgerKey> {
  const header = new Map<number, LedgerKey>();
  for (const [col, t] of texts) {
    const key = HEADER_ALIASES[t.replace(/\s+/g, '').replace(/[（(].*[)）]$/, '')];
    if (key) header.set(col, key);
  }
  const have = new Set(header.values());
  const missing = REQUIRED.filter((k) => !have.has(k));
  if (missing.length) {
    const names = missing.map((k) => LEDGER_COLUMNS.find((c) => c.key === k)!.header).join('、');
    throw new LedgerFileError(`第 ${line} 行表头缺少：${names}。请使用下载的模板`);
  }
  return header;
}

const COLUMN_LABEL = Object.fromEntries(LEDGER_COLUMNS.map((c) => [c.key, c.header])) as Record<LedgerKey, string>;
const FIELD_COLUMN: Record<string, LedgerKey> = {
  building: 'building', unit: 'unit', room: 'room', headName: 'headName', membersCount: 'membersCount', phone: 'phone', tags: 'tags', note: 'note',
};

export interface LedgerContext {
  /** Grid name (as written in the ledger) → grid id, for this community. */
  gridsByName: Map<string, string>;
  /** Used when the grid cell is empty (a community with one grid, or an import into one grid). */
  defaultGridId?: string;
}

const ROW = HouseholdAddress.extend(HouseholdFields.shape);

/** Every row checked with the same schemas the app uses; duplicates inside the file are reported on the later line. */
export function checkLedger(raw: RawRow[], ctx: LedgerContext): LedgerCheck {
  const issues: ImportIssue[] = [];
  const valid: LedgerRow[] = [];
  const seen = new Map<string, number>();
  const bad = new Set<number>();
  const add = (line: number, key: LedgerKey, message: string) => {
    issues.push({ line, column: COLUMN_LABEL[key], message });
    bad.add(line);
  };
  for (const { line, cells } of raw) {
    const before = issues.length;
    const gridName = (cells.grid ?? '').trim();
    const gridId = gridName ? ctx.gridsByName.get(gridName) : ctx.defaultGridId;
    if (!gridId) add(line, 'grid', gridName ? `本社区没有名为“${gridName}”的网格` : '请填写所属网格');

    const { tags, unknown } = parseTags(cells.tags ?? '');
    if (unknown.length) add(line, 'tags', `不认识的标签：${unknown.join('、')}`);

    const countText = (cells.membersCount ?? '').trim();
    const membersCount = /^\d+$/.test(countText) ? Number(countText) : Number.NaN;
    const parsed = ROW.safeParse({
      building: cells.building ?? '',
      unit: cells.unit ?? '',
      room: cells.room ?? '',
      headName: cells.headName ?? '',
      membersCount: Number.isNaN(membersCount) ? countText || undefined : membersCount,
      phone: cells.phone ? cells.phone.replace(/\s+/g, '') : null,
      tags,
      note: cells.note ?? '',
    });
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const key = FIELD_COLUMN[String(i.path[0])] ?? 'note';
        const message = key === 'membersCount' && countText && Number.isNaN(membersCount) ? '家庭人数应为数字' : key === 'membersCount' && !countText ? '请填写家庭人数' : i.message;
        add(line, key, message);
      }
    }
    if (issues.length > before || !parsed.success || !gridId) continue;
    const key = addressKey(parsed.data);
    const first = seen.get(key);
    if (first !== undefined) {
      add(line, 'room', `与第 ${first} 行是同一户（地址重复）`);
      continue;
    }
    seen.set(key, line);
    valid.push({
      line,
      gridId,
      building: parsed.data.building,
      unit: parsed.data.unit,
      room: parsed.data.room,
      addressKey: key,
      headName: parsed.data.headName,
      membersCount: parsed.data.membersCount,
      phone: parsed.data.phone ?? null,
      tags: parsed.data.tags,
      note: parsed.data.note,
    });
  }
  issues.sort((a, b) => a.line - b.line);
  return { rows: raw.length, valid, issues, badLines: bad.size };
}
