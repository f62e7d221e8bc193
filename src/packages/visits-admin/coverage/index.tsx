import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useRef } from 'react';
import type { CoverageRow } from '../../../features/visits/visits.schema';
import { percent } from '../../../features/visits/visits.rules';
import { api } from '../../../client/api';
import { transport } from '../../../client/transport';
import { useAction, useQuery } from '../../../client/hooks';
import { adminGrant, loadMe } from '../../../client/me';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { FOCUSABLE } from '../../../components/focusable';
import { shanghaiDaysAgo } from '../../../components/format';
import { param, q } from '../../grid/ui';
import '../../grid/ui.scss';

const go = (url: string) => void Taro.navigateTo({ url });

function Rows({ id, rows, onOpen }: { id: string; rows: CoverageRow[]; onOpen?: (r: CoverageRow) => void }) {
  return (
    <View id={id}>
      {rows.map((r, i) => (
        <View key={r.id} id={`${id}-${i}`} className="list-item" role={onOpen ? 'button' : undefined} {...(onOpen ? FOCUSABLE : {})} onClick={() => onOpen?.(r)}>
          <View className="row-between">
            <View className="section-title">{r.name}</View>
            <View className="section-title">{percent(r.rate)}</View>
          </View>
          <View className="meta">
            应访 {r.due} 户，已访 {r.dueVisited} 户 · 本月走访 {r.visits} 次、{r.visited} 户
          </View>
        </View>
      ))}
    </View>
  );
}

/** The community admin's view of visits this month: coverage per grid and per worker, and the way to the rest. */
export default function Coverage() {
  const params = useRouter().params;
  const me = useQuery(() => loadMe(), [], { enabled: !params.communityId });
  const communityId = param(params.communityId) ?? adminGrant(me.data ?? null)?.regionId;
  const cov = useQuery(() => api.visits.coverage({ communityId: communityId as string }), [communityId], { enabled: !!communityId });
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current && communityId) void cov.run();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    void cov.run().finally(() => Taro.stopPullDownRefresh());
  });
  const exporter = useAction(async () => {
    const out = await api.visits.exportXlsx({ communityId: communityId as string });
    await transport.openFile(out.url, `住户台账-${shanghaiDaysAgo(0)}.xlsx`);
    void Taro.showToast({ title: `已导出 ${out.count} 户`, icon: 'none' });
    return out;
  });

  if (!communityId) return <Page id="page-coverage">{me.loading ? <LoadingState /> : <EmptyState text="您不是社区管理员" />}</Page>;
  const c = communityId;
  return (
    <Page id="page-coverage">
      <View className="actions">
        <Button id="coverage-feed" type="primary" block onClick={() => go(`/packages/visits-admin/feed/index?${q({ communityId: c })}`)}>
          走访记录
        </Button>
        <Button id="coverage-grids" block onClick={() => go(`/packages/visits-admin/grids/index?${q({ communityId: c })}`)}>
          网格与网格员
        </Button>
        <Button id="coverage-import" block onClick={() => go(`/packages/visits-admin/import/index?${q({ communityId: c })}`)}>
          导入住户台账（Excel）
        </Button>
        <Button id="coverage-export" block loading={exporter.loading} onClick={() => void exporter.run()}>
          导出住户台账（Excel）
        </Button>
      </View>
      {cov.error ? (
        <ErrorState error={cov.error} onRetry={() => void cov.run()} />
      ) : !cov.data ? (
        <LoadingState />
      ) : (
        <View>
          <View id="coverage-total" className="section">
            <View className="title">{cov.data.month} 走访覆盖率 {percent(cov.data.total.rate)}</View>
            <View className="muted">
              本月应访 {cov.data.total.due} 户，已访 {cov.data.total.dueVisited} 户；共走访 {cov.data.total.visits} 次
            </View>
          </View>
          <View className="section-title">各网格</View>
          {cov.data.grids.length === 0 ? <EmptyState text="还没有网格" /> : (
            <Rows id="coverage-grid" rows={cov.data.grids} onOpen={(r) => go(`/packages/grid/households/index?${q({ gridId: r.id })}`)} />
          )}
          <View className="section-title">各网格员</View>
          {cov.data.workers.length === 0 ? <EmptyState text="还没有网格员" /> : <Rows id="coverage-worker" rows={cov.data.workers} />}
        </View>
      )}
    </Page>
  );
}
