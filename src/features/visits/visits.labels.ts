/**
 * Plain constants of household visits (no zod): what pages in both the grid and the visits-admin
 * sub-packages share, so the schema module does not have to move into the main package.
 */
export const TAGS = ['独居老人', '空巢', '残疾', '低保', '留守儿童', '重点关注'] as const;
export type TagName = (typeof TAGS)[number];

export const KINDS = ['routine', 'care', 'follow_up', 'complaint'] as const;
export type KindName = (typeof KINDS)[number];
export const KIND_LABELS: Record<KindName, string> = {
  routine: '日常走访',
  care: '关爱探访',
  follow_up: '回访',
  complaint: '投诉处理',
};

export const MAX_VISIT_PHOTOS = 9;
export const MAX_REQUESTS = 5;
export const FINDINGS_MAX = 1000;
