/** The suggestion box's figures for district and city admins: counts per community, no rows read, no personal data. */
import { AppError } from '../../lib/errors';
import type { ActionContext, AreaActions } from '../../server/action';
import type { Stored, Where } from '../../server/store/store';
import { childrenOf, getRegion, type Region } from '../regions/regions.service';
import { suggestions } from './suggestions.collections';
import { daysFromMinutes, medianByCounting } from './suggestions.rules';
import { type CommunityStats, suggestionsContract } from './suggestions.schema';

/** Parallel communities in stats: keeps CloudBase from a burst of hundreds of requests. */
const STATS_PARALLEL = 8;

/** Communities at or below a region, walking the tree through the parentId index (grids are skipped). */
async function communitiesUnder(ctx: ActionContext, root: Stored<Region>): Promise<Stored<Region>[]> {
  const out: Stored<Region>[] = [];
  const queue = [root];
  while (queue.length) {
    const node = queue.shift()!;
    if (node.kind === 'community') {
      out.push(node);
      continue;
    }
    if (node.kind === 'grid') continue;
    queue.push(...(await childrenOf(ctx.store, node._id)));
  }
  return out;
}

/** Counts only: collected, replied, and the median found by counting (no rows are read, no personal data). */
async function statsOf(ctx: ActionContext, c: Stored<Region>): Promise<CommunityStats> {
  const s = ctx.store.collection(suggestions);
  const replied = { communityId: c._id, firstReplyMinutes: { gte: 0 } };
  const [collected, repliedCount] = await Promise.all([s.count({ communityId: c._id }), s.count(replied)]);
  let median: number | null = null;
  if (repliedCount > 0) {
    const edge = async (direction: 'asc' | 'desc', where: Where = replied) =>
      (await s.find({ where, orderBy: { field: 'firstReplyMinutes', direction }, limit: 1 })).items[0]?.firstReplyMinutes ?? 0;
    const [min, max] = await Promise.all([edge('asc'), edge('desc')]);
    median = await medianByCounting({
      n: repliedCount,
      min,
      max,
      countAtMost: (v) => s.count({ communityId: c._id, firstReplyMinutes: { gte: 0, lte: v } }),
      nextAbove: (v) => edge('asc', { communityId: c._id, firstReplyMinutes: { gt: v } }),
    });
  }
  return {
    communityId: c._id,
    communityName: c.name,
    collected,
    replied: repliedCount,
    medianDaysToFirstReply: median === null ? null : daysFromMinutes(median),
  };
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export const statsActions = {
  /** Per community under a district or the city: counts only, no personal data. */
  stats: {
    roles: ['district_admin', 'city_admin'],
    scope: (input) => input.regionId,
    async run(input, ctx) {
      const root = await getRegion(ctx.store, input.regionId);
      if (!root) throw new AppError('REGION.NOT_FOUND', '区域不存在');
      const communities = await communitiesUnder(ctx, root);
      return { items: await mapLimit(communities, STATS_PARALLEL, (c) => statsOf(ctx, c)) };
    },
  },
} satisfies Partial<AreaActions<typeof suggestionsContract>>;
