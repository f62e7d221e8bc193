import Taro, { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { Image, View } from '@tarojs/components';
import { useState } from 'react';
import { FOLLOW_UP_LABELS, RATING_COMMENT_MAX, RATING_LABELS, RATING_LEVELS, type RatingLevel } from '../../../features/matters/results.rules';
import type { ResultView } from '../../../features/matters/results.schema';
import { api } from '../../../client/api';
import { displayMessage } from '../../../client/api-error';
import { useAction, usePaged, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { TextArea } from '../../../components/nut/textarea';
import { ElderSwitch } from '../../../components/elder-switch';
import { PhotoGrid } from '../../../components/photo-grid';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { formatDate } from '../../../components/format';
import { FOCUSABLE } from '../../../components/focusable';
import './index.scss';

const yuan = (fen: number): string => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const percent = (rate: number | null): string => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

/** 实施结果公开 of one matter: before/after photos side by side, money against budget, who did it, 验收 and 回访, and the residents' rating. */
export default function ResultPage() {
  const matterId = decodeURIComponent(useRouter().params.id ?? '');
  const q = useQuery(() => api.matters.getResult({ matterId }), [matterId], { enabled: !!matterId });
  usePullDownRefresh(() => {
    void q.run().finally(() => Taro.stopPullDownRefresh());
  });
  const body = !matterId ? (
    <EmptyState text="没有指定实事" />
  ) : q.error ? (
    <ErrorState error={q.error} onRetry={() => void q.run()} />
  ) : !q.data ? (
    <LoadingState />
  ) : (
    <ResultBody v={q.data} onRated={() => void q.run()} />
  );
  return (
    <Page id="page-result">
      {body}
      <ElderSwitch />
    </Page>
  );
}

function ResultBody({ v, onRated }: { v: ResultView; onRated: () => void }) {
  const url = (id: string) => v.urls[id] ?? '';
  const all = v.result ? v.result.pairs.flatMap((p) => [url(p.before), url(p.after)]).filter(Boolean) : [];
  return (
    <>
      <View className="section">
        <View id="result-title" className="title">
          {v.title}
        </View>
        <View id="result-state" className="meta">
          {v.year} 年实事 · {v.state === 'accepted' ? '已验收' : v.state === 'completed' ? '已完成，待验收' : v.state === 'reopened' ? '整改中' : `进行中（${v.progress}%）`}
        </View>
        {v.units.length > 0 && <View className="meta">承办单位：{v.units.map((u) => (u.lead ? `${u.name}（牵头）` : u.name)).join('、')}</View>}
        {v.leaders.length > 0 && <View className="meta">认领领导：{v.leaders.join('、')}</View>}
      </View>

      {v.result ? (
        <View id="result-public" className="section">
          <View className="section-title">实施结果</View>
          <View id="result-summary">{v.result.summary}</View>
          {v.result.pairs.map((p, i) => (
            <View key={i} id={`result-pair-${i}`} className="result-pair">
              {(['before', 'after'] as const).map((side) => (
                <View
                  key={side}
                  className="result-side"
                  role="button"
                  ariaLabel={`查看${side === 'before' ? '实施前' : '实施后'}照片`}
                  {...FOCUSABLE}
                  onClick={() => void Taro.previewImage({ urls: all, current: url(p[side]) })}
                >
                  <Image className="result-img" src={url(p[side])} mode="aspectFill" ariaLabel={side === 'before' ? '实施前' : '实施后'} nativeProps={{ alt: side === 'before' ? '实施前' : '实施后' }} />
                  <View className="result-label">{side === 'before' ? '实施前' : '实施后'}</View>
                </View>
              ))}
              {p.caption && <View className="meta result-caption">{p.caption}</View>}
            </View>
          ))}
          <View id="result-money" className="result-money">
            <View>预算 {yuan(v.result.budget)} 元</View>
            <View>实际支出 {yuan(v.result.spent)} 元</View>
            <View className="meta">{v.result.spent <= v.result.budget ? `结余 ${yuan(v.result.budget - v.result.spent)} 元` : `超出预算 ${yuan(v.result.spent - v.result.budget)} 元`}</View>
            {v.result.spendingNote && <View className="meta">{v.result.spendingNote}</View>}
          </View>
          <View className="meta">公开于 {formatDate(v.result.publishedAt)}</View>
          {v.state === 'accepted' && (
            <Button id="result-sheet" size="large" block onClick={() => void Taro.navigateTo({ url: `/packages/matters/result-sheet/index?id=${encodeURIComponent(v.matterId)}` })}>
              结果公开表（可打印张贴）
            </Button>
          )}
        </View>
      ) : (
        <View className="section muted">实施结果将在验收后公开。</View>
      )}

      {v.acceptance && (
        <View id="result-acceptance" className="section">
          <View className="section-title">验收</View>
          <View className="meta">
            {v.acceptance.date} 由社区和居民代表（{v.acceptance.representatives.join('、')}）验收
          </View>
          <View>{v.acceptance.notes}</View>
          <PhotoGrid id="result-acceptance-photos" urls={v.acceptance.photos.map(url).filter(Boolean)} />
        </View>
      )}

      {v.followUp && (
        <View id="result-followup" className="section">
          <View className="section-title">回访</View>
          <View className="meta">
            {v.followUp.state === 'done' && v.followUp.outcome ? `回访结果：${FOLLOW_UP_LABELS[v.followUp.outcome]}` : v.followUp.state === 'surveying' ? '正在回访，欢迎在问卷中反映使用情况' : `计划于 ${v.followUp.dueDay} 回访`}
          </View>
        </View>
      )}

      <Rating v={v} onRated={onRated} />
      {/* Remounted when a rating lands, so a new comment shows at once. */}
      <Comments key={v.satisfaction.total} matterId={v.matterId} />
    </>
  );
}

function Rating({ v, onRated }: { v: ResultView; onRated: () => void }) {
  const [level, setLevel] = useState<RatingLevel | null>(null);
  const [comment, setComment] = useState('');
  const send = useAction(
    async () => {
      const r = await api.matters.rateMatter({ matterId: v.matterId, level: level!, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      onRated();
      return r;
    },
    { successToast: '感谢您的评价' },
  );
  const s = v.satisfaction;
  return (
    <View id="result-rating" className="section">
      <View className="section-title">居民评价</View>
      <View id="result-satisfaction" className="result-satisfaction">
        满意率 {percent(s.rate)}（{s.total} 人评价：满意 {s.satisfied} · 基本满意 {s.basic} · 不满意 {s.dissatisfied}）
      </View>
      {v.mine ? (
        <View id="result-mine" className="muted">
          您的评价：{RATING_LABELS[v.mine]}
        </View>
      ) : v.canRate ? (
        <View>
          <View className="result-levels" role="radiogroup" ariaLabel="评价等级">
            {RATING_LEVELS.map((l) => (
              <Button key={l} id={`result-level-${l}`} className="result-level" size="large" type={level === l ? 'primary' : 'default'} aria-pressed={level === l} onClick={() => setLevel(l)}>
                {RATING_LABELS[l]}
              </Button>
            ))}
          </View>
          <TextArea id="result-comment" className="field-input" placeholder={`说说您的看法（选填，最多 ${RATING_COMMENT_MAX} 字）`} maxLength={RATING_COMMENT_MAX} value={comment} onChange={setComment} />
          {send.error && (
            <View id="result-error" className="result-error" role="alert">
              {displayMessage(send.error)}
            </View>
          )}
          <Button
            id="result-submit"
            type="primary"
            size="large"
            block
            loading={send.loading}
            disabled={send.loading}
            onClick={() => {
              if (!level) void Taro.showToast({ title: '请先选择满意、基本满意或不满意', icon: 'none' });
              else void send.run();
            }}
          >
            提交评价
          </Button>
        </View>
      ) : (
        <View className="muted">{v.state === 'accepted' ? '本社区居民可以评价' : '验收后可以评价'}</View>
      )}
    </View>
  );
}

function Comments({ matterId }: { matterId: string }) {
  const list = usePaged((cursor) => api.matters.listRatingComments({ matterId, cursor }), [matterId]);
  useReachBottom(() => {
    void list.loadMore();
  });
  if (list.items.length === 0) return null;
  return (
    <View id="result-comments" className="section">
      <View className="section-title">居民留言</View>
      {list.items.map((c, i) => (
        <View key={c._id} id={`result-comment-${i}`} className="result-comment">
          <View className="meta">
            {RATING_LABELS[c.level]} · {formatDate(c.at)}
          </View>
          <View>{c.comment}</View>
        </View>
      ))}
    </View>
  );
}
