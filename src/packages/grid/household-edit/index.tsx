import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { TAGS, type TagName as Tag } from '../../../features/visits/visits.labels';
import { api } from '../../../client/api';
import { fieldError } from '../../../client/api-error';
import { useAction, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { Field } from '../../../components/field';
import { ErrorState, LoadingState } from '../../../components/states';
import { Chip, param, q } from '../ui';
import '../ui.scss';

/** Adds a household to a grid, or edits one (the address is its identity and stays as it is). */
export default function HouseholdEdit() {
  const params = useRouter().params;
  const id = param(params.id);
  const gridId = param(params.gridId);
  const current = useQuery(() => api.visits.household({ id: id as string }), [id], { enabled: !!id });
  const [building, setBuilding] = useState('');
  const [unit, setUnit] = useState('');
  const [room, setRoom] = useState('');
  const [headName, setHeadName] = useState('');
  const [count, setCount] = useState('1');
  const [phone, setPhone] = useState('');
  const [tags, setTags] = useState<Tag[]>([]);
  const [note, setNote] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});

  useEffect(() => {
    const h = current.data?.household;
    if (!h) return;
    setHeadName(h.headName);
    setCount(String(h.membersCount));
    setPhone(h.phone ?? '');
    setTags(h.tags);
    setNote(h.note);
  }, [current.data]);

  const save = useAction(async () => {
    const fields = { headName: headName.trim(), membersCount: Number(count), phone: phone.trim() || null, tags, note: note.trim() };
    const h = id
      ? await api.visits.updateHousehold({ id, ...fields })
      : await api.visits.createHousehold({ gridId: gridId as string, building: building.trim(), unit: unit.trim(), room: room.trim(), ...fields });
    void Taro.showToast({ title: '已保存', icon: 'success' });
    await Taro.redirectTo({ url: `/packages/grid/household/index?${q({ id: h._id })}` });
    return h;
  });

  const onSave = () => {
    const e: Record<string, string> = {};
    if (!id && !building.trim()) e.building = '请填写楼栋';
    if (!id && !room.trim()) e.room = '请填写房号';
    if (!headName.trim()) e.headName = '请填写户主姓名';
    if (!/^\d+$/.test(count) || Number(count) < 1) e.membersCount = '家庭人数应为 1 以上的数字';
    setLocal(e);
    if (Object.keys(e).length === 0) void save.run();
  };
  const err = (f: string) => local[f] ?? fieldError(save.error, f);

  if (id && current.error) return <Page id="page-household-edit"><ErrorState error={current.error} onRetry={() => void current.run()} /></Page>;
  if (id && !current.data) return <Page id="page-household-edit"><LoadingState /></Page>;
  const h = current.data?.household;

  return (
    <Page id="page-household-edit">
      {h ? (
        <View className="title">{h.address}</View>
      ) : (
        <View>
          <Field label="楼栋" error={err('building')} errorId="hh-building-error">
            <Input id="hh-building" className="field-input" placeholder="例如：3栋" maxLength={20} value={building} onChange={setBuilding} />
          </Field>
          <Field label="单元（选填）" error={err('unit')}>
            <Input id="hh-unit" className="field-input" placeholder="例如：2单元" maxLength={20} value={unit} onChange={setUnit} />
          </Field>
          <Field label="房号" error={err('room')} errorId="hh-room-error">
            <Input id="hh-room" className="field-input" placeholder="例如：501" maxLength={20} value={room} onChange={setRoom} />
          </Field>
        </View>
      )}
      <Field label="户主姓名" error={err('headName')} errorId="hh-head-error">
        <Input id="hh-head" className="field-input" maxLength={30} value={headName} onChange={setHeadName} />
      </Field>
      <Field label="家庭人数" error={err('membersCount')} errorId="hh-count-error">
        <Input id="hh-count" className="field-input" type="number" maxLength={2} value={count} onChange={setCount} />
      </Field>
      <Field label="联系电话（选填）" error={err('phone')} errorId="hh-phone-error">
        <Input id="hh-phone" className="field-input" type="tel" maxLength={20} value={phone} onChange={setPhone} />
      </Field>
      <Field label="标签">
        <View className="chips">
          {TAGS.map((t, i) => (
            <Chip key={t} id={`hh-tag-${i}`} on={tags.includes(t)} label={t} onClick={() => setTags((l) => (l.includes(t) ? l.filter((x) => x !== t) : [...l, t]))} />
          ))}
        </View>
      </Field>
      <Field label="备注（选填）" error={err('note')}>
        <Input id="hh-note" className="field-input" maxLength={200} value={note} onChange={setNote} />
      </Field>
      <Button id="hh-save" type="primary" size="xlarge" block loading={save.loading} onClick={onSave}>
        保存
      </Button>
    </Page>
  );
}
