import { STATUS_LABELS, type StatusName as Status } from '../../features/suggestions/suggestions.labels';
import { Tag } from '../nut/tag';

/** Text colour on background, each ≥ 5:1; the label is always written out (never colour alone). */
const COLORS: Record<Status, [string, string]> = {
  received: ['#0b57b8', '#e8f0fe'],
  under_review: ['#8a4b00', '#fff4e0'],
  replied: ['#1e6b2e', '#e6f4ea'],
  adopted: ['#5b2a86', '#f1e8fb'],
  closed: ['#3d4451', '#eef0f3'],
  duplicate: ['#3d4451', '#eef0f3'],
};

export function StatusTag({ status, className }: { status: Status; className?: string }) {
  const [color, background] = COLORS[status];
  return (
    <Tag className={`status-tag status-${status}${className ? ` ${className}` : ''}`} color={color} background={background}>
      {STATUS_LABELS[status]}
    </Tag>
  );
}
