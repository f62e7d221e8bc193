import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import type { DemandDetail, DemandRow } from '../../../features/matters/matters.schema';
import { api } from '../../../client/api';
import { useAction, usePaged, useQuery } from '../../../client/hooks';
import { newRequestId } from '../../../client/request-id';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Dialog } from '../../../components/nut/dialog';
import { Input } from '../../../components/nut/input';
import { Popup } from '../../../components/nut/popup';
import { EmptyState, ErrorState, ListFooter, LoadingState } from '../../../components/states';
import { formatDate } from '../../../components/format';
import { FOCUSABLE } from '../../../components/focusable';
import { errorText, KIND_LABELS, param, supportText, Tags } from '../shared';
import { Assess, FastTrack, Scoring } from './assess';
import '../ui.scss';

const STATUS_TEXT: Record<DemandDetail['demand']['status'], string> = { open: '在清单中', merged: '已合并', selected: '已列入年度实事', left_out: '未列入年度实事', fast_track: '已作为微实事办结' };

type Merged = DemandDetail['merged'][number];

/** A demand's provenance (every source, also through merged demands), merge / undo / split. */
export default function DemandPage() {
  const params = useRouter().params;
  const id = param(params.id);
  const q = useQuery(() => api.matters.getDemand({ id }), [id]);
  const [undoing, setUndoing] = useState<Merged | null>(null);
  const [picking, setPicking] = useState(false);
  const [target, setTarget] = useState<DemandRow | null>(null);
  const [splitting, setSplitting] = useState(false);

  const undo = useAction(
    async () => {
      const r = await api.matters.undoMerge({ id: (undoing as Merged)._id });
      setUndoing(null);
      await q.run();
      return r;
    },
    { successToast: '已撤销合并' },
  );
  const merge = useAction(
    async () => {
      const into = (target as DemandRow)._id;
      const r = await api.matters.mergeDemands({ into, from: id });
      setTarget(null);
      setPicking(false);
      // The merged demand lives on inside the other: go there (撤销合并 is on its page).
      await Taro.redirectTo({ url: `/packages/matters-admin/demand/index?id=${encodeURIComponent(into)}` });
      return r;
    },
    { successToast: '已合并' },
  );

  if (q.error) {
    return (
      <Page id="page-demand">
        <ErrorState error={q.error} onRetry={() => void q.run()} />
      </Page>
    );
  }
  const detail = q.data;
  if (!detail) {
    return (
      <Page id="page-demand">
        <LoadingState />
      </Page>
    );
  }
  const d = detail.demand;
  const open = d.status === 'open';
  // A grid worker on the committee: reads (personal data masked) and scores; nothing else is theirs.
  const masked = !!detail.masked;
  const titles = new Map(detail.merged.map((m) => [m._id, m.title]));
  const own = detail.sources.filter((s) => s.demandId === d._id);

  return (
    <Page id="page-demand">
      <View className="section">
        <View className="row-between">
          <View id="demand-heading" className="title">{d.title}</View>
          <View id="demand-status" className="section-title">{STATUS_TEXT[d.status]}</View>
        </View>
        <View className="meta">
          {d.category} · {d.year} 年 · 录入 {formatDate(d.createdAt)}
        </View>
        <View id="demand-support" className="section-title">{supportText(d.supporters, d.anonymous)}</View>
        {d.description && <View className="list-item-text">{d.description}</View>}
        {d.leftOut && <View className="meta">不列入原因：{d.leftOut.text}</View>}
        {d.fastTrack && (
          <View id="demand-fast-track" className="meta">
            微实事立办：{d.fastTrack.note}（花费 {d.fastTrack.cost} 元，{formatDate(d.fastTrack.at)} 办结，照片 {d.fastTrack.photos.length} 张）
          </View>
        )}
        {d.status === 'merged' && d.mergedInto && (
          <Button id="demand-merged-into" size="small" onClick={() => void Taro.redirectTo({ url: `/packages/matters-admin/demand/index?id=${encodeURIComponent(d.mergedInto as string)}` })}>
            已并入另一条需求，查看
          </Button>
        )}
      </View>

      <View className="section">
        <View className="section-title">来源（共 {detail.sources.length} 条）</View>
        {detail.sources.map((s, i) => (
          <View
            key={s._id}
            id={`demand-source-${i}`}
            className="ma-row"
            {...(s.kind === 'suggestion' && !masked
              ? { role: 'button', ...FOCUSABLE, onClick: () => void Taro.navigateTo({ url: `/packages/admin/detail/index?id=${encodeURIComponent(s.ref)}&communityId=${encodeURIComponent(d.communityId)}` }) }
              : {})}
          >
            <View className="grow">
              <Tags items={[KIND_LABELS[s.kind] ?? s.kind]} />
              <View className="list-item-text">{s.excerpt}</View>
              {s.note && <View className="meta">来由：{s.note}</View>}
              {s.demandId !== d._id && <View className="meta">经由合并的需求“{titles.get(s.demandId) ?? '已合并的需求'}”</View>}
              {s.movedFrom && <View className="meta">由另一条需求拆分而来</View>}
              {s.kind === 'suggestion' && !masked && <View className="meta">查看原建议 ›</View>}
            </View>
            <View className="meta">
              <View>{formatDate(s.at)}</View>
              <View>{supportText(s.supporters, s.anonymous)}</View>
            </View>
          </View>
        ))}
      </View>

      {d.status !== 'merged' && <Assess key={d.updatedAt} d={d} editable={open && !masked} onSaved={() => void q.run()} />}
      {d.status !== 'merged' && <Scoring d={d} editable={open} />}

      {detail.merged.length > 0 && (
        <View className="section">
          <View className="section-title">已合并进来的需求（{detail.merged.length}）</View>
          {detail.merged.map((m, i) => (
            <View key={m._id} id={`demand-merged-${i}`} className="ma-row">
              <View className="grow">
                <View>{m.title}</View>
                <View className="meta">
                  {m.supporters} 人支持{m.mergedAt ? ` · ${formatDate(m.mergedAt)} 合并` : ''}
                </View>
              </View>
              {open && !masked && (
                <Button id={`demand-undo-${i}`} size="small" disabled={undo.loading} onClick={() => setUndoing(m)}>
                  撤销合并
                </Button>
              )}
            </View>
          ))}
        </View>
      )}

      {masked && (
        <View id="demand-masked" className="muted">
          您以评议小组成员身份查看：居民的联系方式已隐去，可在上方为这条需求打分。
        </View>
      )}

      {open && !masked && (
        <View className="section stack">
          <Button id="demand-merge-open" block disabled={merge.loading} onClick={() => setPicking(true)}>
            合并到…
          </Button>
          <Button id="demand-split-open" block disabled={own.length < 2} onClick={() => setSplitting(true)}>
            拆分{own.length < 2 ? '（至少要有 2 条自己的来源）' : ''}
          </Button>
        </View>
      )}
      {open && !masked && <FastTrack d={d} limit={detail.fastTrackMaxCost} onDone={() => void q.run()} />}

      {splitting && (
        <Split
          id={d._id}
          sources={own}
          onDone={() => {
            setSplitting(false);
            void q.run();
          }}
          onCancel={() => setSplitting(false)}
        />
      )}

      <Dialog
        id="undo-dialog"
        visible={undoing !== null}
        title="确认撤销合并？"
        onClose={() => setUndoing(null)}
        footer={
          <View className="dialog-footer">
            <Button id="undo-cancel" disabled={undo.loading} onClick={() => setUndoing(null)}>
              取消
            </Button>
            <Button id="undo-confirm" type="primary" loading={undo.loading} disabled={undo.loading} onClick={() => void undo.run()}>
              撤销合并
            </Button>
          </View>
        }
      >
        {undoing && <View className="muted">“{undoing.title}”将恢复为单独的需求，它的来源和支持人数一并移回。</View>}
        {errorText(undo.error) && <View className="ma-error">{errorText(undo.error)}</View>}
      </Dialog>

      <Popup id="merge-popup" visible={picking} position="bottom" round title="合并到哪条需求？" onClose={() => setPicking(false)}>
        {picking && <DemandPicker communityId={d.communityId} year={d.year} excludeId={d._id} onPick={setTarget} />}
      </Popup>

      <Dialog
        id="merge-dialog"
        visible={target !== null}
        title="确认合并？"
        onClose={() => setTarget(null)}
        footer={
          <View className="dialog-footer">
            <Button id="merge-cancel" disabled={merge.loading} onClick={() => setTarget(null)}>
              取消
            </Button>
            <Button id="merge-confirm" type="primary" loading={merge.loading} disabled={merge.loading} onClick={() => void merge.run()}>
              确认合并
            </Button>
          </View>
        }
      >
        {target && (
          <View className="muted">
            “{d.title}”将并入“{target.title}”，来源和支持人数一并计入；之后可在“{target.title}”中撤销合并。
          </View>
        )}
        {errorText(merge.error) && <View className="ma-error">{errorText(merge.error)}</View>}
      </Dialog>
    </Page>
  );
}

/** Other open demands of the same list; tapping one chooses it. */
function DemandPicker({ communityId, year, excludeId, onPick }: { communityId: string; year: number; excludeId: string; onPick: (d: DemandRow) => void }) {
  const list = usePaged((cursor) => api.matters.listDemands({ communityId, year, sort: 'supporters', cursor }), [communityId, year]);
  const items = list.items.filter((x) => x._id !== excludeId);
  return (
    <View className="ma-pick">
      {list.error && list.items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.reload()} />
      ) : !list.loaded ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState text="清单中没有其他需求" />
      ) : (
        <View>
          {items.map((x, i) => (
            <View key={x._id} id={`merge-pick-${i}`} data-id={x._id} className="list-item" role="button" {...FOCUSABLE} onClick={() => onPick(x)}>
              <View className="section-title">{x.title}</View>
              <View className="meta">
                {x.category} · {supportText(x.supporters, x.anonymous)}
              </View>
            </View>
          ))}
          <ListFooter list={list} idPrefix="merge-pick" />
        </View>
      )}
    </View>
  );
}

/** 拆分: tick some of the demand's own sources into a new demand; at least one stays. */
function Split({ id, sources, onDone, onCancel }: { id: string; sources: DemandDetail['sources']; onDone: () => void; onCancel: () => void }) {
  const [requestId] = useState(newRequestId);
  const [ticked, setTicked] = useState<string[]>([]);
  const [title, setTitle] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const split = useAction(
    async () => {
      const r = await api.matters.splitDemand({ id, sourceIds: ticked, title: title.trim(), requestId });
      onDone();
      return r;
    },
    { successToast: '已拆分为新需求' },
  );
  const toggle = (sid: string) => setTicked((t) => (t.includes(sid) ? t.filter((x) => x !== sid) : [...t, sid]));
  const submit = () => {
    if (ticked.length === 0) setLocal('请勾选要拆出的来源');
    else if (ticked.length >= sources.length) setLocal('至少要留下一条来源');
    else if (title.trim().length < 2) setLocal('新需求的标题至少 2 个字');
    else {
      setLocal(null);
      void split.run();
    }
  };
  const message = local ?? errorText(split.error);
  return (
    <View id="split-form" className="section">
      <View className="section-title">拆分：勾选要拆成新需求的来源</View>
      {sources.map((s, i) => {
        const on = ticked.includes(s._id);
        return (
          <View key={s._id} id={`split-source-${i}`} className="ma-row" role="checkbox" aria-checked={on} {...FOCUSABLE} onClick={() => toggle(s._id)}>
            <View>{on ? '☑' : '☐'}</View>
            <View className="grow">
              {KIND_LABELS[s.kind] ?? s.kind} · {s.excerpt}
            </View>
          </View>
        );
      })}
      <Input id="split-title" className="field-input" placeholder="新需求的标题（2–40 字）" maxLength={40} value={title} onChange={setTitle} />
      {message && (
        <View id="split-error" className="ma-error" role="alert">
          {message}
        </View>
      )}
      <View className="row">
        <Button id="split-cancel" className="grow" disabled={split.loading} onClick={onCancel}>
          取消
        </Button>
        <Button id="split-submit" className="grow" type="primary" loading={split.loading} disabled={split.loading} onClick={submit}>
          拆分
        </Button>
      </View>
    </View>
  );
}
