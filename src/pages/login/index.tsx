import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { demoSignIn, listDemoPeople, type DemoPersonView } from '../../client/demo-auth';
import { useAction, useQuery } from '../../client/hooks';
import { setMe } from '../../client/me';
import { KEYS, writeStored } from '../../client/storage';
import { Page } from '../../components/page';
import { Button } from '../../components/nut/button';
import { ElderSwitch } from '../../components/elder-switch';
import { ErrorState, LoadingState } from '../../components/states';

/** H5 only: choose one of the demo people (the local host in demo mode signs a session token). */
export default function Login() {
  const people = useQuery(listDemoPeople, []);
  const signIn = useAction(async (p: DemoPersonView) => {
    await demoSignIn(p);
    setMe(null);
    writeStored(KEYS.role, null);
    await Taro.reLaunch({ url: '/pages/index/index' });
  });

  return (
    <Page id="page-login">
      <View className="title">选择演示身份</View>
      <View className="muted field">这是演示环境：点一位演示用户即可登录，数据均为虚构。</View>
      {people.error ? (
        <ErrorState error={people.error} onRetry={() => void people.run()} />
      ) : !people.data ? (
        <LoadingState />
      ) : (
        <View className="stack">
          {people.data.map((p) => (
            <Button
              key={p.openid}
              id={`login-${p.openid}`}
              className="tap login-person"
              size="large"
              block
              onClick={() => void signIn.run(p)}
            >
              {p.name} · {p.label}
            </Button>
          ))}
        </View>
      )}
      <View className="field" />
      <ElderSwitch />
    </Page>
  );
}
