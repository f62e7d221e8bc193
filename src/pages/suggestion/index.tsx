import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../client/api';
import { useQuery } from '../../client/hooks';
import { Page } from '../../components/page';
import { PhotoGrid } from '../../components/photo-grid';
import { StatusTag } from '../../components/status-tag';
import { Timeline } from '../../components/timeline';
import { ErrorState, LoadingState } from '../../components/states';
import { formatDateTime } from '../../components/format';
import { FollowDemand } from './follow';

/** A resident's own suggestion: what they wrote, photos and the official reply timeline. */
export default function SuggestionDetail() {
  const params = useRouter().params;
  const id = decodeURIComponent(params.id ?? '');
  const q = useQuery(() => api.suggestions.get({ id }), [id]);
  // Pulling down refreshes the demand it is in too (FollowDemand reloads on a new round).
  const [round, setRound] = useState(0);
  usePullDownRefresh(() => {
    setRound((r) => r + 1);
    void q.run().finally(() => Taro.stopPullDownRefresh());
  });

  const s = q.data;
  return (
    <Page id="page-suggestion">
      {params.created === '1' && (
        <View id="suggestion-created" className="section" role="status">
          提交成功！社区工作人员会尽快处理，进展会显示在下方。
        </View>
      )}
      {q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.run()} />
      ) : !s ? (
        <LoadingState />
      ) : (
        <View>
          <View className="section">
            <View className="row-between">
              <View className="section-title">{s.category}</View>
              <StatusTag status={s.status} />
            </View>
            <View id="suggestion-text" className="list-item-text">
              {s.text}
            </View>
            {s.place && <View className="meta">地点：{s.place}</View>}
            <View className="meta">提交时间：{formatDateTime(s.createdAt)}</View>
            <View className="meta">{s.showName ? '公开姓名' : '不公开姓名'}</View>
          </View>
          {s.photoUrls.length > 0 && (
            <View className="section">
              <View className="section-title">照片</View>
              <PhotoGrid id="suggestion-photos" urls={s.photoUrls} />
            </View>
          )}
          {s.status === 'adopted' && <FollowDemand suggestionId={s._id} communityId={s.communityId} round={round} />}
          <View className="section">
            <View className="section-title">办理进展</View>
            <Timeline id="suggestion-timeline" entries={s.timeline} />
          </View>
        </View>
      )}
    </Page>
  );
}
