import { members, openidLinks, roster } from '../../src/features/members/members.collections';
import { DEMO_NEWCOMER_OPENID, DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

const JOIN = { communityId: R.peixin, name: '王新', phone: '13912345678', building: '8栋', unit: '2单元' };

describe('joining a community', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  const counts = async () => ({
    members: await h.services.store.collection(members).count(),
    links: await h.services.store.collection(openidLinks).count(),
    roster: await h.services.store.collection(roster).count(),
  });

  it('me: a newcomer is signed in but not a member yet', async () => {
    expect(dataOf(await h.call('members', 'me', {}, DEMO_NEWCOMER_OPENID))).toEqual({ openid: DEMO_NEWCOMER_OPENID, member: null });
  });

  it('me: a demo person sees themselves with a masked phone', async () => {
    const me = dataOf(await h.call('members', 'me', {}, P.adminPeixin.openid));
    expect(me.member).toEqual({ _id: P.adminPeixin.memberId, name: '刘芳', phoneMasked: '138****0004', grants: P.adminPeixin.grants });
  });

  it('the first join creates the member with a resident grant; me then shows it', async () => {
    const joined = dataOf(await h.call('members', 'joinCommunity', JOIN, DEMO_NEWCOMER_OPENID));
    expect(joined.member).toMatchObject({ name: '王新', phoneMasked: '139****5678' });
    expect(joined.member.grants).toEqual([{ role: 'resident', regionId: R.peixin, regionName: '培新街社区', building: '8栋', unit: '2单元' }]);
    expect(dataOf(await h.call('members', 'me', {}, DEMO_NEWCOMER_OPENID))).toEqual(joined);
    const stored = await h.services.store.collection(members).get(joined.member._id);
    expect(stored).toMatchObject({ openid: DEMO_NEWCOMER_OPENID, phone: '13912345678', createdAt: h.services.now().toISOString() });
  });

  it('joining the same community again keeps one resident grant with the new building and unit', async () => {
    await h.call('members', 'joinCommunity', JOIN, DEMO_NEWCOMER_OPENID);
    const again = dataOf(await h.call('members', 'joinCommunity', { ...JOIN, building: '9栋', unit: undefined }, DEMO_NEWCOMER_OPENID));
    expect(again.member.grants).toEqual([{ role: 'resident', regionId: R.peixin, regionName: '培新街社区', building: '9栋' }]);
    expect(await h.services.store.collection(members).count({ openid: DEMO_NEWCOMER_OPENID })).toBe(1);
  });

  it('joining another community adds a second resident grant; staff grants stay', async () => {
    const me = dataOf(await h.call('members', 'joinCommunity', { ...JOIN, communityId: R.xiaojiaba }, P.adminPeixin.openid));
    expect(me.member._id).toBe(P.adminPeixin.memberId);
    expect(me.member.grants.map((g: { role: string; regionId: string }) => `${g.role}@${g.regionId}`)).toEqual([
      `community_admin@${R.peixin}`,
      `resident@${R.peixin}`,
      `resident@${R.xiaojiaba}`,
    ]);
  });

  it('two concurrent first joins create one member', async () => {
    const before = await counts();
    const results = await Promise.all([
      h.call('members', 'joinCommunity', JOIN, DEMO_NEWCOMER_OPENID),
      h.call('members', 'joinCommunity', { ...JOIN, building: '10栋' }, DEMO_NEWCOMER_OPENID),
      h.call('members', 'joinCommunity', { ...JOIN, communityId: R.dongcheng }, DEMO_NEWCOMER_OPENID),
    ]);
    expect(results.map(codeOf)).toEqual(['OK', 'OK', 'OK']);
    const ids = new Set(results.map((r) => dataOf(r).member._id));
    expect(ids.size).toBe(1);
    expect(await h.services.store.collection(members).count({ openid: DEMO_NEWCOMER_OPENID })).toBe(1);
    const after = await counts();
    expect(after).toEqual({ members: before.members + 1, links: before.links + 1, roster: before.roster + 2 });
    const me = dataOf(await h.call('members', 'me', {}, DEMO_NEWCOMER_OPENID));
    expect(me.member.grants.filter((g: { regionId: string }) => g.regionId === R.peixin)).toHaveLength(1);
    expect(me.member.grants).toHaveLength(2);
  });

  it.each([
    ['an unknown community', { ...JOIN, communityId: 'comm-nowhere' }],
    ['a grid instead of a community', { ...JOIN, communityId: R.peixinGrid1 }],
    ['a district instead of a community', { ...JOIN, communityId: R.hanbin }],
  ])('refuses %s with MEMBERS.COMMUNITY_NOT_FOUND and writes nothing', async (_what, input) => {
    const before = await counts();
    expect(codeOf(await h.call('members', 'joinCommunity', input, DEMO_NEWCOMER_OPENID))).toBe('MEMBERS.COMMUNITY_NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['no name', { ...JOIN, name: undefined }, 'name'],
    ['a blank name', { ...JOIN, name: '   ' }, 'name'],
    ['a 31-character name', { ...JOIN, name: '名'.repeat(31) }, 'name'],
    ['a bad phone', { ...JOIN, phone: '12345' }, 'phone'],
    ['a phone as a number', { ...JOIN, phone: 13912345678 }, 'phone'],
    ['no building', { ...JOIN, building: undefined }, 'building'],
    ['a 21-character building', { ...JOIN, building: 'x'.repeat(21) }, 'building'],
    ['a community id of the wrong type', { ...JOIN, communityId: 42 }, 'communityId'],
  ])('bad input (%s) → INPUT.INVALID on that field, nothing written', async (_what, input, field) => {
    const before = await counts();
    const res = await h.call('members', 'joinCommunity', input, DEMO_NEWCOMER_OPENID);
    expect(codeOf(res)).toBe('INPUT.INVALID');
    if (!res.ok) expect(res.error.issues?.map((i) => i.path[0])).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it.each([[null], ['join'], [[1, 2]], [42]])('input that is not an object (%j) → INPUT.INVALID', async (input) => {
    const before = await counts();
    expect(codeOf(await h.call('members', 'joinCommunity', input, DEMO_NEWCOMER_OPENID))).toBe('INPUT.INVALID');
    expect(codeOf(await h.call('members', 'redeemInvitation', input, DEMO_NEWCOMER_OPENID))).toBe('INPUT.INVALID');
    expect(await counts()).toEqual(before);
  });

  it('bad invitation input (short code, missing name) → INPUT.INVALID, nothing written', async () => {
    const before = await counts();
    expect(codeOf(await h.call('members', 'redeemInvitation', { code: 'AB', name: '王新' }, DEMO_NEWCOMER_OPENID))).toBe('INPUT.INVALID');
    expect(codeOf(await h.call('members', 'redeemInvitation', { code: 'ABCDEFGH' }, DEMO_NEWCOMER_OPENID))).toBe('INPUT.INVALID');
    expect(codeOf(await h.call('members', 'createInvitation', { communityId: R.peixin, role: 'city_admin' }, P.adminPeixin.openid))).toBe('INPUT.INVALID');
    expect(await counts()).toEqual(before);
  });
});
