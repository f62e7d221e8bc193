/** Server only: the 公示 sheet of a community's list as .xlsx (to print and post, or to file). */
import type { Stored } from '../../server/store/store';
import { notesSheet, shanghaiDateTime, streamingBook, tableSheet } from '../../server/xlsx';
import { STAGE_LABELS, STEP_LABELS } from './matters.labels';
import type { Demand, SlateView } from './matters.schema';

const ITEMS = [
  { header: '序号', key: 'n', width: 6 },
  { header: '事项', key: 'title', width: 30 },
  { header: '提议理由', key: 'reason', width: 40 },
  { header: '支持居民（人）', key: 'supporters', width: 14 },
  { header: '另有匿名支持', key: 'anonymous', width: 12 },
  { header: '居民代表会议表决（赞成/反对/弃权）', key: 'vote', width: 30 },
] as const;

const LEFT_OUT = [
  { header: '需求', key: 'title', width: 30 },
  { header: '支持居民（人）', key: 'supporters', width: 14 },
  { header: '未列入原因', key: 'reason', width: 50 },
] as const;

export const SLATE_EXPORT_HEADERS: readonly string[] = ITEMS.map((c) => c.header);

export function buildSlateWorkbook(
  slate: SlateView,
  meta: { communityName: string; exportedAt: string; demands: Map<string, Stored<Demand>>; leftOut: Stored<Demand>[] },
): Promise<Buffer> {
  return streamingBook(meta.exportedAt, (wb) => {
    const ws = tableSheet(wb, '公示清单', ITEMS.map((c) => ({ ...c })));
    const resolution = slate.steps.find((s) => s.step === 'resolution');
    slate.items.forEach((item, i) => {
      const v = resolution?.votes[item.demandId];
      const d = meta.demands.get(item.demandId);
      ws.addRow({ n: i + 1, title: item.title, reason: item.reason, supporters: d?.supporters ?? item.supporters, anonymous: d?.anonymous ?? 0, vote: v ? `${v.for} / ${v.against} / ${v.abstain}` : '' }).commit();
    });
    ws.commit();
    if (meta.leftOut.length) {
      const lo = tableSheet(wb, '未列入的需求', LEFT_OUT.map((c) => ({ ...c })));
      for (const d of meta.leftOut) lo.addRow({ title: d.title, supporters: d.supporters, reason: d.leftOut?.text ?? '' }).commit();
      lo.commit();
    }
    notesSheet(wb, [
      { k: '标题', v: `${meta.communityName}${slate.year}年“十件实事”${slate.fixedAt ? '清单' : '公示'}` },
      { k: '当前阶段', v: STAGE_LABELS[slate.stage] },
      { k: '公示期', v: slate.publicity ? `${shanghaiDateTime(slate.publicity.start)} 至 ${shanghaiDateTime(slate.publicity.end)}` : '尚未公示' },
      { k: '居民异议', v: `${slate.objections} 条，未答复 ${slate.unanswered} 条` },
      ...slate.steps.map((s) => ({ k: STEP_LABELS[s.step], v: `${s.date}，应到 ${s.expected} 人，实到 ${s.present} 人` })),
      { k: '导出时间', v: shanghaiDateTime(meta.exportedAt) },
    ]);
  });
}
