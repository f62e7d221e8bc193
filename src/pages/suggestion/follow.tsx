import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { followText } from '../../features/matters/follow.labels';
import { api } from '../../client/api';
import { useQuery } from '../../client/hooks';
import { Button } from '../../components/nut/button';

/** An adopted suggestion followed to its demand (through merges) and on to the community's list. */
export function FollowDemand({ suggestionId, communityId, round }: { suggestionId: string; communityId: string; round: number }) {
  const q = useQuery(() => api.matters.followSuggestion({ suggestionId }), [suggestionId, round]);
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
        {followText(f)}
      </View>
      <Button id="suggestion-board" size="large" block onClick={() => void Taro.navigateTo({ url: `/packages/matters/board/index?communityId=${encodeURIComponent(communityId)}` })}>
        查看社区实事清单
      </Button>
    </View>
  );
}
