import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { PRINCIPLE_LABELS, PRINCIPLES, type Principle } from '../../../features/matters/matters.labels';
import { ROLE_LABELS } from '../../../features/members/members.labels';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { Field } from '../../../components/field';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { FOCUSABLE } from '../../../components/focusable';
import { errorText, param, thisYear } from '../shared';
import '../ui.scss';

type Weights = Record<Principle, string>;
const DEFAULT: Weights = { small: '1', impact: '1', feasible: '1', benefit: '1' };
const weightOf = (t: string): number => {
  const n = Number(t.trim());
  return t.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 10 ? n : NaN;
};

/** The year's scoring committee: staff of the community (社区管理员, 网格员) and the principles' weights. */
export default function CommitteePage() {
  const params = useRouter().params;
  const communityId = param(params.communityId);
  const year = Number(params.year) || thisYear();
  const staff = useQuery(() => api.members.listStaff({ communityId }), [communityId]);
  const current = useQuery(() => api.matters.getCommittee({ communityId, year }), [communityId, year]);
  // Edits start from the current committee (null: untouched).
  const [pickedEdit, setPicked] = useState<string[] | null>(null);
  const [weightsEdit, setWeights] = useState<Weights | null>(null);
  const [local, setLocal] = useState<string | null>(null);
  const c = current.data;
  const picked = pickedEdit ?? c?.members.map((m) => m.memberId) ?? [];
  const weights = weightsEdit ?? (c ? (Object.fromEntries(PRINCIPLES.map((p) => [p, String(c.weights[p])])) as Weights) : DEFAULT);

  const save = useAction(
    async () => {
      const w = Object.fromEntries(PRINCIPLES.map((p) => [p, weightOf(weights[p])])) as Record<Principle, number>;
      const r = await api.matters.setCommittee({ communityId, year, memberIds: picked, weights: w });
      current.setData(r);
      return r;
    },
    { successToast: '评议小组已保存' },
  );
  const submit = () => {
    if (picked.length === 0) setLocal('评议小组至少 1 人');
    else if (PRINCIPLES.some((p) => Number.isNaN(weightOf(weights[p])))) setLocal('权重为 0–10 的数');
    else if (PRINCIPLES.every((p) => weightOf(weights[p]) === 0)) setLocal('权重不能全为 0');
    else {
      setLocal(null);
      void save.run();
    }
  };

  const error = staff.error ?? current.error;
  if (error) {
    return (
      <Page id="page-committee">
        <ErrorState
          error={error}
          onRetry={() => {
            void staff.run();
            void current.run();
          }}
        />
      </Page>
    );
  }
  if (!staff.data || current.loading) {
    return (
      <Page id="page-committee">
        <LoadingState />
      </Page>
    );
  }
  // One row per person (a person may hold several grants).
  const people = new Map<string, { name: string; roles: string[] }>();
  for (const s of staff.data.items) {
    if (s.role !== 'community_admin' && s.role !== 'grid_worker') continue;
    const p = people.get(s.memberId) ?? { name: s.name, roles: [] };
    const label = s.role === 'grid_worker' ? `${ROLE_LABELS[s.role]}（${s.regionName}）` : ROLE_LABELS[s.role];
    if (!p.roles.includes(label)) p.roles.push(label);
    people.set(s.memberId, p);
  }
  const toggle = (id: string) => setPicked(picked.includes(id) ? picked.filter((x) => x !== id) : [...picked, id]);
  const message = local ?? errorText(save.error);

  return (
    <Page id="page-committee">
      <View className="section">
        <View className="title">{year} 年评议小组</View>
        <View className="meta">{current.data ? `已设立，${current.data.members.length} 人；修改后从此按新名单统计评分进度。` : '尚未设立。勾选本社区的工作人员。'}</View>
        {people.size === 0 ? (
          <EmptyState text="本社区还没有工作人员，请先在“邀请工作人员”中邀请" />
        ) : (
          [...people].map(([id, p], i) => {
            const on = picked.includes(id);
            return (
              <View key={id} id={`committee-member-${i}`} data-id={id} className="ma-row" role="checkbox" aria-checked={on} {...FOCUSABLE} onClick={() => toggle(id)}>
                <View>{on ? '☑' : '☐'}</View>
                <View className="grow">
                  <View>{p.name}</View>
                  <View className="meta">{p.roles.join('、')}</View>
                </View>
              </View>
            );
          })
        )}
      </View>
      <View className="section">
        <View className="section-title">四项原则的权重（0–10，默认各 1）</View>
        {PRINCIPLES.map((p) => (
          <Field key={p} label={PRINCIPLE_LABELS[p]}>
            <Input id={`committee-weight-${p}`} className="field-input" type="digit" maxLength={4} value={weights[p]} onChange={(t) => setWeights({ ...weights, [p]: t })} />
          </Field>
        ))}
        {message && (
          <View id="committee-error" className="ma-error" role="alert">
            {message}
          </View>
        )}
        <Button id="committee-submit" type="primary" block loading={save.loading} disabled={save.loading} onClick={submit}>
          保存评议小组（{picked.length} 人）
        </Button>
        <Button id="committee-back" block onClick={() => void Taro.navigateBack()}>
          返回需求清单
        </Button>
      </View>
    </Page>
  );
}
