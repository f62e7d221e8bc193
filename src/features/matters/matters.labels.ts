/** Labels of the ten matters (zod-free: pages take them from here). */

/** 四议: the four deliberations, in the order the procedure enforces. */
export const STEPS = ['proposal', 'consultation', 'review', 'resolution'] as const;
export type Step = (typeof STEPS)[number];

export const STEP_LABELS: Record<Step, string> = {
  proposal: '党组织提议',
  consultation: '两委会商议',
  review: '党员大会审议',
  resolution: '居民代表会议决议',
};

/** Who sits in each meeting, for "应到 N 人" lines. */
export const STEP_BODIES: Record<Step, string> = {
  proposal: '社区党组织委员',
  consultation: '两委成员',
  review: '党员',
  resolution: '居民代表',
};

/** Where a slate stands: the next step, then 公示 (决议公开), then the fixed list. */
export type Stage = Step | 'publicity' | 'fixed';

export const STAGE_LABELS: Record<Stage, string> = {
  ...STEP_LABELS,
  publicity: '决议公开（公示）',
  fixed: '清单已确定',
};

/** Why a demand is not among the year's matters: published with the list. */
export const LEFT_OUT_REASONS = ['next_year', 'small_matter', 'referred', 'not_feasible'] as const;
export type LeftOutReason = (typeof LEFT_OUT_REASONS)[number];

export const LEFT_OUT_LABELS: Record<LeftOutReason, string> = {
  next_year: '纳入下一年度',
  small_matter: '作为微实事办理',
  referred: '转交职能部门',
  not_feasible: '暂不具备实施条件',
};

/** The four principles a demand is scored on, 1–5 each. */
export const PRINCIPLES = ['small', 'impact', 'feasible', 'benefit'] as const;
export type Principle = (typeof PRINCIPLES)[number];

export const PRINCIPLE_LABELS: Record<Principle, string> = {
  small: '小切口',
  impact: '影响大',
  feasible: '能办到',
  benefit: '群众普遍受益直接受益',
};

export const FUNDING_SOURCES = ['fiscal', 'unit', 'donation', 'other'] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];

export const FUNDING_LABELS: Record<FundingSource, string> = {
  fiscal: '财政资金',
  unit: '单位自筹',
  donation: '社会捐助',
  other: '其他',
};
