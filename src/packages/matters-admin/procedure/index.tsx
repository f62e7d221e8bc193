import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { LEFT_OUT_LABELS, LEFT_OUT_REASONS, STAGE_LABELS, STEP_BODIES, STEP_LABELS, STEPS, type LeftOutReason, type Step } from '../../../features/matters/matters.labels';
import { fractionText, leftOutRefusal } from '../../../features/matters/matters.rules';
import type { DemandRow, SlateView } from '../../../features/matters/matters.schema';
import { api } from '../../../client/api';
import { useAction, usePaged, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Dialog } from '../../../components/nut/dialog';
import { Input } from '../../../components/nut/input';
import { Popup } from '../../../components/nut/popup';
import { TextArea } from '../../../components/nut/textarea';
import { Field } from '../../../components/field';
import { ErrorState, ListFooter, LoadingState } from '../../../components/states';
import { formatDate, formatDateTime, shanghaiDaysAgo } from '../../../components/format';
import { FOCUSABLE } from '../../../components/focusable';
import { StageBar } from '../../../components/stage-bar';
import { Chip, errorText, NoCommunity, supportText, useAdminScope } from '../shared';
import { rulesLines } from '../rules-text';
import '../ui.scss';

/** Every open demand of the year (the proposal picks from them; fixing needs a reason for the rest). */
async function allOpenDemands(communityId: string, year: number): Promise<DemandRow[]> {
  const out: DemandRow[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await api.matters.listDemands({ communityId, year, sort: 'supporters', cursor });
    out.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

/** 四议两公开 of one community's year: where it stands, the next meeting, 公示 with objections, the fixed list. */
export default function Procedure() {
  const { me, communityId, year } = useAdminScope();
  const slate = useQuery(() => api.matters.getSlate({ communityId: communityId as string, year }), [communityId, year], { enabled: !!communityId });
  const [backOpen, setBackOpen] = useState(false);
  const [backReason, setBackReason] = useState('');

  usePullDownRefresh(() => {
    void slate.run().finally(() => Taro.stopPullDownRefresh());
  });

  const back = useAction(
    async () => {
      const v = await api.matters.stepBack({ communityId: communityId as string, year, reason: backReason.trim() });
      slate.setData(v);
      setBackOpen(false);
      setBackReason('');
      return v;
    },
    { successToast: '已退回一步' },
  );
  const publicity = useAction(
    async () => {
      const v = await api.matters.startPublicity({ communityId: communityId as string, year });
      slate.setData(v);
      return v;
    },
    { successToast: '公示已开始' },
  );

  if (!communityId) {
    return (
      <Page id="page-procedure">
        <NoCommunity me={me} />
      </Page>
    );
  }
  if (slate.error) {
    return (
      <Page id="page-procedure">
        <ErrorState error={slate.error} onRetry={() => void slate.run()} />
      </Page>
    );
  }
  const v = slate.data;
  if (!v) {
    return (
      <Page id="page-procedure">
        <LoadingState />
      </Page>
    );
  }
  const isStep = (STEPS as readonly string[]).includes(v.stage);
  // Votes name items by id; an item voted down at a step has left the slate, so its title comes from `titles`.
  const titles = new Map([...Object.entries(v.titles ?? {}), ...v.items.map((it) => [it.demandId, it.title] as const)]);

  return (
    <Page id="page-procedure">
      <View className="section">
        <View className="title">{year} 年社区实事 · 四议两公开</View>
        <StageBar id="proc-stages" stage={v.stage} />
        <View id="proc-stage" className="meta">
          当前：{STAGE_LABELS[v.stage]}
          {v.withdrawn > 0 ? `（曾退回 ${v.withdrawn} 次）` : ''}
        </View>
        {v.config && (
          <View id="proc-rules" className="ma-box">
            <View className="meta">本市议事规则（市级管理员设置）：</View>
            {rulesLines(v.config).slice(0, 4).map((line, i) => (
              <View key={i} id={`proc-rule-${i}`} className="meta">
                {line}
              </View>
            ))}
          </View>
        )}
      </View>

      <View className="section">
        <View className="section-title">{v.stage === 'fixed' ? '年度实事清单' : '清单上的事项'}（{v.items.length}）</View>
        {v.items.length === 0 ? (
          <View className="muted">还没有事项：由党组织提议时从需求清单中选入。</View>
        ) : (
          v.items.map((it, i) => (
            <View key={it.demandId} id={`proc-item-${i}`} className="ma-row">
              <View className="grow">
                <View>{it.title}</View>
                {it.reason && <View className="meta">提议理由：{it.reason}</View>}
              </View>
              <View className="meta">{it.supporters} 人支持</View>
            </View>
          ))
        )}
      </View>

      {v.steps.length > 0 && (
        <View className="section">
          <View className="section-title">会议记录</View>
          {v.steps.map((s, i) => (
            <View key={s.step} id={`proc-record-${i}`} className="ma-row">
              <View className="grow">
                <View>
                  {STEP_LABELS[s.step]} · {s.date}
                </View>
                <View className="meta">
                  应到 {s.expected} 人，实到 {s.present} 人；通过 {s.passed.length} 项{s.failed.length ? `，未通过 ${s.failed.length} 项` : ''}
                </View>
                {Object.entries(s.votes).map(([id, vote], j) => (
                  <View key={id} id={`proc-vote-${i}-${j}`} className="meta">
                    {titles.get(id) || '（未找到的事项）'}：赞成 {vote.for}，反对 {vote.against}，弃权 {vote.abstain}
                    {s.failed.includes(id) ? '（未通过）' : '（通过）'}
                  </View>
                ))}
                <View className="meta">纪要：{s.minutes}</View>
              </View>
            </View>
          ))}
          {isStep && (
            <Button id="proc-back-open" block disabled={back.loading} onClick={() => setBackOpen(true)}>
              退回一步
            </Button>
          )}
        </View>
      )}

      {isStep && <StepForm key={v.stage} slate={v} step={v.stage as Step} communityId={communityId} year={year} onRecorded={slate.setData} />}

      {v.stage === 'publicity' && !v.publicity && (
        <View className="section">
          <View className="section-title">决议公开（公示）</View>
          <View className="muted">四议已完成。开始公示后，居民可在公示期内对清单上的事项提出异议。</View>
          <Button id="proc-publicity" type="primary" block loading={publicity.loading} disabled={publicity.loading} onClick={() => void publicity.run()}>
            开始公示
          </Button>
        </View>
      )}

      {v.publicity && (
        <View className="section">
          <View className="section-title">公示</View>
          <View id="proc-publicity-window" className="meta">
            {formatDate(v.publicity.start)} 至 {formatDate(v.publicity.end)}
            {v.stage === 'publicity' ? (v.publicity.daysLeft > 0 ? `，还剩 ${v.publicity.daysLeft} 天` : '，公示期已结束') : ''}
          </View>
          <View className="meta">
            异议 {v.objections} 条，未答复 {v.unanswered} 条
          </View>
        </View>
      )}

      {v.publicity && <Objections communityId={communityId} year={year} slate={v} onAnswered={() => void slate.run()} />}

      {v.stage === 'publicity' && v.publicity && <FixForm slate={v} communityId={communityId} year={year} onFixed={slate.setData} />}

      {v.fixedAt && (
        <View id="proc-fixed" className="section">
          <View className="section-title">清单已于 {formatDateTime(v.fixedAt)} 确定</View>
        </View>
      )}

      <Dialog
        id="back-dialog"
        visible={backOpen}
        title="确认退回一步？"
        onClose={() => setBackOpen(false)}
        footer={
          <View className="dialog-footer">
            <Button id="back-cancel" disabled={back.loading} onClick={() => setBackOpen(false)}>
              取消
            </Button>
            <Button
              id="back-confirm"
              type="primary"
              loading={back.loading}
              disabled={back.loading}
              onClick={() => {
                if (backReason.trim().length < 2) void Taro.showToast({ title: '请写明退回原因', icon: 'none' });
                else void back.run();
              }}
            >
              退回
            </Button>
          </View>
        }
      >
        <View className="muted">最近一步“{v.steps.length ? STEP_LABELS[v.steps[v.steps.length - 1]!.step] : ''}”将撤回，记录和原因会保留。</View>
        <TextArea id="back-reason" className="field-input" placeholder="退回原因（必填）" maxLength={200} value={backReason} onChange={setBackReason} />
        {errorText(back.error) && <View className="ma-error">{errorText(back.error)}</View>}
      </Dialog>
    </Page>
  );
}

interface VoteText {
  for: string;
  against: string;
  abstain: string;
}
const EMPTY_VOTE: VoteText = { for: '', against: '', abstain: '' };
const count = (t: string): number => {
  const n = Number(t.trim() || '0');
  return Number.isInteger(n) && n >= 0 ? n : -1;
};

/** The next meeting: date, 应到/实到, per item 赞成/反对/弃权, minutes; at the proposal, pick items and a reason each. */
function StepForm({ slate, step, communityId, year, onRecorded }: { slate: SlateView; step: Step; communityId: string; year: number; onRecorded: (v: SlateView) => void }) {
  const proposal = step === 'proposal';
  const open = useQuery(() => allOpenDemands(communityId, year), [communityId, year], { enabled: proposal });
  const [date, setDate] = useState(shanghaiDaysAgo(0));
  const [expected, setExpected] = useState('');
  const [present, setPresent] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [votes, setVotes] = useState<Record<string, VoteText>>({});
  const [minutes, setMinutes] = useState('');
  const [local, setLocal] = useState<string | null>(null);

  const items: { id: string; title: string }[] = proposal
    ? picked.map((id) => ({ id, title: open.data?.find((d) => d._id === id)?.title ?? id }))
    : slate.items.map((it) => ({ id: it.demandId, title: it.title }));

  const record = useAction(
    async () => {
      const v = await api.matters.recordStep({
        communityId, year, step, date: date.trim(), expected: count(expected), present: count(present),
        votes: Object.fromEntries(items.map((it) => {
          const t = votes[it.id] ?? EMPTY_VOTE;
          return [it.id, { for: count(t.for), against: count(t.against), abstain: count(t.abstain) }];
        })),
        reasons: proposal ? Object.fromEntries(items.map((it) => [it.id, (reasons[it.id] ?? '').trim()])) : {},
        minutes: minutes.trim(),
      });
      onRecorded(v);
      return v;
    },
    { successToast: '已记录' },
  );

  const submit = () => {
    let msg: string | null = null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) msg = '日期格式应为 YYYY-MM-DD';
    else if (count(expected) < 1 || count(present) < 0) msg = '请填写应到、实到人数';
    else if (items.length === 0) msg = proposal ? '请从需求清单中选入提议的事项' : '清单上没有事项';
    else if (proposal && items.some((it) => (reasons[it.id] ?? '').trim().length < 2)) msg = '请为每个提议的事项写明理由';
    else if (items.some((it) => Object.values(votes[it.id] ?? EMPTY_VOTE).some((t) => count(t) < 0))) msg = '票数应为不小于 0 的整数';
    else if (minutes.trim().length < 2) msg = '请填写会议纪要';
    setLocal(msg);
    if (!msg) void record.run();
  };
  const setVote = (id: string, k: keyof VoteText, t: string) => setVotes((all) => ({ ...all, [id]: { ...(all[id] ?? EMPTY_VOTE), [k]: t } }));
  const message = local ?? errorText(record.error);

  return (
    <View id="step-form" className="section">
      <View className="section-title">记录：{STEP_LABELS[step]}</View>
      <Field label="会议日期">
        <Input id="step-date" className="field-input" placeholder="YYYY-MM-DD" maxLength={10} value={date} onChange={setDate} />
      </Field>
      <View className="row">
        <Field label={`应到（${STEP_BODIES[step]}）${slate.config ? `，须${fractionText(slate.config.quorum[step])}到会` : ''}`}>
          <Input id="step-expected" className="field-input" type="number" maxLength={6} value={expected} onChange={setExpected} />
        </Field>
        <Field label="实到">
          <Input id="step-present" className="field-input" type="number" maxLength={6} value={present} onChange={setPresent} />
        </Field>
      </View>

      {proposal && (
        <Field label={`从需求清单选入提议的事项（最多 ${slate.config?.maxMatters ?? 10} 件）`}>
          {open.error ? (
            <ErrorState error={open.error} onRetry={() => void open.run()} retryId="step-demands-retry" />
          ) : !open.data ? (
            <LoadingState />
          ) : open.data.length === 0 ? (
            <View className="muted">需求清单是空的。</View>
          ) : (
            open.data.map((d, i) => {
              const on = picked.includes(d._id);
              return (
                <View
                  key={d._id}
                  id={`step-pick-${i}`}
                  className="ma-row"
                  role="checkbox"
                  aria-checked={on}
                  {...FOCUSABLE}
                  onClick={() => setPicked((p) => (on ? p.filter((x) => x !== d._id) : [...p, d._id]))}
                >
                  <View>{on ? '☑' : '☐'}</View>
                  <View className="grow">{d.title}</View>
                  <View className="meta">{supportText(d.supporters, d.anonymous)}</View>
                </View>
              );
            })
          )}
        </Field>
      )}

      {items.map((it, i) => (
        <View key={it.id} id={`step-item-${i}`} className="list-item">
          <View className="section-title">{it.title}</View>
          {proposal && (
            <Input
              id={`step-reason-${i}`}
              className="field-input"
              placeholder="提议理由（必填）"
              maxLength={200}
              value={reasons[it.id] ?? ''}
              onChange={(t) => setReasons((r) => ({ ...r, [it.id]: t }))}
            />
          )}
          <View className="ma-votes">
            {(['for', 'against', 'abstain'] as const).map((k) => (
              <View key={k} className="grow">
                <View className="meta">{k === 'for' ? '赞成' : k === 'against' ? '反对' : '弃权'}</View>
                <Input id={`step-vote-${k}-${i}`} className="field-input" type="number" placeholder="0" maxLength={6} value={(votes[it.id] ?? EMPTY_VOTE)[k]} onChange={(t) => setVote(it.id, k, t)} />
              </View>
            ))}
          </View>
        </View>
      ))}

      <Field label="会议纪要">
        <TextArea id="step-minutes" className="field-input" placeholder="议题、讨论情况和结论" maxLength={2000} value={minutes} onChange={setMinutes} />
      </Field>
      {message && (
        <View id="step-error" className="ma-error" role="alert">
          {message}
        </View>
      )}
      <Button id="step-submit" type="primary" size="large" block loading={record.loading} disabled={record.loading} onClick={submit}>
        记录{STEP_LABELS[step]}
      </Button>
    </View>
  );
}

/** Residents' objections during 公示, each answered in public. */
function Objections({ communityId, year, slate, onAnswered }: { communityId: string; year: number; slate: SlateView; onAnswered: () => void }) {
  const list = usePaged((cursor) => api.matters.listObjections({ communityId, year, cursor }), [communityId, year]);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const answer = useAction(
    async (id: string) => {
      const r = await api.matters.answerObjection({ id, answer: (answers[id] ?? '').trim() });
      await list.reload();
      onAnswered();
      return r;
    },
    { successToast: '已答复' },
  );
  const title = (id: string) => slate.items.find((it) => it.demandId === id)?.title ?? '清单事项';
  return (
    <View id="proc-objections" className="section">
      <View className="section-title">居民异议</View>
      {list.error && list.items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.reload()} retryId="objections-retry" />
      ) : !list.loaded ? (
        <LoadingState />
      ) : list.items.length === 0 ? (
        <View className="muted">暂无异议。</View>
      ) : (
        <View>
          {list.items.map((o, i) => (
            <View key={o._id} id={`objection-${i}`} className="list-item">
              <View className="meta">
                关于“{title(o.demandId)}” · {formatDateTime(o.at)}
              </View>
              <View className="list-item-text">{o.text}</View>
              {o.answered ? (
                <View id={`objection-answer-${i}`} className="meta">
                  社区答复：{o.answer}
                </View>
              ) : !slate.fixedAt ? (
                <View className="row">
                  <Input
                    id={`objection-input-${i}`}
                    className="field-input grow"
                    placeholder="公开答复（至少 2 个字）"
                    maxLength={500}
                    value={answers[o._id] ?? ''}
                    onChange={(t) => setAnswers((a) => ({ ...a, [o._id]: t }))}
                  />
                  <Button
                    id={`objection-reply-${i}`}
                    type="primary"
                    loading={answer.loading}
                    disabled={answer.loading}
                    onClick={() => {
                      if ((answers[o._id] ?? '').trim().length < 2) void Taro.showToast({ title: '答复至少 2 个字', icon: 'none' });
                      else void answer.run(o._id);
                    }}
                  >
                    答复
                  </Button>
                </View>
              ) : null}
            </View>
          ))}
          <ListFooter list={list} idPrefix="objections" />
        </View>
      )}
    </View>
  );
}

interface LeftOutText {
  reason: LeftOutReason | null;
  department: string;
  note: string;
}

const reasonLine = (l: LeftOutText): string => {
  const extra = (l.reason === 'referred' ? l.department : l.note).trim();
  return `${LEFT_OUT_LABELS[l.reason as LeftOutReason]}${extra ? `：${extra}` : ''}`;
};

/** 确定清单: after 公示, every open demand not on the slate gets its published reason. */
function FixForm({ slate, communityId, year, onFixed }: { slate: SlateView; communityId: string; year: number; onFixed: (v: SlateView) => void }) {
  const open = useQuery(() => allOpenDemands(communityId, year), [communityId, year]);
  const [left, setLeft] = useState<Record<string, LeftOutText>>({});
  const [local, setLocal] = useState<string | null>(null);
  // One demand's reason at a time in a popup: a row per demand keeps long lists light (WeChat's node budget).
  const [editing, setEditing] = useState<number | null>(null);
  const onSlate = new Set(slate.items.map((it) => it.demandId));
  const rest = (open.data ?? []).filter((d) => !onSlate.has(d._id));
  const editingDemand = editing === null ? undefined : rest[editing];
  const editingLeft = editingDemand ? left[editingDemand._id] : undefined;
  const fix = useAction(
    async () => {
      const v = await api.matters.fixList({
        communityId, year,
        leftOut: rest.map((d) => {
          const l = left[d._id]!;
          return { demandId: d._id, reason: l.reason as LeftOutReason, ...(l.department.trim() ? { department: l.department.trim() } : {}), ...(l.note.trim() ? { note: l.note.trim() } : {}) };
        }),
      });
      onFixed(v);
      return v;
    },
    { successToast: '清单已确定' },
  );
  const set = (id: string, p: Partial<LeftOutText>) => setLeft((all) => ({ ...all, [id]: { ...(all[id] ?? { reason: null, department: '', note: '' }), ...p } }));
  const unset = rest.filter((d) => !left[d._id]?.reason);
  // Most of a long list waits for next year: one tap for the rest, each still changeable.
  const restNextYear = () => setLeft((all) => ({ ...all, ...Object.fromEntries(unset.map((d) => [d._id, { reason: 'next_year' as const, department: '', note: '' }])) }));
  const waiting = slate.publicity && slate.publicity.daysLeft > 0 ? `公示期还剩 ${slate.publicity.daysLeft} 天，结束后才能确定清单` : slate.unanswered > 0 ? `还有 ${slate.unanswered} 条异议未答复` : null;
  const submit = () => {
    let msg: string | null = null;
    for (const d of rest) {
      const l = left[d._id];
      if (!l?.reason) {
        msg = `请为“${d.title}”选择不列入的原因`;
        break;
      }
      const r = leftOutRefusal({ reason: l.reason, department: l.department, note: l.note });
      if (r) {
        msg = `“${d.title}”：${r.message}`;
        break;
      }
    }
    setLocal(msg);
    if (!msg) void fix.run();
  };
  const message = local ?? errorText(fix.error);
  return (
    <View id="fix-form" className="section">
      <View className="section-title">确定清单</View>
      {waiting && <View className="muted">{waiting}</View>}
      {open.error ? (
        <ErrorState error={open.error} onRetry={() => void open.run()} retryId="fix-retry" />
      ) : !open.data ? (
        <LoadingState />
      ) : rest.length === 0 ? (
        <View className="muted">需求清单中的其他需求都已处理。</View>
      ) : (
        <View>
          <View className="muted">以下需求不列入本年度实事，请逐条点开选择原因（随清单公开）：</View>
          {rest.map((d, i) => {
            const l = left[d._id];
            return (
              <View key={d._id} id={`fix-demand-${i}`} className="ma-row" role="button" {...FOCUSABLE} onClick={() => setEditing(i)}>
                <View className="grow">{d.title}</View>
                <View id={`fix-chosen-${i}`} className={l?.reason ? 'meta' : 'danger-text'}>
                  {l?.reason ? reasonLine(l) : '选择原因 ›'}
                </View>
              </View>
            );
          })}
          {unset.length > 1 && (
            <Button id="fix-rest-next-year" size="small" onClick={restNextYear}>
              其余 {unset.length} 条都纳入下一年度
            </Button>
          )}
        </View>
      )}
      <Popup id="fix-popup" visible={editing !== null} position="bottom" round title={editingDemand ? `“${editingDemand.title}”不列入的原因` : ''} onClose={() => setEditing(null)}>
        {editingDemand && (
          <View className="ma-pick stack">
            <View className="chips">
              {LEFT_OUT_REASONS.map((r) => (
                <Chip key={r} id={`fix-reason-${r}`} on={editingLeft?.reason === r} label={LEFT_OUT_LABELS[r]} onClick={() => set(editingDemand._id, { reason: r })} />
              ))}
            </View>
            {editingLeft?.reason === 'referred' && (
              <Input id="fix-department" className="field-input" placeholder="转交的职能部门（必填）" maxLength={40} value={editingLeft.department} onChange={(t) => set(editingDemand._id, { department: t })} />
            )}
            {editingLeft?.reason && (
              <Input
                id="fix-note"
                className="field-input"
                placeholder={editingLeft.reason === 'not_feasible' ? '原因（必填）' : '说明（选填）'}
                maxLength={200}
                value={editingLeft.note}
                onChange={(t) => set(editingDemand._id, { note: t })}
              />
            )}
            <Button id="fix-done" type="primary" block onClick={() => setEditing(null)}>
              确定
            </Button>
          </View>
        )}
      </Popup>
      {message && (
        <View id="fix-error" className="ma-error" role="alert">
          {message}
        </View>
      )}
      <Button id="fix-submit" type="primary" size="large" block loading={fix.loading} disabled={fix.loading || !open.data || !!waiting} onClick={submit}>
        确定清单
      </Button>
    </View>
  );
}
