/** Server only: a questionnaire's answers as .xlsx (exceljs is loaded on first export, not on cold start). */
import type { Stored } from '../../server/store/store';
import { shanghaiDateTime as shanghai, streamingBook, tableSheet } from '../../server/xlsx';
import { answerLabel, matrixCell } from './surveys.builder.rules';
import type { AnswerRecord, QuestionResult, Survey } from './surveys.schema';

export { XLSX_TYPE } from '../../server/xlsx';

export interface SurveyExportMeta {
  results: QuestionResult[];
  total: number;
  staffEntered: number;
  exportedAt: string;
  /** Read after the last page: whether answers were left out (over the export cap). */
  isTruncated: () => boolean;
}

/** Column headers: one per question, a matrix one per row (“题目 - 行”). */
export function answerColumns(s: Pick<Survey, 'questions' | 'anonymous'>): { header: string; key: string; width: number }[] {
  const cols = [
    { header: '序号', key: '_n', width: 8 },
    { header: '提交时间', key: '_at', width: 18 },
    { header: '填写方式', key: '_way', width: 10 },
    ...(s.anonymous ? [] : [{ header: '姓名', key: '_name', width: 10 }, { header: '住址', key: '_addr', width: 14 }]),
  ];
  s.questions.forEach((q, i) => {
    if (q.type === 'matrix') for (const r of q.rows ?? []) cols.push({ header: `${i + 1}. ${q.title} - ${r.label}`, key: `${q.id}.${r.id}`, width: 14 });
    else cols.push({ header: `${i + 1}. ${q.title}`, key: q.id, width: q.type === 'textarea' ? 40 : 18 });
  });
  return cols;
}

/** One sheet row: readable labels; anonymous questionnaires carry no name, address or answer id. */
export function answerRow(s: Pick<Survey, 'questions' | 'anonymous'>, a: AnswerRecord, n: number): Record<string, string | number> {
  const row: Record<string, string | number> = { _n: n, _at: shanghai(a.createdAt), _way: a.staffEntered ? '代录' : '本人填写' };
  if (!s.anonymous) {
    row._name = a.respondentName ?? '';
    row._addr = a.respondentAddress ?? '';
  }
  for (const q of s.questions) {
    const v = a.answers[q.id];
    if (q.type === 'matrix') for (const r of q.rows ?? []) row[`${q.id}.${r.id}`] = matrixCell(q, v, r.id);
    else if (q.type === 'number' || q.type === 'rating') row[q.id] = typeof v === 'number' ? v : '';
    else row[q.id] = answerLabel(q, v);
  }
  return row;
}

export function buildSurveyWorkbook(s: Stored<Survey>, pages: AsyncIterable<Stored<AnswerRecord>[]>, meta: SurveyExportMeta): Promise<Buffer> {
  return streamingBook(meta.exportedAt, async (wb) => {
    const ws = tableSheet(wb, '答卷', answerColumns(s));
    let n = 0;
    for await (const page of pages) for (const a of page) ws.addRow(answerRow(s, a, ++n)).commit();
    ws.commit();

    const sum = wb.addWorksheet('统计');
    sum.columns = [
      { header: '题目', key: 'q', width: 40 },
      { header: '选项', key: 'o', width: 24 },
      { header: '人数', key: 'c', width: 10 },
      { header: '比例', key: 'p', width: 10 },
    ];
    sum.getRow(1).font = { bold: true };
    const add = (q: string, o: string, c: number | string, p: string) => sum.addRow({ q, o, c, p }).commit();
    add('问卷', s.title, '', '');
    add('导出时间', `${shanghai(meta.exportedAt)}（北京时间）`, '', '');
    add('答卷总数', '', meta.total, '');
    add('其中代录', '', meta.staffEntered, '');
    if (meta.isTruncated()) add('提示', `答卷过多，仅导出前 ${n} 份`, '', '');
    meta.results.forEach((r, i) => {
      const title = `${i + 1}. ${r.title}（作答 ${r.answered}）`;
      for (const c of r.counts ?? []) add(title, c.label, c.count, `${c.percent}%`);
      if (r.average !== undefined && r.average !== null) add(title, '平均值', r.average, '');
      for (const row of r.matrix?.rows ?? []) {
        r.matrix!.columns.forEach((col, j) => add(`${title} - ${row.label}`, col.label, row.counts[j] ?? 0, ''));
      }
      for (const k of r.ranking ?? []) add(title, `${k.label}（平均排名）`, k.averageRank ?? '', `排第一 ${k.first}`);
      if (!r.counts && !r.matrix && !r.ranking && r.average === undefined) add(title, '文字答案见“答卷”表', r.answered, '');
    });
    if (!s.anonymous) add('注意', '表中含居民个人信息，仅供社区工作使用，请勿外传', '', '');
    sum.commit();
  });
}
