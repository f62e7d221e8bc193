/** Plain constants of units (no zod), for pages in any package. */
export const UNIT_TYPES = ['agency', 'bank', 'hospital', 'enterprise', 'school', 'owners_committee', 'property_company', 'social_org', 'other'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export const UNIT_TYPE_LABELS: Record<UnitType, string> = {
  agency: '机关',
  bank: '银行',
  hospital: '医院',
  enterprise: '企业',
  school: '学校',
  owners_committee: '业委会',
  property_company: '物业公司',
  social_org: '社会组织',
  other: '其他',
};

/** A unit's part in a matter. */
export const UNIT_ROLE_LABELS = { lead: '牵头单位', support: '配合单位' } as const;

/** A matter's state, as the units' and leaders' pages show it. */
export const MATTER_STATE_LABELS = {
  planning: '筹备中',
  in_progress: '实施中',
  completed: '已完成',
  accepted: '已验收',
  reopened: '重新办理',
} as const;
