import Taro, { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../client/api';
import { useAction, usePaged, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { EmptyState, ErrorState, ListFooter, LoadingState } from '../../../components/states';
import { MatterRow, param, thisYear } from '../shared';
import '../ui.scss';

/** A district admin records a claim for one of the district's (or the city's) leaders: pick the leader, then the matter. */
export default function RecordClaim() {
  const params = useRouter().params;
  const regionId = param(params.regionId);
  const year = Number(params.year) || thisYear();
  const leaders = useQuery(() => api.leaders.listLeaders({ regionId }), [regionId]);
  const [leaderId, setLeader] = useState<string | null>(null);
  const open = usePaged((cursor) => api.leaders.claimableMatters({ regionId, year, cursor }), [regionId, year]);
  usePullDownRefresh(() => void open.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void open.loadMore());
  const record = useAction(
    async (matterId: string) => {
      const r = await api.leaders.claimMatter({ matterId, leaderId: leaderId! });
      await open.reload();
      return r;
    },
    { successToast: '已登记认领' },
  );

  if (leaders.error) {
    return (
      <Page id="page-record-claim">
        <ErrorState error={leaders.error} onRetry={() => void leaders.run()} />
      </Page>
    );
  }
  if (!leaders.data) {
    return (
      <Page id="page-record-claim">
        <LoadingState />
      </Page>
    );
  }
  const picked = leaders.data.items.find((l) => l.memberId === leaderId) ?? null;
  return (
    <Page id="page-record-claim">
      <View className="section">
        <View className="title">为领导登记认领</View>
        {leaders.data.items.length === 0 ? (
          <EmptyState text="还没有认领领导，请先在认领墙生成领导邀请码" />
        ) : (
          <>
            <View className="meta">先选择认领的领导：</View>
            <View className="chips">
              {leaders.data.items.map((l, i) => (
                <Button key={`${l.memberId}-${l.regionId}`} id={`record-leader-${i}`} size="small" type={l.memberId === leaderId ? 'primary' : 'default'} aria-pressed={l.memberId === leaderId} onClick={() => setLeader(l.memberId)}>
                  {l.name}（{l.regionName}）
                </Button>
              ))}
            </View>
          </>
        )}
      </View>
      {picked && (
        <View className="section">
          <View className="section-title">为{picked.name}登记认领的实事</View>
          {open.error && !open.loaded ? (
            <ErrorState error={open.error} onRetry={() => void open.reload()} />
          ) : !open.loaded ? (
            <LoadingState />
          ) : open.items.length === 0 ? (
            <EmptyState text="本辖区还没有确定的实事" />
          ) : (
            open.items.map((m, i) => (
              <View key={m.matterId} className="un-row">
                <MatterRow id={`record-matter-${i}`} m={m} />
                {m.claimedBy.includes(picked.name) ? (
                  <View className="meta">已认领</View>
                ) : (
                  <Button id={`record-claim-${i}`} size="small" type="primary" loading={record.loading} onClick={() => void record.run(m.matterId)}>
                    登记认领
                  </Button>
                )}
              </View>
            ))
          )}
          <ListFooter list={open} idPrefix="record" />
        </View>
      )}
    </Page>
  );
}
