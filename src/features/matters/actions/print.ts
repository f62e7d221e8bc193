/**
 * The printable 公示 sheet: what getSlate shows plus what a notice on the board needs and the slate view
 * leaves out — each item's estimated cost (from the community's assessment), the community's name and the
 * day it is printed. Read-only; residents may read it as they read the board.
 */
import { shanghaiDay } from '../../../lib/time';
import type { AreaActions } from '../../../server/action';
import { regionName } from '../../regions/regions.service';
import { demands, slates } from '../matters.collections';
import { daysLeft, slateItems, stageOf, type Slate as RulesSlate } from '../matters.rules';
import type { mattersContract } from '../matters.schema';
import { slateId } from './procedure';

export const printActions = {
  printSheet: {
    roles: ['community_admin', 'district_admin', 'city_admin', 'resident'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const s = await ctx.store.collection(slates).get(slateId(input.communityId, input.year));
      const rules: RulesSlate = { steps: s?.steps ?? [], publicity: s?.publicity ?? null, fixedAt: s?.fixedAt ?? null };
      const ids = s?.fixedAt ? s.fixed : slateItems(rules);
      const found = new Map((await ctx.store.collection(demands).getMany(ids)).map((d) => [d._id, d]));
      const now = ctx.now();
      return {
        communityName: await regionName(ctx.store, input.communityId),
        year: input.year,
        stage: stageOf(rules),
        items: ids.map((id) => {
          const d = found.get(id);
          return { title: d?.title ?? '', reason: s?.reasons[id] ?? '', supporters: d?.supporters ?? 0, anonymous: d?.anonymous ?? 0, cost: d?.assessment?.cost ?? null };
        }),
        steps: rules.steps.map((r) => ({ step: r.step, date: r.date })),
        publicity: s?.publicity ? { ...s.publicity, daysLeft: daysLeft(rules, now) } : null,
        fixedAt: s?.fixedAt ?? null,
        today: shanghaiDay(now),
      };
    },
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
