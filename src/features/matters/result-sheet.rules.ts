/**
 * The wording of the printed 实施结果公开 sheet (pure: the page only lays it out). Like the 公示 sheet it ends
 * with the community's name and the date (落款); money reads as on a notice (12.5万元), satisfaction with its count.
 */
import { cnDate, costText } from './notice.rules';

/** The resultSheet answer, as far as the wording needs it (zod-free so pages can import this file). */
export interface ResultSheetInput {
  communityName: string;
  title: string;
  year: number;
  startedAt: string | null;
  completedDay: string | null;
  acceptance: { date: string; representatives: string[]; notes: string };
  result: { summary: string; budget: number; spent: number; spendingNote: string; publishedAt: string };
  units: { name: string; lead: boolean }[];
  leaders: string[];
  satisfaction: { satisfied: number; basic: number; dissatisfied: number; total: number; rate: number | null };
  today: string;
}

export interface ResultSheetText {
  title: string;
  heading: string;
  units: string | null;
  leaders: string | null;
  dates: string[];
  money: string[];
  satisfaction: string;
  signature: string;
  date: string;
}

const percent = (rate: number): string => `${Math.round(rate * 1000) / 10}%`;

export function resultSheetText(s: ResultSheetInput): ResultSheetText {
  const lead = s.units.filter((u) => u.lead).map((u) => u.name);
  const support = s.units.filter((u) => !u.lead).map((u) => u.name);
  const units = [lead.length ? `牵头单位：${lead.join('、')}` : '', support.length ? `配合单位：${support.join('、')}` : ''].filter(Boolean).join('；');
  const { budget, spent } = s.result;
  const balance = spent <= budget ? `结余 ${costText(budget - spent)}` : `超出预算 ${costText(spent - budget)}`;
  const sat = s.satisfaction;
  return {
    title: `${s.communityName}${s.year}年实事实施结果公开`,
    heading: s.title,
    units: units || null,
    leaders: s.leaders.length ? `认领领导：${s.leaders.join('、')}` : null,
    dates: [
      s.startedAt ? `开工：${cnDate(s.startedAt)}` : '',
      s.completedDay ? `完工：${cnDate(s.completedDay)}` : '',
      `验收：${cnDate(s.acceptance.date)}（社区与居民代表${s.acceptance.representatives.join('、')}）`,
    ].filter(Boolean),
    money: [`预算 ${costText(budget)}，实际支出 ${costText(spent)}，${balance}`, ...(s.result.spendingNote ? [s.result.spendingNote] : [])],
    satisfaction: sat.total === 0 || sat.rate === null
      ? '居民评价：尚无居民评价'
      : `居民满意率 ${percent(sat.rate)}（${sat.total} 人评价：满意 ${sat.satisfied}，基本满意 ${sat.basic}，不满意 ${sat.dissatisfied}）`,
    signature: `${s.communityName}居民委员会`,
    date: cnDate(s.today),
  };
}
