import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { ROLE_LABELS } from '../../../features/members/members.labels';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { adminGrant, loadMe } from '../../../client/me';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { formatDateTime } from '../../../components/format';
import './index.scss';

type StaffRole = 'grid_worker' | 'community_admin';

/** A community admin creates one-time codes for new staff and sees who is on the team. */
export default function Invite() {
  const params = useRouter().params;
  const me = useQuery(() => loadMe(), [], { enabled: !params.communityId });
  const communityId = params.communityId ? decodeURIComponent(params.communityId) : adminGrant(me.data ?? null)?.regionId;
  const [role, setRole] = useState<StaffRole>('grid_worker');

  const staff = useQuery(() => api.members.listStaff({ communityId: communityId as string }), [communityId], { enabled: !!communityId });
  const create = useAction(() => api.members.createInvitation({ communityId: communityId as string, role }));
  const code = create.data;

  if (!communityId) {
    return (
      <Page id="page-invite">
        {me.error ? <ErrorState error={me.error} onRetry={() => void me.run()} /> : me.loading ? <LoadingState /> : <EmptyState text="您不是社区管理员" />}
      </Page>
    );
  }

  return (
    <Page id="page-invite">
      <View className="section">
        <View className="section-title">邀请的身份</View>
        <View className="chips">
          {(['grid_worker', 'community_admin'] as const).map((r) => (
            <Button
              key={r}
              id={`invite-role-${r}`}
              className="chip"
              type={role === r ? 'primary' : 'default'}
              aria-pressed={role === r}
              onClick={() => {
                setRole(r);
                create.reset();
              }}
            >
              {role === r ? '✓ ' : ''}
              {ROLE_LABELS[r]}
            </Button>
          ))}
        </View>
        <View className="actions">
          <Button id="invite-create" type="primary" size="large" block loading={create.loading} disabled={create.loading} onClick={() => void create.run()}>
            生成邀请码
          </Button>
        </View>
        {code && (
          <View id="invite-result" className="invite-result">
            <View className="muted">邀请码（{ROLE_LABELS[code.role]}，只能使用一次）</View>
            <View id="invite-code" className="invite-code">
              {code.code}
            </View>
            <View className="meta">有效期至 {formatDateTime(code.expiresAt)}</View>
            <Button id="invite-copy" block onClick={() => void Taro.setClipboardData({ data: code.code })}>
              复制邀请码
            </Button>
          </View>
        )}
      </View>

      <View className="section">
        <View className="section-title">本社区工作人员</View>
        {staff.error ? (
          <ErrorState error={staff.error} onRetry={() => void staff.run()} />
        ) : !staff.data ? (
          <LoadingState />
        ) : staff.data.items.length === 0 ? (
          <View className="muted">还没有工作人员</View>
        ) : (
          <View id="invite-staff">
            {staff.data.items.map((p, i) => (
              <View key={`${p.memberId}-${p.role}`} id={`invite-staff-${i}`} className="row-between staff-row">
                <View>{p.name}</View>
                <View className="meta">
                  {ROLE_LABELS[p.role]}
                  {p.phoneMasked ? ` · ${p.phoneMasked}` : ''}
                </View>
              </View>
            ))}
          </View>
        )}
      </View>
    </Page>
  );
}
