import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useRef } from 'react';
import { api } from '../../../client/api';
import { usePaged } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { FOCUSABLE } from '../../../components/focusable';
import { EmptyState, ErrorState, ListFooter, LoadingState } from '../../../components/states';
import { param, thisYear, typeLabel } from '../shared';
import '../ui.scss';

/** A district's registry of co-building units, or the units linked to a community; register a new one. */
export default function UnitsList() {
  const params = useRouter().params;
  const regionId = param(params.regionId);
  const community = params.kind === 'community';
  const list = usePaged((cursor) => api.units.listUnits({ regionId, cursor }), [regionId]);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.loadMore());
  const go = (url: string) => () => void Taro.navigateTo({ url });

  return (
    <Page id="page-units">
      <View className="section">
        <View className="title">{community ? '本社区的共建单位' : '辖区共建单位'}</View>
        <View className="meta">{community ? '已与本社区结对的单位；本社区登记的单位可在此编辑。' : '本区县及所辖社区登记的单位。'}</View>
        <Button id="units-new" type="primary" block onClick={go(`/packages/units/form/index?homeRegionId=${encodeURIComponent(regionId)}`)}>
          登记共建单位
        </Button>
        {community && (
          <Button id="units-matters" block onClick={go(`/packages/units/matters/index?communityId=${encodeURIComponent(regionId)}&year=${thisYear()}`)}>
            实事的牵头和配合单位
          </Button>
        )}
      </View>
      <View className="section">
        {list.error && !list.loaded ? (
          <ErrorState error={list.error} onRetry={() => void list.reload()} />
        ) : !list.loaded ? (
          <LoadingState />
        ) : list.items.length === 0 ? (
          <EmptyState text="还没有共建单位，点上方按钮登记" />
        ) : (
          list.items.map((u, i) => (
            <View key={u._id} id={`units-row-${i}`} className="un-row" {...FOCUSABLE} onClick={go(`/packages/units/unit/index?unitId=${encodeURIComponent(u._id)}`)}>
              <View className="grow">
                <View>{u.name}</View>
                <View className="meta">
                  {typeLabel(u.type)} · {u.homeRegionName}登记 · 结对 {u.communityIds.length} 个社区
                  {u.partyHead ? ` · 兼职委员 ${u.partyHead.name}` : ''}
                </View>
              </View>
              {!u.managed && <View className="un-tag">区级单位</View>}
            </View>
          ))
        )}
        <ListFooter list={list} idPrefix="units" />
      </View>
    </Page>
  );
}
