import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../client/api';
import { fieldError } from '../../client/api-error';
import { useAction, useQuery } from '../../client/hooks';
import { grantKey, setMe } from '../../client/me';
import { KEYS, writeStored } from '../../client/storage';
import { Page } from '../../components/page';
import { Button } from '../../components/nut/button';
import { Input } from '../../components/nut/input';
import { ErrorState, LoadingState } from '../../components/states';
import { Field } from '../../components/field';

export default function Join() {
  const communities = useQuery(() => api.regions.listCommunities({}), []);
  const [communityId, setCommunityId] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [building, setBuilding] = useState('');
  const [unit, setUnit] = useState('');
  const [localError, setLocalError] = useState<Record<string, string>>({});

  const join = useAction(async () => {
    const me = await api.members.joinCommunity({
      communityId,
      name: name.trim(),
      phone: phone.trim() || undefined,
      building: building.trim(),
      unit: unit.trim() || undefined,
    });
    setMe(me);
    writeStored(KEYS.role, grantKey({ role: 'resident', regionId: communityId }));
    void Taro.showToast({ title: '已加入社区', icon: 'success' });
    await Taro.reLaunch({ url: '/pages/index/index' });
    return me;
  });

  const submit = () => {
    const errs: Record<string, string> = {};
    if (!communityId) errs.communityId = '请选择社区';
    if (!name.trim()) errs.name = '请填写姓名';
    if (!building.trim()) errs.building = '请填写楼栋';
    if (phone.trim() && !/^1\d{10}$/.test(phone.trim())) errs.phone = '请输入 11 位手机号';
    setLocalError(errs);
    if (Object.keys(errs).length === 0) void join.run();
  };

  const err = (f: string) => localError[f] ?? fieldError(join.error, f);
  const items = communities.data?.items ?? [];
  const districts = [...new Set(items.map((c) => c.districtName))];

  return (
    <Page id="page-join">
      <View className="title">加入社区</View>
      <View className="field">
        <View className="field-label">选择您居住的社区</View>
        {communities.error ? (
          <ErrorState error={communities.error} onRetry={() => void communities.run()} />
        ) : communities.loading ? (
          <LoadingState />
        ) : (
          districts.map((d) => (
            <View key={d} className="field">
              <View className="muted">{d}</View>
              <View className="chips">
                {items
                  .filter((c) => c.districtName === d)
                  .map((c) => (
                    <Button
                      key={c._id}
                      id={`join-community-${c._id}`}
                      className="chip"
                      type={communityId === c._id ? 'primary' : 'default'}
                      aria-pressed={communityId === c._id}
                      onClick={() => setCommunityId(c._id)}
                    >
                      {communityId === c._id ? '✓ ' : ''}
                      {c.name}
                    </Button>
                  ))}
              </View>
            </View>
          ))
        )}
        {err('communityId') && <View className="field-error">{err('communityId')}</View>}
      </View>
      <Field label="姓名" error={err('name')} errorId="join-name-error">
        <Input id="join-name" className="field-input" placeholder="请输入您的姓名" maxLength={30} value={name} onChange={setName} />
      </Field>
      <Field label="手机号（选填）" error={err('phone')} errorId="join-phone-error">
        <Input id="join-phone" className="field-input" type="number" placeholder="方便社区联系您" maxLength={11} value={phone} onChange={setPhone} />
      </Field>
      <Field label="楼栋" error={err('building')} errorId="join-building-error">
        <Input id="join-building" className="field-input" placeholder="例如：3栋" maxLength={20} value={building} onChange={setBuilding} />
      </Field>
      <Field label="单元（选填）" error={err('unit')} errorId="join-unit-error">
        <Input id="join-unit" className="field-input" placeholder="例如：2单元" maxLength={20} value={unit} onChange={setUnit} />
      </Field>
      <Button id="join-submit" type="primary" size="large" block loading={join.loading} disabled={join.loading} onClick={submit}>
        加入社区
      </Button>
    </Page>
  );
}

