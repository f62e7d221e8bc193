import { shanghaiDay } from '../lib/time';

/** Dates shown in Asia/Shanghai, whatever the device's zone. */
export const formatDate = (iso: string): string => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : shanghaiDay(new Date(t));
};

export const formatDateTime = (iso: string): string => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const hm = new Date(t + 8 * 3600 * 1000).toISOString().slice(11, 16);
  return `${shanghaiDay(new Date(t))} ${hm}`;
};

/** The Shanghai day `days` before today, as YYYY-MM-DD. */
export const shanghaiDaysAgo = (days: number, now = new Date()): string =>
  shanghaiDay(new Date(now.getTime() - days * 86400000));
