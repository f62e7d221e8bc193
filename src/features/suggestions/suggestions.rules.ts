/** Pure rules of the suggestion box (no I/O): shared by the client and the server. */
import { hash128 } from '../../lib/hash';
import { STATUS_LABELS } from './suggestions.labels';
import type { Status, TimelineEntry } from './suggestions.schema';

// ---------------------------------------------------------------- state machine

/**
 * Where each status may go. `replied → replied` is a follow-up reply. Adopted is final here: what
 * follows happens in the demand list. Closed and duplicate can only be reopened (to under_review).
 */
export const NEXT: Record<Status, readonly Status[]> = {
  received: ['under_review', 'replied', 'adopted', 'closed', 'duplicate'],
  under_review: ['replied', 'adopted', 'closed', 'duplicate'],
  replied: ['replied', 'under_review', 'adopted', 'closed'],
  adopted: [],
  closed: ['under_review'],
  duplicate: ['under_review'],
};

/** Status changes made by hand (setStatus) tell the resident why; replies and duplicate marks carry their own text. */
export const REASON_REQUIRED: readonly Status[] = ['under_review', 'adopted', 'closed'];

export const canMove = (from: Status, to: Status): boolean => NEXT[from].includes(to);

/** The Chinese message for a move that is not allowed, or null when it is. */
export function transitionError(from: Status, to: Status): string | null {
  if (canMove(from, to)) return null;
  if (from === to) return `该建议已是“${STATUS_LABELS[to]}”状态`;
  if (from === 'adopted') return '该建议已纳入需求清单，后续进展请在需求清单中跟进';
  return `“${STATUS_LABELS[from]}”的建议不能改为“${STATUS_LABELS[to]}”`;
}

/** A reply moves received/under_review/replied to replied; on an adopted one it is a note that keeps adopted. */
export function statusAfterReply(from: Status): Status | null {
  if (from === 'adopted') return 'adopted';
  return canMove(from, 'replied') ? 'replied' : null;
}

export function replyError(from: Status): string | null {
  return statusAfterReply(from) ? null : `“${STATUS_LABELS[from]}”的建议不能答复，请先重新打开`;
}

// ---------------------------------------------------------------- timeline

/** How staff appear to residents: the community, never a person's name. */
export const staffLabel = (communityName: string): string => `${communityName} 工作人员`;

export const receivedEntry = (at: string): TimelineEntry => ({ at, kind: 'received', status: 'received' });

export const statusEntry = (at: string, status: Status, reason: string, by: string): TimelineEntry => ({
  at,
  kind: 'status',
  status,
  text: reason,
  by,
});

export const replyEntry = (at: string, status: Status, text: string, by: string): TimelineEntry => ({
  at,
  kind: 'reply',
  status,
  text,
  by,
});

export const duplicateEntry = (at: string, duplicateOf: string, by: string): TimelineEntry => ({
  at,
  kind: 'duplicate',
  status: 'duplicate',
  text: '与本社区另一条建议内容相同，将合并办理',
  duplicateOf,
  by,
});

// ---------------------------------------------------------------- ids and text

/**
 * The suggestion id: a hash of the author and the client's request id, so a retry of the same submit
 * lands on the same id (the store rejects the second insert) while the id reveals nothing about its author.
 */
export const suggestionId = (authorId: string, requestId: string): string => `sg${hash128(`${authorId}:${requestId}`)}`;

export { excerpt } from '../../lib/text';

/** '3栋' + '2单元' → '3栋2单元'; null when nothing is known. */
export function addressOf(building?: string, unit?: string): string | null {
  const a = `${building ?? ''}${unit ?? ''}`.trim();
  return a === '' ? null : a;
}

// ---------------------------------------------------------------- time and stats

/** Whole minutes between two instants (never negative). */
export function minutesBetween(fromIso: string, toIso: string): number {
  return Math.max(0, Math.floor((Date.parse(toIso) - Date.parse(fromIso)) / 60_000));
}

/** Minutes → days, one decimal. */
export const daysFromMinutes = (minutes: number): number => Math.round((minutes / 1440) * 10) / 10;

/** The median of a list (mean of the two middle values when even); null when empty. */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** What the median search may ask about n stored integers between min and max. */
export interface CountingSource {
  n: number;
  min: number;
  max: number;
  /** How many values are ≤ v. */
  countAtMost(v: number): Promise<number>;
  /** The smallest value > v (called only when one exists). */
  nextAbove(v: number): Promise<number>;
}

/**
 * The median of integers known only through counts: binary search for the lower middle value,
 * then, for an even n, the next value. O(log(max − min)) count queries instead of reading every row.
 */
export async function medianByCounting(src: CountingSource): Promise<number | null> {
  const { n } = src;
  if (n <= 0) return null;
  const k1 = Math.floor((n + 1) / 2);
  const k2 = Math.floor(n / 2) + 1;
  let lo = src.min;
  let hi = src.max;
  let countAtHi = n;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const c = await src.countAtMost(mid);
    if (c >= k1) {
      hi = mid;
      countAtHi = c;
    } else lo = mid + 1;
  }
  const v1 = lo;
  if (k2 === k1) return v1;
  const v2 = countAtHi >= k2 ? v1 : await src.nextAbove(v1);
  return (v1 + v2) / 2;
}

export { isRealDay } from '../../lib/time';

export { dayBounds } from '../../lib/time';
