import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../client/api';
import { useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { FOCUSABLE } from '../../../components/focusable';
import { ElderSwitch } from '../../../components/elder-switch';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { MatterLine, typeLabel } from '../shared';
import '../ui.scss';

/** A unit contact's home: my unit, the communities it serves (共建), and the matters it leads or supports. */
export default function UnitHome() {
  const mine = useQuery(() => api.units.myUnits({}), []);
  const [picked, setPicked] = useState<string | null>(null);
  const unitId = picked ?? mine.data?.items[0]?._id ?? null;
  const unit = useQuery(() => api.units.getUnit({ unitId: unitId as string }), [unitId], { enabled: !!unitId });
  usePullDownRefresh(() => {
    void Promise.all([mine.run(), unitId ? unit.run() : null]).finally(() => Taro.stopPullDownRefresh());
  });

  const error = mine.error ?? unit.error;
  let body;
  if (error) body = <ErrorState error={error} onRetry={() => void (mine.error ? mine.run() : unit.run())} />;
  else if (!mine.data) body = <LoadingState />;
  else if (!unitId) body = <EmptyState text="您还不是共建单位联系人" />;
  else if (!unit.data) body = <LoadingState />;
  else {
    const u = unit.data;
    body = (
      <>
        {mine.data.items.length > 1 && (
          <View className="chips">
            {mine.data.items.map((x, i) => (
              <Button key={x._id} id={`unit-home-pick-${i}`} size="small" type={x._id === unitId ? 'primary' : 'default'} onClick={() => setPicked(x._id)}>
                {x.name}
              </Button>
            ))}
          </View>
        )}
        <View className="section">
          <View id="unit-home-name" className="title">
            {u.name}
          </View>
          <View className="meta">
            {typeLabel(u.type)} · 登记于{u.homeRegionName}
          </View>
          {u.partyHead && (
            <View id="unit-home-party-head" className="meta">
              兼职委员：{u.partyHead.name}
              {u.partyHeadCommunityName ? `（${u.partyHeadCommunityName}）` : ''}
            </View>
          )}
        </View>
        <View className="section">
          <View className="section-title">结对共建的社区</View>
          {u.communities.length === 0 ? (
            <EmptyState text="还没有结对的社区" />
          ) : (
            <View id="unit-home-communities">{u.communities.map((c) => c.name).join('、')}</View>
          )}
        </View>
        <View className="section">
          <View className="section-title">承担的实事（{u.matters.length}）</View>
          {u.matters.length === 0 ? (
            <EmptyState text="社区还没有把实事交给本单位" />
          ) : (
            u.matters.map((m, i) => (
              <View
                key={m.matterId}
                id={`unit-home-row-${i}`}
                className="un-row"
                role="button"
                {...FOCUSABLE}
                onClick={() => void Taro.navigateTo({ url: `/packages/units/progress/index?id=${encodeURIComponent(m.matterId)}` })}
              >
                <MatterLine id={`unit-home-matter-${i}`} title={m.title} sub={`${m.communityName} · ${m.year} 年`} state={m.state} progress={m.progress} role={m.role} />
                <View className="meta">发布进展 ›</View>
              </View>
            ))
          )}
        </View>
      </>
    );
  }
  return (
    <Page id="page-unit-home">
      {body}
      <ElderSwitch />
    </Page>
  );
}
