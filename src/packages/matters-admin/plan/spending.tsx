import { Picker, View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { newRequestId } from '../../../client/request-id';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { Field } from '../../../components/field';
import { FOCUSABLE } from '../../../components/focusable';
import { shanghaiDaysAgo } from '../../../components/format';
import { PhotoPicker, usePhotoUploads } from '../../../components/photo-picker';
import { errorText } from '../shared';
import { yuan, yuanToFen } from './money';

/** Spending entries (newest first) and the form to record one with its receipt photos. */
export function SpendingSection({ matterId, onSaved }: { matterId: string; onSaved: () => void }) {
  const list = useQuery(() => api.matters.listSpendings({ matterId }), [matterId]);
  const [form, setForm] = useState(0);
  const saved = () => {
    setForm((n) => n + 1); // a fresh form (and request id) for the next entry
    void list.run();
    onSaved();
  };
  const items = list.data?.items ?? [];
  return (
    <View id="plan-spending" className="section">
      <View className="section-title">支出记录</View>
      {list.error && <View className="ma-error">{errorText(list.error)}</View>}
      {items.length === 0 && list.data && <View className="meta">还没有支出记录</View>}
      {items.map((s, i) => (
        <View key={s._id} id={`plan-spending-${i}`} className="ma-row">
          <View className="grow">
            <View>{s.purpose}</View>
            <View className="meta">
              {s.date}
              {s.receipts.length ? ` · 票据 ${s.receipts.length} 张` : ''}
            </View>
          </View>
          <View>{yuan(s.amount)}</View>
        </View>
      ))}
      <SpendingForm key={form} matterId={matterId} onSaved={saved} />
    </View>
  );
}

function SpendingForm({ matterId, onSaved }: { matterId: string; onSaved: () => void }) {
  const [requestId] = useState(newRequestId);
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(shanghaiDaysAgo(0));
  const [purpose, setPurpose] = useState('');
  const receipts = usePhotoUploads(9, 'matters');
  const [local, setLocal] = useState<string | null>(null);
  const send = useAction(async (fen: number) => {
    const r = await api.matters.addSpending({ matterId, requestId, amount: fen, date, purpose: purpose.trim(), receipts: receipts.fileIds });
    onSaved();
    return r;
  }, { successToast: '支出已记录' });
  const submit = () => {
    const fen = yuanToFen(amount);
    if (!fen) return setLocal('请填写支出金额（元），最多两位小数');
    if (purpose.trim().length < 2) return setLocal('请写明用途（至少 2 个字）');
    if (receipts.busy) return setLocal('票据照片还在上传，请稍候');
    if (receipts.failed) return setLocal('有票据照片上传失败，请重试或删除');
    setLocal(null);
    void send.run(fen);
  };
  return (
    <View id="plan-spending-form" className="ma-box">
      <Field label="金额（元）">
        <Input id="plan-spending-amount" className="field-input" type="digit" placeholder="如 12800" maxLength={14} value={amount} onChange={setAmount} />
      </Field>
      <Field label="支出日期">
        <Picker mode="date" value={date} end={shanghaiDaysAgo(0)} onChange={(e) => setDate(String(e.detail.value))}>
          <View id="plan-spending-date" className="field-input tap plan-date" role="button" {...FOCUSABLE}>
            {date}
          </View>
        </Picker>
      </Field>
      <Field label="用途">
        <Input id="plan-spending-purpose" className="field-input" placeholder="如：声控灯具采购" maxLength={100} value={purpose} onChange={setPurpose} />
      </Field>
      <View className="field-label">票据照片</View>
      <PhotoPicker items={receipts.items} max={9} onAdd={() => void receipts.add()} onRemove={receipts.remove} onRetry={receipts.retry} idPrefix="plan-receipt" />
      {(local || send.error) && <View id="plan-spending-error" className="ma-error" role="alert">{local ?? errorText(send.error)}</View>}
      <Button id="plan-spending-submit" type="primary" size="large" block loading={send.loading} disabled={send.loading} onClick={submit}>
        记录支出
      </Button>
    </View>
  );
}
