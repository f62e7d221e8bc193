import Taro, { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { KINDS, KIND_LABELS, type KindName } from '../../../features/visits/visits.labels';
import { api } from '../../../client/api';
import { usePaged, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState, ListFooter } from '../../../components/states';
import { shanghaiDaysAgo } from '../../../components/format';
import { Chip, FeedRow, param, q } from '../../grid/ui';
import '../../grid/ui.scss';

interface Filter {
  gridId?: string;
  kind?: KindName;
  from?: string;
}

/** Every visit of the community, newest first, filtered by grid, kind and period. */
export default function Feed() {
  const communityId = param(useRouter().params.communityId) ?? '';
  const grids = useQuery(() => api.visits.grids({ communityId }), [communityId]);
  const [f, setF] = useState<Filter>({});
  const set = (p: Partial<Filter>) => setF((x) => ({ ...x, ...p }));
  const list = usePaged((cursor) => api.visits.feed({ communityId, ...f, cursor, limit: 20 }), [communityId, f.gridId, f.kind, f.from]);
  usePullDownRefresh(() => {
    void list.reload().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => {
    void list.loadMore();
  });

  return (
    <Page id="page-visit-feed">
      <View className="section">
        <View className="field-label">网格</View>
        <View className="chips">
          <Chip id="feed-grid-all" on={!f.gridId} label="全部" onClick={() => set({ gridId: undefined })} />
          {(grids.data?.items ?? []).map((g, i) => (
            <Chip key={g._id} id={`feed-grid-${i}`} on={f.gridId === g._id} label={g.name} onClick={() => set({ gridId: g._id })} />
          ))}
        </View>
        <View className="field-label">类型</View>
        <View className="chips">
          <Chip id="feed-kind-all" on={!f.kind} label="全部" onClick={() => set({ kind: undefined })} />
          {KINDS.map((k) => (
            <Chip key={k} id={`feed-kind-${k}`} on={f.kind === k} label={KIND_LABELS[k]} onClick={() => set({ kind: k })} />
          ))}
        </View>
        <View className="field-label">时间</View>
        <View className="chips">
          <Chip id="feed-range-all" on={!f.from} label="全部" onClick={() => set({ from: undefined })} />
          <Chip id="feed-range-7" on={f.from === shanghaiDaysAgo(6)} label="近 7 天" onClick={() => set({ from: shanghaiDaysAgo(6) })} />
          <Chip id="feed-range-30" on={f.from === shanghaiDaysAgo(29)} label="近 30 天" onClick={() => set({ from: shanghaiDaysAgo(29) })} />
        </View>
      </View>
      {list.error && list.items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.reload()} />
      ) : !list.loaded ? (
        <LoadingState />
      ) : list.items.length === 0 ? (
        <EmptyState text="没有符合条件的走访记录" />
      ) : (
        <View id="feed-list">
          {list.items.map((v, i) => (
            <FeedRow key={v._id} id={`feed-item-${i}`} v={v} showWorker onClick={() => void Taro.navigateTo({ url: `/packages/grid/visit-view/index?${q({ id: v._id })}` })} />
          ))}
          <ListFooter list={list} idPrefix="feed" />
        </View>
      )}
    </Page>
  );
}
