import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useRef, useState } from 'react';
import { TAGS, type TagName as Tag } from '../../../features/visits/visits.labels';
import { api } from '../../../client/api';
import { usePaged, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { EmptyState, ErrorState, LoadingState, ListFooter } from '../../../components/states';
import { Chip, HouseholdRow, param, q } from '../ui';
import '../ui.scss';

/** A grid's ledger: the grid worker's own grids (or the grid an admin opened), filtered by tag or due. */
export default function Households() {
  const given = param(useRouter().params.gridId);
  const grids = useQuery(() => api.visits.myGrids({}), [], { enabled: !given });
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const gridId = given ?? picked ?? grids.data?.items[0]?._id;
  const [tag, setTag] = useState<Tag | undefined>(undefined);
  const [dueOnly, setDueOnly] = useState(false);

  const list = usePaged((cursor) => (gridId ? api.visits.households({ gridId, tag, dueOnly, cursor, limit: 20 }) : Promise.resolve({ items: [], nextCursor: null })), [gridId, tag, dueOnly]);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    void list.reload().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => {
    void list.loadMore();
  });

  if (!given && grids.error) return <Page id="page-grid-households"><ErrorState error={grids.error} onRetry={() => void grids.run()} /></Page>;
  if (!gridId) return <Page id="page-grid-households">{grids.loading ? <LoadingState /> : <EmptyState text="您还没有负责的网格，请联系社区管理员" />}</Page>;

  return (
    <Page id="page-grid-households">
      {!given && (grids.data?.items.length ?? 0) > 1 && (
        <View className="chips">
          {grids.data!.items.map((g) => (
            <Chip key={g._id} id={`households-grid-${g._id}`} on={g._id === gridId} label={`${g.communityName}${g.name}`} onClick={() => setPicked(g._id)} />
          ))}
        </View>
      )}
      <View className="chips">
        <Chip id="households-all" on={!tag && !dueOnly} label="全部" onClick={() => { setTag(undefined); setDueOnly(false); }} />
        <Chip id="households-due" on={dueOnly} label="到期应访" onClick={() => { setDueOnly(true); setTag(undefined); }} />
        {TAGS.map((t, i) => (
          <Chip key={t} id={`households-tag-${i}`} on={tag === t} label={t} onClick={() => { setTag(t); setDueOnly(false); }} />
        ))}
      </View>
      <Button id="households-add" block onClick={() => void Taro.navigateTo({ url: `/packages/grid/household-edit/index?${q({ gridId })}` })}>
        新增住户
      </Button>
      {list.error && list.items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.reload()} />
      ) : !list.loaded ? (
        <LoadingState />
      ) : list.items.length === 0 ? (
        <EmptyState text={tag || dueOnly ? '没有符合条件的住户' : '台账里还没有住户'} />
      ) : (
        <View id="households-list">
          {list.items.map((h, i) => (
            <HouseholdRow key={h._id} id={`households-item-${i}`} h={h} onClick={() => void Taro.navigateTo({ url: `/packages/grid/household/index?${q({ id: h._id })}` })} />
          ))}
          <ListFooter list={list} idPrefix="households" />
        </View>
      )}
    </Page>
  );
}
