import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { FUNDING_LABELS, type FundingSource } from '../../../features/matters/matters.labels';
import { MATTER_STATE_LABELS, PHOTO_TAG_LABELS } from '../../../features/matters/plan.rules';
import type { MatterPage as MatterPageData, UpdateView } from '../../../features/matters/plan.schema';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { ElderSwitch } from '../../../components/elder-switch';
import { PhotoGrid } from '../../../components/photo-grid';
import { ProgressBar } from '../../../components/progress-bar';
import { ErrorState, LoadingState } from '../../../components/states';
import { formatDate, formatDateTime } from '../../../components/format';
import './index.scss';

const yuan = (fen: number): string => `${(fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;

/** One matter for residents: how far it is, who does it, the money, the milestones and the photo timeline. */
export default function MatterPage() {
  const id = decodeURIComponent(useRouter().params.id ?? '');
  const q = useQuery(() => api.matters.getMatter({ matterId: id }), [id], { enabled: !!id });
  usePullDownRefresh(() => {
    void q.run().finally(() => Taro.stopPullDownRefresh());
  });
  return (
    <Page id="page-matter">
      {q.error ? <ErrorState error={q.error} onRetry={() => void q.run()} /> : !q.data ? <LoadingState /> : <Body key={q.data.updates.items[0]?._id ?? 'none'} d={q.data} />}
      <ElderSwitch />
    </Page>
  );
}

function Body({ d }: { d: MatterPageData }) {
  const { matter: m, plan } = d;
  return (
    <>
      <View className="section">
        <View id="matter-title" className="title">
          {m.title}
        </View>
        <View className="meta">
          {MATTER_STATE_LABELS[m.state] ?? m.state}
          {m.startedAt ? ` · ${formatDate(m.startedAt)} 开工` : ''}
        </View>
        <ProgressBar id="matter-progress" value={m.progress} overdue={m.overdue} />
        {m.overdue && (
          <View id="matter-overdue" className="matter-tag-late">
            有节点已逾期（应于 {m.nextDue} 完成）
          </View>
        )}
        {m.leadUnit && <View className="meta">牵头单位：{m.leadUnit.name}</View>}
        {m.supportUnits.length > 0 && <View className="meta">配合单位：{m.supportUnits.map((u) => u.name).join('、')}</View>}
        {m.claimedBy.length > 0 && <View className="meta">认领领导：{m.claimedBy.join('、')}</View>}
        {(m.state === 'completed' || m.state === 'accepted' || m.state === 'reopened') && (
          <Button id="matter-result" type="primary" size="large" block onClick={() => void Taro.navigateTo({ url: `/packages/matters/result/index?id=${encodeURIComponent(m._id)}` })}>
            {m.state === 'accepted' ? '实施结果与居民评价' : '实施结果'}
          </Button>
        )}
      </View>

      {plan.budgetTotal > 0 && (
        <View id="matter-budget" className="section">
          <View className="section-title">资金</View>
          <View>
            预算 {yuan(plan.budgetTotal)}，已支出 {yuan(plan.spent)}
          </View>
          <View className="meta">
            {Object.entries(plan.budget)
              .filter(([, v]) => v > 0)
              .map(([k, v]) => `${FUNDING_LABELS[k as FundingSource] ?? k} ${yuan(v)}`)
              .join('；')}
          </View>
        </View>
      )}

      <View id="matter-milestones" className="section">
        <View className="section-title">实施节点</View>
        {plan.milestones.length === 0 && <View className="muted">社区正在制定实施计划。</View>}
        {plan.milestones.map((ms, i) => (
          <View key={ms.id} id={`matter-ms-${i}`} className="matter-milestone">
            <View className="row-between wrap">
              <View>
                {ms.title}（{ms.weight}%）
              </View>
              {ms.done ? <View className="matter-done">已完成</View> : ms.overdue ? <View className="matter-tag-late">已逾期</View> : null}
            </View>
            <View className="meta">
              {ms.owner.label} · {ms.start} 至 {ms.due}
            </View>
          </View>
        ))}
      </View>

      <Timeline matterId={m._id} first={d.updates} />
    </>
  );
}

function Timeline({ matterId, first }: { matterId: string; first: MatterPageData['updates'] }) {
  const [items, setItems] = useState<UpdateView[]>(first.items);
  const [cursor, setCursor] = useState<string | null>(first.nextCursor);
  const more = useAction(async () => {
    const page = await api.matters.listUpdates({ matterId, cursor });
    setItems((xs) => [...xs, ...page.items]);
    setCursor(page.nextCursor);
    return page;
  });
  return (
    <View id="matter-timeline" className="section">
      <View className="section-title">进展与照片</View>
      {items.length === 0 && <View className="muted">还没有进展，开工后会在这里更新。</View>}
      {items.map((u, i) => (
        <View key={u._id} id={`matter-update-${i}`} className="matter-update">
          <View className="row-between wrap">
            <View className="meta">{u.byLabel}</View>
            <View className="meta">{formatDateTime(u.at)}</View>
          </View>
          <View>{u.text}</View>
          {u.done && <View className="matter-done">节点完成</View>}
          {u.photos.length > 0 && (
            <>
              <PhotoGrid id={`matter-photos-${i}`} urls={u.photos.flatMap((p) => (p.url ? [p.url] : []))} />
              <View className="meta">{tagSummary(u.photos)}</View>
            </>
          )}
        </View>
      ))}
      {cursor && (
        <Button id="matter-more" size="large" block loading={more.loading} disabled={more.loading} onClick={() => void more.run()}>
          查看更早的进展
        </Button>
      )}
    </View>
  );
}

function tagSummary(photos: UpdateView['photos']): string {
  const n = new Map<string, number>();
  for (const p of photos) n.set(p.tag, (n.get(p.tag) ?? 0) + 1);
  return [...n].map(([t, c]) => `${PHOTO_TAG_LABELS[t as keyof typeof PHOTO_TAG_LABELS]} ${c} 张`).join(' · ');
}
