/**
 * The end of the work: the community admin declares a matter completed (only at 100 % progress), 验收 with at
 * least one residents' representative schedules 回访, and the result is published (实施结果公开) for the
 * community's residents with before/after photos and money spent against budget.
 */
import { AppError } from '../../../lib/errors';
import { maskName } from '../../../lib/mask';
import { shanghaiDay } from '../../../lib/time';
import type { AreaActions } from '../../../server/action';
import { assertOwnPhotos } from '../../../server/files/photos';
import { membersByIds } from '../../members/members.service';
import { unitsByIds } from '../../units/units.service';
import { matters, plans, progressUpdates, ratings } from '../matters.collections';
import { readAll } from '../../../server/read-all';
import type { ActionContext } from '../../../server/action';
import type { Matter, mattersContract } from '../matters.schema';
import { acceptanceRefusal, completionRefusal, DEFAULT_ATTENTION, DEFAULT_FOLLOW_UP_DAYS, followUpDueDay, ratingRefusal } from '../results.rules';
import { changeMatter, closingView, matterNotFound, me, refused, satisfactionOf, satisfactionView } from './closing';
import { planId } from './plan';
import { ratingId } from './ratings';
import { tellAuthors } from './tell';

export const AcceptanceErrors = {
  REPRESENTATIVE_NOT_RESIDENT: 'MATTERS.REPRESENTATIVE_NOT_RESIDENT',
  REPRESENTATIVE_TWICE: 'MATTERS.REPRESENTATIVE_TWICE',
  PHOTO_NOT_OF_MATTER: 'MATTERS.PHOTO_NOT_OF_MATTER',
} as const;

/** Photos already on the matter (验收, 回访), which a result may reuse without the publisher having uploaded them. */
/** The matter's own photos: 验收, 回访 and every progress update's (read before the transaction). */
async function ownPhotos(ctx: ActionContext, m: Matter & { _id: string }): Promise<Set<string>> {
  const updates = (await readAll(ctx.store.collection(progressUpdates), { where: { matterId: m._id } }, 5000)).items;
  return new Set([...(m.acceptance?.photos ?? []), ...(m.followUp?.photos ?? []), ...updates.flatMap((u) => u.photos.map((p) => p.fileId))]);
}

const STAFF = ['community_admin', 'district_admin', 'city_admin'] as const;

export const acceptanceActions = {
  completeMatter: {
    roles: ['community_admin'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const by = me(ctx)._id;
      const m = await changeMatter(ctx, input.matterId, (cur, _tx, now) => {
        const r = completionRefusal(cur.state, cur.progress);
        if (r) throw refused(r);
        return { state: 'completed', completion: { at: now, day: shanghaiDay(ctx.now()), by } };
      });
      await tellAuthors(ctx, [m.demandId], '已完成', () => `“${m.title}”已完成，即将组织验收`);
      return closingView(m);
    },
  },

  acceptMatter: {
    roles: ['community_admin'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const admin = me(ctx);
      const m0 = await ctx.store.collection(matters).get(input.matterId);
      if (!m0) throw matterNotFound();
      // Representatives named by member must be residents of the matter's community; each person once.
      const ids = input.representatives.flatMap((r) => ('memberId' in r ? [r.memberId] : []));
      const found = new Map((await membersByIds(ctx.store, ids)).map((x) => [x._id, x]));
      const reps = input.representatives.map((r) => {
        if (!('memberId' in r)) return { memberId: null, name: r.name };
        const x = found.get(r.memberId);
        if (!x || !x.grants.some((g) => g.role === 'resident' && g.regionId === m0.communityId)) {
          throw new AppError(AcceptanceErrors.REPRESENTATIVE_NOT_RESIDENT, '居民代表须为本社区居民（或直接填写代表姓名）');
        }
        return { memberId: x._id, name: x.name };
      });
      const keys = reps.map((r) => r.memberId ?? `name:${r.name}`);
      if (new Set(keys).size !== keys.length) throw new AppError(AcceptanceErrors.REPRESENTATIVE_TWICE, '同一位居民代表只需填写一次');
      await assertOwnPhotos(ctx.files, input.photos, ctx.caller.openid);
      const days = input.followUpDays ?? m0.closingRules?.followUpDays ?? DEFAULT_FOLLOW_UP_DAYS;
      const m = await changeMatter(ctx, input.matterId, (cur, _tx, now) => {
        const r = acceptanceRefusal(cur.state, input.date, cur.completion?.day ?? null, shanghaiDay(ctx.now()));
        if (r) throw refused(r);
        return {
          state: 'accepted',
          acceptance: { date: input.date, acceptedBy: { memberId: admin._id, name: admin.name }, representatives: reps, notes: input.notes, photos: input.photos, at: now },
          closingRules: { followUpDays: days, attention: input.attention ?? cur.closingRules?.attention ?? DEFAULT_ATTENTION },
          followUp: {
            days, dueDay: followUpDueDay(input.date, days), state: 'scheduled', surveyId: null, startedAt: null,
            outcome: null, notes: '', photos: [], answers: null, recordedAt: null, recordedBy: null,
          },
        };
      });
      return closingView(m);
    },
  },

  publishResult: {
    roles: ['community_admin'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const by = me(ctx)._id;
      const m0 = await ctx.store.collection(matters).get(input.matterId);
      if (!m0) throw matterNotFound();
      // A pair takes the matter's own photos, or photos the publisher uploaded (checked as images, theirs).
      const known = await ownPhotos(ctx, m0);
      // Money defaults to the plan's own figures (budget by source, spending kept on write).
      const plan = await ctx.store.collection(plans).get(planId(input.matterId));
      const budget = input.budget ?? plan?.budgetTotal ?? 0;
      const spent = input.spent ?? plan?.spent ?? 0;
      const uploaded = [...new Set(input.pairs.flatMap((p) => [p.before, p.after]).filter((id) => !known.has(id)))];
      await assertOwnPhotos(ctx.files, uploaded, ctx.caller.openid);
      const m = await changeMatter(ctx, input.matterId, (cur, _tx, now) => {
        if (cur.state !== 'accepted') throw new AppError('MATTERS.NOT_ACCEPTED', '实事验收后才能公开实施结果');
        return {
          result: {
            summary: input.summary, pairs: input.pairs, budget, spent, spendingNote: input.spendingNote,
            publishedAt: cur.result?.publishedAt ?? now, updatedAt: now, by,
          },
        };
      });
      return closingView(m);
    },
  },

  getResult: {
    roles: ['resident', ...STAFF, 'unit_contact', 'leader'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const m = await ctx.store.collection(matters).get(input.matterId);
      if (!m) throw matterNotFound();
      const resident = ctx.grants.some((g) => g.role === 'resident');
      const mine = resident && ctx.caller.member ? await ctx.store.collection(ratings).get(ratingId(m._id, ctx.caller.member._id)) : null;
      const unitIds = [m.leadUnitId, ...m.supportUnitIds].filter((u): u is string => !!u);
      const names = new Map((await unitsByIds(ctx.store, unitIds)).map((u) => [u._id, u.name]));
      const r = m.result;
      const photoIds = [...new Set([...(m.acceptance?.photos ?? []), ...(r?.pairs.flatMap((p) => [p.before, p.after]) ?? [])])];
      return {
        matterId: m._id,
        title: m.title,
        year: m.year,
        state: m.state,
        progress: m.progress,
        acceptance: m.acceptance
          ? { date: m.acceptance.date, representatives: m.acceptance.representatives.map((p) => maskName(p.name)), notes: m.acceptance.notes, photos: m.acceptance.photos }
          : null,
        result: r ? { summary: r.summary, pairs: r.pairs, budget: r.budget, spent: r.spent, spendingNote: r.spendingNote, publishedAt: r.publishedAt } : null,
        units: unitIds.filter((u) => names.has(u)).map((u) => ({ name: names.get(u)!, lead: u === m.leadUnitId })),
        // 领导认领 is a public commitment: the claiming leaders are named on the result.
        leaders: m.claimedBy.map((c) => c.name),
        satisfaction: satisfactionView(satisfactionOf(m)),
        followUp: m.followUp ? { dueDay: m.followUp.dueDay, state: m.followUp.state, outcome: m.followUp.outcome } : null,
        mine: mine?.level ?? null,
        canRate: resident && !mine && ratingRefusal(m.state) === null,
        urls: photoIds.length ? await ctx.files.urls(photoIds) : {},
      };
    },
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
