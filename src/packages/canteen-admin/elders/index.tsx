import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useRef, useState } from 'react';
import { CATEGORY_LABELS, ELDER_STATUS_LABELS, type ElderStatusName as ElderStatus } from '../../../features/canteen/canteen.labels';
import { api } from '../../../client/api';
import { usePaged, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { FOCUSABLE } from '../../../components/focusable';
import { param, rememberElders } from '../shared';

const FILTERS: (ElderStatus | 'all')[] = ['all', 'applied', 'approved', 'suspended', 'moved', 'deceased'];

/** 助餐对象 of a community, filtered by status; names and phones as the action masks them. */
export default function Elders() {
  const communityId = param(useRouter().params.communityId);
  const [status, setStatus] = useState<ElderStatus | 'all'>('all');
  const list = usePaged(
    async (cursor) => {
      const page = await api.canteen.listElders({ communityId, cursor, ...(status === 'all' ? {} : { status }) });
      rememberElders(page.items);
      return page;
    },
    [communityId, status],
  );
  const canteens = useQuery(async () => (await api.canteen.myCanteens({})).items.filter((c) => c.communityId === communityId), [communityId]);
  // Back from an elder's page: show the status changed there.
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });
  const go = (url: string) => () => void Taro.navigateTo({ url });
  const q = `communityId=${encodeURIComponent(communityId)}`;

  return (
    <Page id="page-canteen-elders">
      <View className="section actions">
        <Button id="elders-import" type="primary" block onClick={go(`/packages/canteen-admin/import/index?${q}`)}>
          导入助餐名册（Excel）
        </Button>
        <Button id="elders-cards" block onClick={go(`/packages/canteen/cards/index?${q}`)}>
          打印助餐卡
        </Button>
        {(canteens.data ?? []).map((c, i) => (
          <Button key={c._id} id={`elders-prices-${i}`} block onClick={go(`/packages/canteen-admin/prices/index?canteenId=${encodeURIComponent(c._id)}`)}>
            {c.name} · 餐费标准
          </Button>
        ))}
      </View>
      <View className="section">
        <View className="chips">
          {FILTERS.map((f) => (
            <Button key={f} id={`elders-filter-${f}`} className="chip" size="small" type={status === f ? 'primary' : 'default'} aria-pressed={status === f} onClick={() => setStatus(f)}>
              {f === 'all' ? '全部' : ELDER_STATUS_LABELS[f]}
            </Button>
          ))}
        </View>
      </View>
      {list.error && list.items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.reload()} />
      ) : !list.loaded ? (
        <LoadingState />
      ) : list.items.length === 0 ? (
        <EmptyState text={status === 'all' ? '本社区还没有助餐对象' : `没有“${ELDER_STATUS_LABELS[status]}”的助餐对象`} />
      ) : (
        <View id="elders-list">
          {list.items.map((e, i) => (
            <View
              key={e._id}
              id={`elders-item-${i}`}
              data-id={e._id}
              className="list-item"
              role="button"
              {...FOCUSABLE}
              onClick={go(`/packages/canteen-admin/elder/index?elderId=${encodeURIComponent(e._id)}&${q}`)}
            >
              <View className="row-between">
                <View className="section-title">
                  {e.name} · {e.age} 岁
                </View>
                <View id={`elders-item-status-${i}`} className="meta">
                  {ELDER_STATUS_LABELS[e.status]}
                </View>
              </View>
              <View className="meta">
                {e.categories.map((c) => CATEGORY_LABELS[c]).join('、') || '未填类别'}
                {e.phoneMasked ? ` · ${e.phoneMasked}` : ''}
                {e.guardian ? ` · ${e.guardian.relation} ${e.guardian.name}${e.guardian.phoneMasked ? ` ${e.guardian.phoneMasked}` : ''}` : ''}
              </View>
            </View>
          ))}
          {list.hasMore && (
            <Button id="elders-more" block loading={list.loading} onClick={() => void list.loadMore()}>
              加载更多
            </Button>
          )}
        </View>
      )}
    </Page>
  );
}
