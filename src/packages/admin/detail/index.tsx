import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { STATUS_LABELS } from '../../../features/suggestions/suggestions.labels';
import type { InboxItem, Status } from '../../../features/suggestions/suggestions.schema';
import { canMove, replyError } from '../../../features/suggestions/suggestions.rules';
import { api } from '../../../client/api';
import { fieldError } from '../../../client/api-error';
import { useAction, useQuery, usePaged } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Dialog } from '../../../components/nut/dialog';
import { Input } from '../../../components/nut/input';
import { Popup } from '../../../components/nut/popup';
import { TextArea } from '../../../components/nut/textarea';
import { Field } from '../../../components/field';
import { PhotoGrid } from '../../../components/photo-grid';
import { StatusTag } from '../../../components/status-tag';
import { Timeline } from '../../../components/timeline';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { formatDate, formatDateTime } from '../../../components/format';
import './index.scss';
import { FOCUSABLE } from '../../../components/focusable';

// 纳入需求清单 goes through the demand list (AdoptSection), so the suggestion always names its demand.
type Manual = 'under_review' | 'closed';
const MANUAL: { status: Manual; label: string }[] = [
  { status: 'under_review', label: '标记为处理中' },
  { status: 'closed', label: '关闭建议' },
];

export default function AdminDetail() {
  const params = useRouter().params;
  const id = decodeURIComponent(params.id ?? '');
  const q = useQuery(() => api.suggestions.get({ id }), [id]);

  const [reply, setReply] = useState('');
  const [target, setTarget] = useState<Manual | null>(null);
  const [reason, setReason] = useState('');
  const [dupOpen, setDupOpen] = useState(false);
  const [dupPick, setDupPick] = useState<InboxItem | null>(null);

  const sendReply = useAction(
    async () => {
      const s = await api.suggestions.reply({ id, text: reply.trim() });
      q.setData(s);
      setReply('');
      return s;
    },
    { successToast: '已答复' },
  );
  const changeStatus = useAction(
    async () => {
      const s = await api.suggestions.setStatus({ id, status: target as Manual, reason: reason.trim() });
      q.setData(s);
      setTarget(null);
      setReason('');
      return s;
    },
    { successToast: '状态已更新' },
  );
  const markDup = useAction(
    async () => {
      const s = await api.suggestions.markDuplicate({ id, duplicateOf: (dupPick as InboxItem)._id });
      q.setData(s);
      setDupPick(null);
      setDupOpen(false);
      return s;
    },
    { successToast: '已标记重复' },
  );

  const s = q.data;
  if (q.error) {
    return (
      <Page id="page-admin-detail">
        <ErrorState error={q.error} onRetry={() => void q.run()} />
      </Page>
    );
  }
  if (!s) {
    return (
      <Page id="page-admin-detail">
        <LoadingState />
      </Page>
    );
  }

  const replyBlocked = replyError(s.status);
  const reasonShort = reason.trim().length < 2;
  return (
    <Page id="page-admin-detail">
      <View className="section">
        <View className="row-between">
          <View className="section-title">{s.category}</View>
          <StatusTag status={s.status} />
        </View>
        <View id="detail-text" className="list-item-text">
          {s.text}
        </View>
        {s.place && <View className="meta">地点：{s.place}</View>}
        <View className="meta">提交时间：{formatDateTime(s.createdAt)}</View>
        {s.duplicateOf && <View className="meta">与建议 {s.duplicateOf} 重复</View>}
      </View>

      <View id="detail-author" className="section">
        <View className="section-title">提建议的居民</View>
        <View>
          {s.authorName ?? '—'}
          {s.showName ? '（同意公开姓名）' : '（不公开姓名）'}
        </View>
        {s.authorAddress && <View className="meta">住址：{s.authorAddress}</View>}
        {s.authorPhone ? (
          <Button id="detail-call" size="small" className="tap" onClick={() => void Taro.makePhoneCall({ phoneNumber: s.authorPhone as string })}>
            拨打电话 {s.authorPhone}
          </Button>
        ) : (
          <View className="meta">未留手机号</View>
        )}
      </View>

      {s.photoUrls.length > 0 && (
        <View className="section">
          <View className="section-title">照片</View>
          <PhotoGrid id="detail-photos" urls={s.photoUrls} />
        </View>
      )}

      <View className="section">
        <View className="section-title">办理进展</View>
        <Timeline id="detail-timeline" entries={s.timeline} />
      </View>

      <View className="section">
        <View className="section-title">答复居民</View>
        {replyBlocked ? (
          <View className="muted">{replyBlocked}</View>
        ) : (
          <Field label="答复内容（居民可见）" error={fieldError(sendReply.error, 'text')} errorId="reply-text-error">
            <TextArea
              id="reply-text"
              viewId="reply-text-box"
              className="field-input reply-text"
              placeholder="请写下答复（2–500 字）"
              maxLength={500}
              value={reply}
              onChange={setReply}
                />
            <Button
              id="reply-submit"
              type="primary"
              size="large"
              block
              className="reply-submit"
              loading={sendReply.loading}
              disabled={sendReply.loading}
              onClick={() => {
                if (reply.trim().length < 2) void Taro.showToast({ title: '答复至少 2 个字', icon: 'none' });
                else void sendReply.run();
              }}
            >
              发送答复
            </Button>
          </Field>
        )}
      </View>

      <AdoptSection suggestion={s} onAdopted={() => void q.run()} />

      <View className="section">
        <View className="section-title">更改状态</View>
        <View className="stack">
          {MANUAL.filter((m) => canMove(s.status, m.status)).map((m) => (
            <Button key={m.status} id={`status-${m.status}`} block onClick={() => setTarget(m.status)}>
              {m.label}
            </Button>
          ))}
          {canMove(s.status, 'duplicate') && (
            <Button id="dup-open" block onClick={() => setDupOpen(true)}>
              标记为重复建议
            </Button>
          )}
          {MANUAL.every((m) => !canMove(s.status, m.status)) && !canMove(s.status, 'duplicate') && (
            <View className="muted">当前状态“{STATUS_LABELS[s.status]}”不能再更改。</View>
          )}
        </View>
      </View>

      <Dialog
        id="status-dialog"
        visible={target !== null}
        title={target ? `确认${MANUAL.find((m) => m.status === target)?.label}？` : ''}
        onClose={() => setTarget(null)}
        footer={
          <View className="dialog-footer">
            <Button id="status-cancel" onClick={() => setTarget(null)}>
              取消
            </Button>
            <Button
              id="status-confirm"
              type="primary"
              loading={changeStatus.loading}
              disabled={changeStatus.loading}
              onClick={() => {
                if (reasonShort) void Taro.showToast({ title: '请填写原因（至少 2 个字）', icon: 'none' });
                else void changeStatus.run();
              }}
            >
              确认
            </Button>
          </View>
        }
      >
        <View className="muted">原因会显示在居民的办理进展中。</View>
        <TextArea id="status-reason" viewId="status-reason-box" className="field-input" placeholder="请填写原因（必填）" maxLength={200} value={reason} onChange={setReason} />
        {fieldError(changeStatus.error, 'reason') && <View className="field-error">{fieldError(changeStatus.error, 'reason')}</View>}
      </Dialog>

      <Popup id="dup-popup" visible={dupOpen} position="bottom" round title="选择与之重复的建议" onClose={() => setDupOpen(false)}>
        {dupOpen && <DuplicatePicker communityId={s.communityId} excludeId={id} onPick={setDupPick} />}
      </Popup>

      <Dialog
        id="dup-dialog"
        visible={dupPick !== null}
        title="确认标记为重复？"
        onClose={() => setDupPick(null)}
        footer={
          <View className="dialog-footer">
            <Button id="dup-cancel" onClick={() => setDupPick(null)}>
              取消
            </Button>
            <Button id="dup-confirm" type="primary" loading={markDup.loading} disabled={markDup.loading} onClick={() => void markDup.run()}>
              确认
            </Button>
          </View>
        }
      >
        {dupPick && (
          <View>
            <View className="muted">本建议将标记为与下面这条重复，并保留链接：</View>
            <View className="list-item-text">
              {dupPick.category} · {dupPick.excerpt}
            </View>
          </View>
        )}
      </Dialog>
    </Page>
  );
}

/**
 * 纳入需求清单: the open demands most like this suggestion (one tap joins one), or a new demand.
 * Once adopted, a link to its demand instead.
 */
function AdoptSection({ suggestion: s, onAdopted }: { suggestion: { _id: string; status: Status; demandId?: string | null }; onAdopted: () => void }) {
  const can = !s.demandId && canMove(s.status, 'adopted');
  const similar = useQuery(() => api.matters.similarDemands({ suggestionId: s._id }), [s._id], { enabled: can });
  const [title, setTitle] = useState('');
  const adopt = useAction(
    async (into: string | null) => {
      const r = await api.matters.adoptSuggestion({ suggestionId: s._id, into, ...(into === null && title.trim() ? { title: title.trim() } : {}) });
      onAdopted();
      return r;
    },
    { successToast: '已纳入需求清单' },
  );
  const openDemand = (id: string) => void Taro.navigateTo({ url: `/packages/matters-admin/demand/index?id=${encodeURIComponent(id)}` });
  if (s.demandId) {
    return (
      <View id="adopt-section" className="section">
        <View className="section-title">需求清单</View>
        <View className="muted">这条建议已纳入社区需求清单。</View>
        <Button id="adopt-open-demand" block onClick={() => openDemand(s.demandId as string)}>
          查看所在需求
        </Button>
      </View>
    );
  }
  if (!can) return null;
  const items = similar.data?.items ?? [];
  return (
    <View id="adopt-section" className="section">
      <View className="section-title">纳入需求清单</View>
      {similar.error ? (
        <ErrorState error={similar.error} onRetry={() => void similar.run()} retryId="adopt-retry" />
      ) : similar.loading ? (
        <LoadingState text="正在查找相似需求…" />
      ) : items.length === 0 ? (
        <View className="muted">清单中没有相似的需求，可新建一条。</View>
      ) : (
        <View className="stack">
          <View className="muted">与这条建议相似的需求：</View>
          {items.map((d, i) => (
            <View key={d._id} id={`adopt-similar-${i}`} className="list-item">
              <View className="section-title">{d.title}</View>
              <View className="meta">
                {d.supporters} 人支持 · 相似度 {Math.round(d.score * 100)}%
              </View>
              <Button id={`adopt-into-${i}`} type="primary" block loading={adopt.loading} disabled={adopt.loading} onClick={() => void adopt.run(d._id)}>
                并入此需求
              </Button>
            </View>
          ))}
        </View>
      )}
      <View className="stack adopt-new">
        <Input id="adopt-title" className="field-input" placeholder="新需求标题（选填，默认取建议开头）" maxLength={40} value={title} onChange={setTitle} />
        <Button id="adopt-new" block loading={adopt.loading} disabled={adopt.loading} onClick={() => void adopt.run(null)}>
          新建需求
        </Button>
      </View>
    </View>
  );
}

/** Other suggestions of the same community, searchable; tapping one chooses it as the original. */
function DuplicatePicker({ communityId, excludeId, onPick }: { communityId: string; excludeId: string; onPick: (s: InboxItem) => void }) {
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const list = usePaged((cursor) => api.suggestions.inbox({ communityId, q: q || undefined, cursor, limit: 20 }), [communityId, q]);
  const items = list.items.filter((s) => s._id !== excludeId && s.status !== 'duplicate');
  return (
    <View className="dup-picker">
      <View className="row">
        <Input id="dup-search" className="field-input grow" placeholder="搜索建议内容" value={search} onChange={setSearch} onConfirm={() => setQ(search.trim())} />
        <Button id="dup-search-submit" type="primary" onClick={() => setQ(search.trim())}>
          搜索
        </Button>
      </View>
      {list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.reload()} />
      ) : !list.loaded ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState text="没有可选的建议" />
      ) : (
        <View className="dup-list">
          {items.map((s, i) => (
            <View key={s._id} id={`dup-pick-${i}`} data-id={s._id} className="list-item" role="button" {...FOCUSABLE} onClick={() => onPick(s)}>
              <View className="row-between">
                <View className="section-title">{s.category}</View>
                <StatusTag status={s.status} />
              </View>
              <View className="list-item-text">{s.excerpt}</View>
              <View className="meta">{formatDate(s.createdAt)}</View>
            </View>
          ))}
          {list.hasMore && (
            <Button id="dup-more" block loading={list.loading} onClick={() => void list.loadMore()}>
              加载更多
            </Button>
          )}
        </View>
      )}
    </View>
  );
}
