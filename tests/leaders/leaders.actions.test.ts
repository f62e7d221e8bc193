/** 领导认领 through dispatch, on SQLite and the CloudBase stand-in: invitations, claims by region, notes, the walls, concurrent claims. */
import { claimNotes, claims } from '../../src/features/leaders/leaders.collections';
import { matters } from '../../src/features/matters/matters.collections';
import { DEMO_UNIT_IDS as U } from '../../src/server/demo/seed-units';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';
import { addMatter, redeem, YEAR } from '../units/fixtures';

const LEADER = P.leaderHanbin.openid;
const DISTRICT = P.districtHanbin.openid;
const CITY = P.cityAnkang.openid;

async function snapshot(h: Harness) {
  const s = h.services.store;
  const all = async (def: Parameters<typeof s.collection>[0]) => JSON.stringify((await s.collection(def).find({ limit: 100 })).items);
  return [await all(claims), await all(claimNotes), await all(matters)].join('\n');
}

/** A leader of `regionId`, invited by `by` and redeemed by a fresh openid. */
async function newLeader(h: Harness, regionId: string, by: string, openid: string, name: string): Promise<string> {
  const inv = dataOf(await h.call('leaders', 'inviteLeader', { regionId }, by));
  return (await redeem(h, inv.code, openid, name)).member._id as string;
}

describe('leaders and their claims', () => {
  let h: Harness;
  let px: string;
  let xjb: string;
  let dc: string;
  beforeEach(async () => {
    h = await createHarness();
    px = await addMatter(h, 'px-lights', 'peixin', '老旧楼栋楼道照明改造', { leadUnitId: U.hospital, progress: 40, state: 'in_progress' });
    xjb = await addMatter(h, 'xjb-market', 'xiaojiaba', '富民市场改造提升');
    dc = await addMatter(h, 'dc-road', 'dongcheng', '东城巷道硬化');
  });
  afterEach(() => h.close());

  test('invitations: the city invites district or city leaders, a district only its own', async () => {
    const id = await newLeader(h, R.hanyin, CITY, 'openid-leader-hanyin', '钱海涛');
    const list = dataOf(await h.call('leaders', 'listLeaders', { regionId: R.hanyin }, CITY)).items;
    expect(list).toEqual([{ memberId: id, name: '钱海涛', regionId: R.hanyin, regionName: '汉阴县' }]);
    await newLeader(h, R.city, CITY, 'openid-leader-city', '孔德明');
    dataOf(await h.call('leaders', 'inviteLeader', { regionId: R.hanbin }, DISTRICT));
    expect(codeOf(await h.call('leaders', 'inviteLeader', { regionId: R.hanyin }, DISTRICT))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('leaders', 'inviteLeader', { regionId: R.city }, DISTRICT))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('leaders', 'inviteLeader', { regionId: R.peixin }, DISTRICT))).toBe('LEADERS.BAD_REGION');
    expect(codeOf(await h.call('leaders', 'inviteLeader', { regionId: R.peixin }, P.adminPeixin.openid))).toBe('AUTH.FORBIDDEN');
    // 汉滨区's admin picks among the district's leaders and the city's.
    const names = dataOf(await h.call('leaders', 'listLeaders', { regionId: R.hanbin }, DISTRICT)).items.map((l: { name: string }) => l.name);
    expect(names.sort()).toEqual(['何志远', '孔德明'].sort());
  });

  test('a leader sees and claims only matters of their region; a second claim and a resident are refused, nothing written', async () => {
    const list = dataOf(await h.call('leaders', 'claimableMatters', { regionId: R.hanbin, year: YEAR }, LEADER)).items;
    expect(list.map((m: { matterId: string }) => m.matterId).sort()).toEqual([px, xjb].sort());
    expect(list.find((m: { matterId: string }) => m.matterId === px)).toMatchObject({ communityName: '培新街社区', leadUnitName: '汉滨区第一人民医院', progress: 40, mine: false });
    expect(codeOf(await h.call('leaders', 'claimableMatters', { regionId: R.hanyin, year: YEAR }, LEADER))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('leaders', 'claimableMatters', { regionId: R.city, year: YEAR }, LEADER))).toBe('AUTH.FORBIDDEN');

    expect(dataOf(await h.call('leaders', 'claimMatter', { matterId: px }, LEADER))).toEqual({ claimId: `claim:${px}:${P.leaderHanbin.memberId}`, claimedBy: ['何志远'] });
    const before = await snapshot(h);
    const refused = await h.call('leaders', 'claimMatter', { matterId: dc }, LEADER);
    expect(codeOf(refused)).toBe('AUTH.FORBIDDEN');
    expect(refused.ok ? '' : refused.error.message).toMatch(/实事/);
    expect(codeOf(await h.call('leaders', 'claimMatter', { matterId: px }, LEADER))).toBe('LEADERS.ALREADY_CLAIMED');
    expect(codeOf(await h.call('leaders', 'claimMatter', { matterId: px }, P.residentPeixin.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('leaders', 'claimMatter', { matterId: px }, P.adminPeixin.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('leaders', 'claimMatter', { matterId: px }, P.unitContactHospital.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('leaders', 'claimMatter', { matterId: 'matter:nope' }, LEADER))).toBe('MATTERS.MATTER_NOT_FOUND');
    // A district admin claims only for a leader, and only a leader of the matter's region.
    expect(codeOf(await h.call('leaders', 'claimMatter', { matterId: xjb }, DISTRICT))).toBe('LEADERS.LEADER_REQUIRED');
    expect(codeOf(await h.call('leaders', 'claimMatter', { matterId: xjb, leaderId: P.residentXiaojiaba.memberId }, DISTRICT))).toBe('LEADERS.NOT_A_LEADER');
    expect(await snapshot(h)).toBe(before);

    const hanyin = await newLeader(h, R.hanyin, CITY, 'openid-leader-hanyin', '钱海涛');
    expect(codeOf(await h.call('leaders', 'claimMatter', { matterId: xjb, leaderId: hanyin }, DISTRICT))).toBe('LEADERS.NOT_A_LEADER');
    const deputy = await newLeader(h, R.hanbin, DISTRICT, 'openid-leader-hanbin-2', '冯立新');
    expect(dataOf(await h.call('leaders', 'claimMatter', { matterId: px, leaderId: deputy }, DISTRICT)).claimedBy).toEqual(['何志远', '冯立新']);
    expect((await h.services.store.collection(claims).get(`claim:${px}:${deputy}`))?.recordedBy).toBe(P.districtHanbin.memberId);

    // The leader's own list, across communities.
    dataOf(await h.call('leaders', 'claimMatter', { matterId: xjb }, LEADER));
    const mine = dataOf(await h.call('leaders', 'myClaims', {}, LEADER)).items;
    expect(mine.map((r: { communityName: string }) => r.communityName).sort()).toEqual(['培新街社区', '肖家坝社区'].sort());
    expect(mine.find((r: { matterId: string }) => r.matterId === px)).toMatchObject({ state: 'in_progress', progress: 40, leadUnitName: '汉滨区第一人民医院', claimedBy: ['何志远', '冯立新'] });
    expect(dataOf(await h.call('leaders', 'claimableMatters', { regionId: R.peixin, year: YEAR }, LEADER)).items).toEqual([expect.objectContaining({ matterId: px, mine: true })]);

    // Unclaim: off the matter, off the list.
    expect(dataOf(await h.call('leaders', 'unclaimMatter', { matterId: px }, LEADER)).claimedBy).toEqual(['冯立新']);
    expect(codeOf(await h.call('leaders', 'unclaimMatter', { matterId: px }, LEADER))).toBe('LEADERS.CLAIM_NOT_FOUND');
    expect(dataOf(await h.call('leaders', 'myClaims', {}, LEADER)).items.map((r: { matterId: string }) => r.matterId)).toEqual([xjb]);
  });

  test('coordination notes: the claiming leader only, dated today or before, own photos', async () => {
    const photo = await h.uploadPhoto(LEADER);
    expect(codeOf(await h.call('leaders', 'addNote', { matterId: px, date: '2025-03-01', text: '召集住建局现场协调楼道线路改造' }, LEADER))).toBe('LEADERS.CLAIM_NOT_FOUND');
    dataOf(await h.call('leaders', 'claimMatter', { matterId: px }, LEADER));
    const before = await snapshot(h);
    expect(codeOf(await h.call('leaders', 'addNote', { matterId: px, date: '2025-03-04', text: '明天要去现场协调线路改造' }, LEADER))).toBe('LEADERS.DATE_IN_FUTURE');
    const others = await h.uploadPhoto(P.districtHanbin.openid);
    expect(codeOf(await h.call('leaders', 'addNote', { matterId: px, date: '2025-03-01', text: '召集住建局现场协调楼道线路改造', photos: [others] }, LEADER))).toBe('FILE.NOT_OWNER');
    expect(codeOf(await h.call('leaders', 'addNote', { matterId: px, date: '2025-03-01', text: '短' }, LEADER))).toBe('INPUT.INVALID');
    expect(codeOf(await h.call('leaders', 'addNote', { matterId: px, date: '2025-03-01', text: '召集住建局现场协调楼道线路改造' }, DISTRICT))).toBe('AUTH.FORBIDDEN');
    expect(await snapshot(h)).toBe(before);

    expect(dataOf(await h.call('leaders', 'addNote', { matterId: px, date: '2025-03-01', text: '召集住建局现场协调楼道线路改造', photos: [photo] }, LEADER)).notes).toBe(1);
    h.advance(60_000);
    dataOf(await h.call('leaders', 'addNote', { matterId: px, date: '2025-03-03', text: '复查进度，督促医院党支部配合入户', photos: [] }, LEADER));
    const notes = dataOf(await h.call('leaders', 'listNotes', { matterId: px }, DISTRICT)).items;
    expect(notes.map((n: { date: string }) => n.date)).toEqual(['2025-03-03', '2025-03-01']);
    expect(notes[1].photos).toEqual([{ fileId: photo, url: expect.any(String) }]);
    expect(codeOf(await h.call('leaders', 'listNotes', { matterId: dc }, LEADER))).toBe('AUTH.FORBIDDEN');
    expect(dataOf(await h.call('leaders', 'myClaims', {}, LEADER)).items[0].notes).toBe(2);
  });

  test('claim walls: a district for its admins and leaders, the city for the city', async () => {
    const hanyin = await newLeader(h, R.hanyin, CITY, 'openid-leader-hanyin', '钱海涛');
    dataOf(await h.call('leaders', 'claimMatter', { matterId: px }, LEADER));
    dataOf(await h.call('leaders', 'claimMatter', { matterId: xjb }, LEADER));
    dataOf(await h.call('leaders', 'claimMatter', { matterId: dc }, 'openid-leader-hanyin'));
    const wall = dataOf(await h.call('leaders', 'claimWall', { regionId: R.hanbin, year: YEAR }, DISTRICT));
    expect(wall).toMatchObject({ regionName: '汉滨区', leaders: 1, claims: 2, truncated: false });
    expect(wall.items.map((r: { communityName: string }) => r.communityName)).toEqual(['培新街社区', '肖家坝社区']);
    expect(wall.items[0]).toMatchObject({ leaderName: '何志远', title: '老旧楼栋楼道照明改造', progress: 40, state: 'in_progress', leadUnitName: '汉滨区第一人民医院' });
    expect(dataOf(await h.call('leaders', 'claimWall', { regionId: R.hanbin, year: YEAR }, LEADER)).claims).toBe(2);
    const city = dataOf(await h.call('leaders', 'claimWall', { regionId: R.city, year: YEAR }, CITY));
    expect(city).toMatchObject({ leaders: 2, claims: 3 });
    expect(city.items.find((r: { leaderId: string }) => r.leaderId === hanyin)).toMatchObject({ communityName: '东城社区' });
    expect(codeOf(await h.call('leaders', 'claimWall', { regionId: R.hanyin, year: YEAR }, LEADER))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('leaders', 'claimWall', { regionId: R.city, year: YEAR }, DISTRICT))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('leaders', 'claimWall', { regionId: R.peixin, year: YEAR }, P.adminPeixin.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('leaders', 'claimWall', { regionId: R.hanbin, year: YEAR }, P.residentPeixin.openid))).toBe('AUTH.FORBIDDEN');
  });

  test('leaders claiming one matter at once all end up on it (no lost update)', async () => {
    const leaders = ['甲', '乙', '丙', '丁'].map((n, i) => ({ openid: `openid-leader-race-${i}`, name: `领导${n}` }));
    for (const l of leaders) await newLeader(h, R.hanbin, DISTRICT, l.openid, l.name);
    const all = [...leaders, { openid: LEADER, name: '何志远' }];
    for (const matterId of [px, xjb]) {
      const results = await Promise.all(all.map((l) => h.call('leaders', 'claimMatter', { matterId }, l.openid)));
      expect(results.map(codeOf)).toEqual(all.map(() => 'OK'));
      const m = await h.services.store.collection(matters).get(matterId);
      expect(m!.claimedBy.map((c) => c.name).sort()).toEqual(all.map((l) => l.name).sort());
      expect((await h.services.store.collection(claims).find({ where: { matterId } })).items).toHaveLength(all.length);
    }
    // The same leader twice at once: one claim, one refusal.
    const dc2 = await addMatter(h, 'px-second', 'peixin', '社区广场健身器材更新');
    const twice = await Promise.all([1, 2].map(() => h.call('leaders', 'claimMatter', { matterId: dc2 }, LEADER)));
    expect(twice.map(codeOf).sort()).toEqual(['LEADERS.ALREADY_CLAIMED', 'OK']);
    expect((await h.services.store.collection(matters).get(dc2))!.claimedBy).toEqual([{ memberId: P.leaderHanbin.memberId, name: '何志远' }]);
  });
});
