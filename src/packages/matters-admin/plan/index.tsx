import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useRef } from 'react';
import { MATTER_STATE_LABELS } from '../../../features/matters/plan.rules';
import { api } from '../../../client/api';
import { useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { ElderSwitch } from '../../../components/elder-switch';
import { ErrorState, LoadingState } from '../../../components/states';
import { param } from '../shared';
import { BudgetSection } from './budget';
import { MilestonesSection } from './milestones';
import { SpendingSection } from './spending';
import '../ui.scss';
import './plan.scss';

/** The community admin plans a matter: budget by source, spending with receipts, weighted milestones. */
export default function Plan() {
  const matterId = param(useRouter().params.id);
  const q = useQuery(() => api.matters.getMatter({ matterId }), [matterId], { enabled: !!matterId });
  const shown = useRef(false);
  // Back from the progress page: a milestone may have been marked done there.
  useDidShow(() => {
    if (shown.current && matterId) void q.run();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    void q.run().finally(() => Taro.stopPullDownRefresh());
  });
  const go = (url: string) => void Taro.navigateTo({ url });
  let body;
  if (q.error) body = <ErrorState error={q.error} onRetry={() => void q.run()} />;
  else if (!q.data) body = <LoadingState />;
  else {
    const { matter, plan } = q.data;
    // The server refuses plan changes once completed; the page shows figures only.
    const editable = matter.state !== 'completed' && matter.state !== 'accepted';
    const reload = () => void q.run();
    body = (
      <>
        <View className="section">
          <View id="plan-title" className="title">{matter.title}</View>
          <View id="plan-progress" className="meta">
            {MATTER_STATE_LABELS[matter.state] ?? matter.state} · 进度 {matter.progress}%{matter.overdue ? ' · 有节点逾期' : ''}
          </View>
          <View id="plan-units" className="meta">
            牵头：{matter.leadUnit?.name ?? '未指定'}
            {matter.supportUnits.length ? `；配合：${matter.supportUnits.map((u) => u.name).join('、')}` : ''}
          </View>
          <View className="row wrap">
            <Button id="plan-go-progress" type="primary" size="small" onClick={() => go(`/packages/units/progress/index?id=${encodeURIComponent(matterId)}`)}>
              发布进展
            </Button>
            <Button id="plan-go-units" size="small" onClick={() => go(`/packages/units/assign/index?matterId=${encodeURIComponent(matterId)}&communityId=${encodeURIComponent(matter.communityId)}`)}>
              承办单位
            </Button>
            <Button id="plan-go-closing" size="small" onClick={() => go(`/packages/matters-admin/closing/index?communityId=${encodeURIComponent(matter.communityId)}&year=${matter.year}`)}>
              验收与回访
            </Button>
          </View>
          {!editable && <View className="meta">这件实事已完成，计划不能再修改；尾款仍可记入支出。</View>}
        </View>
        <BudgetSection key={`b${plan.budgetTotal}`} matterId={matterId} plan={plan} editable={editable} onSaved={reload} />
        <MilestonesSection page={q.data} editable={editable} onChanged={reload} />
        <SpendingSection matterId={matterId} onSaved={reload} />
      </>
    );
  }
  return (
    <Page id="page-plan">
      {body}
      <ElderSwitch />
    </Page>
  );
}
