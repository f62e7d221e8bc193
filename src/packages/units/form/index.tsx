import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { UNIT_TYPE_LABELS, UNIT_TYPES, type UnitType } from '../../../features/units/units.labels';
import { api } from '../../../client/api';
import { fieldError } from '../../../client/api-error';
import { useAction, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { Field } from '../../../components/field';
import { ErrorState, LoadingState } from '../../../components/states';
import { communitiesUnder, errorText, param } from '../shared';
import '../ui.scss';

interface Draft {
  name: string;
  type: UnitType;
  headName: string;
  headCommunity: string | null;
}

/** Register a unit under the admin's region (`homeRegionId`), or edit one (`unitId`): name, type, 兼职委员. */
export default function UnitForm() {
  const params = useRouter().params;
  const unitId = param(params.unitId);
  const unit = useQuery(() => api.units.getUnit({ unitId }), [unitId], { enabled: !!unitId });
  const homeRegionId = param(params.homeRegionId) || unit.data?.homeRegionId || '';
  const communities = useQuery(() => communitiesUnder(homeRegionId), [homeRegionId], { enabled: !!homeRegionId });
  const [edit, setEdit] = useState<Draft | null>(null);
  const [local, setLocal] = useState<string | null>(null);
  const u = unit.data;
  const draft: Draft = edit ?? {
    name: u?.name ?? '', type: u?.type ?? 'enterprise', headName: u?.partyHead?.name ?? '', headCommunity: u?.partyHead?.communityId ?? null,
  };
  const set = (patch: Partial<Draft>) => setEdit({ ...draft, ...patch });

  const save = useAction(
    async () => {
      const partyHead = draft.headName.trim() ? { name: draft.headName.trim(), ...(draft.headCommunity ? { communityId: draft.headCommunity } : {}) } : null;
      const saved = unitId
        ? await api.units.updateUnit({ unitId, name: draft.name.trim(), type: draft.type, partyHead })
        : await api.units.registerUnit({ homeRegionId, name: draft.name.trim(), type: draft.type, partyHead });
      return saved;
    },
    { successToast: unitId ? '已保存' : '已登记' },
  );
  const submit = async () => {
    if (draft.name.trim().length < 2) return setLocal('请填写单位名称（至少 2 个字）');
    setLocal(null);
    const saved = await save.run();
    if (saved) void Taro.redirectTo({ url: `/packages/units/unit/index?unitId=${encodeURIComponent(saved._id)}` });
  };

  if (unitId && unit.error) {
    return (
      <Page id="page-unit-form">
        <ErrorState error={unit.error} onRetry={() => void unit.run()} />
      </Page>
    );
  }
  if (unitId && !u) {
    return (
      <Page id="page-unit-form">
        <LoadingState />
      </Page>
    );
  }
  // A community's own unit has no communities below its home: its 兼职委员 serves the home itself.
  const choices = communities.data?.length ? communities.data : communities.data ? [{ _id: homeRegionId, name: u?.homeRegionName || '本社区' }] : [];
  const message = local ?? errorText(save.error);
  return (
    <Page id="page-unit-form">
      <View className="section">
        <View className="title">{unitId ? '编辑共建单位' : '登记共建单位'}</View>
        <Field label="单位名称" error={fieldError(save.error, 'name')} errorId="unit-form-name-error">
          <Input id="unit-form-name" className="field-input" maxLength={60} value={draft.name} placeholder="如：汉滨区第一人民医院" onChange={(t) => set({ name: t })} />
        </Field>
        <Field label="单位类型">
          <View className="chips">
            {UNIT_TYPES.map((t) => (
              <Button key={t} id={`unit-form-type-${t}`} size="small" type={draft.type === t ? 'primary' : 'default'} aria-pressed={draft.type === t} onClick={() => set({ type: t })}>
                {UNIT_TYPE_LABELS[t]}
              </Button>
            ))}
          </View>
        </Field>
        <Field label="兼职委员（单位党组织负责人，可不填）">
          <Input id="unit-form-head" className="field-input" maxLength={30} value={draft.headName} placeholder="姓名" onChange={(t) => set({ headName: t })} />
        </Field>
        {draft.headName.trim() !== '' && choices.length > 0 && (
          <Field label="任兼职委员的社区">
            <View className="chips">
              {choices.map((c) => (
                <Button key={c._id} id={`unit-form-head-community-${c._id}`} size="small" type={draft.headCommunity === c._id ? 'primary' : 'default'} onClick={() => set({ headCommunity: draft.headCommunity === c._id ? null : c._id })}>
                  {c.name}
                </Button>
              ))}
            </View>
          </Field>
        )}
        {message && (
          <View id="unit-form-error" className="un-error" role="alert">
            {message}
          </View>
        )}
        <Button id="unit-form-submit" type="primary" block loading={save.loading} disabled={save.loading} onClick={() => void submit()}>
          {unitId ? '保存' : '登记'}
        </Button>
      </View>
    </Page>
  );
}
