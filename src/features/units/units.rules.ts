/** Pure rules of the units registry: name uniqueness keys, link ids, and who may lead or support a matter. */

export interface Refusal {
  code: string;
  message: string;
}

/** Names compare after folding full-width forms, spaces and case: “安康 银行” and “安康银行” are one unit. */
export const normaliseUnitName = (name: string): string => name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** Deterministic ids: one unit of a name per home region; one link per unit and community. */
export const unitNameId = (homeRegionId: string, name: string): string => `name:${homeRegionId}:${normaliseUnitName(name)}`;
export const unitLinkId = (unitId: string, communityId: string): string => `link:${unitId}:${communityId}`;

export const UnitRuleErrors = {
  LEAD_ALSO_SUPPORT: 'UNITS.LEAD_ALSO_SUPPORT',
  DUPLICATE_SUPPORT: 'UNITS.DUPLICATE_SUPPORT',
  NOT_LINKED: 'UNITS.NOT_LINKED',
} as const;

/**
 * A matter's units: the lead is not also a supporter, no supporter twice, and every one of them is linked
 * to the matter's community (`linked` answers that per unit id; unknown units are not linked).
 */
export function assignmentRefusal(
  lead: string | null,
  supports: readonly string[],
  linked: (unitId: string) => { linked: boolean; name: string } | null,
): Refusal | null {
  if (lead !== null && supports.includes(lead)) return { code: UnitRuleErrors.LEAD_ALSO_SUPPORT, message: '牵头单位不能同时作为配合单位' };
  if (new Set(supports).size !== supports.length) return { code: UnitRuleErrors.DUPLICATE_SUPPORT, message: '配合单位有重复' };
  for (const id of [...(lead ? [lead] : []), ...supports]) {
    const u = linked(id);
    if (!u) return { code: UnitRuleErrors.NOT_LINKED, message: '找不到该共建单位' };
    if (!u.linked) return { code: UnitRuleErrors.NOT_LINKED, message: `“${u.name}”未与本社区结对共建，不能承担本社区的实事` };
  }
  return null;
}

/** A home region is a district or a community; a community linked to the unit must lie inside it. */
export const insideHome = (communityPath: readonly string[], homeRegionId: string): boolean => communityPath.includes(homeRegionId);
