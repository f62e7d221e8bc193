/**
 * The questionnaire builder: title, intro, dates, anonymous / per household, questions of every type
 * with options, limits and skip logic; reorder, duplicate, delete; preview as a resident sees it.
 * Problems come from surveys.rules (the same check the server makes) and are shown per question.
 */
import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { definitionProblems, visibleQuestions } from '../../../features/surveys/surveys.rules';
import { duplicateQuestion, moveQuestion } from '../../../features/surveys/surveys.builder.rules';
import { QUESTION_TYPES, QUESTION_TYPE_LABELS, SHOW_IF_LABELS } from '../../../features/surveys/surveys.labels';
import type { Definition, Question, Settings, ShowIf } from '../../../features/surveys/surveys.schema';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { TextArea } from '../../../components/nut/textarea';
import { Field } from '../../../components/field';
import { SwitchRow } from '../../../components/switch-row';
import { QuestionInput } from '../../../components/survey-question';
import { ErrorState, LoadingState } from '../../../components/states';
import { blankQuestion, dayOf, defaultSettings, endOfDay, linesToCells, startOfDay } from './draft';
import '../admin.scss';

type Patch = Partial<Question>;

function ShowIfEditor({ q, before, onChange, idp }: { q: Question; before: Question[]; onChange: (s: ShowIf | undefined) => void; idp: string }) {
  const s = q.showIf;
  const ref = before.find((x) => x.id === s?.questionId);
  return (
    <View>
      <View className="muted">显示条件（跳题逻辑）</View>
      <View className="sa-row">
        <Button id={`${idp}-cond-none`} size="small" type={!s ? 'primary' : 'default'} onClick={() => onChange(undefined)}>总是显示</Button>
        {before.map((b, i) => (
          <Button key={b.id} id={`${idp}-cond-q-${b.id}`} size="small" type={s?.questionId === b.id ? 'primary' : 'default'}
            onClick={() => onChange({ questionId: b.id, op: b.type === 'single' || b.type === 'multiple' ? 'equals' : 'notAnswered', values: [] })}>
            按第{i + 1}题
          </Button>
        ))}
      </View>
      {s && ref && (
        <>
          <View className="sa-row">
            {(['equals', 'oneOf', 'notAnswered'] as const)
              .filter((op) => op === 'notAnswered' || ref.type === 'single' || ref.type === 'multiple')
              .map((op) => (
                <Button key={op} id={`${idp}-cond-op-${op}`} size="small" type={s.op === op ? 'primary' : 'default'}
                  onClick={() => onChange({ ...s, op, values: op === 'notAnswered' ? [] : s.values.slice(0, op === 'equals' ? 1 : undefined) })}>
                  {SHOW_IF_LABELS[op]}
                </Button>
              ))}
          </View>
          {s.op !== 'notAnswered' && (
            <View className="sa-row">
              {(ref.options ?? []).map((o) => {
                const on = s.values.includes(o.id);
                const values = s.op === 'equals' ? [o.id] : on ? s.values.filter((v) => v !== o.id) : [...s.values, o.id];
                return (
                  <Button key={o.id} id={`${idp}-cond-v-${o.id}`} size="small" type={on ? 'primary' : 'default'} onClick={() => onChange({ ...s, values })}>
                    {o.label}
                  </Button>
                );
              })}
            </View>
          )}
        </>
      )}
    </View>
  );
}

function QuestionEditor(props: {
  q: Question; index: number; all: Question[]; problems: string[]; idp: string;
  onPatch: (p: Patch) => void; onMove: (d: -1 | 1) => void; onDuplicate: () => void; onDelete: () => void;
}) {
  const { q, index, all, problems, idp, onPatch } = props;
  const [optText, setOptText] = useState((q.options ?? []).filter((o) => !o.other).map((o) => o.label).join('\n'));
  const [rowText, setRowText] = useState((q.rows ?? []).map((r) => r.label).join('\n'));
  const [scaleText, setScaleText] = useState((q.scale ?? []).map((c) => c.label).join('\n'));
  const other = (q.options ?? []).find((o) => o.other);
  const setOptions = (text: string, withOther: boolean) => {
    setOptText(text);
    const cells = linesToCells(text);
    onPatch({ options: [...cells, ...(withOther ? [{ id: 'other', label: '其他（请注明）', other: true }] : [])] });
  };
  const choice = q.type === 'single' || q.type === 'multiple' || q.type === 'ranking';
  return (
    <View id={idp} className="sa-card">
      <View className="sa-title">第{index + 1}题 · {QUESTION_TYPE_LABELS[q.type]}</View>
      <Field label="题目">
        <Input id={`${idp}-title`} className="field-input" value={q.title} maxLength={200} onChange={(t) => onPatch({ title: t })} />
      </Field>
      {choice && (
        <Field label="选项（每行一个）">
          <TextArea id={`${idp}-options`} className="field-input" value={optText} maxLength={3000} onChange={(t: string) => setOptions(t, !!other)} />
          {q.type !== 'ranking' && (
            <SwitchRow id={`${idp}-other`} title="加“其他（请注明）”" checked={!!other} onChange={(on) => setOptions(optText, on)} />
          )}
        </Field>
      )}
      {q.type === 'multiple' && (
        <View className="sa-row">
          <Input id={`${idp}-minpicks`} className="field-input" type="number" placeholder="最少选几项" value={q.minPicks?.toString() ?? ''} onChange={(t) => onPatch({ minPicks: t ? Number(t) : undefined })} />
          <Input id={`${idp}-maxpicks`} className="field-input" type="number" placeholder="最多选几项" value={q.maxPicks?.toString() ?? ''} onChange={(t) => onPatch({ maxPicks: t ? Number(t) : undefined })} />
        </View>
      )}
      {q.type === 'number' && (
        <View className="sa-row">
          <Input id={`${idp}-min`} className="field-input" type="digit" placeholder="最小值" value={q.min?.toString() ?? ''} onChange={(t) => onPatch({ min: t === '' ? undefined : Number(t) })} />
          <Input id={`${idp}-max`} className="field-input" type="digit" placeholder="最大值" value={q.max?.toString() ?? ''} onChange={(t) => onPatch({ max: t === '' ? undefined : Number(t) })} />
        </View>
      )}
      {q.type === 'matrix' && (
        <>
          <Field label="行（每行一个评价项目）">
            <TextArea id={`${idp}-rows`} className="field-input" value={rowText} onChange={(t: string) => { setRowText(t); onPatch({ rows: linesToCells(t, 'r') }); }} />
          </Field>
          <Field label="评价等级（每行一个）">
            <TextArea id={`${idp}-scale`} className="field-input" value={scaleText} onChange={(t: string) => { setScaleText(t); onPatch({ scale: linesToCells(t) }); }} />
          </Field>
        </>
      )}
      <SwitchRow id={`${idp}-required`} title="必答" checked={q.required} onChange={(on) => onPatch({ required: on })} />
      {q.type === 'single' && (
        <SwitchRow id={`${idp}-crosstab`} title="用于交叉分析（如年龄段、楼栋）" checked={!!q.crossTab} onChange={(on) => onPatch({ crossTab: on || undefined })} />
      )}
      {index > 0 && <ShowIfEditor q={q} before={all.slice(0, index)} idp={idp} onChange={(s) => onPatch({ showIf: s })} />}
      {problems.map((p) => (
        <View key={p} className="field-error" role="alert">{p}</View>
      ))}
      <View className="sa-row">
        <Button id={`${idp}-up`} size="small" onClick={() => props.onMove(-1)}>上移</Button>
        <Button id={`${idp}-down`} size="small" onClick={() => props.onMove(1)}>下移</Button>
        <Button id={`${idp}-dup`} size="small" onClick={props.onDuplicate}>复制</Button>
        <Button id={`${idp}-del`} size="small" type="danger" onClick={props.onDelete}>删除</Button>
      </View>
    </View>
  );
}

function Builder({ initial, surveyId, communityId }: { initial: { def: Definition; settings: Settings }; surveyId: string | null; communityId: string }) {
  const [def, setDef] = useState(initial.def);
  const [settings, setSettings] = useState(initial.settings);
  const [preview, setPreview] = useState(false);
  const [answers, setAnswers] = useState<Record<string, unknown>>({});
  const problems = def.questions.length ? definitionProblems(def) : [];
  const byQuestion = (i: number) => problems.filter((p) => p.path[1] === i).map((p) => p.message);
  const setQ = (qs: Question[]) => setDef({ ...def, questions: qs });

  const save = useAction(async (publish: boolean) => {
    const s = surveyId
      ? await api.surveys.update({ id: surveyId, definition: def, settings })
      : await api.surveys.create({ communityId, definition: def, settings });
    if (publish) await api.surveys.publish({ id: s._id });
    void Taro.showToast({ title: publish ? '已发布' : '已保存', icon: 'success' });
    void Taro.navigateBack();
    return s;
  });

  if (preview) {
    return (
      <View id="sa-preview">
        <Button id="sa-preview-close" block onClick={() => setPreview(false)}>返回编辑</Button>
        <View className="title">{def.title}</View>
        {visibleQuestions(def, answers).map((q) => (
          <View key={q.id} className="sa-card" id={`sa-preview-q-${q.id}`}>
            <View className="sa-title">{def.questions.indexOf(q) + 1}. {q.title}{q.required ? ' *' : ''}</View>
            <QuestionInput q={q} value={answers[q.id]} idp={`sa-preview-q-${q.id}`}
              onChange={(v) => setAnswers((a) => { const n = { ...a }; if (v === undefined) delete n[q.id]; else n[q.id] = v; return n; })} />
          </View>
        ))}
      </View>
    );
  }
  return (
    <View>
      <Field label="问卷标题">
        <Input id="sa-title" className="field-input" value={def.title} maxLength={60} onChange={(t) => setDef({ ...def, title: t })} />
      </Field>
      <Field label="说明（选填）">
        <TextArea id="sa-intro" className="field-input" value={def.intro} maxLength={1000} onChange={(t: string) => setDef({ ...def, intro: t })} />
      </Field>
      <View className="sa-row">
        <Field label="开始日期">
          <Input id="sa-open" className="field-input" placeholder="YYYY-MM-DD" value={dayOf(settings.openAt)} onChange={(t) => /^\d{4}-\d{2}-\d{2}$/.test(t) && setSettings({ ...settings, openAt: startOfDay(t) })} />
        </Field>
        <Field label="结束日期">
          <Input id="sa-close" className="field-input" placeholder="YYYY-MM-DD" value={dayOf(settings.closeAt)} onChange={(t) => /^\d{4}-\d{2}-\d{2}$/.test(t) && setSettings({ ...settings, closeAt: endOfDay(t) })} />
        </Field>
      </View>
      <SwitchRow id="sa-anonymous" title="匿名问卷" desc="匿名：结果和导出中都不显示是谁填写的" checked={settings.anonymous} onChange={(on) => setSettings({ ...settings, anonymous: on })} />
      <SwitchRow id="sa-household" title="每户只填一份" desc="按居民加入社区时填写的住址判断" checked={settings.perHousehold} onChange={(on) => setSettings({ ...settings, perHousehold: on })} />
      <Field label="社区户数（用于计算参与率，选填）">
        <Input id="sa-households" className="field-input" type="number" value={settings.households?.toString() ?? ''} onChange={(t) => setSettings({ ...settings, households: t ? Number(t) : null })} />
      </Field>
      {def.questions.map((q, i) => (
        <QuestionEditor key={q.id} q={q} index={i} all={def.questions} problems={byQuestion(i)} idp={`sa-q-${i}`}
          onPatch={(p) => setQ(def.questions.map((x, j) => (j === i ? { ...x, ...p } : x)))}
          onMove={(d) => setQ(moveQuestion(def.questions, i, i + d))}
          onDuplicate={() => setQ(duplicateQuestion(def, i))}
          onDelete={() => setQ(def.questions.filter((_, j) => j !== i))} />
      ))}
      <View className="sa-card">
        <View className="muted">添加题目</View>
        <View className="sa-row">
          {QUESTION_TYPES.map((t) => (
            <Button key={t} id={`sa-add-${t}`} size="small" onClick={() => setQ([...def.questions, blankQuestion(t, def.questions.map((x) => x.id))])}>
              {QUESTION_TYPE_LABELS[t]}
            </Button>
          ))}
        </View>
      </View>
      {problems.filter((p) => p.path.length < 2).map((p) => (
        <View key={p.message} className="field-error" role="alert">{p.message}</View>
      ))}
      <View className="sa-row">
        <Button id="sa-preview-open" onClick={() => setPreview(true)}>预览</Button>
        <Button id="sa-save" loading={save.loading} disabled={problems.length > 0} onClick={() => void save.run(false)}>保存草稿</Button>
        <Button id="sa-save-publish" type="primary" loading={save.loading} disabled={problems.length > 0 || def.questions.length === 0} onClick={() => void save.run(true)}>保存并发布</Button>
      </View>
    </View>
  );
}

export default function SurveyBuild() {
  const params = useRouter().params;
  const id = params.id ? decodeURIComponent(params.id) : null;
  const existing = useQuery(() => (id ? api.surveys.adminGet({ id }) : Promise.resolve(null)), [id]);
  const [blank] = useState(() => ({ def: { title: '', intro: '', questions: [] } as Definition, settings: defaultSettings(new Date()) }));
  useEffect(() => {
    if (existing.data?.locked) void Taro.showToast({ title: '已有人填写，题目已锁定', icon: 'none' });
  }, [existing.data]);
  if (existing.error) return <Page id="page-survey-build"><ErrorState error={existing.error} onRetry={() => void existing.run()} /></Page>;
  if (id && !existing.data) return <Page id="page-survey-build"><LoadingState /></Page>;
  const e = existing.data;
  const initial = e
    ? { def: { title: e.title, intro: e.intro, questions: e.questions }, settings: { openAt: e.openAt, closeAt: e.closeAt, anonymous: e.anonymous, perHousehold: e.perHousehold, households: e.households } }
    : blank;
  return (
    <Page id="page-survey-build">
      <Builder initial={initial} surveyId={id} communityId={e?.communityId ?? decodeURIComponent(params.communityId ?? '')} />
    </Page>
  );
}
