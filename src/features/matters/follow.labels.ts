/** How a resident's adopted suggestion stands, in their words (zod-free: the suggestion page takes it from here). */
import { STAGE_LABELS, type Stage } from './matters.labels';

/** What followSuggestion answers, as far as the words need it. */
export interface Followed {
  demand: { status: 'open' | 'merged' | 'selected' | 'left_out' | 'fast_track'; leftOutText: string | null } | null;
  stage: Stage | null;
  onSlate: boolean;
}

/** Where the demand behind the suggestion stands in the year's 四议两公开; null before it is adopted. */
export function followText(f: Followed): string | null {
  const d = f.demand;
  if (!d) return null;
  if (d.status === 'selected') return '已列入年度实事清单';
  if (d.status === 'left_out') return `未列入年度实事：${d.leftOutText ?? ''}`;
  if (d.status === 'fast_track') return '已作为微实事办结';
  if (f.onSlate && f.stage === 'publicity') return '已列入实事草案，正在公示，欢迎提出意见';
  if (f.onSlate && f.stage) return `已列入提议事项，当前：${STAGE_LABELS[f.stage]}`;
  return '在需求清单中，等待社区议定年度实事';
}
