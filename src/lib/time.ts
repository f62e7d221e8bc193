/** A “day” is a calendar day in Asia/Shanghai (UTC+8, no DST); instants are stored as UTC ISO strings. */
const OFFSET_MS = 8 * 60 * 60 * 1000;

/** 'YYYY-MM-DD' of an instant in Asia/Shanghai. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The UTC instant at which a Shanghai day starts. */
export function shanghaiDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - OFFSET_MS);
}

/** The UTC instant at which the Shanghai day after `day` starts (exclusive end). */
export function shanghaiDayEnd(day: string): Date {
  return new Date(shanghaiDayStart(day).getTime() + 24 * 60 * 60 * 1000);
}
