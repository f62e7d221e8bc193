import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { STEP_BODIES, STEP_LABELS, STEPS, type Step } from '../../../features/matters/matters.labels';
import { configRefusal, type Fraction, fractionText, type ProcedureConfig, SETTINGS_BOUNDS as B } from '../../../features/matters/matters.rules';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { loadMe } from '../../../client/me';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Dialog } from '../../../components/nut/dialog';
import { Input } from '../../../components/nut/input';
import { Field } from '../../../components/field';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { formatDateTime } from '../../../components/format';
import { Chip, errorText, param } from '../shared';
import { rulesLines } from '../rules-text';
import '../ui.scss';

/** The shares offered (from 半数 up to everyone); a stored share not among them is offered too. */
const PRESETS: Fraction[] = [
  { num: 1, den: 2, inclusive: false },
  { num: 1, den: 2, inclusive: true },
  { num: 3, den: 5, inclusive: true },
  { num: 2, den: 3, inclusive: true },
  { num: 3, den: 4, inclusive: true },
  { num: 4, den: 5, inclusive: true },
  { num: 1, den: 1, inclusive: true },
];
const same = (a: Fraction, b: Fraction) => a.num * b.den === b.num * a.den && a.inclusive === b.inclusive;
const shareLabel = (f: Fraction) => (f.num === f.den ? '全部' : fractionText(f));
const whole = (t: string): number => (/^\d+$/.test(t.trim()) ? Number(t.trim()) : NaN);

type Numbers = { publicityDays: string; maxMatters: string; fastTrackMaxCost: string };
const numbersOf = (c: ProcedureConfig): Numbers => ({ publicityDays: String(c.publicityDays), maxMatters: String(c.maxMatters), fastTrackMaxCost: String(c.fastTrackMaxCost) });

/** 议事规则: the city's quorum, majority, 公示 days, yearly cap and 微实事立办 limit; for the city's administrator. */
export default function SettingsPage() {
  const params = useRouter().params;
  const me = useQuery(() => loadMe(), [], { enabled: !params.cityId });
  const cityId = param(params.cityId) || me.data?.member?.grants.find((g) => g.role === 'city_admin')?.regionId;
  const q = useQuery(() => api.matters.getProcedureSettings({ regionId: cityId as string }), [cityId], { enabled: !!cityId });
  // The form, once touched (null: shows what is stored).
  const [fractions, setFractions] = useState<Pick<ProcedureConfig, 'quorum' | 'majority'> | null>(null);
  const [numbers, setNumbers] = useState<Numbers | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [local, setLocal] = useState<string | null>(null);

  const current = q.data?.settings;
  const shownFractions = fractions ?? (current ? { quorum: current.quorum, majority: current.majority } : null);
  const shownNumbers = numbers ?? (current ? numbersOf(current) : null);
  const draft = (): ProcedureConfig | null =>
    shownFractions && shownNumbers
      ? { ...shownFractions, publicityDays: whole(shownNumbers.publicityDays), maxMatters: whole(shownNumbers.maxMatters), fastTrackMaxCost: whole(shownNumbers.fastTrackMaxCost) }
      : null;

  const save = useAction(
    async () => {
      const v = await api.matters.setProcedureSettings({ cityId: cityId as string, settings: draft() as ProcedureConfig });
      q.setData(v);
      setFractions(null);
      setNumbers(null);
      setConfirming(false);
      return v;
    },
    { successToast: '议事规则已保存' },
  );

  if (!cityId) {
    return <Page id="page-matters-settings">{me.error ? <ErrorState error={me.error} onRetry={() => void me.run()} /> : me.loading ? <LoadingState /> : <EmptyState text="您不是市级管理员" />}</Page>;
  }
  if (q.error) {
    return (
      <Page id="page-matters-settings">
        <ErrorState error={q.error} onRetry={() => void q.run()} />
      </Page>
    );
  }
  const v = q.data;
  if (!v || !shownFractions || !shownNumbers) {
    return (
      <Page id="page-matters-settings">
        <LoadingState />
      </Page>
    );
  }
  const d = v.defaults;
  const setQuorum = (s: Step, f: Fraction) => setFractions({ ...shownFractions, quorum: { ...shownFractions.quorum, [s]: f } });
  const setNumber = (k: keyof Numbers, t: string) => setNumbers({ ...shownNumbers, [k]: t });
  const check = () => {
    const c = draft() as ProcedureConfig;
    const refusal = configRefusal(c);
    setLocal(refusal?.message ?? null);
    if (!refusal) setConfirming(true);
  };
  const choices = (f: Fraction) => (PRESETS.some((p) => same(p, f)) ? PRESETS : [...PRESETS, f]);
  const message = local ?? errorText(save.error);

  return (
    <Page id="page-matters-settings">
      <View className="section">
        <View className="title">{v.cityName} · 四议两公开议事规则</View>
        <View id="settings-state" className="meta">
          {v.isDefault ? '本市尚未设置，现行的是全市默认规则。' : `本市已设置，${v.updatedAt ? `更新于 ${formatDateTime(v.updatedAt)}` : ''}。`}
          修改后，各社区此后记录的会议、公示和微实事按新规则执行，已记录的不变。
        </View>
      </View>

      <View className="section">
        <View className="section-title">到会要求（法定人数）</View>
        <View className="meta">会议实到人数须达到应到人数的这一比例，会议才能作出决定。不能低于半数。</View>
        {STEPS.map((s) => (
          <Field key={s} label={`${STEP_LABELS[s]}（${STEP_BODIES[s]}）· 默认${shareLabel(d.quorum[s])}`}>
            <View className="chips">
              {choices(shownFractions.quorum[s]).map((f, i) => (
                <Chip key={i} id={`settings-quorum-${s}-${i}`} on={same(f, shownFractions.quorum[s])} label={shareLabel(f)} onClick={() => setQuorum(s, f)} />
              ))}
            </View>
          </Field>
        ))}
      </View>

      <View className="section">
        <View className="section-title">表决通过要求</View>
        <Field label={`每个事项须获实到人员多少赞成才算通过 · 默认${shareLabel(d.majority)}`}>
          <View className="chips">
            {choices(shownFractions.majority).map((f, i) => (
              <Chip key={i} id={`settings-majority-${i}`} on={same(f, shownFractions.majority)} label={shareLabel(f)} onClick={() => setFractions({ ...shownFractions, majority: f })} />
            ))}
          </View>
        </Field>
      </View>

      <View className="section">
        <Field label={`决议公示天数（${B.publicityDays[0]}–${B.publicityDays[1]} 天）· 默认 ${d.publicityDays} 天`}>
          <Input id="settings-publicity-days" className="field-input" type="number" maxLength={2} value={shownNumbers.publicityDays} onChange={(t) => setNumber('publicityDays', t)} />
        </Field>
        <View className="meta">公示期内居民可对清单上的事项提出异议，公示结束且异议都已答复后才能确定清单。</View>
        <Field label={`每个社区每年实事件数上限（${B.maxMatters[0]}–${B.maxMatters[1]} 件）· 默认 ${d.maxMatters} 件`}>
          <Input id="settings-max-matters" className="field-input" type="number" maxLength={2} value={shownNumbers.maxMatters} onChange={(t) => setNumber('maxMatters', t)} />
        </Field>
        <View className="meta">“一社区一年10件实事”：10 件是上限，可以定得更少。</View>
        <Field label={`微实事立办的费用上限（元，${B.fastTrackMaxCost[0]}–${B.fastTrackMaxCost[1]}）· 默认 ${d.fastTrackMaxCost} 元`}>
          <Input id="settings-fast-track" className="field-input" type="number" maxLength={6} value={shownNumbers.fastTrackMaxCost} onChange={(t) => setNumber('fastTrackMaxCost', t)} />
        </Field>
        <View className="meta">花费低于此数的小事可以马上办理，不等年度清单、不占年度名额；填 0 即不允许立办。</View>
      </View>

      <View className="section stack">
        {message && (
          <View id="settings-error" className="ma-error" role="alert">
            {message}
          </View>
        )}
        <Button id="settings-submit" type="primary" block disabled={save.loading} onClick={check}>
          保存议事规则
        </Button>
        <Button
          id="settings-defaults"
          block
          onClick={() => {
            setFractions({ quorum: d.quorum, majority: d.majority });
            setNumbers(numbersOf(d));
            setLocal(null);
          }}
        >
          填入默认规则
        </Button>
        <Button id="settings-back" block onClick={() => void Taro.navigateBack()}>
          返回
        </Button>
      </View>

      <Dialog
        id="settings-dialog"
        visible={confirming}
        title="确认保存本市议事规则？"
        onClose={() => setConfirming(false)}
        footer={
          <View className="dialog-footer">
            <Button id="settings-no" disabled={save.loading} onClick={() => setConfirming(false)}>
              取消
            </Button>
            <Button id="settings-confirm" type="primary" loading={save.loading} disabled={save.loading} onClick={() => void save.run()}>
              确认保存
            </Button>
          </View>
        }
      >
        {confirming && (
          <View id="settings-confirm-text">
            {rulesLines(draft() as ProcedureConfig).map((line, i) => (
              <View key={i} className="muted">
                {line}
              </View>
            ))}
          </View>
        )}
        {errorText(save.error) && <View className="ma-error">{errorText(save.error)}</View>}
      </Dialog>
    </Page>
  );
}
