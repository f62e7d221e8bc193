import Taro, { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { BREAK_LABELS } from '../../../features/audit/audit.labels';
import { ROLE_LABELS } from '../../../features/members/members.labels';
import type { Role } from '../../../features/members/members.schema';
import { api } from '../../../client/api';
import { useAction, useQuery, usePaged } from '../../../client/hooks';
import { loadMe } from '../../../client/me';
import { transport } from '../../../client/transport';
import { formatDateTime, shanghaiDaysAgo } from '../../../components/format';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { EmptyState, ErrorState, ListFooter, LoadingState } from '../../../components/states';
import './index.scss';

const ADMIN_ROLES = ['community_admin', 'district_admin', 'city_admin'];
const roleLabel = (r: string) => ROLE_LABELS[r as Role] ?? r;

/** Who changed what in the caller's region: ids and codes only (the log holds no personal data). */
export default function Audit() {
  const params = useRouter().params;
  const me = useQuery(() => loadMe(), []);
  const grant = me.data?.member?.grants.find((g) => ADMIN_ROLES.includes(g.role));
  const regionId = params.regionId ? decodeURIComponent(params.regionId) : grant?.regionId;
  const regionName = me.data?.member?.grants.find((g) => g.regionId === regionId)?.regionName;

  const list = usePaged((cursor) => (regionId ? api.audit.list({ regionId, cursor, limit: 20 }) : Promise.resolve({ items: [], nextCursor: null })), [regionId]);
  usePullDownRefresh(() => {
    void list.reload().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void list.loadMore());

  const exporter = useAction(async () => {
    const out = await api.audit.exportXlsx({ regionId: regionId as string });
    await transport.openFile(out.url, `审计日志-${shanghaiDaysAgo(0)}.xlsx`);
    void Taro.showToast({ title: `已导出 ${out.count} 条`, icon: 'none' });
    return out;
  });
  const verifier = useAction(() => api.audit.verify({ regionId: regionId as string }));
  const broken = verifier.data?.chains.filter((c) => !c.ok) ?? [];

  if (!regionId) {
    return (
      <Page id="page-audit">
        {me.error ? <ErrorState error={me.error} onRetry={() => void me.run()} /> : me.loading ? <LoadingState /> : <EmptyState text="您没有查看审计日志的权限" />}
      </Page>
    );
  }

  return (
    <Page id="page-audit">
      <View className="title">{regionName ?? ''}审计日志</View>
      <View className="hint">工作人员的每次修改都会记录并与上一条相互校验；记录中不含个人信息。</View>
      <View className="audit-actions">
        <Button id="audit-verify" block loading={verifier.loading} onClick={() => void verifier.run()}>
          校验完整性
        </Button>
        <Button id="audit-export" block loading={exporter.loading} onClick={() => void exporter.run()}>
          导出 Excel
        </Button>
      </View>
      {verifier.data && (
        <View id="audit-verify-result" className={`section ${verifier.data.ok ? 'audit-ok' : 'audit-bad'}`} role="status">
          {verifier.data.ok
            ? `校验通过：${verifier.data.chains.length} 条日志链均完整`
            : broken.map((c) => `${c.chain} 第 ${c.broken!.seq} 条：${BREAK_LABELS[c.broken!.reason]}`).join('\n')}
        </View>
      )}
      {list.error && !list.loaded ? (
        <ErrorState error={list.error} onRetry={() => void list.reload()} />
      ) : !list.loaded ? (
        <LoadingState />
      ) : list.items.length === 0 ? (
        <EmptyState text="还没有记录" />
      ) : (
        <View id="audit-list">
          {list.items.map((e, i) => (
            <View key={e._id} id={`audit-item-${i}`} className="section audit-item">
              <View className="audit-head">
                <View className="audit-action">{e.action}</View>
                <View className="hint">{formatDateTime(e.at)}</View>
              </View>
              <View className="hint">
                {roleLabel(e.role)} {e.actor} · {e.chain} 第 {e.seq} 条 · 写入 {e.targetCount} 条记录{e.outcome === 'ok' ? '' : ` · 结果 ${e.outcome}`}
              </View>
            </View>
          ))}
          <ListFooter list={list} idPrefix="audit" />
        </View>
      )}
    </Page>
  );
}
