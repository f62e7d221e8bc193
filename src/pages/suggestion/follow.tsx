import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { STAGE_LABELS } from '../../features/matters/matters.labels';
import { api } from '../../client/api';
import { useQuery } from '../../client/hooks';
import { Button } from '../../components/nut/button';

type Followed = Awaited<ReturnType<typeof api.matters.followSuggestion>>;

/** Where the demand behind an adopted suggestion stands in the year's 四议两公开, in the resident's words. */
function stateText(f: Followed): string {
  const d = f.demand!;
  if (d.status === 'selected') return '已列入年度实事清单';
  if (d.status === 'left_out') return `未列入年度实事：${d.leftOutText ?? ''}`;
  if (d.status === 'fast_track') return '已作为微实事办结';
  if (f.onSlate && f.stage === 'publicity') return '已列入实事草案，正在公示，欢迎提出意见';
  if (f.onSlate && f.stage) return `已列入提议事项，当前：${STAGE_LABELS[f.stage]}`;
  return '在需求清单中，等待社区议定年度实事';
}

/** An adopted suggestion followed to its demand (through merges) and on to the community's list. */
export function FollowDemand({ suggestionId, communityId }: { suggestionId: string; communityId: string }) {
  const q = useQuery(() => api.matters.followSuggestion({ suggestionId }), [suggestionId]);
  const f = q.data;
  if (!f?.demand) return null;
  return (
    <View id="suggestion-demand" className="section">
      <View className="section-title">纳入的需求</View>
      <View id="suggestion-demand-title" className="list-item-text">
        {f.demand.title}
      </View>
      <View className="meta">{f.demand.supporters} 位居民支持</View>
      <View id="suggestion-demand-state" className="section-title">
        {stateText(f)}
      </View>
      <Button id="suggestion-board" size="small" onClick={() => void Taro.navigateTo({ url: `/packages/matters/board/index?communityId=${encodeURIComponent(communityId)}` })}>
        查看社区实事清单
      </Button>
    </View>
  );
}
