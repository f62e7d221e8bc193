/**
 * The wording of the printed 公示 sheet (pure: the page only lays it out). An official notice names the
 * four deliberations with their dates, the 公示 window and how to object, and ends with the community's
 * name and the date (落款).
 */
import { STEP_LABELS, type Stage, type Step } from './matters.labels';

/** The printSheet answer, as far as the wording needs it (zod-free so pages can import this file). */
export interface NoticeInput {
  communityName: string;
  year: number;
  stage: Stage;
  items: { title: string; reason: string; supporters: number; anonymous: number; cost: number | null }[];
  steps: { step: Step; date: string }[];
  publicity: { start: string; end: string; daysLeft: number } | null;
  fixedAt: string | null;
  today: string;
}

export interface NoticeText {
  title: string;
  /** Shown above the sheet on screen and printed across it: a draft must not be posted as final. */
  draftWarning: string | null;
  intro: string;
  items: { n: number; title: string; reason: string; supporters: string; cost: string }[];
  total: string;
  steps: string[];
  publicity: string | null;
  objection: string | null;
  signature: string;
  date: string;
}

const SHANGHAI_MS = 8 * 3600_000;
const parts = (iso: string) => {
  const d = new Date(Date.parse(iso) + SHANGHAI_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), min: d.getUTCMinutes() };
};

/** 2026年12月2日, from an instant (read in Asia/Shanghai) or a 'YYYY-MM-DD' day. */
export const cnDate = (isoOrDay: string): string => {
  const p = parts(/^\d{4}-\d{2}-\d{2}$/.test(isoOrDay) ? `${isoOrDay}T00:00:00.000+08:00` : isoOrDay);
  return `${p.y}年${p.m}月${p.d}日`;
};

/** 2026年12月2日10时 (with minutes when not on the hour). */
export const cnDateTime = (iso: string): string => {
  const p = parts(iso);
  return `${cnDate(iso)}${p.h}时${p.min ? `${p.min}分` : ''}`;
};

/** Money in fen as people read it on a notice: 8000元, 12.5万元. */
export function costText(fen: number | null): string {
  if (fen === null) return '待估算';
  const yuan = fen / 100;
  if (yuan >= 10_000) return `${Number((yuan / 10_000).toFixed(2))}万元`;
  return `${Number(yuan.toFixed(2))}元`;
}

export function noticeText(s: NoticeInput, opts: { where?: string } = {}): NoticeText {
  const fixed = s.stage === 'fixed';
  const inPublicity = s.stage === 'publicity' && !!s.publicity;
  const title = fixed ? `${s.communityName}${s.year}年十件实事清单` : `${s.communityName}${s.year}年十件实事（拟定）公示`;
  const chain = s.steps.map((r) => STEP_LABELS[r.step]).join('、');
  const intro = fixed
    ? `根据“一社区一年10件实事”工作安排，经${chain}，并经公示，现将本社区${s.year}年十件实事清单公布如下：`
    : `根据“一社区一年10件实事”工作安排，经${chain || '社区党组织提议'}，现将本社区${s.year}年拟办的十件实事予以公示：`;
  const assessed = s.items.filter((i) => i.cost !== null);
  const sum = assessed.reduce((n, i) => n + (i.cost ?? 0), 0);
  const unassessed = s.items.length - assessed.length;
  const where = opts.where ?? '社区党群服务中心';
  return {
    title,
    draftWarning: fixed || inPublicity ? null : s.steps.length < 4 ? '四议尚未完成，本页为草稿，请勿张贴' : '尚未开始公示，本页为草稿，请勿张贴',
    intro,
    items: s.items.map((it, i) => ({
      n: i + 1,
      title: it.title,
      reason: it.reason || '—',
      supporters: `${it.supporters}人${it.anonymous > 0 ? `（另有匿名${it.anonymous}份）` : ''}`,
      cost: costText(it.cost),
    })),
    total: !s.items.length
      ? '共0项。'
      : !assessed.length
        ? `共${s.items.length}项，预估费用待估算。`
        : `共${s.items.length}项，预估费用合计${costText(sum)}${unassessed ? `（另有${unassessed}项待估算）` : ''}。`,
    steps: s.steps.map((r) => `${STEP_LABELS[r.step]}：${cnDate(r.date)}`),
    publicity: s.publicity ? `公示期：${cnDate(s.publicity.start)}至${cnDate(s.publicity.end)}` : null,
    objection:
      !fixed && s.publicity
        ? `公示期间，居民对上述事项如有异议，请于${cnDateTime(s.publicity.end)}前在“社区实事”小程序本社区实事清单页提出，或到${where}书面反映。社区将对每条异议作出公开答复。`
        : null,
    signature: `${s.communityName}居民委员会`,
    date: cnDate(s.today),
  };
}
