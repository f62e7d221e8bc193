import type { Services } from '../action';
import type { Fields, TxCollection } from '../store/store';
import { regions } from '../../features/regions/regions.collections';
import { members, openidLinks, roster } from '../../features/members/members.collections';
import { communityIdOf, openidLinkId, rosterId } from '../../features/members/members.rules';
import { DEMO_PEOPLE, DEMO_REGIONS, type DemoPerson } from './demo-data';
import { seedDemoSuggestions } from './seed-suggestions';
import { seedDemoSurveys } from './seed-surveys';
import { seedDemoCanteen } from './seed-canteen';
import { seedDemoVisits } from './seed-visits';
import { seedDemoMatters } from './seed-matters';
import { seedDemoUnits } from './seed-units';

/** Fixed so every run writes the same records. */
const SEEDED_AT = '2025-01-01T00:00:00.000Z';

/** Inserts the documents whose ids are absent; existing ones (possibly edited since) are left alone. */
async function insertMissing<T>(col: TxCollection<T>, docs: (Fields<T> & { _id: string })[]): Promise<void> {
  const have = new Set((await col.getMany(docs.map((d) => d._id))).map((d) => d._id));
  for (const { _id, ...doc } of docs) {
    if (!have.has(_id)) await col.insert(doc as unknown as Fields<T>, { id: _id });
  }
}

/** Demo regions and people (deterministic ids, safe on every start), then demo suggestions. */
export async function seedDemo(services: Services): Promise<void> {
  await services.store.transaction((tx) => insertMissing(tx.collection(regions), DEMO_REGIONS));
  await seedPeople(services, Object.values(DEMO_PEOPLE));
  await seedDemoSuggestions(services);
  await seedDemoSurveys(services);
  await seedDemoCanteen(services);
  await seedDemoVisits(services);
  await seedDemoMatters(services);
  await seedDemoUnits(services);
}

/** Members, their openid links and roster rows (the regions must exist); existing ones are left alone. */
export async function seedPeople(services: Services, people: Pick<DemoPerson, 'memberId' | 'openid' | 'name' | 'phone' | 'grants'>[]): Promise<void> {
  const regionById = new Map(DEMO_REGIONS.map((r) => [r._id, r]));
  await services.store.transaction(async (tx) => {
    await insertMissing(
      tx.collection(members),
      people.map((p) => ({ _id: p.memberId, openid: p.openid, name: p.name, phone: p.phone, grants: p.grants, createdAt: SEEDED_AT })),
    );
    await insertMissing(tx.collection(openidLinks), people.map((p) => ({ _id: openidLinkId(p.openid), memberId: p.memberId })));
    const rows = people.flatMap((p) =>
      p.grants.map((g) => {
        const region = regionById.get(g.regionId);
        if (!region) throw new Error(`demo grant names an unknown region: ${g.regionId}`);
        return {
          _id: rosterId(p.memberId, g),
          memberId: p.memberId,
          role: g.role,
          regionId: g.regionId,
          regionName: g.regionName ?? region.name,
          // Invited district-level leaders and unit contacts are listed under the region they were invited to (as redeemInvitation files them).
          communityId: communityIdOf(region) ?? (g.role === 'leader' || g.role === 'unit_contact' ? g.regionId : null),
          createdAt: SEEDED_AT,
        };
      }),
    );
    await insertMissing(tx.collection(roster), rows);
  });
}
