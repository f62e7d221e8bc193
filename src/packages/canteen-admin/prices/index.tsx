import { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import type { PriceTier } from '../../../features/canteen/canteen.schema';
import { api } from '../../../client/api';
import { ApiError, displayMessage } from '../../../client/api-error';
import { useAction, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { Field } from '../../../components/field';
import { ErrorState, LoadingState } from '../../../components/states';
import { param, shanghaiToday, yuan } from '../shared';
import '../ui.scss';

const toFen = (s: string): number | null => (/^\d{1,4}(\.\d{1,2})?$/.test(s.trim()) ? Math.round(Number(s.trim()) * 100) : null);

interface Draft {
  from: string;
  mealCost: string;
  tiers: { minAge: string; price: string }[];
}

/** The dated price schedules (history is never edited) and a new one from a day (today or later). */
export default function Prices() {
  const canteenId = param(useRouter().params.canteenId);
  const canteen = useQuery(() => api.canteen.getCanteen({ canteenId }), [canteenId]);
  const [draft, setDraft] = useState<Draft | null>(null);

  const base = canteen.data?.prices.at(-1);
  const d: Draft = draft ?? {
    from: shanghaiToday(),
    mealCost: base ? yuan(base.mealCost) : '',
    tiers: (base?.tiers ?? []).map((t) => ({ minAge: String(t.minAge), price: yuan(t.price) })),
  };
  const edit = (patch: Partial<Draft>) => setDraft({ ...d, ...patch });
  const editTier = (i: number, patch: Partial<Draft['tiers'][number]>) => edit({ tiers: d.tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)) });

  const save = useAction(
    async () => {
      const mealCost = toFen(d.mealCost);
      const tiers: PriceTier[] = d.tiers.map((t) => ({ minAge: Number(t.minAge), price: toFen(t.price) ?? -1 }));
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d.from)) throw new ApiError('INPUT.INVALID', '生效日期格式应为 YYYY-MM-DD');
      if (mealCost === null) throw new ApiError('INPUT.INVALID', '每餐成本应为金额，如 12.00');
      if (tiers.some((t) => !Number.isInteger(t.minAge) || t.minAge < 0 || t.price < 0)) throw new ApiError('INPUT.INVALID', '请填写每档的起始年龄和价格');
      const c = await api.canteen.setPrices({ canteenId, from: d.from, mealCost, tiers });
      canteen.setData(c);
      setDraft(null);
      return c;
    },
    { successToast: '已添加新的餐费标准', silent: true },
  );
  const err = save.error ? displayMessage(save.error) : '';

  if (canteen.error) return <Page id="page-canteen-prices"><ErrorState error={canteen.error} onRetry={() => void canteen.run()} /></Page>;
  const c = canteen.data;
  if (!c) return <Page id="page-canteen-prices"><LoadingState /></Page>;

  return (
    <Page id="page-canteen-prices">
      <View className="section">
        <View className="title">{c.name}</View>
        <View className="muted">每个标准从生效日起执行，之前的就餐记录仍按当时的价格。</View>
      </View>
      {[...c.prices].reverse().map((p, i) => (
        <View key={p.from} id={`prices-schedule-${i}`} className="section">
          <View className="section-title">{p.from} 起 · 每餐成本 ¥{yuan(p.mealCost)}</View>
          {p.tiers.map((t) => (
            <View key={t.minAge} className="ca-row">
              <View>{t.minAge} 岁及以上</View>
              <View>个人付 ¥{yuan(t.price)} · 补贴 ¥{yuan(Math.max(0, p.mealCost - t.price))}</View>
            </View>
          ))}
        </View>
      ))}
      <View className="section">
        <View className="section-title">新增餐费标准</View>
        <Field label="生效日期（今天或以后）">
          <Input id="prices-from" className="field-input" placeholder="YYYY-MM-DD" value={d.from} onChange={(v: string) => edit({ from: v })} />
        </Field>
        <Field label="每餐成本（元）">
          <Input id="prices-cost" className="field-input" type="digit" value={d.mealCost} onChange={(v: string) => edit({ mealCost: v })} />
        </Field>
        {d.tiers.map((t, i) => (
          <Field key={i} label={`第 ${i + 1} 档：起始年龄 · 个人付（元）`}>
            <View className="ca-tier">
              <Input id={`prices-tier-age-${i}`} className="field-input" type="number" value={t.minAge} onChange={(v: string) => editTier(i, { minAge: v })} />
              <Input id={`prices-tier-price-${i}`} className="field-input" type="digit" value={t.price} onChange={(v: string) => editTier(i, { price: v })} />
            </View>
          </Field>
        ))}
        <View className="actions">
          {d.tiers.length < 6 && (
            <Button id="prices-tier-add" block onClick={() => edit({ tiers: [...d.tiers, { minAge: '', price: '' }] })}>
              增加一档
            </Button>
          )}
          {d.tiers.length > 1 && (
            <Button id="prices-tier-remove" block onClick={() => edit({ tiers: d.tiers.slice(0, -1) })}>
              删除最后一档
            </Button>
          )}
        </View>
        {err && <View id="prices-error" className="field-error" role="alert">{err}</View>}
        <Button id="prices-save" type="primary" size="large" block loading={save.loading} disabled={save.loading} onClick={() => void save.run()}>
          保存新标准
        </Button>
      </View>
    </Page>
  );
}
