/** What the ending use cases (acceptance, ratings, 回访) share: one matter changed in a transaction, and the staff view of it. */
import { AppError, forbidden } from '../../../lib/errors';
import type { ActionContext } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import type { Fields, Stored, TxStore } from '../../../server/store/store';
import type { Member } from '../../members/members.schema';
import { matters } from '../matters.collections';
import type { Matter } from '../matters.schema';
import { DEFAULT_ATTENTION, DEFAULT_FOLLOW_UP_DAYS, NO_RATINGS, type Refusal, type Satisfaction, satisfactionRate } from '../results.rules';
import type { ClosingView } from '../results.schema';

export type MatterDoc = Stored<Matter>;

export const refused = (r: Refusal): AppError => new AppError(r.code, r.message);
export const matterNotFound = () => new AppError('MATTERS.MATTER_NOT_FOUND', '找不到这件实事');

export function me(ctx: ActionContext): Stored<Member> {
  if (!ctx.caller.member) throw forbidden('请先加入社区');
  return ctx.caller.member;
}

export const satisfactionOf = (m: Matter): Satisfaction => m.satisfaction ?? NO_RATINGS;
export const satisfactionView = (s: Satisfaction) => ({ ...s, rate: satisfactionRate(s) });
export const rulesOf = (m: Matter) => m.closingRules ?? { followUpDays: DEFAULT_FOLLOW_UP_DAYS, attention: DEFAULT_ATTENTION };
export const noAttention = { open: false, reasons: [], since: null, responses: [] } as NonNullable<Matter['attention']>;

export const closingView = (m: Matter & { _id: string }): ClosingView => ({
  _id: m._id, title: m.title, communityId: m.communityId, state: m.state, progress: m.progress,
  completion: m.completion ?? null, acceptance: m.acceptance ?? null, result: m.result ?? null,
  satisfaction: satisfactionOf(m), closingRules: rulesOf(m), followUp: m.followUp ?? null,
  attention: m.attention ?? noAttention, reopenings: m.reopenings ?? [],
});

/** Reads the matter in a transaction, lets `change` refuse or patch it, writes it under its `_rev`; retried on conflicts. */
export function changeMatter(
  ctx: ActionContext,
  id: string,
  change: (m: MatterDoc, tx: TxStore, now: string) => Promise<Partial<Fields<Matter>>> | Partial<Fields<Matter>>,
): Promise<MatterDoc> {
  return withRetry(() =>
    ctx.store.transaction(async (tx) => {
      const m = await tx.collection(matters).get(id);
      if (!m) throw matterNotFound();
      const now = ctx.now().toISOString();
      const patch = await change(m, tx, now);
      return tx.collection(matters).update(id, m._rev, { ...patch, updatedAt: now });
    }),
  );
}
