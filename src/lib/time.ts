/** A “day” is a calendar day in Asia/Shanghai (UTC+8, no DST); instants are stored as UTC ISO strings. */
const OFFSET_MS = 8 * 60 * 60 * 1000;

/** 'YYYY-MM-DD' of an instant in Asia/Shanghai. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:mm' of an instant in Asia/Shanghai (for messages naming a deadline). */
export function shanghaiMinute(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The UTC instant at which a Shanghai day starts. */
export function shanghaiDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - OFFSET_MS);
}

/** The UTC instant at which the Shanghai day after `day` starts (exclusive end). */
export function shanghaiDayEnd(day: string): Date {
  return new Date(shanghaiDayStart(day).getTime() + 24 * 60 * 60 * 1000);
}

/** True for a real calendar day written 'YYYY-MM-DD' (rejects 2025-02-30). */
export const isRealDay = (day: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(shanghaiDayStart(day).getTime()) && shanghaiDay(shanghaiDayStart(day)) === day;

/**
 * Inclusive Shanghai days → UTC bounds for `createdAt` ({ gte, lt }); undefined when neither is given.
 * Throws a Chinese message (as an Error) for unreal days or from > to; callers turn it into their error.
 */
export function dayBounds(from?: string, to?: string): { gte?: string; lt?: string } | undefined {
  if (from === undefined && to === undefined) return undefined;
  if (from !== undefined && !isRealDay(from)) throw new RangeError('开始日期无效');
  if (to !== undefined && !isRealDay(to)) throw new RangeError('结束日期无效');
  if (from !== undefined && to !== undefined && from > to) throw new RangeError('开始日期不能晚于结束日期');
  return {
    ...(from !== undefined ? { gte: shanghaiDayStart(from).toISOString() } : {}),
    ...(to !== undefined ? { lt: shanghaiDayEnd(to).toISOString() } : {}),
  };
}
