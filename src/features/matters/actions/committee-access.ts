/**
 * Who reads a community's demand list of a year: its admins and those above them, and the grid workers of the
 * community who sit on that year's committee (they score the demands, so they must see them; a grid worker's
 * grant is a grid, which a community scope would not cover, hence this check instead of dispatch's).
 */
import { AppError, forbidden } from '../../../lib/errors';
import { shanghaiDay } from '../../../lib/time';
import type { ActionContext, AreaActions } from '../../../server/action';
import { getRegion, regionPath } from '../../regions/regions.service';
import { committees } from '../matters.collections';
import type { mattersContract } from '../matters.schema';

export const committeeId = (communityId: string, year: number): string => `committee:${communityId}:${year}`;
export const NOT_ON_COMMITTEE = 'MATTERS.NOT_ON_COMMITTEE';

const ADMINS = new Set(['community_admin', 'district_admin', 'city_admin']);

/** The roles of actions that use demandReader (dispatch lets them in; demandReader decides). */
export const DEMAND_READERS = ['community_admin', 'district_admin', 'city_admin', 'grid_worker'] as const;

/**
 * 'staff' for an admin over the community; 'committee' for a grid worker of the community on the year's
 * committee (residents' personal data is masked for them). Anyone else is refused.
 */
export async function demandReader(ctx: ActionContext, communityId: string, year: number): Promise<'staff' | 'committee'> {
  const path = await regionPath(ctx.store, communityId);
  if (!path) throw forbidden('您无权操作该社区或区域的数据');
  if (ctx.grants.some((g) => ADMINS.has(g.role) && path.includes(g.regionId))) return 'staff';
  const grids = ctx.grants.filter((g) => g.role === 'grid_worker');
  const inCommunity = await Promise.all(grids.map(async (g) => (await regionPath(ctx.store, g.regionId))?.includes(communityId) ?? false));
  if (!inCommunity.some(Boolean)) throw forbidden('您无权操作该社区或区域的数据');
  const c = await ctx.store.collection(committees).get(committeeId(communityId, year));
  if (c?.members.some((m) => m.memberId === ctx.caller.member?._id)) return 'committee';
  throw new AppError(NOT_ON_COMMITTEE, `您不是本社区${year}年度评议小组成员，不能查看需求清单；如需参与评议，请联系社区管理员`);
}

/** 13812345678 → 138****5678, and any other run of 7+ digits (an ID or landline) starred, in free text. */
export const maskNumbers = (text: string): string =>
  text.replace(/\d{7,}[Xx]?/g, (n) => (/^1\d{10}$/.test(n) ? `${n.slice(0, 3)}****${n.slice(7)}` : `${'*'.repeat(n.length - 2)}${n.slice(-2)}`));

export const committeeAccessActions = {
  myCommittees: {
    roles: ['grid_worker'],
    // “My own”: each of the caller's grids is checked below.
    scope: () => null,
    async run(_input, ctx) {
      const year = Number(shanghaiDay(ctx.now()).slice(0, 4));
      const me = ctx.caller.member!._id;
      const grids = await Promise.all(ctx.grants.filter((g) => g.role === 'grid_worker').map((g) => getRegion(ctx.store, g.regionId)));
      const communityIds = [...new Set(grids.map((g) => g?.parentId).filter((id): id is string => !!id))];
      const items = [];
      for (const communityId of communityIds) {
        const c = await ctx.store.collection(committees).get(committeeId(communityId, year));
        if (c?.members.some((m) => m.memberId === me)) items.push({ communityId, communityName: (await getRegion(ctx.store, communityId))?.name ?? '', year });
      }
      return { items };
    },
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
