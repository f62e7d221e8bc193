import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { CATEGORY_LABELS, ELDER_STATUS_LABELS, GENDER_LABELS, type ElderStatusName as ElderStatus } from '../../../features/canteen/canteen.labels';
import type { ElderView } from '../../../features/canteen/canteen.schema';
import { NEXT_STATUS } from '../../../features/canteen/canteen.rules';
import { groupCode } from '../../../features/canteen/canteen.token';
import { api } from '../../../client/api';
import { ApiError, fieldError } from '../../../client/api-error';
import { useAction, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Dialog } from '../../../components/nut/dialog';
import { TextArea } from '../../../components/nut/textarea';
import { ErrorState, LoadingState } from '../../../components/states';
import { formatDateTime } from '../../../components/format';
import { param, rememberedElder, rememberElders } from '../shared';
import '../ui.scss';

type Target = ElderStatus | 'revoke' | 'reissue';
const TARGET_LABELS: Record<Target, string> = {
  applied: '',
  approved: '审核通过',
  rejected: '不予通过',
  suspended: '暂停助餐',
  moved: '标记为已迁出',
  deceased: '标记为已故',
  revoke: '挂失（停用助餐卡）',
  reissue: '补发新卡（旧卡立即失效）',
};

/** No single-elder read action: the list's rows, else the community's pages until the elder is found. */
async function findElder(communityId: string, elderId: string): Promise<ElderView> {
  const known = rememberedElder(elderId);
  if (known) return known;
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page = await api.canteen.listElders({ communityId, cursor });
    rememberElders(page.items);
    const hit = page.items.find((e) => e._id === elderId);
    if (hit) return hit;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  throw new ApiError('CANTEEN.ELDER_NOT_FOUND', '未找到该助餐对象');
}

/** An elder's details: approve, change status with a reason, revoke or re-issue the meal card. */
export default function ElderPage() {
  const params = useRouter().params;
  const elderId = param(params.elderId);
  const communityId = param(params.communityId);
  const elder = useQuery(() => findElder(communityId, elderId), [communityId, elderId]);
  const [target, setTarget] = useState<Target | null>(null);
  const [reason, setReason] = useState('');
  const [newCode, setNewCode] = useState<string | null>(null);

  const confirm = useAction(
    async () => {
      const t = target!;
      if (t === 'revoke' || t === 'reissue') {
        const r = await api.canteen.revokeCard({ elderId, reason: reason.trim(), reissue: t === 'reissue' });
        setNewCode(r.card?.code ?? null);
      } else {
        const e = await api.canteen.setElderStatus({ elderId, status: t as Exclude<ElderStatus, 'applied'>, reason: reason.trim() });
        rememberElders([e]);
        elder.setData(e);
      }
      setTarget(null);
      setReason('');
    },
    { successToast: '已保存' },
  );

  const open = (t: Target) => {
    setReason(t === 'approved' ? '符合助餐条件' : '');
    setTarget(t);
  };

  if (elder.error) return <Page id="page-canteen-elder"><ErrorState error={elder.error} onRetry={() => void elder.run()} /></Page>;
  const e = elder.data;
  if (!e) return <Page id="page-canteen-elder"><LoadingState /></Page>;
  const next = NEXT_STATUS[e.status];
  const hasCard = e.cardNo !== null && e.status === 'approved';

  return (
    <Page id="page-canteen-elder">
      <View className="section">
        <View className="row-between">
          <View id="elder-name" className="title">{e.name}</View>
          <View id="elder-status" className="section-title">{ELDER_STATUS_LABELS[e.status]}</View>
        </View>
        <View className="ca-row"><View className="muted">性别 · 年龄</View><View>{GENDER_LABELS[e.gender]} · {e.age} 岁（{e.birthDate}）</View></View>
        <View className="ca-row"><View className="muted">身份证号</View><View>{e.idMasked ?? '未登记'}</View></View>
        <View className="ca-row"><View className="muted">类别</View><View>{e.categories.map((c) => CATEGORY_LABELS[c]).join('、') || '未填'}</View></View>
        <View className="ca-row"><View className="muted">电话</View><View>{e.phoneMasked ?? '无'}</View></View>
        <View className="ca-row">
          <View className="muted">监护人</View>
          <View>{e.guardian ? `${e.guardian.relation} ${e.guardian.name} ${e.guardian.phoneMasked ?? ''}` : '无'}</View>
        </View>
        <View className="ca-row"><View className="muted">助餐卡</View><View id="elder-card">{e.cardNo ? (e.status === 'approved' ? '已发卡' : '已发卡（当前状态不能就餐）') : '未发卡'}</View></View>
      </View>

      {newCode && (
        <View id="elder-new-card" className="section">
          <View className="section-title">新卡已生成，旧卡已失效</View>
          <View className="meta">就餐码：{groupCode(newCode)}。可在“打印助餐卡”中打印。</View>
        </View>
      )}

      <View className="section">
        <View className="section-title">办理</View>
        <View className="stack">
          {next.includes('approved') && (
            <Button id="elder-approve" type="primary" size="large" block onClick={() => open('approved')}>
              {e.status === 'applied' ? '审核通过并发卡' : '恢复助餐'}
            </Button>
          )}
          {next.filter((s) => s !== 'approved').map((s) => (
            <Button key={s} id={`elder-status-${s}`} block onClick={() => open(s)}>
              {TARGET_LABELS[s]}
            </Button>
          ))}
          {hasCard && (
            <>
              <Button id="elder-card-reissue" block onClick={() => open('reissue')}>{TARGET_LABELS.reissue}</Button>
              <Button id="elder-card-revoke" block onClick={() => open('revoke')}>{TARGET_LABELS.revoke}</Button>
            </>
          )}
          {next.length === 0 && <View className="muted">当前状态“{ELDER_STATUS_LABELS[e.status]}”不能再更改。</View>}
        </View>
      </View>

      <View className="section">
        <View className="section-title">状态记录</View>
        {e.history.map((h, i) => (
          <View key={i} id={`elder-history-${i}`} className="ca-row">
            <View>{ELDER_STATUS_LABELS[h.status]} · {h.reason}</View>
            <View className="meta">{h.by} · {h.day}（{formatDateTime(h.at)}）</View>
          </View>
        ))}
      </View>

      <Dialog
        id="elder-dialog"
        visible={target !== null}
        title={target ? `确认${TARGET_LABELS[target]}？` : ''}
        onClose={() => setTarget(null)}
        footer={
          <View className="dialog-footer">
            <Button id="elder-dialog-cancel" onClick={() => setTarget(null)}>取消</Button>
            <Button
              id="elder-dialog-confirm"
              type="primary"
              loading={confirm.loading}
              disabled={confirm.loading}
              onClick={() => {
                if (reason.trim().length < 2) void Taro.showToast({ title: '请填写原因（至少 2 个字）', icon: 'none' });
                else void confirm.run();
              }}
            >
              确认
            </Button>
          </View>
        }
      >
        <View className="muted">原因会记入状态记录（必填）。</View>
        <TextArea id="elder-reason" className="field-input" placeholder="请填写原因（必填）" maxLength={200} value={reason} onChange={setReason} />
        {fieldError(confirm.error, 'reason') && <View className="field-error">{fieldError(confirm.error, 'reason')}</View>}
      </Dialog>
    </Page>
  );
}
