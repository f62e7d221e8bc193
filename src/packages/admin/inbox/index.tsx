import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { Picker, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import { CATEGORIES, STATUS_LABELS, STATUSES, type CategoryName as Category } from '../../../features/suggestions/suggestions.labels';
import { api } from '../../../client/api';
import { transport } from '../../../client/transport';
import { useAction, usePaged, useQuery } from '../../../client/hooks';
import { adminGrant, loadMe } from '../../../client/me';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { StatusTag } from '../../../components/status-tag';
import { EmptyState, ErrorState, LoadingState, ListFooter } from '../../../components/states';
import { formatDate, shanghaiDaysAgo } from '../../../components/format';
import { buildFilter, type Filter } from './filter';
import './index.scss';
import { FOCUSABLE } from '../../../components/focusable';


export default function Inbox() {
  const params = useRouter().params;
  const me = useQuery(() => loadMe(), [], { enabled: !params.communityId });
  const communityId = params.communityId ? decodeURIComponent(params.communityId) : adminGrant(me.data ?? null)?.regionId;

  const [filter, setFilter] = useState<Filter>({});
  const [search, setSearch] = useState('');
  const set = (p: Partial<Filter>) => setFilter((f) => ({ ...f, ...p }));

  const list = usePaged(
    (cursor) => api.suggestions.inbox({ ...buildFilter(communityId as string, filter), cursor, limit: 20 }),
    [communityId, filter.status, filter.category, filter.from, filter.to, filter.q],
  );
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

  const exporter = useAction(async () => {
    const out = await api.suggestions.exportXlsx(buildFilter(communityId as string, filter));
    await transport.openFile(out.url, `意见箱导出-${shanghaiDaysAgo(0)}.xlsx`);
    void Taro.showToast({ title: `已导出 ${out.count} 条`, icon: 'none' });
    return out;
  });

  if (!communityId) {
    return (
      <Page id="page-inbox">
        {me.error ? <ErrorState error={me.error} onRetry={() => void me.run()} /> : me.loading ? <LoadingState /> : <EmptyState text="您不是社区管理员" />}
      </Page>
    );
  }

  const range = filter.from === shanghaiDaysAgo(6) && !filter.to ? '7' : filter.from === shanghaiDaysAgo(29) && !filter.to ? '30' : filter.from || filter.to ? 'custom' : 'all';

  return (
    <Page id="page-inbox">
      <View className="section">
        <View className="row">
          <Input
            id="inbox-search"
            className="field-input grow"
            placeholder="搜索建议内容"
            maxLength={50}
            value={search}
            onChange={setSearch}
            onConfirm={() => set({ q: search.trim() || undefined })}
          />
          <Button id="inbox-search-submit" type="primary" onClick={() => set({ q: search.trim() || undefined })}>
            搜索
          </Button>
        </View>
        <View className="filter-title">状态</View>
        <View className="chips">
          <Chip id="inbox-status-all" on={!filter.status} label="全部" onClick={() => set({ status: undefined })} />
          {STATUSES.map((s) => (
            <Chip key={s} id={`inbox-status-${s}`} on={filter.status === s} label={STATUS_LABELS[s]} onClick={() => set({ status: s })} />
          ))}
        </View>
        <View className="filter-title">类别</View>
        <View className="chips">
          <Chip id="inbox-category-all" on={!filter.category} label="全部" onClick={() => set({ category: undefined })} />
          {CATEGORIES.map((c: Category, i) => (
            <Chip key={c} id={`inbox-category-${i}`} on={filter.category === c} label={c} onClick={() => set({ category: c })} />
          ))}
        </View>
        <View className="filter-title">提交日期</View>
        <View className="chips">
          <Chip id="inbox-range-all" on={range === 'all'} label="全部时间" onClick={() => set({ from: undefined, to: undefined })} />
          <Chip id="inbox-range-7" on={range === '7'} label="近 7 天" onClick={() => set({ from: shanghaiDaysAgo(6), to: undefined })} />
          <Chip id="inbox-range-30" on={range === '30'} label="近 30 天" onClick={() => set({ from: shanghaiDaysAgo(29), to: undefined })} />
        </View>
        <View className="row wrap date-row">
          <Picker mode="date" value={filter.from ?? shanghaiDaysAgo(0)} end={shanghaiDaysAgo(0)} onChange={(e) => set({ from: String(e.detail.value) })}>
            <View id="inbox-from" className="date-pick tap" role="button" {...FOCUSABLE}>
              从：{filter.from ?? '不限'}
            </View>
          </Picker>
          <Picker mode="date" value={filter.to ?? shanghaiDaysAgo(0)} end={shanghaiDaysAgo(0)} onChange={(e) => set({ to: String(e.detail.value) })}>
            <View id="inbox-to" className="date-pick tap" role="button" {...FOCUSABLE}>
              到：{filter.to ?? '不限'}
            </View>
          </Picker>
        </View>
        <Button id="inbox-export" block loading={exporter.loading} disabled={exporter.loading} onClick={() => void exporter.run()}>
          导出 Excel（当前筛选）
        </Button>
      </View>

      {list.error && list.items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.reload()} />
      ) : !list.loaded ? (
        <LoadingState />
      ) : list.items.length === 0 ? (
        <EmptyState text={filter.status || filter.category || filter.from || filter.to || filter.q ? '没有符合条件的建议' : '还没有收到建议'} />
      ) : (
        <View id="inbox-list">
          {list.items.map((s, i) => (
            <View
              key={s._id}
              id={`inbox-item-${i}`}
              data-id={s._id}
              className="list-item"
              role="button" {...FOCUSABLE}
              onClick={() =>
                void Taro.navigateTo({
                  url: `/packages/admin/detail/index?id=${encodeURIComponent(s._id)}&communityId=${encodeURIComponent(communityId)}`,
                })
              }
            >
              <View className="row-between">
                <View className="section-title">{s.category}</View>
                <StatusTag status={s.status} />
              </View>
              <View className="list-item-text">{s.excerpt}</View>
              <View className="meta">
                {s.authorName} · {formatDate(s.createdAt)}
                {s.photoCount > 0 ? ` · ${s.photoCount} 张照片` : ''}
              </View>
            </View>
          ))}
          <ListFooter list={list} idPrefix="inbox" />
        </View>
      )}
    </Page>
  );
}

function Chip({ id, on, label, onClick }: { id: string; on: boolean; label: string; onClick: () => void }) {
  return (
    <Button id={id} className="chip" size="small" type={on ? 'primary' : 'default'} aria-pressed={on} onClick={onClick}>
      {on ? '✓ ' : ''}
      {label}
    </Button>
  );
}
