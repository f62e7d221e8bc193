import { View } from '@tarojs/components';

/** A percentage as a bar with its figure beside it (read out as “进度 40%”). */
export function ProgressBar({ value, id, className, overdue = false }: { value: number; id?: string; className?: string; overdue?: boolean }) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <View id={id} className={`progress-bar${className ? ` ${className}` : ''}`} role="progressbar" ariaLabel={`进度 ${pct}%`}>
      <View className="progress-bar-track">
        <View className={`progress-bar-fill${overdue ? ' progress-bar-late' : ''}`} style={{ width: `${pct}%` }} />
      </View>
      <View className="progress-bar-figure">{pct}%</View>
    </View>
  );
}
