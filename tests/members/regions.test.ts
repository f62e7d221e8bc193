import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { seedDemo } from '../../src/server/demo/seed';
import { members, openidLinks, roster } from '../../src/features/members/members.collections';
import { regions } from '../../src/features/regions/regions.collections';
import { createHarness, dataOf, type Harness } from '../support/harness';

describe('regions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('lists every community with its district, to anyone', async () => {
    const { items } = dataOf(await h.call('regions', 'listCommunities', {}, null));
    expect(items).toHaveLength(5);
    expect(items).toContainEqual({ _id: R.peixin, name: '培新街社区', districtName: '汉滨区' });
    expect(items).toContainEqual({ _id: R.dongcheng, name: '东城社区', districtName: '汉阴县' });
    // grouped by district
    const districts = items.map((i: { districtName: string }) => i.districtName);
    expect(districts).toEqual([...districts].sort((a, b) => a.localeCompare(b, 'zh')));
  });

  it('children: districts of the city, grids of a community', async () => {
    const city = dataOf(await h.call('regions', 'children', { regionId: R.city }, P.cityAnkang.openid)).items;
    expect(city.map((r: { _id: string }) => r._id).sort()).toEqual([R.hanbin, R.hanyin].sort());
    expect(city[0]).toEqual(expect.objectContaining({ kind: 'district', parentId: R.city, path: [R.city, city[0]._id] }));
    expect(city[0]).not.toHaveProperty('_rev');
    const grids = dataOf(await h.call('regions', 'children', { regionId: R.peixin }, P.adminPeixin.openid)).items;
    expect(grids.map((r: { _id: string }) => r._id).sort()).toEqual([R.peixinGrid1, R.peixinGrid2]);
    expect(dataOf(await h.call('regions', 'children', { regionId: R.peixinGrid1 }, P.adminPeixin.openid)).items).toEqual([]);
  });

  it('seeding again writes nothing new and keeps later changes', async () => {
    const count = async () =>
      Promise.all([regions, members, openidLinks, roster].map((c) => h.services.store.collection(c as typeof regions).count()));
    const before = await count();
    const m = (await h.services.store.collection(members).get(P.residentPeixin.memberId))!;
    await h.services.store.collection(members).update(m._id, m._rev, { name: '李秀兰（改）' });
    await seedDemo(h.services);
    await seedDemo(h.services);
    expect(await count()).toEqual(before);
    expect((await h.services.store.collection(members).get(P.residentPeixin.memberId))?.name).toBe('李秀兰（改）');
  });
});
