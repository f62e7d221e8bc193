/**
 * Roles whose writes are audited: everyone who acts on other people's records. Strings, not the
 * members Role enum, so roles still to come (unit contacts, leaders) can be listed before they exist.
 */
export const STAFF_ROLES: ReadonlySet<string> = new Set([
  'grid_worker',
  'community_admin',
  'district_admin',
  'city_admin',
  'canteen_staff',
  'unit_contact',
  'leader',
]);

export const isStaffRole = (role: string): boolean => STAFF_ROLES.has(role);
