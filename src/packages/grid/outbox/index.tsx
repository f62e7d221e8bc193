import Taro from '@tarojs/taro';
import { Image, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { KIND_LABELS } from '../../../features/visits/visits.labels';
import type { OutboxEntry, OutboxStatus } from '../../../features/visits/visits.outbox';
import { photoPreview, startVisitOutbox, useVisitOutbox } from '../../../client/visit-outbox';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Progress } from '../../../components/nut/progress';
import { EmptyState } from '../../../components/states';
import { formatDateTime } from '../../../components/format';
import { q } from '../ui';
import '../ui.scss';

const STATUS: Record<OutboxStatus, string> = { draft: '草稿', queued: '待上传', sending: '上传中', failed: '上传失败' };

/** Visit notes still on this phone: drafts, waiting for the network, being sent, or refused (with why). */
export default function OutboxPage() {
  const { outbox, entries } = useVisitOutbox();
  useEffect(() => startVisitOutbox(), []);

  return (
    <Page id="page-outbox">
      <View className="muted section">走访记录先保存在手机上，联网后自动上传；上传完成后从这里消失。</View>
      {entries.length === 0 ? (
        <EmptyState text="没有待上传的走访记录，全部已上传">
          <Button id="outbox-back" block onClick={() => void Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/packages/grid/day/index' }))}>
            返回
          </Button>
        </EmptyState>
      ) : (
        <View id="outbox-list">
          {entries.map((e, i) => (
            <Entry key={e.clientId} i={i} e={e} progressOf={outbox.progressOf} onSend={() => void outbox.send(e.clientId)} onRemove={() => void confirmRemove(() => outbox.remove(e.clientId))} />
          ))}
        </View>
      )}
    </Page>
  );
}

async function confirmRemove(remove: () => Promise<void>) {
  const r = await Taro.showModal({ title: '删除这条走访记录？', content: '删除后无法恢复，照片也会从手机中删除。', confirmText: '删除' });
  if (r.confirm) await remove();
}

function Entry({ i, e, progressOf, onSend, onRemove }: { i: number; e: OutboxEntry; progressOf: (ref: string) => number | undefined; onSend: () => void; onRemove: () => void }) {
  const [previews, setPreviews] = useState<Record<string, string>>({});
  useEffect(() => {
    for (const p of e.photos) if (!previews[p.ref]) void photoPreview(p.ref).then((url) => setPreviews((m) => ({ ...m, [p.ref]: url })));
  }, [e.photos, previews]);
  const sending = e.status === 'sending';
  return (
    <View id={`outbox-item-${i}`} data-id={e.clientId} className="list-item">
      <View className="row-between">
        <View className="section-title">{e.householdLabel}</View>
        <View id={`outbox-status-${i}`} className={e.status === 'failed' ? 'danger-text' : 'meta'}>
          {STATUS[e.status]}
        </View>
      </View>
      <View className="meta">
        {KIND_LABELS[e.kind]} · {formatDateTime(e.visitedAt)}
        {e.requests.length ? ` · ${e.requests.length} 条诉求` : ''}
      </View>
      {e.error && (
        <View id={`outbox-error-${i}`} className={e.status === 'failed' ? 'field-error' : 'meta'}>
          {e.error}
        </View>
      )}
      {e.photos.length > 0 && (
        <View className="photo-grid">
          {e.photos.map((p, j) => {
            const pct = progressOf(p.ref);
            const text = p.fileId ? '已上传' : pct !== undefined && sending ? `上传中 ${pct}%` : '等待上传';
            return (
              <View key={p.ref} id={`outbox-photo-${i}-${j}`} className="photo-item">
                <View className="photo-cell">{previews[p.ref] && <Image className="photo-img" src={previews[p.ref]!} mode="aspectFill" ariaLabel={`照片 ${j + 1}`} nativeProps={{ alt: `照片 ${j + 1}` }} />}</View>
                {!p.fileId && pct !== undefined && sending && <Progress percent={pct} showText={false} />}
                <View id={`outbox-photo-status-${i}-${j}`} className="meta">
                  {text}
                </View>
              </View>
            );
          })}
        </View>
      )}
      <View className="row wrap">
        <Button id={`outbox-send-${i}`} size="small" type="primary" disabled={sending} onClick={onSend}>
          {e.status === 'failed' ? '重试' : '立即上传'}
        </Button>
        <Button
          id={`outbox-edit-${i}`}
          size="small"
          disabled={sending}
          onClick={() => void Taro.navigateTo({ url: `/packages/grid/visit/index?${q({ clientId: e.clientId })}` })}
        >
          编辑
        </Button>
        <Button id={`outbox-remove-${i}`} size="small" disabled={sending} onClick={onRemove}>
          删除
        </Button>
      </View>
    </View>
  );
}
