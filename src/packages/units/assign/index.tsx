import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { FOCUSABLE } from '../../../components/focusable';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { errorText, param, thisYear, typeLabel } from '../shared';
import '../ui.scss';

/** Every unit linked to the community (all pages of the list). */
async function linkedUnits(communityId: string) {
  const items: { _id: string; name: string; type: string }[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.units.listUnits({ regionId: communityId, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < 500);
  return items;
}

/** A matter's lead unit (one) and supporting units (any), among the units linked to its community. */
export default function AssignUnits() {
  const params = useRouter().params;
  const matterId = param(params.matterId);
  const communityId = param(params.communityId);
  const units = useQuery(() => linkedUnits(communityId), [communityId]);
  const current = useQuery(async () => (await api.units.communityMatters({ communityId, year: Number(params.year) || thisYear(), cursor: null })).items.find((m) => m.matterId === matterId) ?? null, [matterId]);
  const [leadEdit, setLead] = useState<string | null | undefined>(undefined);
  const [supportsEdit, setSupports] = useState<string[] | null>(null);
  const lead = leadEdit === undefined ? (current.data?.lead?._id ?? null) : leadEdit;
  const supports = supportsEdit ?? current.data?.supports.map((s) => s._id) ?? [];
  const save = useAction(() => api.units.assignMatterUnits({ matterId, leadUnitId: lead, supportUnitIds: supports.filter((s) => s !== lead) }), { successToast: '已保存' });

  const error = units.error ?? current.error;
  if (error) {
    return (
      <Page id="page-assign-units">
        <ErrorState error={error} onRetry={() => void (units.error ? units.run() : current.run())} />
      </Page>
    );
  }
  if (!units.data || current.loading) {
    return (
      <Page id="page-assign-units">
        <LoadingState />
      </Page>
    );
  }
  const toggleSupport = (id: string) => setSupports(supports.includes(id) ? supports.filter((s) => s !== id) : [...supports, id]);
  return (
    <Page id="page-assign-units">
      <View className="section">
        <View className="title">{current.data?.title ?? '实事'}</View>
        <View className="meta">选择一个牵头单位；配合单位可多选（牵头单位不能同时是配合单位）。</View>
      </View>
      <View className="section">
        {units.data.length === 0 ? (
          <EmptyState text="本社区还没有结对的共建单位" />
        ) : (
          units.data.map((u, i) => {
            const isLead = lead === u._id;
            const isSupport = !isLead && supports.includes(u._id);
            return (
              <View key={u._id} className="un-row">
                <View className="grow">
                  <View>{u.name}</View>
                  <View className="meta">{typeLabel(u.type)}</View>
                </View>
                <Button id={`assign-lead-${i}`} size="small" type={isLead ? 'primary' : 'default'} aria-pressed={isLead} onClick={() => setLead(isLead ? null : u._id)}>
                  {isLead ? '✓ 牵头' : '牵头'}
                </Button>
                <View id={`assign-support-${i}`} role="checkbox" aria-checked={isSupport} aria-disabled={isLead} {...FOCUSABLE} onClick={() => !isLead && toggleSupport(u._id)}>
                  {isSupport ? '☑ 配合' : '☐ 配合'}
                </View>
              </View>
            );
          })
        )}
        {save.error && (
          <View id="assign-error" className="un-error" role="alert">
            {errorText(save.error)}
          </View>
        )}
        <Button id="assign-submit" type="primary" block loading={save.loading} disabled={save.loading} onClick={() => void save.run().then((r) => r && Taro.navigateBack())}>
          保存承办单位
        </Button>
      </View>
    </Page>
  );
}
