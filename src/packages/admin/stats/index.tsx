import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { api } from '../../../client/api';
import { useQuery } from '../../../client/hooks';
import { loadMe } from '../../../client/me';
import { Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import './index.scss';

/** District and city admins: counts per community, no residents' personal data. */
export default function Stats() {
  const params = useRouter().params;
  const me = useQuery(() => loadMe(), []);
  const grant = me.data?.member?.grants.find((g) => g.role === 'district_admin' || g.role === 'city_admin');
  const regionId = params.regionId ? decodeURIComponent(params.regionId) : grant?.regionId;
  const regionName = me.data?.member?.grants.find((g) => g.regionId === regionId)?.regionName;

  const stats = useQuery(() => api.suggestions.stats({ regionId: regionId as string }), [regionId], { enabled: !!regionId });
  usePullDownRefresh(() => {
    void stats.run().finally(() => Taro.stopPullDownRefresh());
  });

  const items = stats.data?.items ?? [];
  const total = items.reduce((a, c) => ({ collected: a.collected + c.collected, replied: a.replied + c.replied }), { collected: 0, replied: 0 });
  const error = me.error ?? stats.error;

  return (
    <Page id="page-stats">
      <View className="title">{regionName ?? ''}意见箱统计</View>
      {error ? (
        <ErrorState error={error} onRetry={() => void (me.error ? me.run() : stats.run())} />
      ) : !regionId && !me.loading ? (
        <EmptyState text="您没有区、市级管理权限" />
      ) : !stats.data ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState text="辖区内还没有社区数据" />
      ) : (
        <View id="stats-table" className="section stats-table" role="table" aria-label="各社区意见箱统计">
          <View className="stats-row stats-head" role="row">
            <View className="stats-name" role="columnheader">社区</View>
            <View className="stats-num" role="columnheader">收到</View>
            <View className="stats-num" role="columnheader">已答复</View>
            <View className="stats-num" role="columnheader">答复用时中位数</View>
          </View>
          {items.map((c, i) => (
            <View key={c.communityId} id={`stats-row-${i}`} data-id={c.communityId} className="stats-row" role="row">
              <View className="stats-name" role="cell">{c.communityName}</View>
              <View className="stats-num" role="cell">{c.collected}</View>
              <View className="stats-num" role="cell">{c.replied}</View>
              <View className="stats-num" role="cell">{c.medianDaysToFirstReply === null ? '暂无' : `${c.medianDaysToFirstReply} 天`}</View>
            </View>
          ))}
          <View id="stats-total" className="stats-row stats-total" role="row">
            <View className="stats-name" role="cell">合计</View>
            <View className="stats-num" role="cell">{total.collected}</View>
            <View className="stats-num" role="cell">{total.replied}</View>
            <View className="stats-num" role="cell">—</View>
          </View>
        </View>
      )}
    </Page>
  );
}
