import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useEffect, useRef } from 'react';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { startVisitOutbox, useVisitOutbox } from '../../../client/visit-outbox';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { FOCUSABLE } from '../../../components/focusable';
import { formatDate } from '../../../components/format';
import { FeedRow, HouseholdRow, q } from '../ui';
import '../ui.scss';

const go = (url: string) => void Taro.navigateTo({ url });

/** The grid worker's day: what is waiting to upload, care alerts, households due, this week's visits. */
export default function GridDay() {
  const day = useQuery(() => api.visits.today({}), []);
  const { entries } = useVisitOutbox();
  const waiting = entries.length;
  const shown = useRef(false);
  useEffect(() => startVisitOutbox(), []);
  useDidShow(() => {
    if (shown.current) void day.run();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    void day.run().finally(() => Taro.stopPullDownRefresh());
  });
  const resolve = useAction(async (id: string) => {
    await api.visits.resolveAlert({ id });
    await day.run();
    return id;
  }, { successToast: '已处理' });

  const d = day.data;
  return (
    <Page id="page-grid-day">
      {waiting > 0 && (
        <View id="day-outbox" className="grid-strip" role="button" {...FOCUSABLE} onClick={() => go('/packages/grid/outbox/index')}>
          <View>待上传 {waiting} 条走访记录</View>
          <View>查看 ›</View>
        </View>
      )}
      <View className="actions">
        <Button id="day-households" block onClick={() => go('/packages/grid/households/index')}>
          住户台账
        </Button>
      </View>
      {day.error ? (
        <ErrorState error={day.error} onRetry={() => void day.run()} />
      ) : !d ? (
        <LoadingState />
      ) : (
        <View>
          {d.alerts.length > 0 && (
            <View id="day-alerts" className="grid-block">
              <View className="section-title">关爱提醒（{d.alerts.length}）</View>
              {d.alerts.map((a, i) => (
                <View key={a._id} id={`day-alert-${i}`} className="list-item">
                  <View className="list-item-text">{a.reason}</View>
                  <View className="meta">
                    {a.address ?? '未关联住户'} · {formatDate(a.createdAt)}
                  </View>
                  <View className="row">
                    {a.householdId && (
                      <Button id={`day-alert-open-${i}`} size="small" onClick={() => go(`/packages/grid/household/index?${q({ id: a.householdId! })}`)}>
                        查看住户
                      </Button>
                    )}
                    <Button id={`day-alert-done-${i}`} size="small" loading={resolve.loading} onClick={() => void resolve.run(a._id)}>
                      已处理
                    </Button>
                  </View>
                </View>
              ))}
            </View>
          )}
          <View id="day-due" className="grid-block">
            <View className="section-title">今天应走访（{d.due.length}{d.dueMore ? '+' : ''} 户）</View>
            {d.due.length === 0 ? (
              <EmptyState text="今天没有到期的走访" />
            ) : (
              d.due.map((h, i) => <HouseholdRow key={h._id} id={`day-due-${i}`} h={h} onClick={() => go(`/packages/grid/household/index?${q({ id: h._id })}`)} />)
            )}
          </View>
          <View id="day-week" className="grid-block">
            <View className="section-title">本周已走访 {d.weekCount} 次</View>
            {d.week.map((v, i) => (
              <FeedRow key={v._id} id={`day-week-${i}`} v={v} onClick={() => go(`/packages/grid/visit-view/index?${q({ id: v._id })}`)} />
            ))}
          </View>
        </View>
      )}
    </Page>
  );
}
