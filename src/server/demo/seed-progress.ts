/**
 * A year carried out, for the demo: 老城社区 (汉滨区, beside 培新街社区) fixed its list this year through 四议两公开,
 * and its two matters are under way with the demo units, the demo leader's claim, plans, progress photos and
 * money. 老城小游园改造提升 is done, accepted, its result published and rated by neighbours; 背街小巷路面硬化 is
 * in progress with a milestone overdue. Everything is written by the actions themselves, as their callers,
 * on a clock set back to the day each step happened (so counters, progress and timelines are the product's
 * own); the photos are small real PNGs through the files port. Skipped once the matters exist.
 *
 * Not part of seedDemo: every action test seeds the demo, and this story is the demo's, not theirs.
 * Every person is invented.
 */
import type { ActionContext, Services } from '../action';
import { members } from '../../features/members/members.collections';
import { mattersArea } from '../../features/matters/matters.actions';
import { mattersContract } from '../../features/matters/matters.schema';
import { matters } from '../../features/matters/matters.collections';
import { matterId } from '../../features/matters/matters.service';
import { unitsArea } from '../../features/units/units.actions';
import { unitsContract } from '../../features/units/units.schema';
import { leadersArea } from '../../features/leaders/leaders.actions';
import { leadersContract } from '../../features/leaders/leaders.schema';
import { shanghaiDay } from '../../lib/time';
import { DEMO_PEOPLE, DEMO_STORY_PEOPLE, REGION_IDS as R, type DemoPerson } from './demo-data';
import { demoPng, type Look } from './demo-png';
import { seedPeople } from './seed';
import { DEMO_UNIT_IDS as U } from './seed-units';

const DAY = 24 * 3600_000;
const ADMIN = DEMO_STORY_PEOPLE.adminLaocheng;
const COMMUNITY = R.laochengComm;

const NEIGHBOURS = [
  ['n1', '周玉芬', '2栋', 'satisfied', '晚上在游园里散步亮堂多了，座椅也结实。'],
  ['n2', '钱福生', '5栋', 'satisfied', '健身器材新装的，老人孩子都爱来。'],
  ['n3', '孙桂英', '7栋', 'satisfied', ''],
  ['n4', '吴长林', '3栋', 'basic', '希望再多放几个垃圾桶。'],
] as const;

/** Neighbours of 老城社区 who rated the finished matter (members without a demo sign-in). */
export const DEMO_RATERS: DemoPerson[] = NEIGHBOURS.map(([key, name, building], i) => ({
  memberId: `m-laocheng-${key}`, openid: `demo-neighbour-laocheng-${key}`, name, phone: `1390000000${i + 1}`, label: '居民 · 老城社区',
  grants: [{ role: 'resident', regionId: COMMUNITY, regionName: '老城社区', building, unit: '1单元' }],
}));

const GARDEN = { requestId: 'demo-seed-lc-garden', title: '老城小游园改造提升', category: '公共设施', description: '小游园地面破损、座椅朽坏、夜间无照明，居民希望整体改造，增设健身器材和路灯。', note: '居民议事会上多位居民代表提出' } as const;
const ALLEY = { requestId: 'demo-seed-lc-alley', title: '背街小巷路面硬化', category: '道路交通', description: '东巷、后街土路雨天泥泞，老人出行不便；希望硬化路面并修好排水。', note: '网格员入户走访时居民反映集中' } as const;

async function as(services: Services, person: Pick<DemoPerson, 'memberId' | 'openid'>, at: Date): Promise<ActionContext> {
  const member = await services.store.collection(members).get(person.memberId);
  if (!member) throw new Error(`demo progress: ${person.memberId} is not seeded`);
  return { ...services, now: () => new Date(at), caller: { openid: person.openid, member }, grants: member.grants, requestId: 'seed-progress' };
}

export async function seedDemoProgress(services: Services): Promise<void> {
  await seedPeople(services, [...Object.values(DEMO_STORY_PEOPLE), ...DEMO_RATERS]);
  const now = services.now();
  const year = Number(shanghaiDay(now).slice(0, 4));
  // The story spans up to 80 days before today, squeezed to fit in this year early in January.
  const sinceNewYear = (now.getTime() - Date.parse(`${year}-01-01T00:00:00+08:00`)) / DAY;
  const scale = Math.min(1, Math.max(0.05, (sinceNewYear - 0.5) / 80));
  const ago = (days: number) => new Date(now.getTime() - days * scale * DAY);
  const dayAgo = (days: number) => shanghaiDay(ago(days));
  const M = mattersArea.actions;
  const C = mattersContract;

  const existing = await services.store.collection(matters).find({ where: { communityId: COMMUNITY, year }, limit: 1 });
  if (existing.items.length) return;

  // 1. The demands, the four deliberations, 公示 and the fixed list.
  let ctx = await as(services, ADMIN, ago(80));
  const demandIds: string[] = [];
  for (const d of [GARDEN, ALLEY]) demandIds.push((await M.createDemand.run(C.createDemand.input.parse({ ...d, communityId: COMMUNITY }), ctx))._id);
  const [garden, alley] = demandIds as [string, string];
  const votes = (n: number) => Object.fromEntries(demandIds.map((id) => [id, { for: n, against: 0, abstain: 0 }]));
  const steps = [['proposal', 76, 7, 7], ['consultation', 74, 9, 9], ['review', 72, 31, 28], ['resolution', 70, 36, 31]] as const;
  for (const [step, d, expected, present] of steps) {
    ctx = await as(services, ADMIN, ago(d));
    await M.recordStep.run(C.recordStep.input.parse({
      communityId: COMMUNITY, year, step, date: dayAgo(d), expected, present, votes: votes(present),
      reasons: step === 'proposal' ? { [garden]: '居民呼声最高，老人孩子天天用', [alley]: '雨天出行难，投入小、见效快' } : {},
      minutes: `${step === 'resolution' ? '居民代表会议' : '会议'}讨论并表决通过`,
    }), ctx);
  }
  await M.startPublicity.run(C.startPublicity.input.parse({ communityId: COMMUNITY, year }), await as(services, ADMIN, ago(69)));
  await M.fixList.run(C.fixList.input.parse({ communityId: COMMUNITY, year }), await as(services, ADMIN, ago(60)));
  const gardenM = matterId(garden);
  const alleyM = matterId(alley);

  // 2. Units (linked to the community by the district), the leader's claim.
  const district = await as(services, DEMO_PEOPLE.districtHanbin, ago(59));
  for (const unitId of [U.hospital, U.housing]) await unitsArea.actions.linkCommunity.run(unitsContract.linkCommunity.input.parse({ unitId, communityId: COMMUNITY }), district);
  ctx = await as(services, ADMIN, ago(58));
  await unitsArea.actions.assignMatterUnits.run(unitsContract.assignMatterUnits.input.parse({ matterId: gardenM, leadUnitId: U.hospital, supportUnitIds: [U.housing] }), ctx);
  await unitsArea.actions.assignMatterUnits.run(unitsContract.assignMatterUnits.input.parse({ matterId: alleyM, leadUnitId: U.housing, supportUnitIds: [] }), ctx);
  await leadersArea.actions.claimMatter.run(leadersContract.claimMatter.input.parse({ matterId: gardenM }), await as(services, DEMO_PEOPLE.leaderHanbin, ago(57)));

  // 3. Plans: budget and milestones.
  ctx = await as(services, ADMIN, ago(56));
  const unit = (unitId: string) => ({ kind: 'unit' as const, unitId });
  await M.setBudget.run(C.setBudget.input.parse({ matterId: gardenM, budget: { fiscal: 180_000_00, unit: 30_000_00, donation: 5_000_00 } }), ctx);
  for (const [title, weight, owner, start, due] of [
    ['方案设计与公示', 20, unit(U.housing), 55, 45],
    ['地面与座椅改造', 50, unit(U.hospital), 45, 25],
    ['路灯和健身器材安装', 30, unit(U.hospital), 30, 15],
  ] as const) await M.addMilestone.run(C.addMilestone.input.parse({ matterId: gardenM, title, weight, owner, start: dayAgo(start), due: dayAgo(due) }), ctx);
  await M.setBudget.run(C.setBudget.input.parse({ matterId: alleyM, budget: { fiscal: 96_000_00 } }), ctx);
  for (const [title, weight, owner, start, due] of [
    ['材料采购', 30, unit(U.housing), 50, 35],
    ['东巷路面硬化', 40, unit(U.housing), 35, 8],
    ['后街排水与路面', 30, { kind: 'person' as const, name: '郭建新' }, 10, -20],
  ] as const) await M.addMilestone.run(C.addMilestone.input.parse({ matterId: alleyM, title, weight, owner, start: dayAgo(start), due: dayAgo(due) }), ctx);

  // 4. Progress with photos (uploaded now: a milestone done needs photos uploaded after it started).
  let seq = 0;
  const photo = async (owner: string, look: Look) => {
    seq++;
    return (await services.files.put(demoPng(look, seq), { ownerOpenid: owner, contentType: 'image/png', ext: 'png', folder: 'photos' })).fileId;
  };
  const post = async (who: DemoPerson, d: number, matter: string, key: string, text: string, looks: Look[], milestoneId: string | null = null, done = false) => {
    const photos = [];
    for (const look of looks) photos.push({ fileId: await photo(who.openid, look), tag: look });
    await M.postUpdate.run(C.postUpdate.input.parse({ matterId: matter, requestId: `demo-seed-${key}`, text, photos, milestoneId, done }), await as(services, who, ago(d)));
    return photos;
  };
  const hospital = DEMO_PEOPLE.unitContactHospital;
  const [gBefore1, gBefore2] = await post(ADMIN, 50, gardenM, 'g1', '改造方案已在社区公示栏和小区群公示，收集居民意见 23 条。', ['before', 'before'], 'ms1', true);
  await post(hospital, 38, gardenM, 'g2', '旧地砖和朽坏座椅已拆除，透水砖铺装过半。', ['during', 'during', 'during']);
  await post(hospital, 27, gardenM, 'g3', '地面铺装和 12 组座椅全部完成。', ['during', 'after'], 'ms2', true);
  await post(hospital, 17, gardenM, 'g4', '8 盏太阳能路灯、6 件健身器材安装调试完毕。', ['during', 'after', 'after'], 'ms3', true);
  await post(ADMIN, 45, alleyM, 'a1', '水泥、砂石和排水管材已进场。', ['before', 'during'], 'ms1', true);
  await post(ADMIN, 12, alleyM, 'a2', '东巷路面浇筑完成约六成，因连续降雨暂停施工。', ['during', 'during']);

  // Money spent.
  for (const [matter, key, amount, d, purpose] of [
    [gardenM, 'gs1', 96_500_00, 36, '透水砖与座椅采购、铺装'], [gardenM, 'gs2', 88_200_00, 18, '太阳能路灯与健身器材'], [alleyM, 'as1', 41_300_00, 44, '水泥、砂石与排水管材'],
  ] as const) await M.addSpending.run(C.addSpending.input.parse({ matterId: matter, requestId: `demo-seed-${key}`, amount, date: dayAgo(d), purpose }), await as(services, ADMIN, ago(d)));

  // 5. Done, 验收, the result published, neighbours' ratings.
  await M.completeMatter.run(C.completeMatter.input.parse({ matterId: gardenM }), await as(services, ADMIN, ago(14)));
  ctx = await as(services, ADMIN, ago(12));
  const accepted = [await photo(ADMIN.openid, 'after'), await photo(ADMIN.openid, 'after')];
  await M.acceptMatter.run(C.acceptMatter.input.parse({
    matterId: gardenM, date: dayAgo(12), representatives: [{ name: '周玉芬' }, { name: '钱福生' }], notes: '地面平整，座椅牢固，路灯和健身器材运行正常，验收合格。', photos: accepted,
  }), ctx);
  await M.publishResult.run(C.publishResult.input.parse({
    matterId: gardenM, summary: '完成小游园地面透水铺装 860 平方米，更换座椅 12 组，新装太阳能路灯 8 盏、健身器材 6 件，居民夜间散步和健身有了好去处。',
    // Before: the admin's photos when the plan was shown; after: the photos taken at 验收.
    pairs: [{ before: gBefore1!.fileId, after: accepted[0]!, caption: '游园全貌' }, { before: gBefore2!.fileId, after: accepted[1]!, caption: '座椅与步道' }],
    budget: 215_000_00, spent: 184_700_00, spendingNote: '结余资金用于后期维护',
  }), await as(services, ADMIN, ago(11)));
  for (const [i, r] of DEMO_RATERS.entries()) {
    const [, , , level, comment] = NEIGHBOURS[i]!;
    await M.rateMatter.run(C.rateMatter.input.parse({ matterId: gardenM, level, ...(comment ? { comment } : {}) }), await as(services, r, ago(10 - i * 2)));
  }
}
