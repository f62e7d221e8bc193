import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { CATEGORIES, MAX_PHOTOS, TEXT_MAX, TEXT_MIN, type CategoryName as Category } from '../../features/suggestions/suggestions.labels';
import { api } from '../../client/api';
import { fieldError } from '../../client/api-error';
import { useAction, useQuery } from '../../client/hooks';
import { loadMe, residentGrant } from '../../client/me';
import { newRequestId } from '../../client/request-id';
import { askConsent } from '../../client/subscribe';
import { Page } from '../../components/page';
import { Button } from '../../components/nut/button';
import { Input } from '../../components/nut/input';
import { TextArea } from '../../components/nut/textarea';
import { Field } from '../../components/field';
import { PhotoPicker, usePhotoUploads } from '../../components/photo-picker';
import { SwitchRow } from '../../components/switch-row';
import { ErrorState, LoadingState } from '../../components/states';
import './index.scss';

export default function Suggest() {
  const params = useRouter().params;
  const me = useQuery(() => loadMe(), []);
  const communityId = params.communityId ? decodeURIComponent(params.communityId) : residentGrant(me.data ?? null)?.regionId;
  const communityName = me.data?.member?.grants.find((g) => g.regionId === communityId)?.regionName;

  // One id per form: a double tap or a retry after a timeout lands on the same suggestion.
  const [requestId] = useState(newRequestId);
  const [category, setCategory] = useState<Category | null>(null);
  const [text, setText] = useState('');
  const [place, setPlace] = useState('');
  const [showName, setShowName] = useState(false);
  const [localError, setLocalError] = useState<Record<string, string>>({});
  const photos = usePhotoUploads(MAX_PHOTOS, 'suggestions');
  // Ids of the reply-notice template, fetched ahead: the consent prompt must open in the tap itself.
  const templates = useQuery(() => api.notify.templates({ keys: ['suggestion_reply'] }), []);

  const submit = useAction(async (consent: Promise<string[]>) => {
    const created = await api.suggestions.submit({
      requestId,
      communityId: communityId as string,
      category: category as Category,
      text: text.trim(),
      photos: photos.fileIds,
      place: place.trim() || undefined,
      showName,
    });
    // Once the suggestion is in (and the prompt answered): report what the person accepted.
    // A failure here loses a notice, not the suggestion.
    const keys = await consent;
    if (keys.length) void api.notify.subscribe({ keys: keys as 'suggestion_reply'[] }).catch(() => null);
    void Taro.showToast({ title: '提交成功', icon: 'success' });
    await Taro.redirectTo({ url: `/pages/suggestion/index?id=${encodeURIComponent(created._id)}&created=1` });
    return created;
  });

  const length = text.trim().length;
  const onSubmit = () => {
    const errs: Record<string, string> = {};
    if (!category) errs.category = '请选择建议类别';
    if (length < TEXT_MIN) errs.text = `内容至少 ${TEXT_MIN} 个字`;
    if (length > TEXT_MAX) errs.text = `内容最多 ${TEXT_MAX} 个字`;
    if (photos.busy) errs.photos = '照片还在上传，请稍候再提交';
    else if (photos.failed) errs.photos = '有照片上传失败，请重试或删除后再提交';
    setLocalError(errs);
    // A second tap while sending must not open a second consent prompt.
    if (Object.keys(errs).length === 0 && !submit.loading) void submit.run(askConsent(templates.data?.templates ?? {}));
  };
  const err = (f: string) => localError[f] ?? fieldError(submit.error, f);

  if (me.error) {
    return (
      <Page id="page-suggest">
        <ErrorState error={me.error} onRetry={() => void me.run()} />
      </Page>
    );
  }
  if (!me.data) {
    return (
      <Page id="page-suggest">
        <LoadingState />
      </Page>
    );
  }
  if (!communityId) {
    return (
      <Page id="page-suggest">
        <View className="section">
          <View className="field">请先加入您居住的社区，再提建议。</View>
          <Button id="suggest-join" type="primary" block onClick={() => void Taro.redirectTo({ url: '/pages/join/index' })}>
            加入社区
          </Button>
        </View>
      </Page>
    );
  }

  return (
    <Page id="page-suggest">
      <View className="title">向{communityName ?? '社区'}提建议</View>
      <Field label="建议类别" error={err('category')} errorId="suggest-category-error">
        <View id="suggest-category" className="category-grid">
          {CATEGORIES.map((c, i) => (
            <Button
              key={c}
              id={`suggest-category-${i}`}
              className="chip category-chip"
              type={category === c ? 'primary' : 'default'}
              aria-pressed={category === c}
              onClick={() => setCategory(c)}
            >
              {category === c ? '✓ ' : ''}
              {c}
            </Button>
          ))}
        </View>
      </Field>
      <Field label="建议内容" error={err('text')} errorId="suggest-text-error">
        <TextArea
          id="suggest-text"
          viewId="suggest-text-box"
          className="field-input suggest-text"
          placeholder={`请写下您的建议（${TEXT_MIN}–${TEXT_MAX} 字）`}
          maxLength={TEXT_MAX}
          value={text}
          onChange={setText}
        />
        <View id="suggest-counter" className={`counter${length > 0 && length < TEXT_MIN ? ' counter-bad' : ''}`}>
          {length}/{TEXT_MAX} 字{length < TEXT_MIN ? `，至少 ${TEXT_MIN} 字` : ''}
        </View>
      </Field>
      <Field label={`照片（选填，最多 ${MAX_PHOTOS} 张）`} error={err('photos')} errorId="suggest-photos-error">
        <PhotoPicker
          idPrefix="suggest-photo"
          items={photos.items}
          max={MAX_PHOTOS}
          onAdd={() => void photos.add()}
          onRemove={photos.remove}
          onRetry={photos.retry}
        />
      </Field>
      <Field label="地点（选填）" error={err('place')} errorId="suggest-place-error">
        <Input id="suggest-place" className="field-input" placeholder="例如：3栋楼下、菜市场门口" maxLength={100} value={place} onChange={setPlace} />
      </Field>
      <SwitchRow
        id="suggest-showname"
        className="section"
        title="公开我的姓名"
        desc={showName ? '已选择公开：公示时可以显示您的姓名' : '不公开：只有社区工作人员能看到您的姓名'}
        checked={showName}
        onChange={setShowName}
      />
      <Button
        id="suggest-submit"
        type="primary"
        size="xlarge"
        block
        loading={submit.loading}
        disabled={submit.loading}
        onClick={onSubmit}
      >
        {submit.loading ? '正在提交…' : '提交建议'}
      </Button>
    </Page>
  );
}
