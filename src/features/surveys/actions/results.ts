/** Results from the tallies: totals, cross-tabs, text answers. */
import { AppError } from '../../../lib/errors';
import type { AreaActions } from '../../../server/action';
import type { Store } from '../../../server/store/store';
import { surveyTexts } from '../surveys.collections';
import { dimensionsOf } from '../surveys.rules';
import { counterTotal, groupsOf, NO_ANSWER, resultsOf, TALLY_SHARDS, tallyId } from '../surveys.tally.rules';
import { type Question, surveysContract } from '../surveys.schema';
import { load, readTally, sumShards, SurveyErrors, surveyScope } from './shared';

const TEXT_PAGE = 20;

/** One cross-tab: group → its counters (shards summed). */
async function readCross(store: Store, surveyId: string, dim: Question): Promise<Record<string, Record<string, unknown>>> {
  const groups = groupsOf(dim);
  const sums = await Promise.all(groups.map((g) => sumShards(store, Array.from({ length: TALLY_SHARDS }, (_, shard) => tallyId(surveyId, shard, dim.id, g)))));
  return Object.fromEntries(groups.map((g, i) => [g, sums[i]!]));
}

export const resultActions = {
  results: {
    roles: ['community_admin', 'district_admin', 'city_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const s = await load(ctx.store, input.surveyId);
      const body = await readTally(ctx.store, s._id);
      const total = counterTotal(body);
      return {
        surveyId: s._id,
        title: s.title,
        anonymous: s.anonymous,
        total,
        staffEntered: counterTotal(body, 'staff'),
        households: s.households,
        responseRate: s.households ? Math.round((total / s.households) * 1000) / 1000 : null,
        questions: resultsOf(s, body),
        dimensions: dimensionsOf(s).map((d) => ({ id: d.id, title: d.title })),
      };
    },
  },

  crossTab: {
    roles: ['community_admin', 'district_admin', 'city_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const s = await load(ctx.store, input.surveyId);
      const by = dimensionsOf(s).find((d) => d.id === input.by);
      if (!by) throw new AppError(SurveyErrors.NOT_FOUND, '该题不能用于交叉分析（需为设置了交叉分析的单选题）');
      const cross = await readCross(ctx.store, s._id, by);
      const groups = [...(by.options ?? []).map((o) => ({ id: o.id, label: o.label })), { id: NO_ANSWER, label: '未作答' }];
      return {
        by: { id: by.id, title: by.title },
        groups: groups
          .map((g) => {
            const c = cross[g.id] ?? {};
            return { ...g, total: counterTotal(c), questions: resultsOf(s, c).filter((q) => q.id !== by.id) };
          })
          .filter((g) => g.id !== NO_ANSWER || g.total > 0),
      };
    },
  },

  texts: {
    roles: ['community_admin', 'district_admin', 'city_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const page = await ctx.store.collection(surveyTexts).find({
        where: { surveyId: input.surveyId, questionId: input.questionId, ...(input.q ? { text: { contains: input.q } } : {}) },
        orderBy: { field: 'createdAt', direction: 'desc' },
        limit: TEXT_PAGE,
        cursor: input.cursor,
      });
      return {
        items: page.items.map((t) => ({ _id: t._id, text: t.text, other: t.other, staffEntered: t.staffEntered, createdAt: t.createdAt })),
        nextCursor: page.nextCursor,
      };
    },
  },
} satisfies Partial<AreaActions<typeof surveysContract>>;
