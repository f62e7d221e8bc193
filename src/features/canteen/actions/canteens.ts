/** Canteens: list, create, prices, staff invitations. */
import { shanghaiDay } from '../../../lib/time';
import type { ActionContext, AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { createInvitation } from '../../members/members.service';
import { canteens } from '../canteen.collections';
import { addSchedule, DEFAULT_ABSENCE_DAYS, DEFAULT_ELIGIBILITY, DEFAULT_MEAL_COST, DEFAULT_TIERS } from '../canteen.rules';
import { canteenContract, type CanteenView, type PriceSchedule } from '../canteen.schema';
import { type CanteenDoc, CanteenErrors, canteenScope, chainOf, err, getCanteen, me, regionName } from './shared';

async function canteenView(ctx: ActionContext, c: CanteenDoc): Promise<CanteenView> {
  const { createdAt: _c, updatedAt: _u, _rev, ...rest } = c;
  return { ...rest, communityName: await regionName(ctx, c.communityId) };
}

export const canteenActions = {
  myCanteens: {
    roles: 'signed-in',
    async run(_input, ctx) {
      const member = ctx.caller.member;
      if (!member) return { items: [] };
      const col = ctx.store.collection(canteens);
      const found = new Map<string, CanteenDoc>();
      const staffIds = member.grants.filter((g) => g.role === 'canteen_staff' && g.canteenId).map((g) => g.canteenId!);
      for (const c of await col.getMany(staffIds)) found.set(c._id, c);
      for (const g of member.grants) {
        const field = g.role === 'community_admin' ? 'communityId' : g.role === 'district_admin' ? 'districtId' : null;
        if (!field) continue;
        for (const c of (await col.find({ where: { [field]: g.regionId }, limit: 100 })).items) found.set(c._id, c);
      }
      const items = await Promise.all([...found.values()].map((c) => canteenView(ctx, c)));
      return { items: items.sort((a, b) => a.name.localeCompare(b.name, 'zh')) };
    },
  },

  getCanteen: {
    roles: ['canteen_staff', 'community_admin', 'district_admin', 'city_admin'],
    scope: canteenScope,
    async run(input, ctx) {
      const c = await getCanteen(ctx.store, input.canteenId);
      return canteenView(ctx, c);
    },
  },

  createCanteen: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const { community, districtId, cityId } = await chainOf(ctx, input.communityId);
      const now = ctx.now().toISOString();
      const c = await ctx.store.collection(canteens).insert(
        {
          name: input.name,
          communityId: community._id,
          districtId,
          cityId,
          meals: [...new Set(input.meals)],
          prices: [{ from: shanghaiDay(ctx.now()), mealCost: DEFAULT_MEAL_COST, tiers: DEFAULT_TIERS }],
          eligibility: DEFAULT_ELIGIBILITY,
          absenceDays: DEFAULT_ABSENCE_DAYS,
          createdAt: now,
          updatedAt: now,
        },
        { id: `ct-${ctx.newId()}` },
      );
      return canteenView(ctx, c);
    },
  },

  setPrices: {
    roles: ['community_admin'],
    scope: canteenScope,
    async run(input, ctx) {
      const saved = await withRetry(async () => {
        const c = await getCanteen(ctx.store, input.canteenId);
        const next: PriceSchedule = { from: input.from, mealCost: input.mealCost, tiers: input.tiers };
        const r = addSchedule(c.prices, next, shanghaiDay(ctx.now()));
        if (!r.ok) throw err(CanteenErrors.BAD_PRICES, r.reason);
        return ctx.store.collection(canteens).update(c._id, c._rev, { prices: r.prices, updatedAt: ctx.now().toISOString() });
      });
      return canteenView(ctx, saved);
    },
  },

  inviteStaff: {
    roles: ['community_admin'],
    scope: canteenScope,
    async run(input, ctx) {
      const c = await getCanteen(ctx.store, input.canteenId);
      const invitation = await createInvitation(
        ctx.store,
        { role: 'canteen_staff', regionId: c.communityId, regionName: c.name, communityId: c.communityId, canteenId: c._id, createdBy: me(ctx)._id },
        ctx.now(),
      );
      ctx.log.info('canteen staff invited', { canteenId: c._id, requestId: ctx.requestId });
      return invitation;
    },
  },
} satisfies Partial<AreaActions<typeof canteenContract>>;
