/**
 * The printable 实施结果公开 sheet (issue 10 item 7): what the result page shows, as one notice to post — the
 * community's name, the dates from start to 验收, units and leaders, money against budget, before/after pairs
 * and the residents' satisfaction with its count. Only a published result can be printed.
 */
import { AppError } from '../../../lib/errors';
import { maskName } from '../../../lib/mask';
import { shanghaiDay } from '../../../lib/time';
import type { AreaActions } from '../../../server/action';
import { regionName } from '../../regions/regions.service';
import { unitsByIds } from '../../units/units.service';
import { matters } from '../matters.collections';
import type { mattersContract } from '../matters.schema';
import { matterNotFound, satisfactionOf, satisfactionView } from './closing';

export const ResultSheetErrors = { NOT_PUBLISHED: 'MATTERS.RESULT_NOT_PUBLISHED' } as const;

export const resultSheetActions = {
  resultSheet: {
    roles: ['resident', 'community_admin', 'district_admin', 'city_admin', 'unit_contact', 'leader'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const m = await ctx.store.collection(matters).get(input.matterId);
      if (!m) throw matterNotFound();
      const r = m.result;
      if (m.state !== 'accepted' || !r || !m.acceptance) throw new AppError(ResultSheetErrors.NOT_PUBLISHED, '实施结果公开后才能打印结果公开表');
      const unitIds = [m.leadUnitId, ...m.supportUnitIds].filter((u): u is string => !!u);
      const [units, communityName, urls] = await Promise.all([
        unitsByIds(ctx.store, unitIds),
        regionName(ctx.store, m.communityId),
        ctx.files.urls([...new Set(r.pairs.flatMap((p) => [p.before, p.after]))]),
      ]);
      const names = new Map(units.map((u) => [u._id, u.name]));
      return {
        communityName,
        title: m.title,
        year: m.year,
        startedAt: m.startedAt ?? null,
        completedDay: m.completion?.day ?? null,
        acceptance: { date: m.acceptance.date, representatives: m.acceptance.representatives.map((p) => maskName(p.name)), notes: m.acceptance.notes },
        result: { summary: r.summary, pairs: r.pairs, budget: r.budget, spent: r.spent, spendingNote: r.spendingNote, publishedAt: r.publishedAt },
        units: unitIds.filter((u) => names.has(u)).map((u) => ({ name: names.get(u)!, lead: u === m.leadUnitId })),
        leaders: m.claimedBy.map((c) => c.name),
        satisfaction: satisfactionView(satisfactionOf(m)),
        urls,
        today: shanghaiDay(ctx.now()),
      };
    },
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
