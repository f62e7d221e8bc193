import Taro from '@tarojs/taro';
import { Picker, View } from '@tarojs/components';
import { useState } from 'react';
import type { MatterPage, PlanView } from '../../../features/matters/plan.schema';
import { api } from '../../../client/api';
import { useAction } from '../../../client/hooks';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { TextArea } from '../../../components/nut/textarea';
import { Field } from '../../../components/field';
import { FOCUSABLE } from '../../../components/focusable';
import { formatDate, shanghaiDaysAgo } from '../../../components/format';
import { Chip, errorText } from '../shared';

type Ms = PlanView['milestones'][number];
type Unit = { _id: string; name: string };

/** Milestones with weight, owner and dates; a done mark can be taken back with a reason. */
export function MilestonesSection({ page, editable, onChanged }: { page: MatterPage; editable: boolean; onChanged: () => void }) {
  const { plan, matter } = page;
  const units: Unit[] = [...(matter.leadUnit ? [matter.leadUnit] : []), ...matter.supportUnits];
  return (
    <View id="plan-milestones" className="section">
      <View className="section-title">节点</View>
      <View id="plan-weight-left" className="meta">
        已分配权重 {100 - plan.weightLeft}%，还可分配 {plan.weightLeft}%
      </View>
      {plan.milestones.length === 0 && <View className="meta">还没有节点。进度按已完成节点的权重累计。</View>}
      {plan.milestones.map((ms, i) => (
        <MilestoneRow key={ms.id} i={i} ms={ms} matterId={matter._id} editable={editable} onChanged={onChanged} />
      ))}
      {editable && plan.weightLeft > 0 && <MilestoneForm matterId={matter._id} units={units} weightLeft={plan.weightLeft} onSaved={onChanged} />}
    </View>
  );
}

function MilestoneRow({ i, ms, matterId, editable, onChanged }: { i: number; ms: Ms; matterId: string; editable: boolean; onChanged: () => void }) {
  const [undoing, setUndoing] = useState(false);
  const [reason, setReason] = useState('');
  const undo = useAction(async () => {
    const r = await api.matters.undoMilestone({ matterId, milestoneId: ms.id, reason: reason.trim() });
    setUndoing(false);
    setReason('');
    onChanged();
    return r;
  }, { successToast: '已撤销完成' });
  const confirm = async () => {
    const ok = await Taro.showModal({ title: '撤销这个节点的完成？', content: `“${ms.title}”将回到未完成，进度减少 ${ms.weight}%。`, confirmText: '撤销', cancelText: '再想想' });
    if (ok.confirm) void undo.run();
  };
  const status = ms.done ? `已完成（${formatDate(ms.done.at)}）` : ms.overdue ? '已逾期' : '进行中';
  return (
    <View id={`plan-ms-${i}`} className="ma-row">
      <View className="grow">
        <View>
          {ms.title} · {ms.weight}%
        </View>
        <View className="meta">
          负责：{ms.owner.label} · {ms.start} 至 {ms.due}
        </View>
        <View id={`plan-ms-status-${i}`} className={ms.overdue ? 'ma-error' : 'meta'}>
          {status}
        </View>
        {editable && ms.done && !undoing && (
          <Button id={`plan-ms-undo-${i}`} size="small" onClick={() => setUndoing(true)}>
            撤销完成
          </Button>
        )}
        {undoing && (
          <View className="ma-box">
            <TextArea id={`plan-ms-undo-reason-${i}`} className="field-input" placeholder="撤销原因（如：现场照片与节点不符）" maxLength={200} value={reason} onChange={setReason} />
            {undo.error && <View id={`plan-ms-undo-error-${i}`} className="ma-error" role="alert">{errorText(undo.error)}</View>}
            <View className="row">
              <Button id={`plan-ms-undo-submit-${i}`} type="primary" size="small" loading={undo.loading} disabled={undo.loading || reason.trim().length < 2} onClick={() => void confirm()}>
                确认撤销
              </Button>
              <Button id={`plan-ms-undo-cancel-${i}`} size="small" onClick={() => setUndoing(false)}>
                取消
              </Button>
            </View>
          </View>
        )}
      </View>
    </View>
  );
}

type OwnerPick = { kind: 'unit'; unitId: string } | { kind: 'person' };

function MilestoneForm({ matterId, units, weightLeft, onSaved }: { matterId: string; units: Unit[]; weightLeft: number; onSaved: () => void }) {
  const [title, setTitle] = useState('');
  const [weight, setWeight] = useState('');
  const [owner, setOwner] = useState<OwnerPick>(units[0] ? { kind: 'unit', unitId: units[0]._id } : { kind: 'person' });
  const [person, setPerson] = useState('');
  const [start, setStart] = useState(shanghaiDaysAgo(0));
  const [due, setDue] = useState(shanghaiDaysAgo(-30));
  const [local, setLocal] = useState<string | null>(null);
  const send = useAction(async (w: number) => {
    const r = await api.matters.addMilestone({
      matterId, title: title.trim(), weight: w, start, due, eventId: null,
      owner: owner.kind === 'unit' ? owner : { kind: 'person', name: person.trim() },
    });
    setTitle('');
    setWeight('');
    setPerson('');
    onSaved();
    return r;
  }, { successToast: '节点已添加' });
  const submit = () => {
    const w = Number(weight);
    if (title.trim().length < 2) return setLocal('节点名称至少 2 个字');
    if (!/^\d+$/.test(weight.trim()) || w < 1) return setLocal('请填写权重（1–100 的整数）');
    if (w > weightLeft) return setLocal(`权重合计不能超过 100%，最多还能设 ${weightLeft}%`);
    if (owner.kind === 'person' && !person.trim()) return setLocal('请填写负责人姓名');
    if (due < start) return setLocal('完成期限不能早于开始日期');
    setLocal(null);
    void send.run(w);
  };
  return (
    <View id="plan-ms-form" className="ma-box">
      <View className="section-title">添加节点</View>
      <Field label="节点名称">
        <Input id="plan-ms-title" className="field-input" placeholder="如：线路更换" maxLength={40} value={title} onChange={setTitle} />
      </Field>
      <Field label={`权重（%，还可分配 ${weightLeft}%）`}>
        <Input id="plan-ms-weight" className="field-input" type="number" placeholder={String(weightLeft)} maxLength={3} value={weight} onChange={setWeight} />
      </Field>
      <View className="field-label">负责方</View>
      <View className="chips">
        {units.map((u, i) => (
          <Chip key={u._id} id={`plan-ms-owner-unit-${i}`} on={owner.kind === 'unit' && owner.unitId === u._id} label={u.name} onClick={() => setOwner({ kind: 'unit', unitId: u._id })} />
        ))}
        <Chip id="plan-ms-owner-person" on={owner.kind === 'person'} label="指定负责人" onClick={() => setOwner({ kind: 'person' })} />
      </View>
      {units.length === 0 && <View className="meta">这件实事还没有承办单位，可先在“承办单位”中指定。</View>}
      {owner.kind === 'person' && (
        <Field label="负责人姓名">
          <Input id="plan-ms-person" className="field-input" placeholder="如：张建华" maxLength={30} value={person} onChange={setPerson} />
        </Field>
      )}
      <View className="plan-dates">
        <Field label="开始日期">
          <Picker mode="date" value={start} onChange={(e) => setStart(String(e.detail.value))}>
            <View id="plan-ms-start" className="field-input tap plan-date" role="button" {...FOCUSABLE}>
              {start}
            </View>
          </Picker>
        </Field>
        <Field label="完成期限">
          <Picker mode="date" value={due} start={start} onChange={(e) => setDue(String(e.detail.value))}>
            <View id="plan-ms-due" className="field-input tap plan-date" role="button" {...FOCUSABLE}>
              {due}
            </View>
          </Picker>
        </Field>
      </View>
      {(local || send.error) && <View id="plan-ms-error" className="ma-error" role="alert">{local ?? errorText(send.error)}</View>}
      <Button id="plan-ms-submit" type="primary" size="large" block loading={send.loading} disabled={send.loading} onClick={submit}>
        添加节点
      </Button>
    </View>
  );
}
