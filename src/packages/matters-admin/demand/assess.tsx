/** The demand page's 评估, 评分 and 微实事立办 sections. */
import { View } from '@tarojs/components';
import { useState } from 'react';
import { FUNDING_LABELS, FUNDING_SOURCES, PRINCIPLE_LABELS, PRINCIPLES, type FundingSource, type Principle } from '../../../features/matters/matters.labels';
import { TAGS, type TagName } from '../../../features/visits/visits.labels';
import type { DemandDetail } from '../../../features/matters/matters.schema';
import { DEFAULT_CONFIG, fastTrackRefusal } from '../../../features/matters/matters.rules';
import { api } from '../../../client/api';
import { fieldError } from '../../../client/api-error';
import { useAction, useQuery } from '../../../client/hooks';
import { loadMe } from '../../../client/me';
import { Button } from '../../../components/nut/button';
import { Dialog } from '../../../components/nut/dialog';
import { Input } from '../../../components/nut/input';
import { TextArea } from '../../../components/nut/textarea';
import { Field } from '../../../components/field';
import { PhotoPicker, usePhotoUploads } from '../../../components/photo-picker';
import { ErrorState, LoadingState } from '../../../components/states';
import { formatDate } from '../../../components/format';
import { Chip, errorText } from '../shared';

type D = DemandDetail['demand'];
type Scores = Record<Principle, number>;

/** '' → null; a whole number ≥ 0; anything else → NaN (refused before sending). */
export const wholeOrNull = (t: string): number | null => {
  if (t.trim() === '') return null;
  const n = Number(t.trim());
  return Number.isInteger(n) && n >= 0 ? n : NaN;
};
/** 48000 → '48,000' (no Intl: older WeChat runtimes lack it). */
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));
/** “3号楼，5栋 7栋” → ['3号楼', '5栋', '7栋']. */
const splitBuildings = (t: string) => t.split(/[\s,，、;；]+/).map((s) => s.trim()).filter(Boolean);

/** 评估: cost, funding, beneficiaries (typed, or counted from the household ledger) and feasibility → assessDemand. */
export function Assess({ d, editable, onSaved }: { d: D; editable: boolean; onSaved: () => void }) {
  const a = d.assessment ?? null;
  const [editing, setEditing] = useState(false);
  const [cost, setCost] = useState(text(a?.cost));
  const [funding, setFunding] = useState<FundingSource[]>(a?.funding ?? []);
  const [people, setPeople] = useState(text(a?.beneficiaries));
  const [note, setNote] = useState(a?.beneficiariesNote ?? '');
  const [feasibility, setFeasibility] = useState(a?.feasibility ?? '');
  const [buildings, setBuildings] = useState('');
  const [tags, setTags] = useState<TagName[]>([]);
  const [local, setLocal] = useState<Record<string, string>>({});

  const count = useAction(async () => {
    const r = await api.matters.countBeneficiaries({ id: d._id, buildings: splitBuildings(buildings), tags });
    setPeople(String(r.people));
    setNote(r.truncated ? `${r.note}（台账较大，仅统计了一部分）` : r.note);
    return r;
  });
  const save = useAction(
    async () => {
      const r = await api.matters.assessDemand({
        id: d._id, cost: wholeOrNull(cost), funding, beneficiaries: wholeOrNull(people), beneficiariesNote: note.trim(), feasibility: feasibility.trim(),
      });
      setEditing(false);
      onSaved();
      return r;
    },
    { successToast: '评估已保存' },
  );
  const submit = () => {
    const errs: Record<string, string> = {};
    if (Number.isNaN(wholeOrNull(cost))) errs.cost = '请填写整数金额（元）';
    if (Number.isNaN(wholeOrNull(people))) errs.beneficiaries = '请填写整数人数';
    setLocal(errs);
    if (Object.keys(errs).length === 0) void save.run();
  };
  const err = (f: string) => local[f] ?? fieldError(save.error, f);
  const toggle = <T,>(list: T[], x: T) => (list.includes(x) ? list.filter((y) => y !== x) : [...list, x]);

  if (!editing) {
    return (
      <View id="assess" className="section">
        <View className="row-between">
          <View className="section-title">评估</View>
          {editable && (
            <Button id="assess-edit" size="small" onClick={() => setEditing(true)}>
              {a ? '修改评估' : '填写评估'}
            </Button>
          )}
        </View>
        {a ? (
          <View id="assess-summary">
            <View className="meta">估算费用：{a.cost === null ? '未填' : `${thousands(a.cost)} 元`}</View>
            <View className="meta">资金来源：{a.funding.length ? a.funding.map((f) => FUNDING_LABELS[f]).join('、') : '未填'}</View>
            <View className="meta">
              受益人数：{a.beneficiaries === null ? '未填' : `${a.beneficiaries} 人`}
              {a.beneficiariesNote ? `（${a.beneficiariesNote}）` : ''}
            </View>
            {a.feasibility && <View className="meta">可行性：{a.feasibility}</View>}
            <View className="meta">评估于 {formatDate(a.at)}</View>
          </View>
        ) : (
          <View className="muted">尚未评估费用、资金来源、受益人数和可行性。</View>
        )}
      </View>
    );
  }
  return (
    <View id="assess-form" className="section">
      <View className="section-title">评估</View>
      <Field label="估算费用（元）" error={err('cost')} errorId="assess-cost-error">
        <Input id="assess-cost" className="field-input" type="number" maxLength={10} placeholder="如 50000" value={cost} onChange={setCost} />
      </Field>
      <Field label="资金来源（可多选）" error={err('funding')}>
        <View className="chips">
          {FUNDING_SOURCES.map((f) => (
            <Chip key={f} id={`assess-funding-${f}`} on={funding.includes(f)} label={FUNDING_LABELS[f]} onClick={() => setFunding((l) => toggle(l, f))} />
          ))}
        </View>
      </Field>
      <Field label="受益人数（人）" error={err('beneficiaries')} errorId="assess-beneficiaries-error">
        <Input id="assess-beneficiaries" className="field-input" type="number" maxLength={8} value={people} onChange={setPeople} />
      </Field>
      <Field label="受益说明" error={err('beneficiariesNote')}>
        <Input id="assess-note" className="field-input" placeholder="如：3栋、5栋独居老人" maxLength={200} value={note} onChange={setNote} />
      </Field>
      <View id="assess-count" className="ma-box">
        <View className="meta">从住户台账统计：填楼栋（空着为全社区），可选人群标记</View>
        <Input id="assess-buildings" className="field-input" placeholder="楼栋，如：3号楼 5栋" maxLength={200} value={buildings} onChange={setBuildings} />
        <View className="chips">
          {TAGS.map((t, i) => (
            <Chip key={t} id={`assess-tag-${i}`} on={tags.includes(t)} label={t} onClick={() => setTags((l) => toggle(l, t))} />
          ))}
        </View>
        <Button id="assess-count-run" size="small" loading={count.loading} disabled={count.loading} onClick={() => void count.run()}>
          从住户台账统计
        </Button>
      </View>
      <Field label="可行性" error={err('feasibility')}>
        <TextArea id="assess-feasibility" className="field-input" placeholder="场地、审批、维护等条件" maxLength={500} value={feasibility} onChange={setFeasibility} />
      </Field>
      {errorText(save.error) && !fieldError(save.error, 'cost') && <View className="ma-error">{errorText(save.error)}</View>}
      <View className="row">
        <Button id="assess-cancel" className="grow" disabled={save.loading} onClick={() => setEditing(false)}>
          取消
        </Button>
        <Button id="assess-submit" className="grow" type="primary" loading={save.loading} disabled={save.loading} onClick={submit}>
          保存评估
        </Button>
      </View>
    </View>
  );
}

const emptyScores = (): Partial<Scores> => ({});

/** 评分: my 1–5 on the four principles; everyone's once the whole committee has scored. */
export function Scoring({ d, editable }: { d: D; editable: boolean }) {
  const q = useQuery(() => api.matters.getScores({ id: d._id }), [d._id]);
  // Only committee members score: the form is for them.
  const member = useQuery(async () => {
    const [c, me] = await Promise.all([api.matters.getCommittee({ communityId: d.communityId, year: d.year }), loadMe()]);
    return !!c && c.members.some((m) => m.memberId === me.member?._id);
  }, [d.communityId, d.year]);
  const [mine, setMine] = useState<Partial<Scores> | null>(null);
  const [local, setLocal] = useState<string | null>(null);
  const shown = mine ?? q.data?.mine ?? emptyScores();
  const send = useAction(
    async () => {
      const r = await api.matters.scoreDemand({ id: d._id, scores: shown as Scores });
      setMine(null);
      await q.run();
      return r;
    },
    { successToast: '评分已保存' },
  );
  const submit = () => {
    if (PRINCIPLES.some((p) => !shown[p])) setLocal('请为四项原则都打分');
    else {
      setLocal(null);
      void send.run();
    }
  };

  if (q.error) {
    return (
      <View id="score" className="section">
        <View className="section-title">评分</View>
        <ErrorState error={q.error} onRetry={() => void q.run()} />
      </View>
    );
  }
  const s = q.data;
  if (!s) {
    return (
      <View id="score" className="section">
        <LoadingState />
      </View>
    );
  }
  const message = local ?? errorText(send.error);
  return (
    <View id="score" className="section">
      <View className="row-between">
        <View className="section-title">评分</View>
        <View id="score-progress" className="meta">
          已评 {s.scored}/{s.committee}
        </View>
      </View>
      {s.committee === 0 && <View className="muted">本年度还没有设立评议小组（在需求清单页设立）。</View>}
      {s.committee > 0 && editable && member.data === false && <View id="score-not-member" className="muted">您不在本年度评议小组中，不能打分。</View>}
      {s.committee > 0 && editable && member.data === true && (
        <View id="score-form">
          <View className="meta">我的评分（每项 1–5 分）{s.mine ? '：已评，可修改' : ''}</View>
          {PRINCIPLES.map((p) => (
            <View key={p} className="ma-row">
              <View className="grow">{PRINCIPLE_LABELS[p]}</View>
              <View className="ma-votes">
                {[1, 2, 3, 4, 5].map((n) => (
                  <Chip key={n} id={`score-${p}-${n}`} on={shown[p] === n} label={String(n)} onClick={() => setMine({ ...shown, [p]: n })} />
                ))}
              </View>
            </View>
          ))}
          {message && (
            <View id="score-error" className="ma-error" role="alert">
              {message}
            </View>
          )}
          <Button id="score-submit" type="primary" block loading={send.loading} disabled={send.loading} onClick={submit}>
            {s.mine ? '修改我的评分' : '提交评分'}
          </Button>
        </View>
      )}
      {s.complete && s.summary ? (
        <View id="score-summary">
          <View id="score-total" className="section-title">
            综合得分 {s.summary.total.toFixed(2)}
          </View>
          {PRINCIPLES.map((p) => (
            <View key={p} id={`score-mean-${p}`} className="ma-row">
              <View className="grow">{PRINCIPLE_LABELS[p]}</View>
              <View className="meta">
                平均 {(s.summary as NonNullable<typeof s.summary>).mean[p]?.toFixed(2)} · 分歧 {(s.summary as NonNullable<typeof s.summary>).spread[p]?.toFixed(2)}
              </View>
            </View>
          ))}
          {(s.scores ?? []).map((m, i) => (
            <View key={i} id={`score-member-${i}`} className="meta">
              {m.name}：{PRINCIPLES.map((p) => `${PRINCIPLE_LABELS[p]} ${m.scores[p]}`).join('，')}
            </View>
          ))}
        </View>
      ) : (
        s.committee > 0 && <View className="muted">评议小组全部评完后显示平均分、分歧和每人的评分。</View>
      )}
    </View>
  );
}

/** 微实事立办: a small matter done at once, with what it cost, how it went and photos of the result. */
export function FastTrack({ d, limit, onDone }: { d: D; /** The city's limit (yuan) from getDemand. */ limit?: number; onDone: () => void }) {
  // The city's rules, as the server sent them with the demand (the campaign default only if it did not).
  const config = { ...DEFAULT_CONFIG, fastTrackMaxCost: limit ?? DEFAULT_CONFIG.fastTrackMaxCost };
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [cost, setCost] = useState('');
  const [note, setNote] = useState('');
  const photos = usePhotoUploads(9, 'matters');
  const [local, setLocal] = useState<Record<string, string>>({});
  const run = useAction(
    async () => {
      const r = await api.matters.fastTrack({ id: d._id, cost: wholeOrNull(cost) as number, note: note.trim(), photos: photos.fileIds });
      setConfirming(false);
      setOpen(false);
      onDone();
      return r;
    },
    { successToast: '已作为微实事办结' },
  );
  const check = () => {
    const errs: Record<string, string> = {};
    const c = wholeOrNull(cost);
    if (c === null || Number.isNaN(c)) errs.cost = '请填写实际花费（元，整数）';
    else {
      const refusal = fastTrackRefusal(c, config);
      if (refusal) errs.cost = refusal.message;
    }
    if (note.trim().length < 5) errs.note = '请写明办理情况（至少 5 个字）';
    if (photos.busy) errs.photos = '照片还在上传，请稍候';
    else if (photos.failed) errs.photos = '有照片上传失败，请重试或删除';
    else if (photos.fileIds.length === 0) errs.photos = '请上传至少一张办结照片';
    setLocal(errs);
    if (Object.keys(errs).length === 0) setConfirming(true);
  };
  const err = (f: string) => local[f] ?? fieldError(run.error, f);

  if (!open) {
    return (
      <View className="section">
        <Button id="fast-open" block onClick={() => setOpen(true)}>
          微实事立办
        </Button>
        <View id="fast-limit" className="meta">花费 {config.fastTrackMaxCost} 元以下（本市规定）的小事不等年度清单，办完即记录，不列入十件实事。</View>
      </View>
    );
  }
  return (
    <View id="fast-form" className="section">
      <View className="section-title">微实事立办</View>
      <Field label="实际花费（元）" error={err('cost')} errorId="fast-cost-error">
        <Input id="fast-cost" className="field-input" type="number" maxLength={7} value={cost} onChange={setCost} />
      </Field>
      <Field label="办理情况" error={err('note')} errorId="fast-note-error">
        <TextArea id="fast-note" className="field-input" placeholder="如：已更换5栋楼道灯12盏" maxLength={500} value={note} onChange={setNote} />
      </Field>
      <Field label="办结照片（至少 1 张）" error={err('photos')} errorId="fast-photos-error">
        <PhotoPicker items={photos.items} max={9} onAdd={() => void photos.add()} onRemove={photos.remove} onRetry={photos.retry} idPrefix="fast-photo" />
      </Field>
      <View className="row">
        <Button id="fast-cancel" className="grow" onClick={() => setOpen(false)}>
          取消
        </Button>
        <Button id="fast-submit" className="grow" type="primary" onClick={check}>
          办结
        </Button>
      </View>
      <Dialog
        id="fast-dialog"
        visible={confirming}
        title="确认作为微实事办结？"
        onClose={() => setConfirming(false)}
        footer={
          <View className="dialog-footer">
            <Button id="fast-no" disabled={run.loading} onClick={() => setConfirming(false)}>
              取消
            </Button>
            <Button id="fast-confirm" type="primary" loading={run.loading} disabled={run.loading} onClick={() => void run.run()}>
              确认办结
            </Button>
          </View>
        }
      >
        <View className="muted">“{d.title}”将标为已办结的微实事，不再参加年度实事的评议。</View>
        {errorText(run.error) && <View className="ma-error">{errorText(run.error)}</View>}
      </Dialog>
    </View>
  );
}
