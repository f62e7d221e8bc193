import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { FOLLOW_UP_LABELS, FOLLOW_UP_OUTCOMES, type FollowUpOutcome } from '../../../features/matters/results.rules';
import type { BoardItem } from '../../../features/matters/results.schema';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { TextArea } from '../../../components/nut/textarea';
import { Field } from '../../../components/field';
import { PhotoPicker, usePhotoUploads } from '../../../components/photo-picker';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { shanghaiDaysAgo } from '../../../components/format';
import { ElderSwitch } from '../../../components/elder-switch';
import { Chip, errorText, NoCommunity, useAdminScope } from '../shared';
import '../ui.scss';

const STATE_LABELS: Record<BoardItem['state'], string> = { planning: '筹备中', in_progress: '实施中', completed: '已完成，待验收', accepted: '已验收', reopened: '整改中' };
const PAIRS_MAX = 6;
const REASON_LABELS = { ratings: '不满意评价偏多', follow_up: '回访发现问题' } as const;

/** The community admin's endings: complete at 100 %, 验收 with residents' representatives, 回访 when due, respond or reopen. */
export default function Closing() {
  const { me, communityId, year } = useAdminScope();
  const board = useQuery(() => api.matters.closingBoard({ communityId: communityId as string, year }), [communityId, year], { enabled: !!communityId });
  usePullDownRefresh(() => {
    void board.run().finally(() => Taro.stopPullDownRefresh());
  });
  const body = !communityId ? (
    <NoCommunity me={me} />
  ) : board.error ? (
    <ErrorState error={board.error} onRetry={() => void board.run()} />
  ) : !board.data ? (
    <LoadingState />
  ) : board.data.items.length === 0 ? (
    <EmptyState text="本年度还没有确定的实事" />
  ) : (
    board.data.items.map((it, i) => <Item key={it.matterId} i={i} it={it} onChanged={() => void board.run()} />)
  );
  return (
    <Page id="page-closing">
      {body}
      <ElderSwitch />
    </Page>
  );
}

type Form = 'accept' | 'publish' | 'followup' | 'respond' | 'reopen' | null;

function Item({ i, it, onChanged }: { i: number; it: BoardItem; onChanged: () => void }) {
  const [form, setForm] = useState<Form>(null);
  const done = () => {
    setForm(null);
    onChanged();
  };
  const complete = useAction(async () => {
    const r = await api.matters.completeMatter({ matterId: it.matterId });
    done();
    return r;
  }, { successToast: '已宣布完成' });
  const start = useAction(async () => {
    const r = await api.matters.startFollowUp({ matterId: it.matterId });
    done();
    return r;
  }, { successToast: '回访问卷已发布' });
  const s = it.satisfaction;
  return (
    <View id={`closing-item-${i}`} className="section">
      <View className="section-title">{it.title}</View>
      <View className="meta">
        {STATE_LABELS[it.state]} · 进度 {it.progress}%{s.total > 0 ? ` · 满意率 ${s.rate === null ? '—' : `${Math.round(s.rate * 1000) / 10}%`}（${s.total} 人评价）` : ''}
      </View>
      {it.followUp && (
        <View className="meta">
          回访：{it.followUp.state === 'done' ? '已完成' : it.followUp.state === 'surveying' ? '问卷进行中' : it.followUp.due ? '已到期' : `${it.followUp.dueDay} 到期`}
        </View>
      )}
      {it.attention && (
        <View id={`closing-attention-${i}`} className="ma-error" role="alert">
          需要回应：{it.attention.map((r) => REASON_LABELS[r]).join('、')}
        </View>
      )}
      {(complete.error || start.error) && <View className="ma-error">{errorText(complete.error ?? start.error)}</View>}
      {/* Up to five actions at once: they wrap at phone width rather than push the page sideways. */}
      <View className="row wrap">
        {it.state !== 'accepted' && (
          <Button id={`closing-plan-${i}`} size="large" onClick={() => void Taro.navigateTo({ url: `/packages/matters-admin/plan/index?id=${encodeURIComponent(it.matterId)}` })}>
            实施计划
          </Button>
        )}
        {(it.state === 'in_progress' || it.state === 'reopened') && it.progress === 100 && (
          <Button id={`closing-complete-${i}`} type="primary" size="large" loading={complete.loading} onClick={() => void complete.run()}>
            宣布完成
          </Button>
        )}
        {it.state === 'completed' && (
          <Button id={`closing-accept-${i}`} type="primary" size="large" onClick={() => setForm('accept')}>
            验收
          </Button>
        )}
        {it.followUp?.due && it.followUp.state === 'scheduled' && (
          <Button id={`closing-start-${i}`} type="primary" size="large" loading={start.loading} onClick={() => void start.run()}>
            开始回访
          </Button>
        )}
        {it.followUp?.due && (
          <Button id={`closing-record-${i}`} size="large" onClick={() => setForm('followup')}>
            记录回访结果
          </Button>
        )}
        {it.attention && (
          <Button id={`closing-respond-${i}`} size="large" onClick={() => setForm('respond')}>
            回应
          </Button>
        )}
        {(it.state === 'accepted' || it.state === 'completed') && (
          <Button id={`closing-reopen-${i}`} size="large" onClick={() => setForm('reopen')}>
            重新启动
          </Button>
        )}
        {it.state === 'accepted' && (
          <Button id={`closing-publish-${i}`} type="primary" size="large" onClick={() => setForm('publish')}>
            公开实施结果
          </Button>
        )}
        {it.state === 'accepted' && (
          <Button id={`closing-result-${i}`} size="large" onClick={() => void Taro.navigateTo({ url: `/packages/matters/result/index?id=${encodeURIComponent(it.matterId)}` })}>
            查看结果页
          </Button>
        )}
      </View>
      {form === 'accept' && <AcceptForm i={i} matterId={it.matterId} onDone={done} />}
      {form === 'publish' && <PublishForm i={i} matterId={it.matterId} onDone={done} />}
      {form === 'followup' && <FollowUpForm i={i} matterId={it.matterId} onDone={done} />}
      {(form === 'respond' || form === 'reopen') && <TextForm i={i} kind={form} matterId={it.matterId} onDone={done} />}
    </View>
  );
}

function AcceptForm({ i, matterId, onDone }: { i: number; matterId: string; onDone: () => void }) {
  const [date, setDate] = useState(shanghaiDaysAgo(0));
  const [reps, setReps] = useState('');
  const [notes, setNotes] = useState('');
  const photos = usePhotoUploads(9, 'matters');
  const [local, setLocal] = useState<string | null>(null);
  const send = useAction(async () => {
    const names = reps.split(/[,，、\s]+/).map((x) => x.trim()).filter(Boolean);
    const r = await api.matters.acceptMatter({ matterId, date: date.trim(), representatives: names.map((name) => ({ name })), notes: notes.trim(), photos: photos.fileIds });
    onDone();
    return r;
  }, { successToast: '验收已记录' });
  const submit = () => {
    if (!reps.trim()) setLocal('请填写至少一名居民代表');
    else if (photos.busy) setLocal('照片还在上传，请稍候');
    else if (photos.fileIds.length === 0) setLocal('请上传至少一张验收照片');
    else {
      setLocal(null);
      void send.run();
    }
  };
  return (
    <View id={`closing-accept-form-${i}`} className="ma-box">
      <Field label="验收日期">
        <Input id={`closing-date-${i}`} className="field-input" placeholder="YYYY-MM-DD" maxLength={10} value={date} onChange={setDate} />
      </Field>
      <Field label="居民代表（姓名，多人用顿号分隔）">
        <Input id={`closing-reps-${i}`} className="field-input" placeholder="如：王建华、李秀兰" maxLength={100} value={reps} onChange={setReps} />
      </Field>
      <Field label="验收意见">
        <TextArea id={`closing-notes-${i}`} className="field-input" placeholder="验收情况（至少 5 个字）" maxLength={1000} value={notes} onChange={setNotes} />
      </Field>
      <PhotoPicker items={photos.items} max={9} onAdd={() => void photos.add()} onRemove={photos.remove} onRetry={photos.retry} idPrefix={`closing-photo-${i}`} />
      {(local || send.error) && <View id={`closing-accept-error-${i}`} className="ma-error" role="alert">{local ?? errorText(send.error)}</View>}
      <Button id={`closing-accept-submit-${i}`} type="primary" size="large" block loading={send.loading} disabled={send.loading} onClick={submit}>
        确认验收
      </Button>
    </View>
  );
}

/** 实施结果公开: what was done, and photos before and after paired in order; the money comes from the plan. */
function PublishForm({ i, matterId, onDone }: { i: number; matterId: string; onDone: () => void }) {
  const [summary, setSummary] = useState('');
  const before = usePhotoUploads(PAIRS_MAX, 'matters');
  const after = usePhotoUploads(PAIRS_MAX, 'matters');
  const [local, setLocal] = useState<string | null>(null);
  const send = useAction(async () => {
    const pairs = before.fileIds.map((b, k) => ({ before: b, after: after.fileIds[k]!, caption: '' }));
    const r = await api.matters.publishResult({ matterId, summary: summary.trim(), pairs });
    onDone();
    return r;
  }, { successToast: '实施结果已公开' });
  const submit = () => {
    const msg =
      summary.trim().length < 5 ? '请填写实施结果（至少 5 个字）'
      : before.busy || after.busy ? '照片还在上传，请稍候'
      : before.fileIds.length === 0 ? '请至少提供一组实施前、实施后的照片'
      : before.fileIds.length !== after.fileIds.length ? `实施前 ${before.fileIds.length} 张、实施后 ${after.fileIds.length} 张：请按顺序一一对应`
      : null;
    setLocal(msg);
    if (!msg) void send.run();
  };
  return (
    <View id={`closing-publish-form-${i}`} className="ma-box">
      <Field label="实施结果">
        <TextArea id={`closing-summary-${i}`} className="field-input" placeholder="办了什么、效果如何（至少 5 个字）" maxLength={1000} value={summary} onChange={setSummary} />
      </Field>
      <View className="meta">实施前照片（按顺序与实施后照片配对，最多 {PAIRS_MAX} 组）</View>
      <PhotoPicker items={before.items} max={PAIRS_MAX} onAdd={() => void before.add()} onRemove={before.remove} onRetry={before.retry} idPrefix={`closing-before-${i}`} />
      <View className="meta">实施后照片</View>
      <PhotoPicker items={after.items} max={PAIRS_MAX} onAdd={() => void after.add()} onRemove={after.remove} onRetry={after.retry} idPrefix={`closing-after-${i}`} />
      <View className="meta">预算与实际支出取自实施计划。</View>
      {(local || send.error) && <View id={`closing-publish-error-${i}`} className="ma-error" role="alert">{local ?? errorText(send.error)}</View>}
      <Button id={`closing-publish-submit-${i}`} type="primary" size="large" block loading={send.loading} disabled={send.loading} onClick={submit}>
        公开
      </Button>
    </View>
  );
}

function FollowUpForm({ i, matterId, onDone }: { i: number; matterId: string; onDone: () => void }) {
  const [outcome, setOutcome] = useState<FollowUpOutcome>('works');
  const [notes, setNotes] = useState('');
  const photos = usePhotoUploads(9, 'matters');
  const send = useAction(async () => {
    const r = await api.matters.recordFollowUp({ matterId, outcome, notes: notes.trim(), photos: photos.fileIds });
    onDone();
    return r;
  }, { successToast: '回访结果已记录' });
  return (
    <View id={`closing-followup-form-${i}`} className="ma-box">
      <View className="row wrap">
        {FOLLOW_UP_OUTCOMES.map((o) => (
          <Chip key={o} id={`closing-outcome-${o}-${i}`} on={outcome === o} label={FOLLOW_UP_LABELS[o]} onClick={() => setOutcome(o)} />
        ))}
      </View>
      <TextArea id={`closing-followup-notes-${i}`} className="field-input" placeholder="回访情况（至少 5 个字）" maxLength={1000} value={notes} onChange={setNotes} />
      <PhotoPicker items={photos.items} max={9} onAdd={() => void photos.add()} onRemove={photos.remove} onRetry={photos.retry} idPrefix={`closing-followup-photo-${i}`} />
      {send.error && <View className="ma-error" role="alert">{errorText(send.error)}</View>}
      <Button id={`closing-followup-submit-${i}`} type="primary" size="large" block loading={send.loading} disabled={send.loading || photos.busy} onClick={() => void send.run()}>
        保存回访结果
      </Button>
    </View>
  );
}

function TextForm({ i, kind, matterId, onDone }: { i: number; kind: 'respond' | 'reopen'; matterId: string; onDone: () => void }) {
  const [text, setText] = useState('');
  const send = useAction(async () => {
    const r = kind === 'respond' ? await api.matters.respondToAttention({ matterId, response: text.trim() }) : await api.matters.reopenMatter({ matterId, reason: text.trim() });
    onDone();
    return r;
  }, { successToast: kind === 'respond' ? '已回应' : '已重新启动' });
  return (
    <View id={`closing-${kind}-form-${i}`} className="ma-box">
      <TextArea id={`closing-${kind}-text-${i}`} className="field-input" placeholder={kind === 'respond' ? '向居民说明处理情况（至少 5 个字）' : '重新启动的原因（至少 5 个字）'} maxLength={500} value={text} onChange={setText} />
      {send.error && <View className="ma-error" role="alert">{errorText(send.error)}</View>}
      <Button id={`closing-${kind}-submit-${i}`} type="primary" size="large" block loading={send.loading} disabled={send.loading} onClick={() => void send.run()}>
        {kind === 'respond' ? '提交回应' : '重新启动整改'}
      </Button>
    </View>
  );
}
