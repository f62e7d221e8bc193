import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../client/api';
import { fieldError } from '../../../client/api-error';
import { useAction, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { Field } from '../../../components/field';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { Chip, param, q } from '../../grid/ui';
import '../../grid/ui.scss';

/** Grids of the community, their grid workers; new grids; a grid worker invited to a grid or an existing staff member assigned. */
export default function Grids() {
  const communityId = param(useRouter().params.communityId) ?? '';
  const grids = useQuery(() => api.visits.grids({ communityId }), [communityId]);
  const staff = useQuery(() => api.members.listStaff({ communityId }), [communityId]);
  const [name, setName] = useState('');
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [assigning, setAssigning] = useState<string | null>(null);

  const create = useAction(async () => {
    const g = await api.visits.createGrid({ communityId, name: name.trim() });
    setName('');
    await grids.run();
    return g;
  }, { successToast: '已添加网格' });
  const invite = useAction(async (gridId: string) => {
    const inv = await api.members.createInvitation({ communityId, role: 'grid_worker', gridId });
    setCodes((c) => ({ ...c, [gridId]: inv.code }));
    return inv;
  });
  const assign = useAction(async (gridId: string, memberId: string) => {
    const r = await api.members.assignGrid({ communityId, gridId, memberId });
    setAssigning(null);
    await grids.run();
    return r;
  }, { successToast: '已分配' });

  const people = [...new Map((staff.data?.items ?? []).map((s) => [s.memberId, s.name])).entries()];
  return (
    <Page id="page-grids">
      {grids.error ? (
        <ErrorState error={grids.error} onRetry={() => void grids.run()} />
      ) : !grids.data ? (
        <LoadingState />
      ) : grids.data.items.length === 0 ? (
        <EmptyState text="还没有网格，请先添加" />
      ) : (
        <View id="grids-list">
          {grids.data.items.map((g, i) => (
            <View key={g._id} id={`grids-item-${i}`} data-id={g._id} className="list-item">
              <View className="row-between">
                <View className="section-title">{g.name}</View>
                <View className="meta">{g.households} 户</View>
              </View>
              <View className="list-item-text">网格员：{g.workers.length ? g.workers.map((w) => w.name).join('、') : '暂无'}</View>
              {codes[g._id] && (
                <View id={`grids-code-${i}`} className="section-title">
                  邀请码：{codes[g._id]}（7 天内有效，请交给网格员在“我有工作人员邀请码”中输入）
                </View>
              )}
              <View className="row wrap">
                <Button id={`grids-invite-${i}`} size="small" loading={invite.loading} onClick={() => void invite.run(g._id)}>
                  邀请新网格员
                </Button>
                <Button id={`grids-assign-${i}`} size="small" onClick={() => setAssigning(assigning === g._id ? null : g._id)}>
                  分配已有人员
                </Button>
                <Button id={`grids-households-${i}`} size="small" onClick={() => void Taro.navigateTo({ url: `/packages/grid/households/index?${q({ gridId: g._id })}` })}>
                  住户
                </Button>
              </View>
              {assigning === g._id && (
                <View className="chips">
                  {people.length === 0 ? <View className="meta">本社区还没有工作人员</View> : people.map(([memberId, person], j) => (
                    <Chip key={memberId} id={`grids-assign-${i}-${j}`} on={g.workers.some((w) => w.memberId === memberId)} label={person} onClick={() => void assign.run(g._id, memberId)} />
                  ))}
                </View>
              )}
            </View>
          ))}
        </View>
      )}
      <Field label="添加网格" error={fieldError(create.error, 'name')} errorId="grids-name-error">
        <Input id="grids-name" className="field-input" placeholder="例如：第三网格" maxLength={20} value={name} onChange={setName} />
      </Field>
      <Button id="grids-create" type="primary" block loading={create.loading} disabled={!name.trim()} onClick={() => void create.run()}>
        添加网格
      </Button>
    </Page>
  );
}
