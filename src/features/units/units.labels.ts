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
