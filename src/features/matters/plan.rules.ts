/**
 * Pure rules of carrying a matter out: milestone weights and dates, progress as the sum of the weights of
 * done milestones, the evidence gate for a done mark, overdue by the Asia/Shanghai day, reminder days.
 * No I/O: the server and the pages share them.
 */
import { isRealDay, shanghaiDay, shanghaiDayStart } from '../../lib/time';

export const PHOTO_TAGS = ['before', 'during', 'after'] as const;
export type PhotoTag = (typeof PHOTO_TAGS)[number];
export const PHOTO_TAG_LABELS: Record<PhotoTag, string> = { before: '施工前', during: '施工中', after: '完工后' };

export const MATTER_STATE_LABELS: Record<string, string> = {
  planning: '筹备中',
  in_progress: '实施中',
  completed: '已完工',
  accepted: '已验收',
  reopened: '重新实施',
};

export const DEFAULT_REMINDER_DAYS = 3;
export const MAX_WEIGHT = 100;

export interface Refusal {
  code: string;
  message: string;
}

/** What the rules need of a milestone. */
export interface MilestoneFacts {
  id: string;
  weight: number;
  start: string;
  due: string;
  done: unknown | null;
}

export const PlanErrors = {
  WEIGHT_OVER: 'MATTERS.WEIGHT_OVER_100',
  DUE_BEFORE_START: 'MATTERS.DUE_BEFORE_START',
  BAD_DAY: 'MATTERS.BAD_DAY',
  NO_PHOTO: 'MATTERS.EVIDENCE_MISSING',
  PHOTO_TOO_OLD: 'MATTERS.EVIDENCE_TOO_OLD',
  PHOTO_REUSED: 'MATTERS.EVIDENCE_REUSED',
} as const;

/** Weights already planned plus the new one must not pass 100 %. */
export function weightRefusal(existing: readonly { weight: number }[], add: number): Refusal | null {
  const used = existing.reduce((n, m) => n + m.weight, 0);
  if (used + add > MAX_WEIGHT) return { code: PlanErrors.WEIGHT_OVER, message: `节点权重合计不能超过 100%（已有 ${used}%，最多还能设 ${MAX_WEIGHT - used}%）` };
  return null;
}

/** Real days, due on or after start. */
export function datesRefusal(start: string, due: string): Refusal | null {
  if (!isRealDay(start) || !isRealDay(due)) return { code: PlanErrors.BAD_DAY, message: '日期无效，请重新选择' };
  if (due < start) return { code: PlanErrors.DUE_BEFORE_START, message: '完成期限不能早于开始日期' };
  return null;
}

/** Progress: the weights of done milestones, capped at 100. */
export const progressOf = (ms: readonly MilestoneFacts[]): number => Math.min(MAX_WEIGHT, ms.reduce((n, m) => n + (m.done ? m.weight : 0), 0));

/** The earliest due day among open milestones, or null. */
export function nextDueOf(ms: readonly MilestoneFacts[]): string | null {
  let next: string | null = null;
  for (const m of ms) if (!m.done && (next === null || m.due < next)) next = m.due;
  return next;
}

/** Overdue: not done and its due day (Shanghai) has passed — from 00:00 +08 of the next day. */
export const isOverdue = (due: string | null | undefined, now: Date): boolean => !!due && shanghaiDay(now) > due;

/** A milestone has started from 00:00 +08 of its start day. */
export const hasStarted = (start: string, now: Date): boolean => shanghaiDay(now) >= start;

/**
 * The evidence gate: marking a milestone done needs at least one photo uploaded (server-side time) at or
 * after the start of the milestone's start day in Asia/Shanghai.
 */
export function evidenceRefusal(start: string, uploadedAt: readonly string[]): Refusal | null {
  if (uploadedAt.length === 0) return { code: PlanErrors.NO_PHOTO, message: '标记完成须上传至少一张现场照片' };
  const from = shanghaiDayStart(start).getTime();
  if (!uploadedAt.some((at) => Date.parse(at) >= from)) {
    return { code: PlanErrors.PHOTO_TOO_OLD, message: `照片须在节点开始（${start}）之后拍摄上传，旧照片不能作为完成凭证` };
  }
  return null;
}

/** Of the photos fresh enough, those not already the evidence of another milestone: one is needed. */
export function reuseRefusal(fresh: readonly string[], usedElsewhere: ReadonlySet<string>): Refusal | null {
  if (fresh.length > 0 && fresh.every((f) => usedElsewhere.has(f))) {
    return { code: PlanErrors.PHOTO_REUSED, message: '这张照片已作为其他节点的完成凭证，请上传本节点的现场照片' };
  }
  return null;
}

/** Photos uploaded on or after 00:00 +08 of the start day. */
export const freshPhotos = <P extends { uploadedAt: string }>(start: string, photos: readonly P[]): P[] =>
  photos.filter((p) => Date.parse(p.uploadedAt) >= shanghaiDayStart(start).getTime());

/** The Shanghai day `n` days after `day`. */
export const addDays = (day: string, n: number): string => shanghaiDay(new Date(shanghaiDayStart(day).getTime() + n * 86_400_000));

/** The budget's total over its sources. */
export const budgetTotal = (budget: Readonly<Record<string, number>>): number => Object.values(budget).reduce((n, v) => n + v, 0);
