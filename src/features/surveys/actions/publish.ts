/** Publishing and closing. */
import { AppError } from '../../../lib/errors';
import type { AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { surveysContract } from '../surveys.schema';
import { checkSchedule, ensureTallies, validDefinition } from './build';
import { adminView, col, load, SurveyErrors, surveyScope } from './shared';

export const publishActions = {
  publish: {
    roles: ['community_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const s = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const cur = await load(tx, input.id);
          if (cur.status !== 'draft') throw new AppError(SurveyErrors.BAD_STATE, '只有草稿可以发布');
          validDefinition(cur);
          checkSchedule(cur, ctx.now());
          await ensureTallies(tx, cur);
          const now = ctx.now().toISOString();
          return col(tx).update(cur._id, cur._rev, { status: 'published', publishedAt: now, updatedAt: now });
        }),
      );
      return adminView(s, ctx.now());
    },
  },

  close: {
    roles: ['community_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const s = await withRetry(async () => {
        const cur = await load(ctx.store, input.id);
        if (cur.status !== 'published') throw new AppError(SurveyErrors.BAD_STATE, cur.status === 'closed' ? '问卷已结束' : '草稿无需结束');
        const now = ctx.now().toISOString();
        return col(ctx.store).update(cur._id, cur._rev, { status: 'closed', closedAt: now, updatedAt: now });
      });
      return adminView(s, ctx.now());
    },
  },
} satisfies Partial<AreaActions<typeof surveysContract>>;
