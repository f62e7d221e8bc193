/**
 * Plain constants of members (no zod): pages in the main package import these, so the schema module —
 * and zod with it — stays out of the main package. members.schema.ts builds its enums from them.
 */
export const ROLES = ['resident', 'grid_worker', 'community_admin', 'district_admin', 'city_admin', 'canteen_staff', 'unit_contact', 'leader'] as const;
export type RoleName = (typeof ROLES)[number];

export const ROLE_LABELS: Record<RoleName, string> = {
  resident: '居民',
  grid_worker: '网格员',
  community_admin: '社区管理员',
  district_admin: '区级管理员',
  city_admin: '市级管理员',
  canteen_staff: '食堂工作人员',
  unit_contact: '共建单位联系人',
  leader: '认领领导',
};
