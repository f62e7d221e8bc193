import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useRef, useState } from 'react';
import { api } from '../../../client/api';
import { useAction, usePaged, useQuery } from '../../../client/hooks';
import { loadMe } from '../../../client/me';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { FOCUSABLE } from '../../../components/focusable';
import { ElderSwitch } from '../../../components/elder-switch';
import { EmptyState, ErrorState, ListFooter, LoadingState } from '../../../components/states';
import { leaderGrant, MatterRow, thisYear } from '../shared';
import '../ui.scss';

/** A leader's page: the matters I claimed (across communities), and this year's matters of my region to claim. */
export default function Claims() {
  const me = useQuery(() => loadMe(), []);
  const grant = leaderGrant(me.data?.member?.grants);
  const [tab, setTab] = useState<'mine' | 'claim'>('mine');
  const mine = useQuery(() => api.leaders.myClaims({}), []);
  const year = thisYear();
  const region = grant?.regionId ?? '';
  const open = usePaged((cursor) => (region ? api.leaders.claimableMatters({ regionId: region, year, cursor }) : Promise.resolve({ items: [], nextCursor: null })), [region, year]);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) {
      void mine.run();
      void open.reload();
    }
    shown.current = true;
  });
  usePullDownRefresh(() => void Promise.all([mine.run(), open.reload()]).finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void (tab === 'claim' && open.loadMore()));
  const claim = useAction(
    async (matterId: string) => {
      await api.leaders.claimMatter({ matterId });
      await Promise.all([mine.run(), open.reload()]);
    },
    { successToast: '已认领' },
  );
  const go = (matterId: string) => () => void Taro.navigateTo({ url: `/packages/leader/claim/index?matterId=${encodeURIComponent(matterId)}` });

  if (me.error || mine.error) {
    return (
      <Page id="page-leader">
        <ErrorState error={(me.error ?? mine.error)!} onRetry={() => void (me.error ? me.run() : mine.run())} />
      </Page>
    );
  }
  if (!me.data || !mine.data) {
    return (
      <Page id="page-leader">
        <LoadingState />
      </Page>
    );
  }
  if (!grant) {
    return (
      <Page id="page-leader">
        <EmptyState text="您不是认领领导" />
      </Page>
    );
  }
  return (
    <Page id="page-leader">
      <View className="section">
        <View className="title">{grant.regionName ?? ''} 领导认领</View>
        <View className="chips">
          <Button id="leader-tab-mine" size="small" type={tab === 'mine' ? 'primary' : 'default'} aria-pressed={tab === 'mine'} onClick={() => setTab('mine')}>
            我认领的（{mine.data.items.length}）
          </Button>
          <Button id="leader-tab-claim" size="small" type={tab === 'claim' ? 'primary' : 'default'} aria-pressed={tab === 'claim'} onClick={() => setTab('claim')}>
            认领实事
          </Button>
          <Button id="leader-wall" size="small" onClick={() => void Taro.navigateTo({ url: `/packages/leader/wall/index?regionId=${encodeURIComponent(grant.regionId)}` })}>
            认领墙
          </Button>
        </View>
      </View>
      {tab === 'mine' ? (
        <View className="section">
          {mine.data.items.length === 0 ? (
            <EmptyState text="还没有认领实事，到“认领实事”中选择" />
          ) : (
            mine.data.items.map((m, i) => (
              <View key={m.matterId} className="un-row" {...FOCUSABLE} onClick={go(m.matterId)}>
                <MatterRow id={`leader-mine-${i}`} m={m} />
                <View className="meta">协调 {m.notes} 次</View>
              </View>
            ))
          )}
        </View>
      ) : (
        <View className="section">
          <View className="meta">{year} 年本辖区各社区确定的实事</View>
          {open.error && !open.loaded ? (
            <ErrorState error={open.error} onRetry={() => void open.reload()} />
          ) : !open.loaded ? (
            <LoadingState />
          ) : open.items.length === 0 ? (
            <EmptyState text="本辖区还没有确定的实事" />
          ) : (
            open.items.map((m, i) => (
              <View key={m.matterId} className="un-row">
                <MatterRow id={`leader-open-${i}`} m={m} />
                {m.mine ? (
                  <Button id={`leader-open-view-${i}`} size="small" onClick={go(m.matterId)}>
                    已认领
                  </Button>
                ) : (
                  <Button id={`leader-claim-${i}`} size="small" type="primary" loading={claim.loading} onClick={() => void claim.run(m.matterId)}>
                    认领
                  </Button>
                )}
              </View>
            ))
          )}
          <ListFooter list={open} idPrefix="leader-open" />
        </View>
      )}
      <ElderSwitch />
    </Page>
  );
}
