import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../client/api';
import { fieldError } from '../../../client/api-error';
import { useAction, usePaged, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { TextArea } from '../../../components/nut/textarea';
import { Field } from '../../../components/field';
import { PhotoGrid } from '../../../components/photo-grid';
import { PhotoPicker, usePhotoUploads } from '../../../components/photo-picker';
import { EmptyState, ErrorState, ListFooter, LoadingState } from '../../../components/states';
import { formatDate, shanghaiDaysAgo } from '../../../components/format';
import { errorText, MatterRow, param } from '../shared';
import '../ui.scss';

/** One claimed matter: its progress, the coordination notes (协调记录) with a form to add one, and 取消认领. */
export default function ClaimPage() {
  const matterId = param(useRouter().params.matterId);
  const mine = useQuery(() => api.leaders.myClaims({}), [matterId]);
  const notes = usePaged((cursor) => api.leaders.listNotes({ matterId, cursor }), [matterId]);
  const claim = mine.data?.items.find((c) => c.matterId === matterId) ?? null;

  const unclaim = useAction(() => api.leaders.unclaimMatter({ matterId }), { successToast: '已取消认领' });
  const confirmUnclaim = async () => {
    const r = await Taro.showModal({ title: '取消认领这件实事？', content: '取消后您不再出现在认领墙上，已有的协调记录会保留。', confirmText: '取消认领', cancelText: '再想想' });
    if (r.confirm && (await unclaim.run())) void Taro.navigateBack();
  };

  if (mine.error) {
    return (
      <Page id="page-claim">
        <ErrorState error={mine.error} onRetry={() => void mine.run()} />
      </Page>
    );
  }
  if (!mine.data) {
    return (
      <Page id="page-claim">
        <LoadingState />
      </Page>
    );
  }
  return (
    <Page id="page-claim">
      <View className="section">
        {claim ? <MatterRow id="claim-matter" m={claim} /> : <EmptyState text="您没有认领这件实事" />}
      </View>
      {claim && <NoteForm matterId={matterId} onSaved={() => void Promise.all([notes.reload(), mine.run()])} />}
      <View className="section">
        <View className="section-title">协调记录</View>
        {notes.error && !notes.loaded ? (
          <ErrorState error={notes.error} onRetry={() => void notes.reload()} />
        ) : !notes.loaded ? (
          <LoadingState />
        ) : notes.items.length === 0 ? (
          <EmptyState text="还没有协调记录" />
        ) : (
          notes.items.map((n, i) => (
            <View key={n._id} id={`claim-note-${i}`} className="un-row">
              <View className="grow">
                <View className="meta">
                  {formatDate(`${n.date}T00:00:00+08:00`)} · {n.leaderName}
                </View>
                <View>{n.text}</View>
                <PhotoGrid id={`claim-note-photos-${i}`} urls={n.photos.map((p) => p.url).filter(Boolean)} />
              </View>
            </View>
          ))
        )}
        <ListFooter list={notes} idPrefix="claim-notes" />
      </View>
      {claim && (
        <View className="section">
          <Button id="claim-unclaim" block loading={unclaim.loading} onClick={() => void confirmUnclaim()}>
            取消认领
          </Button>
        </View>
      )}
    </Page>
  );
}

/** 协调记录: date (today by default), what was coordinated, up to 9 photos. */
function NoteForm({ matterId, onSaved }: { matterId: string; onSaved: () => void }) {
  const [date, setDate] = useState(() => shanghaiDaysAgo(0));
  const [text, setText] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const photos = usePhotoUploads(9, 'leaders');
  const save = useAction(() => api.leaders.addNote({ matterId, date: date.trim(), text: text.trim(), photos: photos.fileIds }), { successToast: '已记录' });
  const submit = async () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) return setLocal('日期格式应为 2025-03-01');
    if (text.trim().length < 5) return setLocal('协调记录至少 5 个字');
    if (photos.busy) return setLocal('照片还在上传，请稍候');
    if (photos.failed) return setLocal('有照片上传失败，请重试或删除');
    setLocal(null);
    if (await save.run()) {
      setText('');
      onSaved();
    }
  };
  const message = local ?? errorText(save.error);
  return (
    <View className="section">
      <View className="section-title">记录协调情况</View>
      <Field label="日期" error={fieldError(save.error, 'date')}>
        <Input id="note-date" className="field-input" maxLength={10} value={date} onChange={setDate} />
      </Field>
      <Field label="协调内容">
        <TextArea id="note-text" className="field-input" placeholder="如：召集住建局、牵头单位现场协调施工方案（至少 5 个字）" maxLength={1000} value={text} onChange={setText} />
      </Field>
      <PhotoPicker items={photos.items} max={9} onAdd={() => void photos.add()} onRemove={photos.remove} onRetry={photos.retry} idPrefix="note-photo" />
      {message && (
        <View id="note-error" className="un-error" role="alert">
          {message}
        </View>
      )}
      <Button id="note-submit" type="primary" block loading={save.loading} disabled={save.loading} onClick={() => void submit()}>
        保存协调记录
      </Button>
    </View>
  );
}
