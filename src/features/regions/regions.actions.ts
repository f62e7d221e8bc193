import { defineArea } from '../../server/action';
import { readAll } from '../../server/read-all';
import type { Store, Stored } from '../../server/store/store';
import { regions } from './regions.collections';
import { regionsContract, type Region } from './regions.schema';

/** Regions: city → district → street → community → grid. Read-only here; demo seeding writes them. */

const findAll = async (store: Store, where: Record<string, string>): Promise<Stored<Region>[]> => (await readAll(store.collection(regions), { where }, Infinity)).items;

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'zh');

export const regionsArea = defineArea('regions', regionsContract, {
  listCommunities: {
    roles: 'public',
    run: async (_input, ctx) => {
      const communities = await findAll(ctx.store, { kind: 'community' });
      const districtIds = [...new Set(communities.map((c) => c.path[1]).filter((id): id is string => !!id))];
      const districts = new Map((await ctx.store.collection(regions).getMany(districtIds)).map((d) => [d._id, d.name]));
      const items = communities.map((c) => ({ _id: c._id, name: c.name, districtName: districts.get(c.path[1] ?? '') ?? '' }));
      items.sort((a, b) => a.districtName.localeCompare(b.districtName, 'zh') || byName(a, b));
      return { items };
    },
  },

  children: {
    roles: ['community_admin', 'district_admin', 'city_admin'],
    scope: (input) => input.regionId,
    run: async (input, ctx) => {
      const items = await findAll(ctx.store, { parentId: input.regionId });
      items.sort(byName);
      return { items };
    },
  },
});
