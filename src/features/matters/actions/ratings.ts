/**
 * Residents rate an accepted matter: one rating per resident of its community (`rating:<matter>:<member>`, which
 * the store keeps unique), an optional content-checked comment. The matter's satisfaction counts change in the
 * same transaction as the rating, and a rating that takes 不满意 over the line raises the admin's flag.
 */
import { AppError } from '../../../lib/errors';
import { hash128 } from '../../../lib/hash';
import type { AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { matters, ratings } from '../matters.collections';
import type { mattersContract } from '../matters.schema';
import { addRating, ratingRaisesAttention, ratingRefusal } from '../results.rules';
import { matterNotFound, me, noAttention, refused, rulesOf, satisfactionOf, satisfactionView } from './closing';

export const RatingErrors = {
  RATING_EXISTS: 'MATTERS.RATING_EXISTS',
  UNSAFE_CONTENT: 'MATTERS.UNSAFE_CONTENT',
} as const;

export const ratingId = (matterId: string, memberId: string): string => `rating:${matterId}:${memberId}`;

const COMMENTS_PAGE = 20;

export const ratingActions = {
  rateMatter: {
    roles: ['resident'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const member = me(ctx);
      const comment = input.comment ? input.comment : null;
      if (comment) {
        const verdict = await ctx.safety.check(comment, ctx.caller.openid);
        if (!verdict.ok) throw new AppError(RatingErrors.UNSAFE_CONTENT, `内容包含不适宜发布的词语（${verdict.reason}），请修改后再提交`);
      }
      const id = ratingId(input.matterId, member._id);
      // A second submit (or a racing one) finds the rating on its next attempt: duplicates are retried into RATING_EXISTS.
      const saved = await withRetry(
        () =>
          ctx.store.transaction(async (tx) => {
            const m = await tx.collection(matters).get(input.matterId);
            if (!m) throw matterNotFound();
            const r = ratingRefusal(m.state);
            if (r) throw refused(r);
            if (await tx.collection(ratings).get(id)) throw new AppError(RatingErrors.RATING_EXISTS, '您已评价过这件实事');
            const at = ctx.now().toISOString();
            await tx.collection(ratings).insert(
              { matterId: m._id, communityId: m.communityId, memberId: member._id, openid: ctx.caller.openid, level: input.level, comment, commented: comment !== null, at },
              { id },
            );
            const before = satisfactionOf(m);
            const after = addRating(before, input.level);
            const attention = m.attention ?? noAttention;
            const raise = ratingRaisesAttention(before, after, rulesOf(m).attention) && !attention.open;
            const patch = raise ? { attention: { ...attention, open: true, reasons: ['ratings' as const], since: at } } : {};
            await tx.collection(matters).update(m._id, m._rev, { satisfaction: after, ...patch, updatedAt: at });
            return after;
          }),
        { duplicates: true },
      );
      return { mine: input.level, satisfaction: satisfactionView(saved) };
    },
  },

  listRatingComments: {
    roles: ['resident', 'community_admin', 'district_admin', 'city_admin', 'unit_contact', 'leader'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const page = await ctx.store.collection(ratings).find({
        where: { matterId: input.matterId, commented: true },
        orderBy: { field: 'at', direction: 'desc' },
        limit: COMMENTS_PAGE,
        cursor: input.cursor ?? null,
      });
      // The list key is a hash: the rating's own id names its author.
      return { items: page.items.map((r) => ({ _id: hash128(`comment:${r._id}`), level: r.level, comment: r.comment ?? '', at: r.at })), nextCursor: page.nextCursor };
    },
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
