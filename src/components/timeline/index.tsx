import { View } from '@tarojs/components';
import { STATUS_LABELS } from '../../features/suggestions/suggestions.labels';
import type { TimelineEntry } from '../../features/suggestions/suggestions.schema';
import { formatDateTime } from '../format';

const KIND_LABELS: Record<TimelineEntry['kind'], string> = {
  received: '已收到建议',
  status: '状态变更',
  reply: '官方答复',
  duplicate: '标记为重复',
};

/** The official reply timeline, oldest first; each step names its status in words. */
export function Timeline({ entries, id = 'timeline' }: { entries: TimelineEntry[]; id?: string }) {
  return (
    <View id={id} className="timeline">
      {entries.map((e, i) => (
        <View key={`${e.at}-${i}`} className={`timeline-entry timeline-${e.kind}`}>
          <View className="timeline-dot" />
          <View className="timeline-body">
            <View className="row-between wrap">
              <View className="timeline-kind">{e.kind === 'status' ? `状态变更为「${STATUS_LABELS[e.status]}」` : KIND_LABELS[e.kind]}</View>
              <View className="meta">{formatDateTime(e.at)}</View>
            </View>
            {e.text && <View className="timeline-text">{e.text}</View>}
            {e.duplicateOf && <View className="meta">与建议 {e.duplicateOf} 重复</View>}
            {e.by && <View className="meta">{e.by}</View>}
          </View>
        </View>
      ))}
    </View>
  );
}
