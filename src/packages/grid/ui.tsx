/** Small pieces shared by the grid worker's pages (and the visits admin pages). */
import { View } from '@tarojs/components';
import { KIND_LABELS } from '../../features/visits/visits.labels';
import type { FeedItem, HouseholdView } from '../../features/visits/visits.schema';
import { Button } from '../../components/nut/button';
import { FOCUSABLE } from '../../components/focusable';
import { formatDateTime } from '../../components/format';

export function Chip({ id, on, label, onClick }: { id: string; on: boolean; label: string; onClick: () => void }) {
  return (
    <Button id={id} className="chip" size="small" type={on ? 'primary' : 'default'} aria-pressed={on} onClick={onClick}>
      {on ? '✓ ' : ''}
      {label}
    </Button>
  );
}

/** Due state in words (never colour alone). */
export function dueText(h: Pick<HouseholdView, 'overdueDays' | 'dueDay' | 'lastVisitAt'>): string {
  if (h.overdueDays === null) return '无固定走访周期';
  if (h.overdueDays > 0) return h.lastVisitAt ? `已超期 ${h.overdueDays} 天` : '从未走访，请尽快走访';
  if (h.overdueDays === 0) return '今天应访';
  return `${h.dueDay} 应访`;
}

export function HouseholdRow({ id, h, onClick }: { id: string; h: HouseholdView; onClick: () => void }) {
  return (
    <View id={id} data-id={h._id} className="list-item" role="button" {...FOCUSABLE} onClick={onClick}>
      <View className="row-between">
        <View className="section-title">{h.address}</View>
        <View className={h.overdueDays !== null && h.overdueDays > 0 ? 'danger-text' : 'meta'}>{dueText(h)}</View>
      </View>
      <View className="list-item-text">
        {h.headName} · {h.membersCount} 人{h.tags.length ? ` · ${h.tags.join('、')}` : ''}
      </View>
      <View className="meta">{h.lastVisitAt ? `上次走访 ${formatDateTime(h.lastVisitAt)}` : '尚未走访'}</View>
    </View>
  );
}

export function FeedRow({ id, v, onClick, showWorker }: { id: string; v: FeedItem; onClick: () => void; showWorker?: boolean }) {
  return (
    <View id={id} data-id={v._id} className="list-item" role="button" {...FOCUSABLE} onClick={onClick}>
      <View className="row-between">
        <View className="section-title">{v.address}</View>
        <View className="meta">{KIND_LABELS[v.kind]}</View>
      </View>
      <View className="list-item-text">{v.excerpt}</View>
      <View className="meta">
        {v.headName} · {formatDateTime(v.visitedAt)}
        {showWorker ? ` · ${v.workerName}` : ''}
        {v.requestCount ? ` · ${v.requestCount} 条诉求` : ''}
        {v.photoCount ? ` · ${v.photoCount} 张照片` : ''}
      </View>
    </View>
  );
}

export const q = (params: Record<string, string | undefined>): string =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`)
    .join('&');

export const param = (v: string | undefined): string | undefined => (v ? decodeURIComponent(v) : undefined);
