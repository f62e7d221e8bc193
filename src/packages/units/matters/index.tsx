import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useRef } from 'react';
import { api } from '../../../client/api';
import { usePaged } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { FOCUSABLE } from '../../../components/focusable';
import { EmptyState, ErrorState, ListFooter, LoadingState } from '../../../components/states';
import { MatterLine, param, thisYear } from '../shared';
import '../ui.scss';

/** The community's matters of the year with their lead and supporting units; tap one to set them. */
export default function MatterUnits() {
  const params = useRouter().params;
  const communityId = param(params.communityId);
  const year = Number(params.year) || thisYear();
  const list = usePaged((cursor) => api.units.communityMatters({ communityId, year, cursor }), [communityId, year]);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.loadMore());
  return (
    <Page id="page-matter-units">
      <View className="section">
        <View className="title">{year} 年实事的承办单位</View>
        <View className="meta">每件实事一个牵头单位，可有多个配合单位；只能选择与本社区结对的共建单位。</View>
      </View>
      <View className="section">
        {list.error && !list.loaded ? (
          <ErrorState error={list.error} onRetry={() => void list.reload()} />
        ) : !list.loaded ? (
          <LoadingState />
        ) : list.items.length === 0 ? (
          <EmptyState text="本年度实事清单确定后，在这里为每件实事指定承办单位" />
        ) : (
          list.items.map((m, i) => (
            <View
              key={m.matterId}
              id={`matter-units-row-${i}`}
              className="un-row"
              {...FOCUSABLE}
              onClick={() => void Taro.navigateTo({ url: `/packages/units/assign/index?matterId=${encodeURIComponent(m.matterId)}&communityId=${encodeURIComponent(communityId)}` })}
            >
              <View className="grow">
                <MatterLine id={`matter-units-matter-${i}`} title={m.title} state={m.state} progress={m.progress} />
                <View className="meta">
                  牵头：{m.lead?.name ?? '未指定'}
                  {m.supports.length > 0 ? `；配合：${m.supports.map((s) => s.name).join('、')}` : ''}
                </View>
              </View>
            </View>
          ))
        )}
        <ListFooter list={list} idPrefix="matter-units" />
      </View>
    </Page>
  );
}
