import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { PHOTO_TAG_LABELS, PHOTO_TAGS, type PhotoTag } from '../../../features/matters/plan.rules';
import type { MatterPage } from '../../../features/matters/plan.schema';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { loadMe } from '../../../client/me';
import { newRequestId } from '../../../client/request-id';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { TextArea } from '../../../components/nut/textarea';
import { Field } from '../../../components/field';
import { formatDate } from '../../../components/format';
import { PhotoPicker, usePhotoUploads } from '../../../components/photo-picker';
import { ElderSwitch } from '../../../components/elder-switch';
import { ErrorState, LoadingState } from '../../../components/states';
import { errorText, MatterLine, param } from '../shared';
import '../ui.scss';

/**
 * A progress update by the community admin or a contact of one of the matter's units: text, up to 9 photos
 * each tagged 施工前/施工中/完工后, optionally about one milestone, which it may mark done (the server checks the
 * evidence: a photo uploaded after the milestone started). Lives with the units pages: contacts do the work.
 */
export default function Progress() {
  const matterId = param(useRouter().params.id);
  const me = useQuery(() => loadMe(), []);
  const q = useQuery(() => api.matters.getMatter({ matterId }), [matterId], { enabled: !!matterId });
  const [form, setForm] = useState(0);
  usePullDownRefresh(() => {
    void q.run().finally(() => Taro.stopPullDownRefresh());
  });
  const error = q.error ?? me.error;
  let body;
  if (error) body = <ErrorState error={error} onRetry={() => void (q.error ? q.run() : me.run())} />;
  else if (!q.data || !me.data) body = <LoadingState />;
  else {
    const page = q.data;
    const grants = me.data.member?.grants ?? [];
    const admin = grants.some((g) => g.role === 'community_admin' && g.regionId === page.matter.communityId);
    const myUnits = grants.flatMap((g) => (g.role === 'unit_contact' && g.unitId ? [g.unitId] : []));
    const m = page.matter;
    body = (
      <>
        <View className="section">
          <MatterLine id="progress-matter" title={m.title} state={m.state} progress={m.progress} />
          {m.overdue && <View className="un-error">有节点已逾期（{m.nextDue}），请尽快推进</View>}
        </View>
        {m.state === 'completed' || m.state === 'accepted' ? (
          <View className="section meta">这件实事已完成，不能再发布进展。</View>
        ) : (
          <UpdateForm key={form} page={page} admin={admin} myUnits={myUnits} onPosted={() => { setForm((n) => n + 1); void q.run(); }} />
        )}
        <Recent page={page} />
      </>
    );
  }
  return (
    <Page id="page-progress">
      {body}
      <ElderSwitch />
    </Page>
  );
}

function UpdateForm({ page, admin, myUnits, onPosted }: { page: MatterPage; admin: boolean; myUnits: string[]; onPosted: () => void }) {
  const [requestId] = useState(newRequestId);
  const [text, setText] = useState('');
  const photos = usePhotoUploads(9, 'matters');
  const [tags, setTags] = useState<Record<number, PhotoTag>>({});
  const [milestoneId, setMilestoneId] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [local, setLocal] = useState<string | null>(null);
  const open = page.plan.milestones.filter((x) => !x.done);
  // A contact marks only their unit's milestones; the admin any (the server checks again).
  const markable = (id: string | null) => {
    const ms = open.find((x) => x.id === id);
    return !!ms && (admin || (ms.owner.kind === 'unit' && !!ms.owner.unitId && myUnits.includes(ms.owner.unitId)));
  };
  const send = useAction(async () => {
    const list = photos.items.filter((it) => it.status === 'done' && it.fileId).map((it) => ({ fileId: it.fileId as string, tag: tags[it.key] ?? 'during' }));
    const r = await api.matters.postUpdate({ matterId: page.matter._id, requestId, text: text.trim(), photos: list, milestoneId, done: done && markable(milestoneId) });
    onPosted();
    return r;
  }, { successToast: '进展已发布', silent: true });
  const submit = () => {
    if (text.trim().length < 2) return setLocal('请写明进展（至少 2 个字）');
    if (photos.busy) return setLocal('照片还在上传，请稍候');
    if (photos.failed) return setLocal('有照片上传失败，请重试或删除');
    setLocal(null);
    void send.run();
  };
  const pick = (id: string | null) => {
    setMilestoneId(id);
    if (!markable(id)) setDone(false);
  };
  return (
    <View id="progress-form" className="section">
      <View className="section-title">发布进展</View>
      <Field label="进展情况">
        <TextArea id="progress-text" className="field-input" placeholder="如：2栋、5栋楼道线路已全部更换" maxLength={500} value={text} onChange={setText} />
      </Field>
      <View className="field-label">现场照片（最多 9 张，请标注拍摄阶段）</View>
      <PhotoPicker items={photos.items} max={9} onAdd={() => void photos.add()} onRemove={photos.remove} onRetry={photos.retry} idPrefix="progress-photo" />
      {photos.items.map((it, i) =>
        it.status === 'done' ? (
          <View key={it.key} id={`progress-tag-${i}`} className="chips">
            <View className="meta">照片 {i + 1}：</View>
            {PHOTO_TAGS.map((t) => (
              <Button key={t} id={`progress-tag-${i}-${t}`} size="small" type={(tags[it.key] ?? 'during') === t ? 'primary' : 'default'} aria-pressed={(tags[it.key] ?? 'during') === t} onClick={() => setTags((x) => ({ ...x, [it.key]: t }))}>
                {PHOTO_TAG_LABELS[t]}
              </Button>
            ))}
          </View>
        ) : null,
      )}
      {open.length > 0 && (
        <>
          <View className="field-label">关于哪个节点（可不选）</View>
          <View className="chips">
            <Button id="progress-ms-none" size="small" type={milestoneId === null ? 'primary' : 'default'} onClick={() => pick(null)}>
              不关联节点
            </Button>
            {open.map((ms) => (
              <Button key={ms.id} id={`progress-ms-${ms.id}`} size="small" type={milestoneId === ms.id ? 'primary' : 'default'} onClick={() => pick(ms.id)}>
                {ms.title}（{ms.weight}%）
              </Button>
            ))}
          </View>
          {milestoneId && (markable(milestoneId) ? (
            <Button id="progress-done" size="small" type={done ? 'primary' : 'default'} aria-pressed={done} onClick={() => setDone((d) => !d)}>
              {done ? '✓ ' : ''}标记完成（需附节点开始后拍摄上传的照片）
            </Button>
          ) : (
            <View id="progress-done-hint" className="meta">这个节点由其他单位负责，您可以发布进展，但不能标记完成。</View>
          ))}
        </>
      )}
      {(local || send.error) && <View id="progress-error" className="un-error" role="alert">{local ?? errorText(send.error)}</View>}
      <Button id="progress-submit" type="primary" size="large" block loading={send.loading} disabled={send.loading} onClick={submit}>
        发布
      </Button>
    </View>
  );
}

/** The milestones and the latest updates, so the poster sees what is already there. */
function Recent({ page }: { page: MatterPage }) {
  return (
    <View className="section">
      <View className="section-title">节点</View>
      {page.plan.milestones.length === 0 && <View className="meta">社区还没有制定节点</View>}
      {page.plan.milestones.map((ms, i) => (
        <View key={ms.id} id={`progress-ms-row-${i}`} className="un-row">
          <View className="grow">
            <View>{ms.title} · {ms.weight}%</View>
            <View className="meta">
              负责：{ms.owner.label} · 期限 {ms.due} · {ms.done ? '已完成' : ms.overdue ? '已逾期' : '进行中'}
            </View>
          </View>
        </View>
      ))}
      <View className="section-title">最近进展</View>
      {page.updates.items.length === 0 && <View className="meta">还没有进展</View>}
      {page.updates.items.slice(0, 5).map((u, i) => (
        <View key={u._id} id={`progress-update-${i}`} className="un-row">
          <View className="grow">
            <View>{u.text}</View>
            <View className="meta">
              {u.byLabel} · {formatDate(u.at)} · 照片 {u.photos.length} 张{u.done ? ' · 标记节点完成' : ''}
            </View>
          </View>
        </View>
      ))}
    </View>
  );
}
