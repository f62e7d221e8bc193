import { DEMO_NEWCOMER_OPENID, DEMO_PEOPLE, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { invitations } from '../../src/features/members/members.collections';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

/** Every members/regions action tried with every demo identity: allowed ones succeed, others are refused. */
const P = DEMO_PEOPLE;
const WHO = {
  anonymous: null,
  newcomer: DEMO_NEWCOMER_OPENID,
  residentPeixin: P.residentPeixin.openid,
  residentXiaojiaba: P.residentXiaojiaba.openid,
  gridPeixin: P.gridPeixin.openid,
  adminPeixin: P.adminPeixin.openid,
  adminXiaojiaba: P.adminXiaojiaba.openid,
  districtHanbin: P.districtHanbin.openid,
  cityAnkang: P.cityAnkang.openid,
} as const;
type Who = keyof typeof WHO;

const UNAUTH = 'AUTH.UNAUTHENTICATED';
const FORBIDDEN = 'AUTH.FORBIDDEN';
const signedIn = (anonymous = UNAUTH): Record<Who, string> => ({
  anonymous, newcomer: 'OK', residentPeixin: 'OK', residentXiaojiaba: 'OK', gridPeixin: 'OK',
  adminPeixin: 'OK', adminXiaojiaba: 'OK', districtHanbin: 'OK', cityAnkang: 'OK',
});
const only = (allowed: Who[]): Record<Who, string> =>
  Object.fromEntries(
    (Object.keys(WHO) as Who[]).map((w) => [w, w === 'anonymous' ? UNAUTH : allowed.includes(w) ? 'OK' : FORBIDDEN]),
  ) as Record<Who, string>;

interface Case {
  area: string;
  action: string;
  /** Built per call: redeeming needs a fresh code each time. */
  input: (h: Harness) => Promise<unknown> | unknown;
  expect: Record<Who, string>;
}

async function freshCode(h: Harness): Promise<string> {
  return dataOf(await h.call('members', 'createInvitation', { communityId: R.peixin, role: 'grid_worker' }, P.adminPeixin.openid)).code;
}

const CASES: Case[] = [
  { area: 'members', action: 'me', input: () => ({}), expect: signedIn() },
  {
    area: 'members', action: 'joinCommunity',
    input: () => ({ communityId: R.peixin, name: '新居民', building: '8栋', unit: '2单元' }),
    expect: signedIn(),
  },
  { area: 'members', action: 'createInvitation', input: () => ({ communityId: R.peixin, role: 'grid_worker' }), expect: only(['adminPeixin']) },
  { area: 'members', action: 'createInvitation', input: () => ({ communityId: R.xiaojiaba, role: 'community_admin' }), expect: only(['adminXiaojiaba']) },
  { area: 'members', action: 'redeemInvitation', input: async (h) => ({ code: await freshCode(h), name: '新同事' }), expect: signedIn() },
  { area: 'members', action: 'listStaff', input: () => ({ communityId: R.peixin }), expect: only(['adminPeixin']) },
  { area: 'members', action: 'listStaff', input: () => ({ communityId: R.xiaojiaba }), expect: only(['adminXiaojiaba']) },
  { area: 'regions', action: 'listCommunities', input: () => ({}), expect: signedIn('OK') },
  { area: 'regions', action: 'children', input: () => ({ regionId: R.peixin }), expect: only(['adminPeixin', 'districtHanbin', 'cityAnkang']) },
  { area: 'regions', action: 'children', input: () => ({ regionId: R.hanbin }), expect: only(['districtHanbin', 'cityAnkang']) },
  { area: 'regions', action: 'children', input: () => ({ regionId: R.hanyin }), expect: only(['cityAnkang']) },
  { area: 'regions', action: 'children', input: () => ({ regionId: R.city }), expect: only(['cityAnkang']) },
];

describe('members and regions: who may call what', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  // Inputs that need the harness (a fresh invitation code) take it as a parameter.
  const label = (c: Case) => `${c.area}.${c.action} ${c.input.length ? '{code}' : JSON.stringify(c.input(undefined as never))}`;
  const rows = CASES.flatMap((c) => (Object.keys(WHO) as Who[]).map((who) => [label(c), who, c.expect[who], c] as const));

  it.each(rows)('%s as %s → %s', async (_name, who, _expected, c) => {
    const input = await c.input(h);
    const res = await h.call(c.area, c.action, input, WHO[who]);
    expect(codeOf(res)).toBe(c.expect[who]);
  });

  it('a community admin of 肖家坝社区 cannot invite into 培新街社区, and nothing is written', async () => {
    const res = await h.call('members', 'createInvitation', { communityId: R.peixin, role: 'grid_worker' }, P.adminXiaojiaba.openid);
    expect(codeOf(res)).toBe(FORBIDDEN);
    expect(await h.services.store.collection(invitations).count()).toBe(0);
  });

  it('nor list 培新街社区 staff or invite into one of its grids', async () => {
    expect(codeOf(await h.call('members', 'listStaff', { communityId: R.peixin }, P.adminXiaojiaba.openid))).toBe(FORBIDDEN);
    const grid = await h.call('members', 'createInvitation', { communityId: R.peixin, role: 'grid_worker', gridId: R.peixinGrid1 }, P.adminXiaojiaba.openid);
    expect(codeOf(grid)).toBe(FORBIDDEN);
  });

  it('an unknown community is forbidden rather than revealed', async () => {
    expect(codeOf(await h.call('members', 'createInvitation', { communityId: 'comm-nowhere', role: 'grid_worker' }, P.adminPeixin.openid))).toBe(FORBIDDEN);
    expect(codeOf(await h.call('regions', 'children', { regionId: 'comm-nowhere' }, P.cityAnkang.openid))).toBe(FORBIDDEN);
  });
});
