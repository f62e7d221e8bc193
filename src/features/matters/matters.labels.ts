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
