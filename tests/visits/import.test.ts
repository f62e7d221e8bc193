/** Ledger import (good file, bad rows with line numbers, re-import) and export, through dispatch. */
import ExcelJS from 'exceljs';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import { households } from '../../src/features/visits/visits.collections';
import { EXPORT_HEADERS, TEMPLATE_HEADERS } from '../../src/features/visits/visits.export';
import { addressKey, householdId } from '../../src/features/visits/visits.rules';
import { checkImportBytes } from '../../src/server/files/imports';
import type { Result } from '../../src/lib/errors';
import { createHarness, type Harness } from '../support/harness';

const P = DEMO_PEOPLE;
const R = REGION_IDS;
const ADMIN = P.adminPeixin.openid;
const codeOf = (r: Result<unknown>): string => (r.ok ? 'OK' : r.error.code);
function ok<T = any>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.data;
}

type Cell = string | number | null;
async function xlsx(rows: Cell[][], header: string[] = ['网格', '楼栋', '单元', '房号', '户主姓名', '家庭人数', '联系电话', '标签', '备注']): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('住户台账');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The upload path of the host's `imports` folder. */
async function upload(h: Harness, bytes: Buffer, openid = ADMIN): Promise<string> {
  const { contentType, ext } = checkImportBytes(bytes);
  return (await h.services.files.put(bytes, { ownerOpenid: openid, contentType, ext, folder: 'imports' })).fileId;
}

async function fetchXlsx(h: Harness, fileId: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await h.services.files.read(fileId))! as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return out;
}

const GOOD: Cell[][] = [
  ['第一网格', '21栋', '1单元', '101', '张桂兰', 1, '13800005001', '独居老人、低保', ''],
  ['第一网格', '21栋', '1单元', '102', '李国强', 3, '', '', '租户'],
  ['第二网格', '22号楼', '2', '301室', '王秀珍', 2, '0915-3212345', '空巢', ''],
];

describe('household ledger import', () => {
  let h: Harness;
  const count = () => h.services.store.collection(households).count({ communityId: R.peixin });
  const run = async (rows: Cell[][], mode: string, header?: string[]) =>
    h.call('visits', 'importHouseholds', { communityId: R.peixin, fileId: await upload(h, await xlsx(rows, header)), mode }, ADMIN);
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it('the template downloads with the ledger columns and the community grids', async () => {
    const t = ok(await h.call('visits', 'importTemplate', { communityId: R.peixin }, ADMIN));
    const rows = await fetchXlsx(h, t.fileId);
    expect(rows[0]).toEqual([...TEMPLATE_HEADERS]);
    expect(rows[1]![0]).toBe('第一网格');
  });

  it('a good file: check writes nothing, apply creates; re-import updates instead of duplicating', async () => {
    const before = await count();
    const checked = ok(await run(GOOD, 'check'));
    expect(checked).toMatchObject({ rows: 3, valid: 3, issueCount: 0, applied: false, created: 0 });
    expect(await count()).toBe(before);

    expect(ok(await run(GOOD, 'apply'))).toMatchObject({ applied: true, created: 3, updated: 0, unchanged: 0 });
    expect(await count()).toBe(before + 3);
    const id = householdId(R.peixin, addressKey({ building: '22栋', unit: '2单元', room: '301' }));
    const wang = (await h.services.store.collection(households).get(id))!;
    expect(wang).toMatchObject({ gridId: R.peixinGrid2, headName: '王秀珍', phone: '0915-3212345', tags: ['空巢'], everyDays: 30 });

    // The same rows again, one edited, address written differently: updated, not duplicated.
    const again: Cell[][] = [GOOD[0]!, GOOD[1]!, ['第二网格', '22栋', '2单元', '301', '王秀珍', 3, '0915-3212345', '空巢、重点关注', '']];
    expect(ok(await run(again, 'apply'))).toMatchObject({ applied: true, created: 0, updated: 1, unchanged: 2 });
    expect(await count()).toBe(before + 3);
    expect((await h.services.store.collection(households).get(id))!).toMatchObject({ membersCount: 3, tags: ['空巢', '重点关注'], everyDays: 14, _rev: 2 });
  });

  it('bad rows: every problem by line; `apply` writes nothing; `apply_valid` writes only the valid rows', async () => {
    const rows: Cell[][] = [
      GOOD[0]!,
      ['第九网格', '21栋', '1单元', '103', '赵六', 1, '', '', ''],
      ['第一网格', '21栋', '1单元', '104', '', 'two', '12345', '五保户', ''],
      GOOD[1]!,
      ['第一网格', '21栋', '1', '101', '重复户', 1, '', '', ''],
    ];
    const before = await count();
    const report = ok(await run(rows, 'apply'));
    expect(report).toMatchObject({ rows: 5, valid: 2, badLines: 3, applied: false, created: 0 });
    expect(report.issues.map((i: { line: number; column: string }) => `${i.line}:${i.column}`)).toEqual([
      '3:网格', '4:标签', '4:户主姓名', '4:家庭人数', '4:联系电话', '6:房号',
    ]);
    expect(report.issues.find((i: { line: number }) => i.line === 6).message).toContain('第 2 行');
    expect(await count()).toBe(before);

    expect(ok(await run(rows, 'apply_valid'))).toMatchObject({ applied: true, created: 2, badLines: 3 });
    expect(await count()).toBe(before + 2);
  });

  it('not a ledger: a missing column, an empty sheet, a photo, another person’s file', async () => {
    const before = await count();
    const noHead = await run([['第一网格', '21栋', '101']], 'apply', ['网格', '楼栋', '房号']);
    expect(codeOf(noHead)).toBe('VISITS.BAD_FILE');
    expect(!noHead.ok && noHead.error.message).toContain('户主姓名');
    expect(codeOf(await run([], 'apply', []))).toBe('VISITS.BAD_FILE');
    // The server checks an import's type by its bytes (CloudBase uploads never pass the host's check).
    const photo = await h.uploadPhoto(ADMIN);
    expect(codeOf(await h.call('visits', 'importHouseholds', { communityId: R.peixin, fileId: photo, mode: 'apply' }, ADMIN))).toBe('FILE.BAD_TYPE');
    const theirs = await upload(h, await xlsx(GOOD), P.adminXiaojiaba.openid);
    expect(codeOf(await h.call('visits', 'importHouseholds', { communityId: R.peixin, fileId: theirs, mode: 'apply' }, ADMIN))).toBe('FILE.NOT_OWNER');
    expect(() => checkImportBytes(Buffer.from('not a zip'))).toThrow();
    expect(await count()).toBe(before);
  });

  it('the export is the ledger with visit columns and re-imports unchanged', async () => {
    ok(await run(GOOD, 'apply'));
    const out = ok(await h.call('visits', 'exportXlsx', { communityId: R.peixin }, ADMIN));
    const rows = await fetchXlsx(h, out.fileId);
    expect(rows[0]).toEqual([...EXPORT_HEADERS]);
    expect(out.count).toBe(await count());
    expect(rows).toHaveLength(out.count + 1);
    const back = ok(await h.call('visits', 'importHouseholds', { communityId: R.peixin, fileId: await upload(h, (await h.services.files.read(out.fileId))!), mode: 'apply' }, ADMIN));
    expect(back).toMatchObject({ issueCount: 0, created: 0, updated: 0, unchanged: out.count });
    // One grid only.
    const g2 = ok(await h.call('visits', 'exportXlsx', { communityId: R.peixin, gridId: R.peixinGrid2 }, ADMIN));
    expect((await fetchXlsx(h, g2.fileId)).slice(1).every((r) => r[0] === '第二网格')).toBe(true);
  });
});
