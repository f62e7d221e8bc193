import { randomUUID } from 'node:crypto';
import type { Harness } from '../support/harness';
import { dataOf } from '../support/harness';
import { CANTEEN_IDS, DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';

export const STAFF = DEMO_PEOPLE.canteenPeixin.openid;
export const STAFF_XJB = DEMO_PEOPLE.canteenXiaojiaba.openid;
export const ADMIN = DEMO_PEOPLE.adminPeixin.openid;
export const ADMIN_XJB = DEMO_PEOPLE.adminXiaojiaba.openid;
export const RESIDENT = DEMO_PEOPLE.residentPeixin.openid;
export const DISTRICT = DEMO_PEOPLE.districtHanbin.openid;
export const CITY = DEMO_PEOPLE.cityAnkang.openid;
export const GRID = DEMO_PEOPLE.gridPeixin.openid;
export const PEIXIN = CANTEEN_IDS.peixin;
export const XJB = CANTEEN_IDS.xiaojiaba;
export { REGION_IDS };

export const rid = (): string => randomUUID().replace(/-/g, '');

/** The current card code of a demo elder, as the community admin would print it. */
export async function codeOf(h: Harness, elderId: string, admin = ADMIN, communityId: string = REGION_IDS.peixin): Promise<string> {
  const sheet = dataOf(await h.call('canteen', 'cardSheet', { communityId, elderIds: [elderId] }, admin));
  const card = sheet.items.find((c: { elderId: string }) => c.elderId === elderId);
  if (!card) throw new Error(`no card for ${elderId}`);
  return card.code as string;
}

export const checkIn = (h: Harness, input: Record<string, unknown>, openid = STAFF) =>
  h.call('canteen', 'checkIn', { canteenId: PEIXIN, requestId: rid(), ...input }, openid);

/** A new approved elder with a card, applied for by staff and approved by the admin. */
export async function newElder(h: Harness, fields: Record<string, unknown>, communityId: string = REGION_IDS.peixin, admin = ADMIN): Promise<{ elderId: string; code: string }> {
  const staffOpenid = communityId === REGION_IDS.peixin ? STAFF : STAFF_XJB;
  const e = dataOf(
    await h.call('canteen', 'apply', { communityId, applicant: 'staff', requestId: rid(), categories: ['alone'], gender: 'female', ...fields }, staffOpenid),
  );
  dataOf(await h.call('canteen', 'setElderStatus', { elderId: e._id, status: 'approved', reason: '符合条件' }, admin));
  return { elderId: e._id, code: await codeOf(h, e._id, admin, communityId) };
}

/** The same instant `years` years earlier, as a 'YYYY-MM-DD' Shanghai day. */
export function yearsBefore(day: string, years: number): string {
  return `${Number(day.slice(0, 4)) - years}${day.slice(4)}`;
}
