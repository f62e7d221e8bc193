import Taro, { useDidShow } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { ROLE_LABELS } from '../../features/members/members.labels';
import type { Grant, MeView } from '../../features/members/members.schema';
import { api } from '../../client/api';
import { useQuery } from '../../client/hooks';
import { loadMe, setMe, useActiveGrant } from '../../client/me';
import { getSession, setSession } from '../../client/session';
import { KEYS, writeStored } from '../../client/storage';
import { transport } from '../../client/transport';
import { startVisitOutbox, useVisitOutbox } from '../../client/visit-outbox';
import { Page } from '../../components/page';
import { Button } from '../../components/nut/button';
import { ElderSwitch } from '../../components/elder-switch';
import { RoleSwitcher } from '../../components/role-switcher';
import { ErrorState, LoadingState } from '../../components/states';
import './index.scss';

const go = (url: string) => () => void Taro.navigateTo({ url });

/** Only the local host's demo has a session token (and an outbox); WeChat builds never show it. */
function DemoOutboxLink() {
  if (!getSession()) return null;
  return (
    <Button id="home-demo-outbox" size="xlarge" block onClick={go('/packages/admin/outbox/index')}>
      消息发件箱（演示）
    </Button>
  );
}

function ResidentHome({ grant }: { grant: Grant }) {
  const q = `communityId=${encodeURIComponent(grant.regionId)}`;
  return (
    <View className="actions">
      <Button id="home-suggest" type="primary" size="xlarge" block onClick={go(`/pages/suggest/index?${q}`)}>
        我要提建议
      </Button>
      <Button id="home-mine" size="xlarge" block onClick={go('/pages/mine/index')}>
        我的建议
      </Button>
      <Button id="home-meal-cards" size="xlarge" block onClick={go('/packages/canteen/cards/index')}>
        我的助餐卡（本人或家人）
      </Button>
      <Button id="home-surveys" size="xlarge" block onClick={go(`/packages/survey/answer/index?${q}`)}>
        调查问卷
      </Button>
      <Button id="home-board" size="xlarge" block onClick={go(`/packages/matters/board/index?${q}`)}>
        社区实事清单
      </Button>
    </View>
  );
}

function CommunityAdminHome({ grant }: { grant: Grant }) {
  const q = `communityId=${encodeURIComponent(grant.regionId)}`;
  return (
    <View className="actions">
      <Button id="home-inbox" type="primary" size="xlarge" block onClick={go(`/packages/admin/inbox/index?${q}`)}>
        意见箱（收到的建议）
      </Button>
      <Button id="home-demands" size="xlarge" block onClick={go(`/packages/matters-admin/demands/index?${q}`)}>
        需求清单
      </Button>
      <Button id="home-invite" size="xlarge" block onClick={go(`/packages/admin/invite/index?${q}`)}>
        邀请工作人员
      </Button>
      <Button id="home-surveys-admin" size="xlarge" block onClick={go(`/packages/surveys-admin/list/index?${q}`)}>
        调查问卷管理
      </Button>
      <Button id="home-visits" size="xlarge" block onClick={go(`/packages/visits-admin/coverage/index?${q}`)}>
        入户走访
      </Button>
      <Button id="home-canteen-admin" size="xlarge" block onClick={go(`/packages/canteen-admin/elders/index?${q}`)}>
        孝义食堂助餐对象
      </Button>
      <DemoOutboxLink />
    </View>
  );
}

/** Opening the app sends the visit notes still waiting on this phone (visit-outbox). */
function GridWorkerHome() {
  const { entries } = useVisitOutbox();
  useEffect(() => startVisitOutbox(), []);
  // On a committee this year: the demand list to score (a failed look-up just leaves the link out).
  const committees = useQuery(() => api.matters.myCommittees({}), []);
  return (
    <View className="actions">
      <Button id="home-grid-day" type="primary" size="xlarge" block onClick={go('/packages/grid/day/index')}>
        今日走访
      </Button>
      <Button id="home-grid-households" size="xlarge" block onClick={go('/packages/grid/households/index')}>
        住户台账
      </Button>
      {entries.length > 0 && (
        <Button id="home-grid-outbox" size="xlarge" block onClick={go('/packages/grid/outbox/index')}>
          待上传 {entries.length} 条
        </Button>
      )}
      {(committees.data?.items ?? []).map((c, i) => (
        <Button
          key={c.communityId}
          id={`home-grid-committee-${i}`}
          size="xlarge"
          block
          onClick={go(`/packages/matters-admin/demands/index?communityId=${encodeURIComponent(c.communityId)}&year=${c.year}&as=committee`)}
        >
          需求评议（{c.communityName}{c.year}年评议小组）
        </Button>
      ))}
    </View>
  );
}

function RegionAdminHome({ grant }: { grant: Grant }) {
  return (
    <View className="actions">
      {grant.role === 'city_admin' && (
        <Button id="home-matters-settings" size="xlarge" block onClick={go(`/packages/matters-admin/settings/index?cityId=${encodeURIComponent(grant.regionId)}`)}>
          四议两公开议事规则
        </Button>
      )}
      <Button
        id="home-stats"
        type="primary"
        size="xlarge"
        block
        onClick={go(`/packages/admin/stats/index?regionId=${encodeURIComponent(grant.regionId)}`)}
      >
        各社区意见箱统计
      </Button>
      <Button id="home-audit" size="xlarge" block onClick={go(`/packages/admin/audit/index?regionId=${encodeURIComponent(grant.regionId)}`)}>
        审计日志
      </Button>
      <DemoOutboxLink />
    </View>
  );
}

/** 孝义食堂 staff: one tap to the counter. */
function CanteenStaffHome({ grant }: { grant: Grant }) {
  return (
    <View className="actions">
      <Button id="home-checkin" type="primary" size="xlarge" block onClick={go(`/packages/canteen/checkin/index?canteenId=${encodeURIComponent(grant.canteenId ?? '')}`)}>
        助餐登记
      </Button>
    </View>
  );
}

function NewcomerHome() {
  return (
    <View className="actions">
      <View className="section">
        <View className="section-title">欢迎使用社区实事</View>
        <View className="muted">加入您居住的社区后，就可以向社区提建议、查看办理进展。</View>
      </View>
      <Button id="home-join" type="primary" size="xlarge" block onClick={go('/pages/join/index')}>
        加入社区
      </Button>
      <Button id="home-redeem" size="xlarge" block onClick={go('/pages/redeem/index')}>
        我有工作人员邀请码
      </Button>
    </View>
  );
}

function RoleHome({ me }: { me: MeView }) {
  const grants = me.member?.grants ?? [];
  const [active, choose] = useActiveGrant(me);
  if (!me.member || !active) return <NewcomerHome />;
  return (
    <View>
      <View id="home-community" className="section">
        <View className="muted">{ROLE_LABELS[active.role]}</View>
        <View className="title">{active.regionName ?? active.regionId}</View>
        <View className="muted">{me.member.name}，您好</View>
      </View>
      <RoleSwitcher grants={grants} active={active} onChange={choose} />
      {active.role === 'resident' && <ResidentHome grant={active} />}
      {active.role === 'community_admin' && <CommunityAdminHome grant={active} />}
      {(active.role === 'district_admin' || active.role === 'city_admin') && <RegionAdminHome grant={active} />}
      {active.role === 'grid_worker' && <GridWorkerHome />}
      {active.role === 'canteen_staff' && <CanteenStaffHome grant={active} />}
    </View>
  );
}

export default function Home() {
  const [signedIn] = useState(() => transport.signInPage === null || getSession() !== null);
  const me = useQuery(() => loadMe(true), [], { enabled: false });

  useDidShow(() => {
    if (!signedIn && transport.signInPage) {
      void Taro.reLaunch({ url: transport.signInPage });
      return;
    }
    void me.run();
  });

  const signOut = () => {
    setSession(null);
    setMe(null);
    writeStored(KEYS.role, null);
    if (transport.signInPage) void Taro.reLaunch({ url: transport.signInPage });
  };

  const label = getSession()?.label;
  return (
    <Page id="page-home">
      {label && (
        <View className="row-between section">
          <View className="grow muted">当前登录：{label}</View>
          <Button id="home-signout" size="small" onClick={signOut}>
            切换账号
          </Button>
        </View>
      )}
      {me.error ? (
        <ErrorState error={me.error} onRetry={() => void me.run()} />
      ) : me.data ? (
        <RoleHome me={me.data} />
      ) : (
        <LoadingState />
      )}
      <ElderSwitch />
    </Page>
  );
}
