import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useRef } from 'react';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { loadMe } from '../../../client/me';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { formatDateTime } from '../../../components/format';
import { communitiesUnder, MatterLine, param, typeLabel } from '../shared';
import '../ui.scss';

/** A unit's page for admins: its record, linked communities (link, unlink), its contacts' invitation, its matters. */
export default function UnitPage() {
  const unitId = param(useRouter().params.unitId);
  const unit = useQuery(() => api.units.getUnit({ unitId }), [unitId]);
  const me = useQuery(() => loadMe(), []);
  const u = unit.data;
  // Its home region's admins manage it; a linked community's admin only reads it.
  const managed = !!u && !!me.data?.member?.grants.some((g) => (g.role === 'community_admin' || g.role === 'district_admin') && u.path.includes(g.regionId));
  const under = useQuery(() => communitiesUnder(u!.homeRegionId), [u?.homeRegionId], { enabled: managed });
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void unit.run();
    shown.current = true;
  });

  const link = useAction(async (communityId: string) => unit.setData({ ...unit.data!, ...(await api.units.linkCommunity({ unitId, communityId })) }), { successToast: '已结对' });
  const unlink = useAction(async (communityId: string) => unit.setData({ ...unit.data!, ...(await api.units.unlinkCommunity({ unitId, communityId })) }), { successToast: '已解除' });
  const invite = useAction(() => api.units.inviteContact({ unitId }));
  const confirmUnlink = async (c: { _id: string; name: string }) => {
    const r = await Taro.showModal({ title: `解除与${c.name}的结对？`, content: '解除后该单位不再承担这个社区的实事；正在承担时无法解除。', confirmText: '解除' });
    if (r.confirm) void unlink.run(c._id);
  };

  if (unit.error) {
    return (
      <Page id="page-unit">
        <ErrorState error={unit.error} onRetry={() => void unit.run()} />
      </Page>
    );
  }
  if (!u) {
    return (
      <Page id="page-unit">
        <LoadingState />
      </Page>
    );
  }
  const homeIsCommunity = under.data?.length === 0;
  const linkable = (under.data ?? []).filter((c) => !u.communityIds.includes(c._id));
  return (
    <Page id="page-unit">
      <View className="section">
        <View id="unit-name" className="title">
          {u.name}
        </View>
        <View className="meta">
          {typeLabel(u.type)} · 登记于{u.homeRegionName}
        </View>
        <View id="unit-party-head" className="meta">
          兼职委员：{u.partyHead ? `${u.partyHead.name}${u.partyHeadCommunityName ? `（${u.partyHeadCommunityName}）` : ''}` : '未登记'}
        </View>
        {managed && (
          <Button id="unit-edit" size="small" onClick={() => void Taro.navigateTo({ url: `/packages/units/form/index?unitId=${encodeURIComponent(u._id)}` })}>
            编辑
          </Button>
        )}
      </View>

      <View className="section">
        <View className="section-title">结对共建的社区（{u.communities.length}）</View>
        {u.communities.length === 0 && <EmptyState text="还没有结对的社区" />}
        {u.communities.map((c, i) => (
          <View key={c._id} className="un-row">
            <View id={`unit-community-${i}`} className="grow">
              {c.name}
            </View>
            {managed && !homeIsCommunity && (
              <Button id={`unit-unlink-${i}`} size="small" loading={unlink.loading} onClick={() => void confirmUnlink(c)}>
                解除结对
              </Button>
            )}
          </View>
        ))}
        {managed && linkable.length > 0 && (
          <>
            <View className="meta">点击社区与其结对：</View>
            <View className="chips">
              {linkable.map((c) => (
                <Button key={c._id} id={`unit-link-${c._id}`} size="small" loading={link.loading} onClick={() => void link.run(c._id)}>
                  + {c.name}
                </Button>
              ))}
            </View>
          </>
        )}
      </View>

      {managed && (
        <View className="section">
          <View className="section-title">单位联系人</View>
          <View className="meta">生成邀请码交给单位的联系人，对方在“我有工作人员邀请码”中输入后即可查看本单位承担的实事。</View>
          {invite.data ? (
            <>
              <View id="unit-invite-code" className="un-code">
                {invite.data.code}
              </View>
              <View className="meta center">有效期至 {formatDateTime(invite.data.expiresAt)}，只能使用一次</View>
            </>
          ) : (
            <Button id="unit-invite" type="primary" block loading={invite.loading} onClick={() => void invite.run()}>
              邀请联系人
            </Button>
          )}
        </View>
      )}

      <View className="section">
        <View className="section-title">承担的实事（{u.matters.length}）</View>
        {u.matters.length === 0 ? (
          <EmptyState text="还没有承担实事" />
        ) : (
          u.matters.map((m, i) => (
            <View key={m.matterId} className="un-row">
              <MatterLine id={`unit-matter-${i}`} title={m.title} sub={`${m.communityName} · ${m.year} 年`} state={m.state} progress={m.progress} role={m.role} />
            </View>
          ))
        )}
      </View>
    </Page>
  );
}
