/**
 * Weighing demands: the community's assessment (cost, funding, beneficiaries, feasibility) and the
 * committee's scores on 小切口 · 影响大 · 能办到 · 群众普遍受益直接受益. A demand keeps its score sums on
 * write; individual scores and the mean stay hidden until the whole committee has scored, so no one anchors
 * on another's numbers.
 */
import { AppError } from '../../../lib/errors';
import type { ActionContext, AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { readAll } from '../../../server/read-all';
import { regionPath } from '../../regions/regions.service';
import { membersByIds } from '../../members/members.service';
import { countHouseholds } from '../../visits/visits.service';
import { committees, demands, scores } from '../matters.collections';
import { mattersContract } from '../matters.schema';
import { fastTrackRefusal } from '../matters.rules';
import { assertOwnPhotos } from '../../../server/files/photos';
import { applyScores, DEFAULT_WEIGHTS, emptySums, type ScoreSums, summarize, validWeights } from '../scoring.rules';
import { committeeId, demandReader, NOT_ON_COMMITTEE } from './committee-access';
import { MattersErrors } from './demands';
import { procedureConfig } from './settings';

export { committeeId };

export const AssessmentErrors = {
  NOT_ON_COMMITTEE,
  NO_COMMITTEE: 'MATTERS.NO_COMMITTEE',
  NOT_STAFF: 'MATTERS.COMMITTEE_NOT_STAFF',
  BAD_WEIGHTS: 'MATTERS.BAD_WEIGHTS',
} as const;

const scoreId = (demandId: string, memberId: string): string => `score:${demandId}:${memberId}`;
const demandScope = async (input: { id: string }, ctx: ActionContext) => (await ctx.store.collection(demands).get(input.id))?.communityId ?? null;
const notFound = () => new AppError(MattersErrors.DEMAND_NOT_FOUND, '找不到这条需求，可能已被删除');
const me = (ctx: ActionContext): string => ctx.caller.member!._id;
/** Staff of the community who may sit on its committee. */
const STAFF_ROLES = new Set(['community_admin', 'grid_worker']);

export const assessmentActions = {
  assessDemand: {
    roles: ['community_admin'],
    scope: demandScope,
    async run(input, ctx) {
      return withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const d = await tx.collection(demands).get(input.id);
          if (!d) throw notFound();
          if (d.status !== 'open') throw new AppError('MATTERS.DEMAND_NOT_OPEN', '只能评估清单上仍在征集中的需求');
          const now = ctx.now().toISOString();
          const { id: _id, ...a } = input;
          return tx.collection(demands).update(d._id, d._rev, { assessment: { ...a, funding: [...new Set(a.funding)], at: now }, updatedAt: now });
        }),
      );
    },
  },

  setCommittee: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const weights = input.weights ?? DEFAULT_WEIGHTS;
      if (!validWeights(weights)) throw new AppError(AssessmentErrors.BAD_WEIGHTS, '权重不能为负，且不能全为 0');
      const people = await membersByIds(ctx.store, input.memberIds);
      const staff: { memberId: string; name: string }[] = [];
      for (const id of new Set(input.memberIds)) {
        const m = people.find((p) => p._id === id);
        const inCommunity = m ? await Promise.all(m.grants.filter((g) => STAFF_ROLES.has(g.role)).map(async (g) => (await regionPath(ctx.store, g.regionId))?.includes(input.communityId) ?? false)) : [];
        if (!m || !inCommunity.some(Boolean)) throw new AppError(AssessmentErrors.NOT_STAFF, '评议小组成员须是本社区的工作人员（社区管理员或网格员）');
        staff.push({ memberId: m._id, name: m.name });
      }
      const id = committeeId(input.communityId, input.year);
      const now = ctx.now().toISOString();
      const saved = await withRetry(
        () =>
          ctx.store.transaction(async (tx) => {
            const c = await tx.collection(committees).get(id);
            const doc = { communityId: input.communityId, year: input.year, members: staff, weights, updatedAt: now };
            return c ? tx.collection(committees).update(id, c._rev, doc) : tx.collection(committees).insert(doc, { id });
          }),
        { duplicates: true },
      );
      const { _id, _rev, ...out } = saved;
      return out;
    },
  },

  getCommittee: {
    // The community's admins, and its grid workers on the committee (their demand page asks whether they score).
    roles: ['community_admin', 'grid_worker'],
    scope: () => null,
    async run(input, ctx) {
      await demandReader(ctx, input.communityId, input.year);
      const c = await ctx.store.collection(committees).get(committeeId(input.communityId, input.year));
      if (!c) return null;
      const { _id, _rev, ...out } = c;
      return out;
    },
  },

  scoreDemand: {
    roles: ['community_admin', 'grid_worker'],
    // The committee is the grant: a grid worker's region is a grid, not the community, yet they may score.
    scope: () => null,
    async run(input, ctx) {
      return withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const d = await tx.collection(demands).get(input.id);
          if (!d) throw notFound();
          if (d.status !== 'open') throw new AppError('MATTERS.DEMAND_NOT_OPEN', '只能给清单上仍在征集中的需求打分');
          const c = await tx.collection(committees).get(committeeId(d.communityId, d.year));
          if (!c) throw new AppError(AssessmentErrors.NO_COMMITTEE, '本年度还没有设立评议小组');
          if (!c.members.some((m) => m.memberId === me(ctx))) throw new AppError(AssessmentErrors.NOT_ON_COMMITTEE, '您不是本年度评议小组成员，不能打分');
          const sid = scoreId(d._id, me(ctx));
          const prev = await tx.collection(scores).get(sid);
          let sums = (d.scoring as ScoreSums | undefined) ?? emptySums();
          if (prev) sums = applyScores(sums, prev.scores, -1);
          sums = applyScores(sums, input.scores, 1);
          const at = ctx.now().toISOString();
          if (prev) await tx.collection(scores).update(sid, prev._rev, { scores: input.scores, at });
          else await tx.collection(scores).insert({ demandId: d._id, memberId: me(ctx), scores: input.scores, at }, { id: sid });
          await tx.collection(demands).update(d._id, d._rev, { scoring: sums, score: summarize(sums, c.weights)?.total ?? null, updatedAt: at });
          return { scored: sums.n, committee: c.members.length };
        }),
        { duplicates: true },
      );
    },
  },

  getScores: {
    roles: ['community_admin', 'grid_worker', 'district_admin', 'city_admin'],
    // Committee members (a grid worker holds a grid, not the community) or admins over the community.
    scope: () => null,
    async run(input, ctx) {
      const d = await ctx.store.collection(demands).get(input.id);
      if (!d) throw notFound();
      const c = await ctx.store.collection(committees).get(committeeId(d.communityId, d.year));
      const path = (await regionPath(ctx.store, d.communityId)) ?? [];
      const admin = ctx.grants.some((g) => g.role !== 'grid_worker' && path.includes(g.regionId));
      if (!admin && !c?.members.some((m) => m.memberId === me(ctx))) throw new AppError('AUTH.FORBIDDEN', '您无权查看这条需求的评分');
      const all = (await readAll(ctx.store.collection(scores), { where: { demandId: d._id } }, 100)).items;
      const size = c?.members.length ?? 0;
      const mine = all.find((s) => s.memberId === me(ctx))?.scores ?? null;
      // Complete when everyone now on the committee has scored (someone who left does not hold it back).
      const complete = size > 0 && c!.members.every((m) => all.some((s) => s.memberId === m.memberId));
      const sums = (d.scoring as ScoreSums | undefined) ?? emptySums();
      const summary = complete ? summarize(sums, c!.weights) : null;
      const names = new Map(c?.members.map((m) => [m.memberId, m.name]) ?? []);
      return {
        committee: size,
        scored: all.filter((s) => names.has(s.memberId)).length,
        complete,
        mine,
        summary: summary && { mean: { ...summary.mean }, spread: { ...summary.spread }, total: summary.total },
        scores: complete ? all.map((s) => ({ name: names.get(s.memberId) ?? '已退出的成员', scores: s.scores })) : null,
      };
    },
  },

  fastTrack: {
    roles: ['community_admin'],
    scope: demandScope,
    async run(input, ctx) {
      // The limit is the city's: read before the transaction (the demand's community names the city).
      const seen = await ctx.store.collection(demands).get(input.id);
      if (!seen) throw notFound();
      const refusal = fastTrackRefusal(input.cost, await procedureConfig(ctx.store, seen.communityId));
      if (refusal) throw new AppError(refusal.code, refusal.message);
      await assertOwnPhotos(ctx.files, input.photos, ctx.caller.openid);
      return withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const d = await tx.collection(demands).get(input.id);
          if (!d) throw notFound();
          if (d.status !== 'open') throw new AppError('MATTERS.DEMAND_NOT_OPEN', '只能办理清单上仍在征集中的需求');
          const at = ctx.now().toISOString();
          return tx.collection(demands).update(d._id, d._rev, { status: 'fast_track', fastTrack: { cost: input.cost, note: input.note, photos: input.photos, at, by: me(ctx) }, updatedAt: at });
        }),
      );
    },
  },

  countBeneficiaries: {
    roles: ['community_admin'],
    scope: demandScope,
    async run(input, ctx) {
      const d = await ctx.store.collection(demands).get(input.id);
      if (!d) throw notFound();
      const n = await countHouseholds(ctx.store, d.communityId, { buildings: input.buildings, tags: input.tags });
      const where = input.buildings.length ? input.buildings.join('、') : '全社区';
      const who = input.tags.length ? `标记为${input.tags.join('或')}的` : '';
      return { ...n, note: `住户台账：${where}${who}住户 ${n.households} 户、${n.people} 人` };
    },
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
