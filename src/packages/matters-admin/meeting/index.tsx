import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import { CATEGORIES, type CategoryName as Category } from '../../../features/suggestions/suggestions.labels';
import { meetingCode } from '../../../features/matters/meeting-code.rules';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { TextArea } from '../../../components/nut/textarea';
import { Field } from '../../../components/field';
import { PhotoPicker, usePhotoUploads } from '../../../components/photo-picker';
import { Qr } from '../../../components/qr';
import { ErrorState, LoadingState } from '../../../components/states';
import { formatDateTime } from '../../../components/format';
import { Chip, errorText, param, Tags } from '../shared';
import '../ui.scss';

type Outcome = 'adopted' | 'rejected' | 'deferred';
const OUTCOME_LABELS: Record<Outcome, string> = { adopted: '通过，纳入需求清单', rejected: '不通过', deferred: '暂缓' };
type MeetingView = Awaited<ReturnType<typeof api.matters.getMeeting>>;
type Item = MeetingView['agenda'][number];

const count = (t: string): number => {
  const n = Number(t.trim() || '0');
  return Number.isInteger(n) && n >= 0 ? n : -1;
};

/** One council meeting for staff: the attendance QR, 到会人数, each item's outcome, minutes and photos. */
export default function MeetingPage() {
  const id = param(useRouter().params.id);
  const q = useQuery(() => api.matters.getMeeting({ id }), [id]);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void q.run();
    shown.current = true;
  });

  if (q.error) {
    return (
      <Page id="page-meeting">
        <ErrorState error={q.error} onRetry={() => void q.run()} />
      </Page>
    );
  }
  const m = q.data;
  if (!m) {
    return (
      <Page id="page-meeting">
        <LoadingState />
      </Page>
    );
  }
  const held = m.status === 'held';
  const reload = () => void q.run();

  return (
    <Page id="page-meeting">
      <View className="section">
        <View className="row-between">
          <View id="meeting-heading" className="title">{m.title}</View>
          <View id="meeting-status" className="section-title">{held ? '已召开' : '待召开'}</View>
        </View>
        <View className="meta">
          {formatDateTime(m.startsAt)} · {m.place}
        </View>
      </View>

      {!held && m.token && (
        <View id="meeting-qr" className="section ma-qr">
          <View className="section-title">签到二维码</View>
          <Qr id="meeting-qr-image" text={meetingCode(m._id, m.token)} size={220} label="议事会签到二维码" />
          <Text id="meeting-code" className="meta ma-code" userSelect>
            签到码：{meetingCode(m._id, m.token)}
          </Text>
          <View className="meta">请居民在小程序首页打开“社区实事清单”，点“扫码签到”。会前 2 小时至会后 6 小时可签到。</View>
        </View>
      )}

      <Attendance m={m} onCounted={(attendees) => q.setData({ ...m, attendees })} />

      <View className="section">
        <View className="section-title">议题（{m.agenda.length}）</View>
        {m.agenda.map((it, i) => (
          <AgendaRow key={i} i={i} item={it} meetingId={m._id} attendees={m.attendees} onRecorded={reload} />
        ))}
      </View>

      {held ? (
        <View id="meeting-minutes" className="section">
          <View className="section-title">会议纪要</View>
          <View className="list-item-text">{m.minutes}</View>
          <View className="meta">照片 {m.photos.length} 张</View>
        </View>
      ) : (
        <Close meetingId={m._id} onClosed={(v) => q.setData(v)} />
      )}
    </Page>
  );
}

/** 到会人数: those who scanned in plus those staff counted by hand. */
function Attendance({ m, onCounted }: { m: MeetingView; onCounted: (attendees: number) => void }) {
  const [hand, setHand] = useState(String(m.countedByHand));
  const [local, setLocal] = useState<string | null>(null);
  const save = useAction(
    async () => {
      const r = await api.matters.countAttendees({ id: m._id, countedByHand: count(hand) });
      onCounted(r.attendees);
      return r;
    },
    { successToast: '到会人数已更新' },
  );
  const message = local ?? errorText(save.error);
  return (
    <View id="meeting-attendance" className="section">
      <View id="meeting-attendees" className="section-title">
        到会 {m.attendees} 人
      </View>
      <View className="meta">
        扫码签到 {m.scanned} 人，人工清点 {m.countedByHand} 人
      </View>
      <Field label="未用小程序的到会人数（人工清点）">
        <View className="row">
          <Input id="meeting-hand" className="field-input grow" type="number" maxLength={5} value={hand} onChange={setHand} />
          <Button
            id="meeting-hand-save"
            size="small"
            loading={save.loading}
            disabled={save.loading}
            onClick={() => {
              if (count(hand) < 0) setLocal('请填写整数人数');
              else {
                setLocal(null);
                void save.run();
              }
            }}
          >
            更新
          </Button>
        </View>
      </Field>
      {message && (
        <View id="meeting-hand-error" className="ma-error" role="alert">
          {message}
        </View>
      )}
    </View>
  );
}

/** One agenda item: its recorded outcome, or the form (outcome, votes; a category when a new proposal passes). */
function AgendaRow({ i, item, meetingId, attendees, onRecorded }: { i: number; item: Item; meetingId: string; attendees: number; onRecorded: () => void }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [votes, setVotes] = useState({ support: '', oppose: '', abstain: '' });
  const [category, setCategory] = useState<Category>('其他');
  const [local, setLocal] = useState<string | null>(null);
  const record = useAction(
    async () => {
      const r = await api.matters.recordOutcome({
        id: meetingId, item: i, outcome: outcome as Outcome,
        votes: { support: count(votes.support), oppose: count(votes.oppose), abstain: count(votes.abstain) },
        ...(item.demandId ? {} : { category }),
      });
      onRecorded();
      return r;
    },
    { successToast: '表决结果已记录' },
  );
  const submit = () => {
    const v = [votes.support, votes.oppose, votes.abstain].map(count);
    if (!outcome) setLocal('请选择表决结果');
    else if (v.some((x) => x < 0)) setLocal('票数应为整数');
    else if (v[0]! + v[1]! + v[2]! > attendees) setLocal(`表决合计 ${v[0]! + v[1]! + v[2]!} 票，多于到会的 ${attendees} 人，请先核对到会人数`);
    else {
      setLocal(null);
      void record.run();
    }
  };
  const message = local ?? errorText(record.error);
  return (
    <View id={`agenda-${i}`} className="ma-row">
      <View className="grow">
        <View className="section-title">
          {i + 1}. {item.title}
        </View>
        <Tags items={[item.demandId ? '清单中的需求' : '新提议']} />
        {item.outcome ? (
          <View id={`agenda-outcome-${i}`} className="meta">
            {OUTCOME_LABELS[item.outcome]}
            {item.votes ? `（赞成 ${item.votes.support}，反对 ${item.votes.oppose}，弃权 ${item.votes.abstain}）` : ''}
          </View>
        ) : (
          <View id={`agenda-form-${i}`}>
            <View className="chips">
              {(Object.keys(OUTCOME_LABELS) as Outcome[]).map((o) => (
                <Chip key={o} id={`agenda-${o}-${i}`} on={outcome === o} label={OUTCOME_LABELS[o]} onClick={() => setOutcome(o)} />
              ))}
            </View>
            <View className="ma-votes">
              {(['support', 'oppose', 'abstain'] as const).map((k) => (
                <View key={k} className="ma-vote">
                  <View className="meta">{k === 'support' ? '赞成' : k === 'oppose' ? '反对' : '弃权'}</View>
                  <Input id={`agenda-${k}-${i}`} className="field-input" type="number" maxLength={5} value={votes[k]} onChange={(t) => setVotes((v) => ({ ...v, [k]: t }))} />
                </View>
              ))}
            </View>
            {!item.demandId && outcome === 'adopted' && (
              <Field label="新需求的类别">
                <View className="chips">
                  {CATEGORIES.map((c, k) => (
                    <Chip key={c} id={`agenda-category-${i}-${k}`} on={category === c} label={c} onClick={() => setCategory(c)} />
                  ))}
                </View>
              </Field>
            )}
            {message && (
              <View id={`agenda-error-${i}`} className="ma-error" role="alert">
                {message}
              </View>
            )}
            <Button id={`agenda-submit-${i}`} size="small" type="primary" loading={record.loading} disabled={record.loading} onClick={submit}>
              记录结果
            </Button>
          </View>
        )}
      </View>
    </View>
  );
}

/** 会议纪要 and photos → closeMeeting (the meeting becomes 已召开). */
function Close({ meetingId, onClosed }: { meetingId: string; onClosed: (m: MeetingView) => void }) {
  const [minutes, setMinutes] = useState('');
  const photos = usePhotoUploads(9, 'matters');
  const [local, setLocal] = useState<string | null>(null);
  const close = useAction(
    async () => {
      const m = await api.matters.closeMeeting({ id: meetingId, minutes: minutes.trim(), photos: photos.fileIds });
      onClosed(m);
      return m;
    },
    { successToast: '会议已结束并存档' },
  );
  const submit = () => {
    if (minutes.trim().length < 5) setLocal('请填写会议纪要（至少 5 个字）');
    else if (photos.busy) setLocal('照片还在上传，请稍候');
    else if (photos.failed) setLocal('有照片上传失败，请重试或删除');
    else {
      setLocal(null);
      void close.run();
    }
  };
  const message = local ?? errorText(close.error);
  return (
    <View id="meeting-close" className="section">
      <View className="section-title">会议纪要与照片</View>
      <TextArea id="meeting-minutes-input" className="field-input" placeholder="会议讨论情况、表决结果（至少 5 个字）" maxLength={5000} value={minutes} onChange={setMinutes} />
      <PhotoPicker items={photos.items} max={9} onAdd={() => void photos.add()} onRemove={photos.remove} onRetry={photos.retry} idPrefix="meeting-photo" />
      {message && (
        <View id="meeting-close-error" className="ma-error" role="alert">
          {message}
        </View>
      )}
      <Button id="meeting-close-submit" type="primary" block loading={close.loading} disabled={close.loading} onClick={submit}>
        存档纪要，结束会议
      </Button>
      <Button id="meeting-back" block onClick={() => void Taro.navigateBack()}>
        返回
      </Button>
    </View>
  );
}
