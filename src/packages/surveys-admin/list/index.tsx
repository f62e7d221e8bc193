/** A community admin's questionnaires: new, import, publish, close, new version, results, paper entry. */
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../client/api';
import { useAction, usePaged } from '../../../client/hooks';
import { SURVEY_STATUS_LABELS } from '../../../features/surveys/surveys.labels';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { TextArea } from '../../../components/nut/textarea';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { defaultSettings } from '../build/draft';
import '../admin.scss';

const go = (url: string) => void Taro.navigateTo({ url });

export default function SurveysAdminList() {
  const communityId = decodeURIComponent(useRouter().params.communityId ?? '');
  const list = usePaged((cursor) => api.surveys.adminList({ communityId, cursor }), [communityId]);
  useDidShow(() => void list.reload());
  const [importing, setImporting] = useState(false);
  const [json, setJson] = useState('');
  const act = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    await list.reload();
  });
  const doImport = useAction(async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new Error('不是有效的问卷文件（JSON）');
    }
    const s = await api.surveys.importDefinition({ communityId, definition: parsed, settings: defaultSettings(new Date()) });
    setImporting(false);
    go(`/packages/surveys-admin/build/index?id=${encodeURIComponent(s._id)}`);
    return s;
  });

  return (
    <Page id="page-surveys-admin">
      <View className="sa-row">
        <Button id="sa-new" type="primary" onClick={() => go(`/packages/surveys-admin/build/index?communityId=${encodeURIComponent(communityId)}`)}>新建问卷</Button>
        <Button id="sa-import" onClick={() => setImporting(!importing)}>导入问卷</Button>
      </View>
      {importing && (
        <View className="sa-card">
          <View className="muted">粘贴其他社区导出的问卷文件内容（JSON）</View>
          <TextArea id="sa-import-json" className="field-input" value={json} onChange={setJson} maxLength={200000} />
          <Button id="sa-import-go" type="primary" loading={doImport.loading} onClick={() => void doImport.run()}>导入为草稿</Button>
        </View>
      )}
      {list.error && <ErrorState error={list.error} onRetry={() => void list.reload()} />}
      {!list.loaded && !list.error && <LoadingState />}
      {list.loaded && list.items.length === 0 && <EmptyState text="还没有问卷" />}
      {list.items.map((s) => (
        <View key={s._id} id={`sa-item-${s._id}`} className="sa-card">
          <View className="sa-title">{s.title}</View>
          <View className="muted">
            {SURVEY_STATUS_LABELS[s.status]} · 第 {s.version} 版 · {s.questionCount} 题 · {s.answers ?? 0} 份答卷
          </View>
          <View className="sa-row">
            {s.status === 'draft' && (
              <>
                <Button id={`sa-edit-${s._id}`} size="small" onClick={() => go(`/packages/surveys-admin/build/index?id=${encodeURIComponent(s._id)}`)}>编辑</Button>
                <Button id={`sa-publish-${s._id}`} size="small" type="primary" onClick={() => void act.run(() => api.surveys.publish({ id: s._id }))}>发布</Button>
              </>
            )}
            {s.status !== 'draft' && (
              <>
                <Button id={`sa-results-${s._id}`} size="small" type="primary" onClick={() => go(`/packages/surveys-admin/results/index?id=${encodeURIComponent(s._id)}`)}>查看结果</Button>
                <Button id={`sa-entry-${s._id}`} size="small" onClick={() => go(`/packages/survey/answer/index?id=${encodeURIComponent(s._id)}&staff=1`)}>代录纸质问卷</Button>
                <Button id={`sa-version-${s._id}`} size="small" onClick={() => void act.run(() => api.surveys.newVersion({ id: s._id }))}>复制为新版本</Button>
              </>
            )}
            {s.status === 'published' && (
              <Button id={`sa-close-${s._id}`} size="small" onClick={() => void act.run(() => api.surveys.close({ id: s._id }))}>结束</Button>
            )}
          </View>
        </View>
      ))}
      {list.hasMore && <Button id="sa-more" block onClick={() => void list.loadMore()}>加载更多</Button>}
    </Page>
  );
}
