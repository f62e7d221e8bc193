/**
 * Plain constants of the canteen (no zod) for pages: canteen.schema.ts builds its enums from them,
 * so a page that only shows labels does not pull the schema module and zod into its package.
 */
export const MEAL_TYPES = ['breakfast', 'lunch', 'dinner'] as const;
export type MealTypeName = (typeof MEAL_TYPES)[number];
export const MEAL_LABELS: Record<MealTypeName, string> = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' };

/** 留守 · 独居 · 困难 · 其他 */
export const ELDER_CATEGORIES = ['left_behind', 'alone', 'hardship', 'other'] as const;
export type ElderCategoryName = (typeof ELDER_CATEGORIES)[number];
export const CATEGORY_LABELS: Record<ElderCategoryName, string> = { left_behind: '留守', alone: '独居', hardship: '困难', other: '其他' };

/** applied → approved → suspended / moved / deceased (rejected: the application was turned down). */
export const ELDER_STATUSES = ['applied', 'approved', 'rejected', 'suspended', 'moved', 'deceased'] as const;
export type ElderStatusName = (typeof ELDER_STATUSES)[number];
export const ELDER_STATUS_LABELS: Record<ElderStatusName, string> = {
  applied: '待审核',
  approved: '已通过',
  rejected: '未通过',
  suspended: '暂停',
  moved: '已迁出',
  deceased: '已故',
};

export const GENDERS = ['male', 'female'] as const;
export type GenderName = (typeof GENDERS)[number];
export const GENDER_LABELS: Record<GenderName, string> = { male: '男', female: '女' };
