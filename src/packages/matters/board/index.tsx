import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { Image, View } from '@tarojs/components';
import { useState } from 'react';
import { STAGE_LABELS } from '../../../features/matters/matters.labels';
import type { SlateView } from '../../../features/matters/matters.schema';
import { api } from '../../../client/api';
import { displayMessage } from '../../../client/api-error';
import { useAction, useQuery } from '../../../client/hooks';
import { loadMe, residentGrant } from '../../../client/me';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { TextArea } from '../../../components/nut/textarea';
import { ElderSwitch } from '../../../components/elder-switch';
import { StageBar } from '../../../components/stage-bar';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { formatDate } from '../../../components/format';
import { parseMeetingCode } from '../../../features/matters/meeting-code.rules';
import { Input } from '../../../components/nut/input';
import { ProgressBar } from '../../../components/progress-bar';
import { MATTER_STATE_LABELS } from '../../../features/matters/plan.rules';
import { FOCUSABLE } from '../../../components/focusable';
import { canScan, scanText } from './scan';
import { PosterSection } from './poster';
import './index.scss';

const thisYear = (): number => Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));

/** This year's board of my community: how far 四议两公开 has come, 公示 with objections, the fixed list. */
export default function Board() {
  const params = useRouter().params;
  const me = useQuery(() => loadMe(), []);
  const grant = residentGrant(me.data ?? null);
  const communityId = params.communityId ? decodeURIComponent(params.communityId) : grant?.regionId;
  const year = Number(params.year) || thisYear();
  const slate = useQuery(() => api.matters.getSlate({ communityId: communityId as string, year }), [communityId, year], { enabled: !!communityId });
  const communityName = me.data?.member?.grants.find((g) => g.regionId === communityId)?.regionName ?? '本社区';
  usePullDownRefresh(() => {
    void slate.run().finally(() => Taro.stopPullDownRefresh());
  });

  const body = !communityId ? (
    me.error ? <ErrorState error={me.error} onRetry={() => void me.run()} /> : me.loading ? <LoadingState /> : <EmptyState text="加入社区后可查看本社区的实事清单" />
  ) : slate.error ? (
    <ErrorState error={slate.error} onRetry={() => void slate.run()} />
  ) : !slate.data ? (
    <LoadingState />
  ) : (
    <>
      <BoardBody v={slate.data} communityName={communityName} />
      {slate.data.fixedAt && <Progress communityId={communityId} year={year} />}
      {slate.data.stage === 'fixed' && slate.data.items.length > 0 && <PosterSection v={slate.data} communityName={communityName} />}
      {(slate.data.publicity || slate.data.fixedAt) && (
        <Button
          id="board-notice"
          size="large"
          block
          onClick={() => void Taro.navigateTo({ url: `/packages/matters/notice/index?communityId=${encodeURIComponent(communityId)}&year=${year}` })}
        >
          {slate.data.fixedAt ? '查看清单公告（可打印）' : '查看公示公告（可打印）'}
        </Button>
      )}
      {(slate.data.objections > 0 || slate.data.fixedAt) && <PublicNotes communityId={communityId} year={year} />}
    </>
  );
  return (
    <Page id="page-board">
      {body}
      {communityId && <CheckIn />}
      <ElderSwitch />
    </Page>
  );
}

function BoardBody({ v, communityName }: { v: SlateView; communityName: string }) {
  const objecting = v.stage === 'publicity' && !!v.publicity && v.publicity.daysLeft > 0;
  return (
    <>
      <View className="section">
        <View id="board-title" className="title">
          {communityName} {v.year} 年实事
        </View>
        <StageBar id="board-stages" stage={v.stage} />
        <View id="board-stage" className="meta">
          当前进度：{STAGE_LABELS[v.stage]}
        </View>
        {v.stage === 'publicity' && v.publicity && (
          <View id="board-countdown" className="board-countdown">
            {v.publicity.daysLeft > 0 ? `公示期还剩 ${v.publicity.daysLeft} 天（至 ${formatDate(v.publicity.end)}）` : '公示期已结束，清单即将确定'}
          </View>
        )}
        {v.stage === 'publicity' && !v.publicity && <View className="muted">四议已完成，即将公示。</View>}
        {v.fixedAt && <View className="meta">清单于 {formatDate(v.fixedAt)} 确定</View>}
      </View>

      <View className="section">
        <View className="section-title">{v.stage === 'fixed' ? '本年度实事清单' : v.publicity ? '公示中的实事' : '议定中的事项'}</View>
        {v.items.length === 0 ? (
          <View className="muted">社区正在从居民需求中议定今年的实事，敬请关注。</View>
        ) : (
          v.items.map((it, i) => <Item key={it.demandId} i={i} item={it} v={v} objecting={objecting} />)
        )}
      </View>
    </>
  );
}

function Item({ i, item, v, objecting }: { i: number; item: SlateView['items'][number]; v: SlateView; objecting: boolean }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [sent, setSent] = useState(false);
  const send = useAction(
    async () => {
      const r = await api.matters.object({ communityId: v.communityId, year: v.year, demandId: item.demandId, text: text.trim() });
      setSent(true);
      setOpen(false);
      return r;
    },
    { successToast: '异议已提交' },
  );
  return (
    <View id={`board-item-${i}`} className="board-item">
      <View className="section-title">
        {i + 1}. {item.title}
      </View>
      <View className="meta">{item.supporters} 位居民支持</View>
      {item.reason && <View className="meta">理由：{item.reason}</View>}
      {objecting &&
        (sent ? (
          <View id={`board-objected-${i}`} className="muted">
            您的异议已提交，社区将公开答复。
          </View>
        ) : open ? (
          <View>
            <TextArea id={`board-objection-${i}`} className="field-input" placeholder="请写下您的异议（5–500 字）" maxLength={500} value={text} onChange={setText} />
            {send.error && (
              <View id={`board-error-${i}`} className="board-error" role="alert">
                {displayMessage(send.error)}
              </View>
            )}
            <View className="row">
              <Button id={`board-cancel-${i}`} className="grow" size="large" disabled={send.loading} onClick={() => setOpen(false)}>
                取消
              </Button>
              <Button
                id={`board-send-${i}`}
                className="grow"
                type="primary"
                size="large"
                loading={send.loading}
                disabled={send.loading}
                onClick={() => {
                  if (text.trim().length < 5) void Taro.showToast({ title: '异议内容至少 5 个字', icon: 'none' });
                  else void send.run();
                }}
              >
                提交异议
              </Button>
            </View>
          </View>
        ) : (
          <Button id={`board-object-${i}`} size="large" block onClick={() => setOpen(true)}>
            对此事项提出异议
          </Button>
        ))}
    </View>
  );
}

/** The year's matters being carried out: progress bars, overdue marks, the latest photo; a tap opens the matter. */
function Progress({ communityId, year }: { communityId: string; year: number }) {
  const board = useQuery(() => api.matters.listMatters({ communityId, year }), [communityId, year]);
  if (board.error) return <ErrorState error={board.error} onRetry={() => void board.run()} />;
  if (!board.data || board.data.items.length === 0) return null;
  return (
    <View id="board-progress" className="section">
      <View className="section-title">实事进展</View>
      {board.data.items.map((m, i) => (
        <View
          key={m._id}
          id={`board-matter-${i}`}
          className="board-item board-matter"
          role="link"
          {...FOCUSABLE}
          onClick={() => void Taro.navigateTo({ url: `/packages/matters/matter/index?id=${encodeURIComponent(m._id)}` })}
        >
          {m.latestPhoto && <Image className="board-thumb" src={m.latestPhoto} mode="aspectFill" ariaLabel="最新进展照片" />}
          <View className="grow">
            <View>{m.title}</View>
            <View className="meta">
              {MATTER_STATE_LABELS[m.state] ?? m.state}
              {m.leadUnit ? ` · ${m.leadUnit}` : ''}
            </View>
            <ProgressBar id={`board-matter-progress-${i}`} value={m.progress} overdue={m.overdue} />
            {m.overdue && <View className="board-late">有节点逾期</View>}
          </View>
        </View>
      ))}
    </View>
  );
}

/** 两公开: objections with the community's public answers, and once fixed, the demands left out and why. */
function PublicNotes({ communityId, year }: { communityId: string; year: number }) {
  const notes = useQuery(() => api.matters.publicNotes({ communityId, year }), [communityId, year]);
  if (notes.error) return <ErrorState error={notes.error} onRetry={() => void notes.run()} />;
  if (!notes.data) return null;
  const { objections, leftOut } = notes.data;
  return (
    <>
      {objections.length > 0 && (
        <View id="board-answers" className="section">
          <View className="section-title">居民异议与社区答复</View>
          {objections.map((o, i) => (
            <View key={i} id={`board-answer-${i}`} className="board-item">
              <View className="meta">关于“{o.demandTitle}”</View>
              <View>异议：{o.text}</View>
              <View>答复：{o.answer}</View>
            </View>
          ))}
        </View>
      )}
      {leftOut.length > 0 && (
        <View id="board-left-out" className="section">
          <View className="section-title">未列入的需求及原因</View>
          {leftOut.map((d, i) => (
            <View key={i} id={`board-left-out-${i}`} className="board-item">
              <View>
                {d.title}（{d.supporters} 位居民支持）
              </View>
              <View className="meta">{d.reason}</View>
            </View>
          ))}
        </View>
      )}
    </>
  );
}

/** 议事会签到: scan the meeting's QR code (WeChat) or type its code (H5) → attendMeeting. */
function CheckIn() {
  const [code, setCode] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const [attendees, setAttendees] = useState<number | null>(null);
  const attend = useAction(async (text: string) => {
    const r = await api.matters.attendMeeting(parseMeetingCode(text) as { id: string; token: string });
    setAttendees(r.attendees);
    return r;
  });
  const submit = (text: string) => {
    if (!parseMeetingCode(text)) {
      setLocal('这不是议事会的签到码，请扫描会场的签到二维码');
      return;
    }
    setLocal(null);
    void attend.run(text);
  };
  const message = local ?? (attend.error ? displayMessage(attend.error) : null);
  return (
    <View id="board-checkin" className="section">
      <View className="section-title">议事会签到</View>
      {attendees !== null ? (
        <View id="board-checked-in" className="muted">
          签到成功，本次到会 {attendees} 人。
        </View>
      ) : canScan ? (
        <Button
          id="board-scan"
          type="primary"
          size="large"
          block
          loading={attend.loading}
          disabled={attend.loading}
          onClick={() =>
            void scanText().then((t) => {
              if (t) submit(t);
            })
          }
        >
          扫码签到
        </Button>
      ) : (
        <View>
          <Input id="board-code" className="field-input" placeholder="粘贴会场二维码下方的签到码" maxLength={200} value={code} onChange={setCode} />
          <Button id="board-code-submit" type="primary" size="large" block loading={attend.loading} disabled={attend.loading} onClick={() => submit(code)}>
            签到
          </Button>
        </View>
      )}
      {message && (
        <View id="board-checkin-error" className="board-error" role="alert">
          {message}
        </View>
      )}
    </View>
  );
}
