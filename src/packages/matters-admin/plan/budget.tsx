import { View } from '@tarojs/components';
import { useState } from 'react';
import { FUNDING_LABELS, FUNDING_SOURCES, type FundingSource } from '../../../features/matters/matters.labels';
import type { PlanView } from '../../../features/matters/plan.schema';
import { api } from '../../../client/api';
import { useAction } from '../../../client/hooks';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { Field } from '../../../components/field';
import { errorText } from '../shared';
import { fenToInput, yuan, yuanToFen } from './money';

/** The budget by source, typed in yuan; saving replaces the previous figures. */
export function BudgetSection({ matterId, plan, editable, onSaved }: { matterId: string; plan: PlanView; editable: boolean; onSaved: () => void }) {
  const [text, setText] = useState<Record<FundingSource, string>>(() =>
    Object.fromEntries(FUNDING_SOURCES.map((s) => [s, fenToInput(plan.budget[s])])) as Record<FundingSource, string>,
  );
  const [local, setLocal] = useState<string | null>(null);
  const save = useAction(async (budget: Partial<Record<FundingSource, number>>) => {
    const r = await api.matters.setBudget({ matterId, budget });
    onSaved();
    return r;
  }, { successToast: '预算已保存' });
  const submit = () => {
    const budget: Partial<Record<FundingSource, number>> = {};
    for (const s of FUNDING_SOURCES) {
      const fen = yuanToFen(text[s]);
      if (fen === null) return setLocal(`${FUNDING_LABELS[s]}：请填写金额（元），最多两位小数`);
      if (fen > 0) budget[s] = fen;
    }
    setLocal(null);
    void save.run(budget);
  };
  return (
    <View id="plan-budget" className="section">
      <View className="section-title">预算</View>
      <View id="plan-budget-total" className="meta">
        预算合计 {yuan(plan.budgetTotal)}，已支出 {yuan(plan.spent)}（{plan.spendings} 笔）
      </View>
      {editable && (
        <>
          {FUNDING_SOURCES.map((s) => (
            <Field key={s} label={`${FUNDING_LABELS[s]}（元）`}>
              <Input id={`plan-budget-${s}`} className="field-input" type="digit" placeholder="0" maxLength={14} value={text[s]} onChange={(v) => setText((t) => ({ ...t, [s]: v }))} />
            </Field>
          ))}
          {(local || save.error) && <View id="plan-budget-error" className="ma-error" role="alert">{local ?? errorText(save.error)}</View>}
          <Button id="plan-budget-save" type="primary" size="large" block loading={save.loading} disabled={save.loading} onClick={submit}>
            保存预算
          </Button>
        </>
      )}
    </View>
  );
}
