import { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { KIND_LABELS } from '../../../features/visits/visits.labels';
import { api } from '../../../client/api';
import { useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { PhotoGrid } from '../../../components/photo-grid';
import { ErrorState, LoadingState } from '../../../components/states';
import { formatDateTime } from '../../../components/format';
import { param } from '../ui';
import '../ui.scss';

/** One visit note, for its grid's workers and the community admin. */
export default function VisitView() {
  const id = param(useRouter().params.id) ?? '';
  const v = useQuery(() => api.visits.visit({ id }), [id]);
  if (v.error) return <Page id="page-visit-view"><ErrorState error={v.error} onRetry={() => void v.run()} /></Page>;
  if (!v.data) return <Page id="page-visit-view"><LoadingState /></Page>;
  const d = v.data;
  return (
    <Page id="page-visit-view">
      <View className="section">
        <View className="title">{d.address}</View>
        <View>
          {KIND_LABELS[d.kind]} · {formatDateTime(d.visitedAt)}
        </View>
        <View className="meta">
          户主 {d.headName} · 网格员 {d.workerName}
          {d.followUpOf ? ' · 回访' : ''}
        </View>
      </View>
      <View className="section">
        <View className="section-title">走访情况</View>
        <View id="visit-view-findings" className="list-item-text">{d.findings}</View>
      </View>
      {d.requests.length > 0 && (
        <View id="visit-view-requests" className="section">
          <View className="section-title">居民诉求（已转入意见箱）</View>
          {d.requests.map((r, i) => (
            <View key={r.suggestionId} id={`visit-view-request-${i}`} className="grid-request">
              {i + 1}. [{r.category}] {r.text}
            </View>
          ))}
        </View>
      )}
      {d.photoUrls.length > 0 && (
        <View id="visit-view-photos" className="section">
          <View className="section-title">照片（居民已同意拍摄）</View>
          <PhotoGrid id="visit-view-photo-grid" urls={d.photoUrls} />
        </View>
      )}
      {d.location && (
        <View className="meta">
          位置：{d.location.latitude.toFixed(5)}, {d.location.longitude.toFixed(5)}
        </View>
      )}
    </Page>
  );
}
