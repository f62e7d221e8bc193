import { invitations, members, roster } from '../../src/features/members/members.collections';
import { CODE_ALPHABET, INVITATION_TTL_MS } from '../../src/features/members/members.rules';
import { DEMO_NEWCOMER_OPENID, DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

const ADMIN = P.adminPeixin.openid;

describe('invitations', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  const invite = async (input: Record<string, unknown> = {}) =>
    dataOf(await h.call('members', 'createInvitation', { communityId: R.peixin, role: 'grid_worker', ...input }, ADMIN));

  it('creates an 8-character code from the unambiguous alphabet, valid 7 days', async () => {
    const inv = await invite();
    expect(inv.code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{8}$`));
    expect(inv.role).toBe('grid_worker');
    expect(inv.expiresAt).toBe(new Date(h.services.now().getTime() + INVITATION_TTL_MS).toISOString());
    const stored = await h.services.store.collection(invitations).get(inv.code);
    expect(stored).toMatchObject({ regionId: R.peixin, communityId: R.peixin, createdBy: P.adminPeixin.memberId, usedBy: null });
  });

  it('codes differ between invitations', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) codes.add((await invite()).code);
    expect(codes.size).toBe(20);
  });

  it('lifecycle: a newcomer redeems it, becomes staff, shows in the staff list; the code is then spent', async () => {
    const { code } = await invite({ role: 'community_admin' });
    const me = dataOf(await h.call('members', 'redeemInvitation', { code, name: '王新', phone: '13912345678' }, DEMO_NEWCOMER_OPENID));
    expect(me.member).toMatchObject({ name: '王新', phoneMasked: '139****5678' });
    expect(me.member.grants).toEqual([{ role: 'community_admin', regionId: R.peixin, regionName: '培新街社区' }]);

    const stored = await h.services.store.collection(invitations).get(code);
    expect(stored?.usedBy).toBe(me.member._id);
    expect(stored?.usedAt).toBe(h.services.now().toISOString());

    const staff = dataOf(await h.call('members', 'listStaff', { communityId: R.peixin }, ADMIN)).items;
    expect(staff).toContainEqual({ memberId: me.member._id, name: '王新', phoneMasked: '139****5678', role: 'community_admin', regionId: R.peixin, regionName: '培新街社区' });

    // The new admin can act at once.
    expect(codeOf(await h.call('members', 'createInvitation', { communityId: R.peixin, role: 'grid_worker' }, DEMO_NEWCOMER_OPENID))).toBe('OK');

    const again = await h.call('members', 'redeemInvitation', { code, name: '李四' }, P.residentPeixin.openid);
    expect(codeOf(again)).toBe('MEMBERS.INVITATION_USED');
    expect(again.ok || again.error.message).toMatch(/已被使用/);
  });

  it('accepts the code typed in lower case, with spaces or dashes', async () => {
    const { code } = await invite();
    const typed = `${code.slice(0, 4).toLowerCase()} - ${code.slice(4)}`;
    expect(codeOf(await h.call('members', 'redeemInvitation', { code: typed, name: '王新' }, DEMO_NEWCOMER_OPENID))).toBe('OK');
  });

  it('an existing member keeps their grants and gains the staff role', async () => {
    const { code } = await invite();
    const me = dataOf(await h.call('members', 'redeemInvitation', { code, name: '李秀兰' }, P.residentPeixin.openid));
    expect(me.member._id).toBe(P.residentPeixin.memberId);
    expect(me.member.grants.map((g: { role: string }) => g.role)).toEqual(['resident', 'grid_worker']);
  });

  it('a grid worker invitation can name one grid of the community', async () => {
    const { code } = await invite({ gridId: R.peixinGrid2 });
    const me = dataOf(await h.call('members', 'redeemInvitation', { code, name: '网格员乙' }, DEMO_NEWCOMER_OPENID));
    expect(me.member.grants).toEqual([{ role: 'grid_worker', regionId: R.peixinGrid2, regionName: '培新街社区第二网格' }]);
    const staff = dataOf(await h.call('members', 'listStaff', { communityId: R.peixin }, ADMIN)).items;
    expect(staff.map((s: { regionId: string }) => s.regionId)).toContain(R.peixinGrid2);
  });

  it('refuses a grid of another community, a grid for an admin role, and a grid given as the community', async () => {
    expect(codeOf(await h.call('members', 'createInvitation', { communityId: R.peixin, role: 'grid_worker', gridId: R.xiaojiabaGrid1 }, ADMIN))).toBe('MEMBERS.GRID_NOT_FOUND');
    expect(codeOf(await h.call('members', 'createInvitation', { communityId: R.peixin, role: 'community_admin', gridId: R.peixinGrid1 }, ADMIN))).toBe('INPUT.INVALID');
    expect(codeOf(await h.call('members', 'createInvitation', { communityId: R.peixinGrid1, role: 'grid_worker' }, ADMIN))).toBe('MEMBERS.COMMUNITY_NOT_FOUND');
    expect(await h.services.store.collection(invitations).count()).toBe(0);
  });

  it('expires after 7 days to the millisecond', async () => {
    const a = await invite();
    const b = await invite();
    h.advance(INVITATION_TTL_MS - 1);
    expect(codeOf(await h.call('members', 'redeemInvitation', { code: a.code, name: '王新' }, DEMO_NEWCOMER_OPENID))).toBe('OK');
    h.advance(1);
    const late = await h.call('members', 'redeemInvitation', { code: b.code, name: '赵六' }, 'someone-else');
    expect(codeOf(late)).toBe('MEMBERS.INVITATION_EXPIRED');
    expect(await h.services.store.collection(members).count({ openid: 'someone-else' })).toBe(0);
    expect((await h.services.store.collection(invitations).get(b.code))?.usedBy).toBeNull();
  });

  it.each([['ABCDEFGH'], ['ZZZZ2222'], ['ABCDEFG0'], ['ABCDEFGHJK']])('an unknown or malformed code %s is not found', async (code) => {
    const res = await h.call('members', 'redeemInvitation', { code, name: '王新' }, DEMO_NEWCOMER_OPENID);
    expect(codeOf(res)).toBe('MEMBERS.INVITATION_NOT_FOUND');
    expect(await h.services.store.collection(members).count({ openid: DEMO_NEWCOMER_OPENID })).toBe(0);
  });

  it('redeemed concurrently by many people: exactly one succeeds, the others get INVITATION_USED', async () => {
    const { code } = await invite();
    const people = Array.from({ length: 8 }, (_, i) => `racer-${i}`);
    const results = await Promise.all(people.map((o, i) => h.call('members', 'redeemInvitation', { code, name: `抢${i}` }, o)));
    const codes = results.map(codeOf);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'MEMBERS.INVITATION_USED')).toHaveLength(7);
    const winner = people[codes.indexOf('OK')]!;
    const staffRows = await h.services.store.collection(roster).find({ where: { communityId: R.peixin, role: 'grid_worker' }, limit: 100 });
    const winners = await h.services.store.collection(members).getMany(staffRows.items.map((r) => r.memberId));
    expect(winners.map((m) => m.openid).filter((o) => o.startsWith('racer-'))).toEqual([winner]);
    expect(await h.services.store.collection(members).count({ openid: { in: people.filter((p) => p !== winner) } })).toBe(0);
  });

  it('redeemed twice concurrently by the same person: one success, one INVITATION_USED, one grant', async () => {
    const { code } = await invite();
    const results = await Promise.all([1, 2].map(() => h.call('members', 'redeemInvitation', { code, name: '王新' }, DEMO_NEWCOMER_OPENID)));
    expect(results.map(codeOf).sort()).toEqual(['MEMBERS.INVITATION_USED', 'OK']);
    const me = dataOf(await h.call('members', 'me', {}, DEMO_NEWCOMER_OPENID));
    expect(me.member.grants).toHaveLength(1);
  });

  it('listStaff shows grid workers and admins of the community only, phones masked', async () => {
    const staff = dataOf(await h.call('members', 'listStaff', { communityId: R.peixin }, ADMIN)).items;
    expect(staff).toEqual([
      // Canteen staff are listed too (role order: canteen_staff < community_admin < grid_worker).
      { memberId: P.canteenPeixin.memberId, name: '王淑芬', phoneMasked: '138****0008', role: 'canteen_staff', regionId: R.peixin, regionName: '培新街社区孝义食堂' },
      { memberId: P.adminPeixin.memberId, name: '刘芳', phoneMasked: '138****0004', role: 'community_admin', regionId: R.peixin, regionName: '培新街社区' },
      { memberId: P.gridPeixin.memberId, name: '张明', phoneMasked: '138****0003', role: 'grid_worker', regionId: R.peixinGrid1, regionName: '培新街社区第一网格' },
    ]);
    const text = JSON.stringify(staff);
    expect(text).not.toContain('13800000003');
    expect(text).not.toContain('李秀兰');
  });
});
