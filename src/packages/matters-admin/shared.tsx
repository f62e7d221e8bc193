/** Small pieces shared by the community admin's demand-list and 四议两公开 pages. */
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { type DependencyList, useRef } from 'react';
import type { ApiError } from '../../client/api-error';
import { displayMessage } from '../../client/api-error';
import { type Page as PageOf, type PagedState, usePaged, useQuery } from '../../client/hooks';
import { adminGrant, loadMe } from '../../client/me';
import { Button } from '../../components/nut/button';
import { shanghaiDaysAgo } from '../../components/format';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';

export const param = (v: string | undefined): string => (v ? decodeURIComponent(v) : '');

/** This year in Asia/Shanghai: the list and slate pages show one year. */
export const thisYear = (): number => Number(shanghaiDaysAgo(0).slice(0, 4));

/** The community and year a page works on: from the route, else the admin's own community; this year by default. */
export function useAdminScope() {
  const params = useRouter().params;
  const me = useQuery(() => loadMe(), [], { enabled: !params.communityId });
  const communityId = param(params.communityId) || adminGrant(me.data ?? null)?.regionId;
  return { params, me, communityId, year: Number(params.year) || thisYear() };
}

/** What a page shows while it does not know the admin's community yet (or the caller is not one). */
export function NoCommunity({ me }: { me: ReturnType<typeof useAdminScope>['me'] }) {
  return me.error ? <ErrorState error={me.error} onRetry={() => void me.run()} /> : me.loading ? <LoadingState /> : <EmptyState text="您不是社区管理员" />;
}

/** A paged list that reloads when the page is shown again (after an edit elsewhere), on pull-down, and loads more at the bottom. */
export function useLivePaged<T>(fetchPage: (cursor: string | null) => Promise<PageOf<T>>, deps: DependencyList, enabled: boolean): PagedState<T> {
  const list = usePaged(fetchPage, deps);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current && enabled) void list.reload();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    void list.reload().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => {
    void list.loadMore();
  });
  return list;
}

/** Where a demand came from, as the small tags on the list. */
export const KIND_LABELS: Record<string, string> = { suggestion: '建议', admin: '社区录入', council: '议事会', survey_option: '问卷', survey_text: '问卷留言' };

export const supportText = (supporters: number, anonymous: number): string =>
  `${supporters} 人支持${anonymous > 0 ? `，另有 ${anonymous} 份匿名` : ''}`;

/** A short, clear line for a failed call (the server's Chinese message, or the first field problem). */
export const errorText = (e: ApiError | null | undefined): string | null => (e ? displayMessage(e) : null);

export function Chip({ id, on, label, onClick }: { id: string; on: boolean; label: string; onClick: () => void }) {
  return (
    <Button id={id} className="chip" size="small" type={on ? 'primary' : 'default'} aria-pressed={on} onClick={onClick}>
      {on ? '✓ ' : ''}
      {label}
    </Button>
  );
}

/** Small grey tags (source kinds, 已合并). */
export function Tags({ id, items }: { id?: string; items: string[] }) {
  return (
    <View id={id} className="ma-tags">
      {items.map((t) => (
        <View key={t} className="ma-tag">
          {t}
        </View>
      ))}
    </View>
  );
}
