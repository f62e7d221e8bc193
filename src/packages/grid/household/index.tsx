import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useRef } from 'react';
import { KIND_LABELS } from '../../../features/visits/visits.labels';
import { api } from '../../../client/api';
import { useQuery } from '../../../client/hooks';
import { loadMe } from '../../../client/me';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { FOCUSABLE } from '../../../components/focusable';
import { formatDateTime } from '../../../components/format';
import { dueText, param, q } from '../ui';
import '../ui.scss';

/** One household: contact in full (its grid worker and the community admin), schedule, visit history. */
export default function HouseholdPage() {
  const id = param(useRouter().params.id) ?? '';
  const data = useQuery(() => api.visits.household({ id }), [id]);
  const me = useQuery(() => loadMe(), []);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void data.run();
    shown.current = true;
  });

  if (data.error) return <Page id="page-household"><ErrorState error={data.error} onRetry={() => void data.run()} /></Page>;
  if (!data.data) return <Page id="page-household"><LoadingState /></Page>;
  const { household: h, visits } = data.data;
  const worker = me.data?.member?.grants.some((g) => g.role === 'grid_worker') ?? false;
  const label = `${h.address} ${h.headName}`;
  const record = (followUpOf?: string) =>
    void Taro.navigateTo({ url: `/packages/grid/visit/index?${q({ householdId: h._id, label, followUpOf })}` });

  return (
    <Page id="page-household">
      <View id="household-info" className="section">
        <View className="title">{h.address}</View>
        <View>户主：{h.headName} · {h.membersCount} 人</View>
        <View>联系电话：{h.phone ?? '未登记'}</View>
        <View>所属网格：{h.gridName}</View>
        {h.tags.length > 0 && <View>标签：{h.tags.join('、')}</View>}
        {h.note && <View className="meta">备注：{h.note}</View>}
        <View id="household-due" className={h.overdueDays !== null && h.overdueDays > 0 ? 'danger-text' : 'meta'}>
          {dueText(h)}
          {h.everyDays ? `（每 ${h.everyDays} 天走访一次）` : ''}
        </View>
      </View>
      <View className="actions">
        {worker && (
          <Button id="household-record" type="primary" size="xlarge" block onClick={() => record()}>
            记录走访
          </Button>
        )}
        <Button id="household-edit" block onClick={() => void Taro.navigateTo({ url: `/packages/grid/household-edit/index?${q({ id: h._id })}` })}>
          修改住户信息
        </Button>
      </View>
      <View id="household-visits" className="grid-block">
        <View className="section-title">走访记录（共 {h.visitCount} 次）</View>
        {visits.length === 0 ? (
          <EmptyState text="还没有走访记录" />
        ) : (
          visits.map((v, i) => (
            <View key={v._id} id={`household-visit-${i}`} data-id={v._id} className="list-item">
              <View role="button" {...FOCUSABLE} onClick={() => void Taro.navigateTo({ url: `/packages/grid/visit-view/index?${q({ id: v._id })}` })}>
                <View className="row-between">
                  <View className="section-title">{KIND_LABELS[v.kind]}</View>
                  <View className="meta">{formatDateTime(v.visitedAt)}</View>
                </View>
                <View className="list-item-text">{v.findings}</View>
                <View className="meta">
                  {v.workerName}
                  {v.requests.length ? ` · ${v.requests.length} 条诉求` : ''}
                  {v.photoUrls.length ? ` · ${v.photoUrls.length} 张照片` : ''}
                </View>
              </View>
              {worker && (
                <Button id={`household-followup-${i}`} size="small" onClick={() => record(v._id)}>
                  回访
                </Button>
              )}
            </View>
          ))
        )}
      </View>
    </Page>
  );
}
