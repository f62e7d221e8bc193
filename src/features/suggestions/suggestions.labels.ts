/**
 * Plain constants of the suggestion box (no zod): what pages and components show and check before
 * sending, so the schema module — and zod with it — stays out of the main package.
 * suggestions.schema.ts builds its enums and limits from these.
 */
export const CATEGORIES = ['环境卫生', '道路交通', '养老助餐', '医疗健康', '文体活动', '市场商户', '物业管理', '公共设施', '其他'] as const;
export type CategoryName = (typeof CATEGORIES)[number];

export const STATUSES = ['received', 'under_review', 'replied', 'adopted', 'closed', 'duplicate'] as const;
export type StatusName = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<StatusName, string> = {
  received: '已收到',
  under_review: '处理中',
  replied: '已答复',
  adopted: '已纳入需求清单',
  closed: '已关闭',
  duplicate: '重复建议',
};

export const TEXT_MIN = 5;
export const TEXT_MAX = 500;
export const MAX_PHOTOS = 6;
