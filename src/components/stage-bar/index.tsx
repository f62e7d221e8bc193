import { View } from '@tarojs/components';
import { STAGE_LABELS, STEPS, type Stage } from '../../features/matters/matters.labels';
import './index.scss';

/** The 4+2 of 四议两公开: the four deliberations, 公示, the fixed list. */
const STAGES: Stage[] = [...STEPS, 'publicity', 'fixed'];

export interface StageBarProps {
  /** Root id; each stage is `<id>-<stage>`. */
  id: string;
  stage: Stage;
  className?: string;
}

/** Where a year's slate stands: done stages ticked, the current one marked (aria-current). */
export function StageBar({ id, stage, className }: StageBarProps) {
  const now = STAGES.indexOf(stage);
  return (
    <View id={id} className={`stage-bar${className ? ` ${className}` : ''}`}>
      {STAGES.map((s, i) => (
        <View
          key={s}
          id={`${id}-${s}`}
          className={`stage-bar-step${i < now || stage === 'fixed' ? ' stage-bar-done' : i === now ? ' stage-bar-now' : ''}`}
          aria-current={i === now ? 'step' : undefined}
        >
          {i < now || stage === 'fixed' ? '✓ ' : `${i + 1}. `}
          {STAGE_LABELS[s]}
        </View>
      ))}
    </View>
  );
}
