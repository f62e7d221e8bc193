/** Small pieces shared by the units pages: route params, a matter's progress line, the type and role tags. */
import { View } from '@tarojs/components';
import { MATTER_STATE_LABELS, UNIT_ROLE_LABELS, UNIT_TYPE_LABELS, type UnitType } from '../../features/units/units.labels';
import { api } from '../../client/api';
import type { ApiError } from '../../client/api-error';
import { displayMessage } from '../../client/api-error';

export const param = (v: string | undefined): string => (v ? decodeURIComponent(v) : '');
export const errorText = (e: ApiError | null | undefined): string | null => (e ? displayMessage(e) : null);
export const thisYear = (): number => Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));

export const typeLabel = (t: string): string => UNIT_TYPE_LABELS[t as UnitType] ?? t;
export const stateLabel = (s: string): string => MATTER_STATE_LABELS[s as keyof typeof MATTER_STATE_LABELS] ?? s;

/** A matter's title, state and progress bar (the percentage is written out, not only drawn). */
export function MatterLine({ id, title, sub, state, progress, role }: { id: string; title: string; sub?: string; state: string; progress: number; role?: 'lead' | 'support' }) {
  return (
    <View id={id} className="grow">
      <View>
        {role && <View className="un-tag">{UNIT_ROLE_LABELS[role]}</View>}
        {title}
      </View>
      <View className="meta">
        {sub ? `${sub} · ` : ''}
        {stateLabel(state)} · 进度 {progress}%
      </View>
      <View className="un-bar" aria-hidden>
        <View className="un-bar-fill" style={{ width: `${Math.max(0, Math.min(100, progress))}%` }} />
      </View>
    </View>
  );
}

/**
 * The communities under a home region (a district: through its streets), for links and the 兼职委员's community.
 * A community home has none below it: the caller offers the home itself.
 */
export async function communitiesUnder(regionId: string): Promise<{ _id: string; name: string }[]> {
  const kids = (await api.regions.children({ regionId })).items;
  const direct = kids.filter((k) => k.kind === 'community');
  const streets = kids.filter((k) => k.kind === 'street');
  const below = (await Promise.all(streets.map((s) => api.regions.children({ regionId: s._id })))).flatMap((r) => r.items.filter((k) => k.kind === 'community'));
  return [...direct, ...below].map((c) => ({ _id: c._id, name: c.name }));
}
