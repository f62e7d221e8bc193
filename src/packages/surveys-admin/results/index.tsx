/**
 * Results, live while the questionnaire is open (from tallies): counts, percentages, averages, the
 * matrix table, rankings, searchable text answers, a cross-tab by a single-choice question, exports,
 * and “转为建议”: an option or a text answer becomes a suggestion in the box (source: questionnaire).
 */
import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../client/api';
import { transport } from '../../../client/transport';
import { useAction, usePaged, useQuery } from '../../../client/hooks';
import { CATEGORIES, type CategoryName as Category } from '../../../features/suggestions/suggestions.labels';
import type { QuestionResult } from '../../../features/surveys/surveys.schema';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { TextArea } from '../../../components/nut/textarea';
import { ErrorState, LoadingState } from '../../../components/states';
import '../admin.scss';

interface Target {
  questionId: string;
  optionId?: string;
  textId?: string;
  text: string;
}

function ToSuggestion({ surveyId, target, onDone }: { surveyId: string; target: Target; onDone: () => void }) {
  const [category, setCategory] = useState<Category>('其他');
  const [text, setText] = useState(target.text);
  const save = useAction(async () => {
    const r = await api.surveys.toSuggestion({ surveyId, questionId: target.questionId, optionId: target.optionId, textId: target.textId, category, text: text.trim() });
    void Taro.showToast({ title: r.created ? '已转为建议' : '已转过，未重复', icon: 'success' });
    onDone();
    return r;
  });
  return (
    <View id="sr-suggest" className="sa-card">
      <View className="sa-title">转为意见箱建议</View>
      <View className="sa-row">
        {CATEGORIES.map((c, i) => (
          <Button key={c} id={`sr-suggest-cat-${i}`} size="small" type={c === category ? 'primary' : 'default'} onClick={() => setCategory(c)}>{c}</Button>
        ))}
      </View>
      <TextArea id="sr-suggest-text" className="field-input" value={text} maxLength={500} onChange={setText} />
      <View className="sa-row">
        <Button id="sr-suggest-go" type="primary" loading={save.loading} onClick={() => void save.run()}>确定</Button>
        <Button id="sr-suggest-cancel" onClick={onDone}>取消</Button>
      </View>
    </View>
  );
}

function Texts({ surveyId, questionId, onSuggest }: { surveyId: string; questionId: string; onSuggest: (t: Target) => void }) {
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const list = usePaged((cursor) => api.surveys.texts({ surveyId, questionId, q: applied || undefined, cursor }), [surveyId, questionId, applied]);
  return (
    <View id={`sr-texts-${questionId}`}>
      <View className="sa-row">
        <Input id={`sr-texts-${questionId}-q`} className="field-input" placeholder="搜索文字答案" value={q} onChange={setQ} />
        <Button id={`sr-texts-${questionId}-search`} size="small" onClick={() => setApplied(q.trim())}>搜索</Button>
      </View>
      {list.items.map((t) => (
        <View key={t._id} className="sa-row">
          <View className="sr-text">{t.other ? '（其他）' : ''}{t.text}{t.staffEntered ? '（代录）' : ''}</View>
          <Button size="small" id={`sr-text-suggest-${t._id}`} onClick={() => onSuggest({ questionId, textId: t._id, text: t.text })}>转为建议</Button>
        </View>
      ))}
      {list.loaded && list.items.length === 0 && <View className="muted">暂无文字答案</View>}
      {list.hasMore && <Button size="small" onClick={() => void list.loadMore()}>更多</Button>}
    </View>
  );
}

function QuestionCard({ r, index, surveyId, title, onSuggest }: { r: QuestionResult; index: number; surveyId: string; title: string; onSuggest: (t: Target) => void }) {
  // Choice questions with “其他（请注明）”: the typed texts are listed and searched like text answers.
  const other = r.type === 'single' || r.type === 'multiple' ? r.counts?.find((c) => c.other && c.count > 0) : undefined;
  return (
    <View id={`sr-q-${r.id}`} className="sa-card">
      <View className="sa-title">{index + 1}. {r.title}</View>
      <View className="muted">作答 {r.answered} 人{r.average !== undefined && r.average !== null ? ` · 平均 ${r.average}` : ''}</View>
      {r.counts?.map((c) => (
        <View key={c.id} id={`sr-q-${r.id}-opt-${c.id}`} className="sr-count">
          <View className="sa-row">
            <View>{c.label}</View>
            <View className="muted">{c.count} 人 · {c.percent}%</View>
            {r.type !== 'rating' && (
              <Button size="small" id={`sr-q-${r.id}-suggest-${c.id}`}
                onClick={() => onSuggest({ questionId: r.id, optionId: c.id, text: `问卷“${title}”中，“${r.title}”选择“${c.label}”的有 ${c.count} 人（${c.percent}%）` })}>
                转为建议
              </Button>
            )}
          </View>
          <View className="sa-bar" style={{ width: `${Math.max(1, c.percent)}%` }} />
        </View>
      ))}
      {r.matrix && (
        <View className="sa-table" id={`sr-q-${r.id}-matrix`}>
          <View className="sa-row"><View className="sa-cell" />{r.matrix.columns.map((c) => <View key={c.id} className="sa-cell">{c.label}</View>)}</View>
          {r.matrix.rows.map((row) => (
            <View key={row.id} className="sa-row">
              <View className="sa-cell">{row.label}</View>
              {row.counts.map((n, j) => <View key={j} className="sa-cell">{n}</View>)}
            </View>
          ))}
        </View>
      )}
      {r.ranking?.map((k) => (
        <View key={k.id} className="sa-row">{k.label} · 平均第 {k.averageRank ?? '-'} 位 · 排第一 {k.first} 次</View>
      ))}
      {(r.type === 'text' || r.type === 'textarea') && (
        <Texts surveyId={surveyId} questionId={r.id} onSuggest={onSuggest} />
      )}
      {other && (
        <>
          <View className="muted">“{other.label}”填写的内容</View>
          <Texts surveyId={surveyId} questionId={r.id} onSuggest={onSuggest} />
        </>
      )}
    </View>
  );
}

export default function SurveyResults() {
  const id = decodeURIComponent(useRouter().params.id ?? '');
  const res = useQuery(() => api.surveys.results({ surveyId: id }), [id]);
  const [by, setBy] = useState<string | null>(null);
  const cross = useQuery(() => (by ? api.surveys.crossTab({ surveyId: id, by }) : Promise.resolve(null)), [id, by]);
  const [target, setTarget] = useState<Target | null>(null);
  const [json, setJson] = useState<string | null>(null);
  const exportXlsx = useAction(async () => {
    const r = await api.surveys.exportXlsx({ surveyId: id });
    await transport.openFile(r.url, `问卷结果-${id}.xlsx`);
    return r;
  });
  const exportJson = useAction(async () => {
    const d = await api.surveys.exportDefinition({ id });
    const text = JSON.stringify(d, null, 2);
    setJson(text);
    await Taro.setClipboardData({ data: text });
    return d;
  });

  if (res.error) return <Page id="page-survey-results"><ErrorState error={res.error} onRetry={() => void res.run()} /></Page>;
  const r = res.data;
  if (!r) return <Page id="page-survey-results"><LoadingState /></Page>;
  return (
    <Page id="page-survey-results">
      <View className="sa-card">
        <View className="title">{r.title}</View>
        <View id="sr-total">共 {r.total} 份答卷（其中代录 {r.staffEntered} 份）</View>
        {r.responseRate !== null && <View className="muted">参与率 {Math.round(r.responseRate * 1000) / 10}%（按 {r.households} 户计）</View>}
        {r.anonymous && <View className="muted">匿名问卷：不显示填写人</View>}
        <View className="sa-row">
          <Button id="sr-refresh" size="small" onClick={() => void res.run()}>刷新</Button>
          <Button id="sr-export" size="small" loading={exportXlsx.loading} onClick={() => void exportXlsx.run()}>导出 Excel</Button>
          <Button id="sr-export-json" size="small" loading={exportJson.loading} onClick={() => void exportJson.run()}>导出问卷定义</Button>
        </View>
        {json && <View id="sr-json" className="muted">问卷定义已复制，可发给其他社区导入（{json.length} 字符）</View>}
      </View>
      {target && <ToSuggestion surveyId={id} target={target} onDone={() => setTarget(null)} />}
      {r.dimensions.length > 0 && (
        <View className="sa-card" id="sr-cross">
          <View className="sa-title">交叉分析</View>
          <View className="sa-row">
            <Button id="sr-cross-none" size="small" type={by === null ? 'primary' : 'default'} onClick={() => setBy(null)}>不分组</Button>
            {r.dimensions.map((d) => (
              <Button key={d.id} id={`sr-cross-${d.id}`} size="small" type={by === d.id ? 'primary' : 'default'} onClick={() => setBy(d.id)}>按“{d.title}”</Button>
            ))}
          </View>
        </View>
      )}
      {by && cross.data
        ? cross.data.groups.map((g) => (
          <View key={g.id} className="sa-card" id={`sr-group-${g.id}`}>
            <View className="sa-title">{cross.data!.by.title}：{g.label}（{g.total} 份）</View>
            {g.questions.filter((q) => q.counts || q.average !== undefined).map((q) => (
              <View key={q.id} className="muted">
                {q.title}：{q.counts ? q.counts.map((c) => `${c.label} ${c.count}（${c.percent}%）`).join('，') : `平均 ${q.average ?? '-'}`}
              </View>
            ))}
          </View>
        ))
        : r.questions.map((q, i) => <QuestionCard key={q.id} r={q} index={i} surveyId={id} title={r.title} onSuggest={setTarget} />)}
    </Page>
  );
}
