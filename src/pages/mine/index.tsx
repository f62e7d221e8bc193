import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useRef } from 'react';
import { api } from '../../client/api';
import { usePaged } from '../../client/hooks';
import { Page } from '../../components/page';
import { Button } from '../../components/nut/button';
import { StatusTag } from '../../components/status-tag';
import { EmptyState, ErrorState, LoadingState, ListFooter } from '../../components/states';
import { formatDate } from '../../components/format';
import { FOCUSABLE } from '../../components/focusable';

export default function Mine() {
  const list = usePaged((cursor) => api.suggestions.mine({ cursor }), []);
  const shown = useRef(false);

  useDidShow(() => {
    // Coming back from a detail page: statuses may have changed.
    if (shown.current) void list.reload();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    void list.reload().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => {
    void list.loadMore();
  });

  return (
    <Page id="page-mine">
      <View className="title">我的建议</View>
      {list.error && list.items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.reload()} />
      ) : !list.loaded ? (
        <LoadingState />
      ) : list.items.length === 0 ? (
        <EmptyState text="还没有提过建议">
          <Button id="mine-go-suggest" type="primary" onClick={() => void Taro.redirectTo({ url: '/pages/suggest/index' })}>
            去提建议
          </Button>
        </EmptyState>
      ) : (
        <View id="mine-list">
          {list.items.map((s, i) => (
            <View
              key={s._id}
              id={`mine-item-${i}`}
              data-id={s._id}
              className="list-item"
              role="button" {...FOCUSABLE}
              onClick={() => void Taro.navigateTo({ url: `/pages/suggestion/index?id=${encodeURIComponent(s._id)}` })}
            >
              <View className="row-between">
                <View className="section-title">{s.category}</View>
                <StatusTag status={s.status} />
              </View>
              <View className="list-item-text">{s.text.length > 60 ? `${s.text.slice(0, 60)}…` : s.text}</View>
              <View className="meta">
                {formatDate(s.createdAt)}
                {s.photoUrls.length > 0 ? ` · ${s.photoUrls.length} 张照片` : ''}
                {s.timeline.some((t) => t.kind === 'reply') ? ' · 有答复' : ''}
              </View>
            </View>
          ))}
          <ListFooter list={list} idPrefix="mine" />
        </View>
      )}
    </Page>
  );
}
