import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { loadMe } from '../../../client/me';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { formatDateTime } from '../../../components/format';
import { MatterRow, param, thisYear } from '../shared';
import '../ui.scss';

const STEP = 40;

/** The claim wall of a district or the city: who claimed what, with progress; admins invite leaders here. */
export default function ClaimWall() {
  const params = useRouter().params;
  const regionId = param(params.regionId);
  const year = Number(params.year) || thisYear();
  const wall = useQuery(() => api.leaders.claimWall({ regionId, year }), [regionId, year]);
  const me = useQuery(() => loadMe(), []);
  const admin = !!me.data?.member?.grants.some((g) => (g.role === 'district_admin' || g.role === 'city_admin') && g.regionId === regionId);
  const invite = useAction(() => api.leaders.inviteLeader({ regionId }));
  // A city's wall holds hundreds of claims: rows are shown a screenful at a time (node and setData budgets).
  const [shown, setShown] = useState(STEP);
  usePullDownRefresh(() => void wall.run().finally(() => Taro.stopPullDownRefresh()));

  if (wall.error) {
    return (
      <Page id="page-claim-wall">
        <ErrorState error={wall.error} onRetry={() => void wall.run()} />
      </Page>
    );
  }
  if (!wall.data) {
    return (
      <Page id="page-claim-wall">
        <LoadingState />
      </Page>
    );
  }
  const w = wall.data;
  // Grouped by leader (the rows come ordered by leader, community, matter).
  const groups: { leaderId: string; leaderName: string; rows: typeof w.items }[] = [];
  for (const r of w.items.slice(0, shown)) {
    const last = groups[groups.length - 1];
    if (last && last.leaderId === r.leaderId) last.rows.push(r);
    else groups.push({ leaderId: r.leaderId, leaderName: r.leaderName, rows: [r] });
  }
  return (
    <Page id="page-claim-wall">
      <View className="section">
        <View id="wall-title" className="title">
          {w.regionName} {year} 年领导认领墙
        </View>
        <View id="wall-summary" className="meta">
          {w.leaders} 位领导认领 {w.claims} 件实事{w.truncated ? '（仅显示前 5000 条）' : ''}
        </View>
      </View>
      {groups.length === 0 ? (
        <EmptyState text="还没有领导认领实事" />
      ) : (
        groups.map((g, gi) => (
          <View key={g.leaderId} id={`wall-leader-${gi}`} className="section">
            <View className="section-title">
              {g.leaderName}（{g.rows.length} 件）
            </View>
            {g.rows.map((r, i) => (
              <View key={r.matterId} className="un-row">
                <MatterRow id={`wall-row-${gi}-${i}`} m={r} />
              </View>
            ))}
          </View>
        ))
      )}
      {w.items.length > shown && (
        <View className="section">
          <Button id="wall-more" block onClick={() => setShown(shown + STEP)}>
            显示更多（还有 {w.items.length - shown} 件）
          </Button>
        </View>
      )}
      {admin && (
        <View className="section">
          <View className="section-title">认领领导</View>
          {me.data?.member?.grants.some((g) => g.role === 'district_admin' && g.regionId === regionId) && (
            <Button id="wall-record" block onClick={() => void Taro.navigateTo({ url: `/packages/leader/record/index?regionId=${encodeURIComponent(regionId)}&year=${year}` })}>
              为领导登记认领
            </Button>
          )}
          {invite.data ? (
            <>
              <View id="wall-invite-code" className="un-code">
                {invite.data.code}
              </View>
              <View className="meta center">有效期至 {formatDateTime(invite.data.expiresAt)}，只能使用一次</View>
            </>
          ) : (
            <Button id="wall-invite" type="primary" block loading={invite.loading} onClick={() => void invite.run()}>
              生成领导邀请码
            </Button>
          )}
        </View>
      )}
    </Page>
  );
}
