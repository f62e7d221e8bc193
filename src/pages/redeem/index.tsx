import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../client/api';
import { fieldError } from '../../client/api-error';
import { useAction } from '../../client/hooks';
import { setMe } from '../../client/me';
import { KEYS, writeStored } from '../../client/storage';
import { Page } from '../../components/page';
import { Button } from '../../components/nut/button';
import { Input } from '../../components/nut/input';
import { Field } from '../../components/field';

/** Staff join with the one-time code a community admin gave them. */
export default function Redeem() {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [localError, setLocalError] = useState<Record<string, string>>({});

  const redeem = useAction(async () => {
    const me = await api.members.redeemInvitation({ code: code.trim(), name: name.trim(), phone: phone.trim() || undefined });
    setMe(me);
    writeStored(KEYS.role, null);
    void Taro.showToast({ title: '已加入', icon: 'success' });
    await Taro.reLaunch({ url: '/pages/index/index' });
    return me;
  });

  const submit = () => {
    const errs: Record<string, string> = {};
    if (code.trim().length < 6) errs.code = '请输入邀请码（至少 6 位）';
    if (!name.trim()) errs.name = '请填写姓名';
    if (phone.trim() && !/^1\d{10}$/.test(phone.trim())) errs.phone = '请输入 11 位手机号';
    setLocalError(errs);
    if (Object.keys(errs).length === 0) void redeem.run();
  };
  const err = (f: string) => localError[f] ?? fieldError(redeem.error, f);

  return (
    <Page id="page-redeem">
      <View className="title">使用工作人员邀请码</View>
      <View className="muted field">邀请码由社区管理员提供，只能使用一次。</View>
      <Field label="邀请码" error={err('code')} errorId="redeem-code-error">
        <Input id="redeem-code" className="field-input" placeholder="请输入邀请码" maxLength={16} value={code} onChange={setCode} />
      </Field>
      <Field label="姓名" error={err('name')} errorId="redeem-name-error">
        <Input id="redeem-name" className="field-input" placeholder="请输入您的姓名" maxLength={30} value={name} onChange={setName} />
      </Field>
      <Field label="手机号（选填）" error={err('phone')} errorId="redeem-phone-error">
        <Input id="redeem-phone" className="field-input" type="number" placeholder="11 位手机号" maxLength={11} value={phone} onChange={setPhone} />
      </Field>
      <Button id="redeem-submit" type="primary" size="large" block loading={redeem.loading} disabled={redeem.loading} onClick={submit}>
        确认加入
      </Button>
    </Page>
  );
}
