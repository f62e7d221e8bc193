/**
 * A matter of 培新街社区 ready to be planned: two units on it (lead and support) and one that is not, each
 * with a contact person. Units are assigned by the units area's action; here the matter document is written
 * directly, as the brief for this use case says.
 */
import { matters } from '../../src/features/matters/matters.collections';
import { matterId, newMatter } from '../../src/features/matters/matters.service';
import { members, openidLinks, roster } from '../../src/features/members/members.collections';
import { openidLinkId, rosterId } from '../../src/features/members/members.rules';
import type { Grant } from '../../src/features/members/members.schema';
import { regionPath } from '../../src/features/regions/regions.service';
import { units } from '../../src/features/units/units.collections';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { dataOf, type Harness } from '../support/harness';

export const ADMIN = P.adminPeixin.openid;
export const RESIDENT = P.residentPeixin.openid;
export const YEAR = 2025;

export const UNITS = { lead: 'unit-t-power', support: 'unit-t-bank', other: 'unit-t-school' } as const;
export const CONTACTS = {
  lead: { memberId: 'm-t-wanggang', openid: 't-contact-power', name: '王刚', unitId: UNITS.lead },
  support: { memberId: 'm-t-lina', openid: 't-contact-bank', name: '李娜', unitId: UNITS.support },
  other: { memberId: 'm-t-zhoupeng', openid: 't-contact-school', name: '周鹏', unitId: UNITS.other },
} as const;

const UNIT_NAMES: Record<string, string> = { [UNITS.lead]: '国网安康供电公司', [UNITS.support]: '安康农商银行', [UNITS.other]: '安康市第一小学' };

let seq = 0;

/** Units and their contacts (once per harness). */
export async function seedUnits(h: Harness): Promise<void> {
  const store = h.services.store;
  const path = (await regionPath(store, R.peixin))!;
  const at = h.services.now().toISOString();
  for (const [id, name] of Object.entries(UNIT_NAMES)) {
    await store.collection(units).insert({ name, type: 'enterprise', homeRegionId: R.peixin, path, communityIds: [R.peixin], partyHead: null, createdBy: P.adminPeixin.memberId, createdAt: at }, { id });
  }
  for (const c of Object.values(CONTACTS)) {
    const grant: Grant = { role: 'unit_contact', regionId: R.peixin, regionName: '培新街社区', unitId: c.unitId };
    await store.collection(members).insert({ openid: c.openid, name: c.name, grants: [grant], createdAt: at }, { id: c.memberId });
    await store.collection(openidLinks).insert({ memberId: c.memberId }, { id: openidLinkId(c.openid) });
    await store.collection(roster).insert({ memberId: c.memberId, role: 'unit_contact', regionId: R.peixin, regionName: '培新街社区', communityId: R.peixin, createdAt: at }, { id: rosterId(c.memberId, grant) });
  }
}

/** A new demand of 培新街社区 and its matter (lead and support units set); returns the matter id and its demand. */
export async function newPlannedMatter(h: Harness, title = '老旧小区加装电梯', year = YEAR): Promise<{ matterId: string; demandId: string }> {
  const demand = dataOf(await h.call('matters', 'createDemand', { requestId: `plan-fx-${++seq}`, communityId: R.peixin, year, title, category: '公共设施', note: '居民议事会提出' }, ADMIN));
  const path = (await regionPath(h.services.store, R.peixin))!;
  const fields = newMatter(demand, path, h.services.now().toISOString());
  await h.services.store.collection(matters).insert({ ...fields, leadUnitId: UNITS.lead, supportUnitIds: [UNITS.support] }, { id: matterId(demand._id) });
  return { matterId: matterId(demand._id), demandId: demand._id };
}

/** A photo's upload at a given instant (the server records upload time from its own clock). */
export async function photoAt(h: Harness, openid: string, at: Date): Promise<string> {
  const keep = h.services.now();
  h.setNow(at);
  try {
    return await h.uploadPhoto(openid);
  } finally {
    h.setNow(keep);
  }
}
