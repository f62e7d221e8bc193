/**
 * The answering page (resident-facing, its own sub-package: no admin code). Without `id` it lists the
 * community's questionnaires. `staff=1`: a grid worker or admin enters a paper questionnaire (代录).
 * The draft stays on the device until it is submitted.
 */
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { loadMe, residentGrant } from '../../../client/me';
import { newRequestId } from '../../../client/request-id';
import { readStored, writeStored } from '../../../client/storage';
import { checkAnswers, isAnswered, problemsByQuestion, progressOf, visibleQuestions } from '../../../features/surveys/surveys.rules';
import type { SurveyView } from '../../../features/surveys/surveys.schema';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { Field } from '../../../components/field';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { QuestionInput } from '../../../components/survey-question';
import { FOCUSABLE } from '../../../components/focusable';
import './index.scss';

/** Errors after which this form cannot succeed: say so instead of offering the button again. */
const FINAL_CODES = ['SURVEY.ALREADY_ANSWERED', 'SURVEY.CLOSED', 'SURVEY.NOT_OPEN', 'SURVEY.VERSION_CHANGED'];
const draftKey = (id: string, staff: boolean) => `shishi.survey.draft.${staff ? 'staff.' : ''}${id}`;
const when = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

function SurveyList({ communityId }: { communityId: string }) {
  const list = useQuery(() => api.surveys.list({ communityId }), [communityId]);
  // Coming back from a questionnaire just answered: show 您已填写 on it.
  const shownOnce = useRef(false);
  useDidShow(() => {
    if (shownOnce.current) void list.run();
    shownOnce.current = true;
  });
  if (list.error) return <ErrorState error={list.error} onRetry={() => void list.run()} />;
  if (!list.data) return <LoadingState />;
  if (list.data.items.length === 0) return <EmptyState text="社区暂时没有调查问卷" />;
  const label = { open: '进行中', not_open: '未开始', closed: '已结束', draft: '草稿' } as const;
  return (
    <View id="survey-list">
      {list.data.items.map((s) => (
        <View key={s._id} className="list-item" id={`survey-item-${s._id}`} data-id={s._id} role="button" {...FOCUSABLE}
          onClick={() => void Taro.navigateTo({ url: `/packages/survey/answer/index?id=${encodeURIComponent(s._id)}` })}>
          <View className="survey-q-title">{s.title}</View>
          <View className="meta">{s.answered ? '您已填写' : label[s.phase]} · 截止 {when(s.closeAt)}</View>
        </View>
      ))}
    </View>
  );
}

function Form({ survey, staff }: { survey: SurveyView; staff: boolean }) {
  const key = draftKey(survey._id, staff);
  const [answers, setAnswers] = useState<Record<string, unknown>>(() => {
    const d = readStored<{ version: number; answers: Record<string, unknown> }>(key);
    return d && d.version === survey.version ? d.answers : {};
  });
  const [respondent, setRespondent] = useState({ building: '', unit: '', name: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [requestId, setRequestId] = useState(newRequestId);
  const [done, setDone] = useState(false);
  /** The server's word that this form can no longer be submitted (answered elsewhere, closed …). */
  const [final, setFinal] = useState<string | null>(null);
  useEffect(() => {
    if (!final) writeStored(key, { version: survey.version, answers });
  }, [key, survey.version, answers, final]);

  const shown = useMemo(() => visibleQuestions(survey, answers), [survey, answers]);
  const progress = progressOf(survey, answers);
  const set = (id: string, v: unknown) => {
    setAnswers((a) => {
      const next = { ...a };
      if (v === undefined) delete next[id];
      else next[id] = v;
      return next;
    });
    setErrors((e) => {
      const { [id]: _gone, ...rest } = e;
      return rest;
    });
  };

  const submit = useAction(async () => {
    const payload = Object.fromEntries(Object.entries(answers).filter(([, v]) => isAnswered(v)));
    if (staff) {
      await api.surveys.staffSubmit({
        surveyId: survey._id, version: survey.version, answers: payload, requestId,
        respondent: { building: respondent.building.trim(), unit: respondent.unit.trim() || undefined, name: respondent.name.trim() || undefined },
      });
    } else {
      await api.surveys.submit({ surveyId: survey._id, version: survey.version, answers: payload });
    }
    writeStored(key, null);
    return true;
  });

  useEffect(() => {
    const e = submit.error;
    if (!e) return;
    if (FINAL_CODES.includes(e.code)) {
      writeStored(key, null);
      setFinal(e.message);
    } else if (e.issues.length) {
      setErrors(problemsByQuestion(e.issues));
    }
  }, [submit.error, key]);

  const onSubmit = async () => {
    const payload = Object.fromEntries(Object.entries(answers).filter(([, v]) => isAnswered(v)));
    const r = checkAnswers(survey, payload);
    const errs = r.ok ? {} : problemsByQuestion(r.problems);
    if (staff && !respondent.building.trim()) errs._respondent = '请填写被访居民的楼栋';
    setErrors(errs);
    if (Object.keys(errs).length) {
      void Taro.showToast({ title: `还有 ${Object.keys(errs).length} 处需要修改`, icon: 'none' });
      return;
    }
    const ok = await submit.run();
    if (ok) {
      if (staff) {
        // Next paper sheet: a fresh form and request id.
        setAnswers({});
        setRequestId(newRequestId());
        setRespondent({ building: '', unit: '', name: '' });
        void Taro.showToast({ title: '已录入', icon: 'success' });
      } else setDone(true);
    }
  };

  if (final) {
    return (
      <View id="survey-state" className="section center" role="status">
        {final}
      </View>
    );
  }

  if (done) {
    return (
      <View id="survey-done" className="section center">
        <View className="title">提交成功，感谢您的参与！</View>
        <Button id="survey-back" size="large" onClick={() => void Taro.navigateBack()}>返回</Button>
      </View>
    );
  }
  return (
    <View>
      <View id="survey-progress" className="survey-progress" aria-live="polite">
        已答 {progress.done} / {progress.total} 题
        <View className="survey-bar">
          <View className="survey-bar-fill" style={{ width: `${progress.total ? Math.round((progress.done / progress.total) * 100) : 0}%` }} />
        </View>
      </View>
      {staff && (
        <View className="survey-q" id="survey-respondent">
          <View className="survey-q-title">代录：被访居民信息</View>
          <Field label="楼栋" error={errors._respondent} errorId="survey-respondent-error">
            <Input id="survey-respondent-building" className="field-input" placeholder="例如：3栋" value={respondent.building} onChange={(t) => setRespondent({ ...respondent, building: t })} />
          </Field>
          <Field label="单元（选填）">
            <Input id="survey-respondent-unit" className="field-input" value={respondent.unit} onChange={(t) => setRespondent({ ...respondent, unit: t })} />
          </Field>
          {!survey.anonymous && (
            <Field label="姓名（选填）">
              <Input id="survey-respondent-name" className="field-input" value={respondent.name} onChange={(t) => setRespondent({ ...respondent, name: t })} />
            </Field>
          )}
        </View>
      )}
      {shown.map((q) => (
        <View key={q.id} id={`survey-q-${q.id}`} className="survey-q">
          <View className="survey-q-title">
            {survey.questions.indexOf(q) + 1}. {q.title}
            {q.required && <View className="survey-q-required" style={{ display: 'inline' }}>*</View>}
          </View>
          {q.description && <View className="muted">{q.description}</View>}
          <QuestionInput q={q} value={answers[q.id]} onChange={(v) => set(q.id, v)} idp={`survey-q-${q.id}`} />
          {errors[q.id] && (
            <View id={`survey-q-${q.id}-error`} className="field-error" role="alert">
              {errors[q.id]}
            </View>
          )}
        </View>
      ))}
      <Button id="survey-submit" type="primary" size="xlarge" block loading={submit.loading} onClick={() => void onSubmit()}>
        {staff ? '录入这份问卷' : '提交问卷'}
      </Button>
    </View>
  );
}

export default function SurveyAnswer() {
  const params = useRouter().params;
  const id = params.id ? decodeURIComponent(params.id) : null;
  const staff = params.staff === '1';
  const me = useQuery(() => loadMe(), []);
  const survey = useQuery(() => (id ? api.surveys.get({ id }) : Promise.resolve(null)), [id]);
  const communityId = params.communityId ? decodeURIComponent(params.communityId) : residentGrant(me.data ?? null)?.regionId;

  if (!id) {
    return (
      <Page id="page-survey-list">
        <View className="title">调查问卷</View>
        {communityId ? <SurveyList communityId={communityId} /> : me.data ? <EmptyState text="请先加入您居住的社区" /> : <LoadingState />}
      </Page>
    );
  }
  if (survey.error) {
    return (
      <Page id="page-survey">
        <ErrorState error={survey.error} onRetry={() => void survey.run()} />
      </Page>
    );
  }
  const s = survey.data;
  if (!s) {
    return (
      <Page id="page-survey">
        <LoadingState />
      </Page>
    );
  }
  const state =
    s.phase === 'not_open' ? `问卷尚未开始，开始时间：${when(s.openAt)}`
      : s.phase === 'closed' ? '问卷已结束，感谢关注'
        : s.answered && !staff ? (s.perHousehold ? '您家已经填写过这份问卷，感谢参与' : '您已经填写过这份问卷，感谢参与')
          : null;
  return (
    <Page id="page-survey">
      <View className="section">
        <View id="survey-title" className="title">{s.title}</View>
        {s.intro && <View className="muted">{s.intro}</View>}
        <View className="muted">
          {s.anonymous ? '匿名问卷：不记录您是谁' : '实名问卷'} · {s.perHousehold ? '每户一份' : '每人一份'} · 截止 {when(s.closeAt)}
        </View>
      </View>
      {state ? (
        <View id="survey-state" className="section center" role="status">
          {state}
        </View>
      ) : (
        <Form survey={s} staff={staff} />
      )}
    </Page>
  );
}
