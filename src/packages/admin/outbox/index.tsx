import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { api } from '../../../client/api';
import { usePaged } from '../../../client/hooks';
import { formatDateTime } from '../../../components/format';
import { Page } from '../../../components/page';
import { EmptyState, ErrorState, ListFooter, LoadingState } from '../../../components/states';
import './index.scss';

/** Demo mode only: the subscription messages the local host “sent” (on WeChat they would reach the phone). */
export default function Outbox() {
  const list = usePaged((cursor) => api.notify.outbox({ cursor, limit: 20 }), []);
  usePullDownRefresh(() => {
    void list.reload().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void list.loadMore());

  return (
    <Page id="page-outbox">
      <View className="title">消息发件箱（演示）</View>
      <View className="hint">演示模式下，订阅消息不发往微信，而是记在这里，最新的在前。</View>
      {list.error && !list.loaded ? (
        <ErrorState error={list.error} onRetry={() => void list.reload()} />
      ) : !list.loaded ? (
        <LoadingState />
      ) : list.items.length === 0 ? (
        <EmptyState text="还没有发出的消息：居民提交建议并允许通知后，答复建议即可看到" />
      ) : (
        <View id="outbox-list">
          {list.items.map((m, i) => (
            <View key={m._id} id={`outbox-item-${i}`} className="section outbox-item">
              <View className="outbox-head">
                <View className="outbox-template">{m.template}</View>
                <View className="hint">{formatDateTime(m.at)}</View>
              </View>
              <View className="hint">
                收件人 {m.openidMasked} · 模板 {m.templateId}
              </View>
              {Object.entries(m.data).map(([k, v]) => (
                <View key={k} className="outbox-field">
                  <View className="outbox-key">{k}</View>
                  <View className="outbox-value">{v}</View>
                </View>
              ))}
              {m.page && <View className="hint">打开页面：{m.page}</View>}
            </View>
          ))}
          <ListFooter list={list} idPrefix="outbox" />
        </View>
      )}
    </Page>
  );
}
