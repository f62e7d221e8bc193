/** Pieces shared by the leader's pages (the matter line and labels come from the units package's look). */
import { View } from '@tarojs/components';
import { MATTER_STATE_LABELS } from '../../features/units/units.labels';
import type { ApiError } from '../../client/api-error';
import { displayMessage } from '../../client/api-error';
import type { Grant } from '../../features/members/members.schema';

export const param = (v: string | undefined): string => (v ? decodeURIComponent(v) : '');
export const errorText = (e: ApiError | null | undefined): string | null => (e ? displayMessage(e) : null);
export const thisYear = (): number => Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
export const stateLabel = (s: string): string => MATTER_STATE_LABELS[s as keyof typeof MATTER_STATE_LABELS] ?? s;

/** The region a leader serves (their first leader grant). */
export const leaderGrant = (grants: readonly Grant[] | undefined): Grant | null => grants?.find((g) => g.role === 'leader') ?? null;

export interface MatterRowData {
  title: string;
  communityName: string;
  state: string;
  progress: number;
  leadUnitName: string | null;
  claimedBy: string[];
}

/** A matter as the leader's pages list it: community, state, progress (written and drawn), lead unit, who claimed it. */
export function MatterRow({ id, m }: { id: string; m: MatterRowData }) {
  return (
    <View id={id} className="grow">
      <View>{m.title}</View>
      <View className="meta">
        {m.communityName} · {stateLabel(m.state)} · 进度 {m.progress}%
      </View>
      <View className="un-bar" aria-hidden>
        <View className="un-bar-fill" style={{ width: `${Math.max(0, Math.min(100, m.progress))}%` }} />
      </View>
      <View className="meta">
        牵头单位：{m.leadUnitName ?? '未指定'}
        {m.claimedBy.length > 0 ? ` · 认领：${m.claimedBy.join('、')}` : ''}
      </View>
    </View>
  );
}
