/**
 * How a matter ends and how residents judge it (pure, zod-free: pages use it too): completion needs full
 * progress, 验收 follows completion, ratings follow 验收, satisfaction is kept on write, 回访 falls a set number
 * of Shanghai days after 验收, and too much dissatisfaction asks the community admin to respond.
 */
import { shanghaiDay, shanghaiDayStart } from '../../lib/time';

export const RATING_LEVELS = ['satisfied', 'basic', 'dissatisfied'] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];
export const RATING_LABELS: Record<RatingLevel, string> = { satisfied: '满意', basic: '基本满意', dissatisfied: '不满意' };

export const FOLLOW_UP_OUTCOMES = ['works', 'problems'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];
export const FOLLOW_UP_LABELS: Record<FollowUpOutcome, string> = { works: '正常好用', problems: '有问题' };

export const RATING_COMMENT_MAX = 200;
export const DEFAULT_FOLLOW_UP_DAYS = 28;
/** Residents answer the 回访 questionnaire for this many days. */
export const FOLLOW_UP_SURVEY_DAYS = 14;

/** When the admin must respond: a dissatisfied share at or above `share`, once there are `minRatings` ratings. */
export interface AttentionRule {
  share: number;
  minRatings: number;
}
export const DEFAULT_ATTENTION: AttentionRule = { share: 0.3, minRatings: 5 };

export interface Satisfaction {
  satisfied: number;
  basic: number;
  dissatisfied: number;
  total: number;
}
export const NO_RATINGS: Satisfaction = { satisfied: 0, basic: 0, dissatisfied: 0, total: 0 };

export const addRating = (s: Satisfaction, level: RatingLevel): Satisfaction => ({ ...s, [level]: s[level] + 1, total: s.total + 1 });

const ratio = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);

/** (满意 + 基本满意) / total, to three decimals; null before the first rating. */
export const satisfactionRate = (s: Satisfaction): number | null => ratio(s.satisfied + s.basic, s.total);

/** 不满意 / total; null before the first rating. */
export const dissatisfiedShare = (s: Satisfaction): number | null => ratio(s.dissatisfied, s.total);

/** Compared on counts (n·100 ≥ share·100·total) so 3 of 10 at 30 % is exactly at the line, with no float drift. */
export const overThreshold = (bad: number, total: number, rule: AttentionRule): boolean =>
  total >= rule.minRatings && total > 0 && bad * 1000 >= Math.round(rule.share * 1000) * total;

export const ratingsOverThreshold = (s: Satisfaction, rule: AttentionRule): boolean => overThreshold(s.dissatisfied, s.total, rule);

/** A rating raises the flag when it takes the share over the line (not again while it stays over). */
export const ratingRaisesAttention = (before: Satisfaction, after: Satisfaction, rule: AttentionRule): boolean =>
  !ratingsOverThreshold(before, rule) && ratingsOverThreshold(after, rule);

/** A 回访 raises it when the check found problems, or when too many residents answered that it has problems. */
export const followUpRaisesAttention = (outcome: FollowUpOutcome, answers: { problems: number; total: number } | null, rule: AttentionRule): boolean =>
  outcome === 'problems' || (answers !== null && overThreshold(answers.problems, answers.total, rule));

const DAY_MS = 24 * 3600_000;

/** The Shanghai day `days` after `day` (both 'YYYY-MM-DD'). */
export const addDays = (day: string, days: number): string => shanghaiDay(new Date(shanghaiDayStart(day).getTime() + days * DAY_MS));

/** 回访 falls `days` days after the 验收 day. */
export const followUpDueDay = (acceptedDay: string, days = DEFAULT_FOLLOW_UP_DAYS): string => addDays(acceptedDay, days);

/** Due from the first moment of its Shanghai day. */
export const followUpDue = (dueDay: string, now: Date): boolean => shanghaiDay(now) >= dueDay;

export type MatterState = 'planning' | 'in_progress' | 'completed' | 'accepted' | 'reopened';

export interface Refusal {
  code: string;
  message: string;
}

export function completionRefusal(state: MatterState, progress: number): Refusal | null {
  if (state === 'completed' || state === 'accepted') return { code: 'MATTERS.ALREADY_COMPLETED', message: '这件实事已经完成' };
  if (progress < 100) return { code: 'MATTERS.PROGRESS_INCOMPLETE', message: `进度为 ${progress}%，全部节点完成（100%）后才能宣布完成` };
  return null;
}

/** 验收 of a completed matter, dated between its completion day and today (Shanghai days). */
export function acceptanceRefusal(state: MatterState, date: string, completedDay: string | null, today: string): Refusal | null {
  if (state === 'accepted') return { code: 'MATTERS.ALREADY_ACCEPTED', message: '这件实事已经验收' };
  if (state !== 'completed') return { code: 'MATTERS.NOT_COMPLETED', message: '实事宣布完成后才能验收' };
  if (date > today) return { code: 'MATTERS.ACCEPTANCE_DATE_IN_FUTURE', message: '验收日期不能晚于今天' };
  if (completedDay && date < completedDay) return { code: 'MATTERS.ACCEPTANCE_DATE_TOO_EARLY', message: `验收日期不能早于完成日期（${completedDay}）` };
  return null;
}

export function ratingRefusal(state: MatterState): Refusal | null {
  if (state === 'accepted') return null;
  if (state === 'reopened') return { code: 'MATTERS.RATING_CLOSED', message: '这件实事已重新启动整改，整改验收后再评价' };
  return { code: 'MATTERS.NOT_ACCEPTED', message: '实事完成并验收后才能评价' };
}

export function reopenRefusal(state: MatterState): Refusal | null {
  return state === 'accepted' || state === 'completed' ? null : { code: 'MATTERS.CANNOT_REOPEN', message: '只有已完成或已验收的实事可以重新启动' };
}
