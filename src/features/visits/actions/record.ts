/** Visit notes: recording from the outbox (idempotent), reading one, the admin's feed. */
import { AppError, ErrorCodes } from '../../../lib/errors';
import { dayBounds } from '../../../lib/time';
import type { AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { assertOwnPhotos } from '../../../server/files/photos';
import type { Fields, TxCollection, TxStore, Where } from '../../../server/store/store';
import { ancestry } from '../../regions/regions.service';
import { fileSuggestionInTx } from '../../suggestions/suggestions.service';
import { gridMonths, visitMarks, workerMonths } from '../visits.collections';
import { displayAddress, gridMonthId, householdAuthorId, householdMonthMark, laterOf, monthOf, nextDueAt, requestSuggestionId, visitId, wasDueInMonth, workerHouseholdMark, workerMonthId } from '../visits.rules';
import { type FeedFilter, visitsContract } from '../visits.schema';
import { feedItem, H, householdNotFound, householdOf, householdScope, me, NEWEST, V, VisitErrors, visitViews } from './shared';

/** Visits may be recorded up to this long after they happened (a phone offline for weeks). */
const MAX_AGE_MS = 90 * 24 * 3600_000;

/** Clock skew allowed for a phone's visit time. */
const SKEW_MS = 10 * 60_000;

function feedWhere(f: FeedFilter): Where {
  let range: ReturnType<typeof dayBounds>;
  try {
    range = dayBounds(f.from, f.to);
  } catch (e) {
    const message = e instanceof Error ? e.message : '日期无效';
    throw new AppError(ErrorCodes.INPUT_INVALID, message, [{ path: [message.startsWith('结束') ? 'to' : 'from'], message }]);
  }
  const where: Where = { communityId: f.communityId };
  if (f.gridId) where.gridId = f.gridId;
  if (f.workerId) where.workerId = f.workerId;
  if (f.kind) where.kind = f.kind;
  if (range) where.visitedAt = range;
  return where;
}

/** Inserts a document, or adds `deltas` to it when it already exists. Inside a transaction. */
async function addTo<T>(col: TxCollection<T>, id: string, base: Fields<T>, deltas: Record<string, number>): Promise<void> {
  if (await col.get(id)) {
    await col.increment(id, deltas);
    return;
  }
  const doc = { ...base } as Record<string, unknown>;
  for (const [k, d] of Object.entries(deltas)) doc[k] = ((doc[k] as number | undefined) ?? 0) + d;
  await col.insert(doc as Fields<T>, { id });
}

/** True when this insert created the marker (the first time), false when it was already there. */
async function mark(tx: TxStore, id: string, at: string): Promise<boolean> {
  if (await tx.collection(visitMarks).get(id)) return false;
  await tx.collection(visitMarks).insert({ at }, { id });
  return true;
}

export const recordActions = {
  /**
   * A visit note from the phone's outbox. Idempotent: the id comes from the worker and the client's id,
   * so a retry returns the first result and files no suggestion twice. Photos are uploaded before.
   */
  record: {
    roles: ['grid_worker'],
    scope: householdScope,
    async run(input, ctx) {
      const member = me(ctx);
      const id = visitId(member._id, input.clientId);
      const existing = await V(ctx.store).get(id);
      if (existing) {
        if (existing.workerId !== member._id) throw new AppError(VisitErrors.ID_TAKEN, '走访编号冲突，请重新保存');
        return (await visitViews(ctx, [existing]))[0]!;
      }
      const h0 = await householdOf(ctx, input.householdId);
      const now = ctx.now();
      const at = Date.parse(input.visitedAt);
      if (at > now.getTime() + SKEW_MS) throw new AppError(VisitErrors.BAD_TIME, '走访时间不能晚于现在，请检查手机时间');
      if (at < now.getTime() - MAX_AGE_MS) throw new AppError(VisitErrors.BAD_TIME, '只能补录 90 天内的走访');
      const visitedAt = new Date(at).toISOString();
      if (input.followUpOf) {
        const earlier = await V(ctx.store).get(input.followUpOf);
        if (!earlier || earlier.householdId !== h0._id) throw new AppError(VisitErrors.BAD_FOLLOW_UP, '回访只能关联这一户以前的走访记录');
      }
      const photos = [...new Set(input.photos)];
      await assertOwnPhotos(ctx.files, photos, ctx.caller.openid);

      const { idOf } = await ancestry(ctx.store, h0.communityId);
      const month = monthOf(visitedAt);
      const address = displayAddress(h0);

      const stored = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const again = await V(tx).get(id);
          if (again) return again;
          const h = await H(tx).get(h0._id);
          if (!h) throw householdNotFound();
          const recordedAt = ctx.now().toISOString();
          const requests = input.requests.map((r, i) => ({ text: r.text, category: r.category, suggestionId: requestSuggestionId(id, i) }));
          for (const r of requests) {
            await fileSuggestionInTx(tx, r.suggestionId, {
                communityId: h.communityId,
                districtId: idOf('district'),
                cityId: idOf('city'),
                author: { id: householdAuthorId(h._id), openid: ctx.caller.openid, name: h.headName, phone: h.phone, address },
                showName: false,
                source: 'visit',
                category: r.category,
                text: r.text,
                place: address,
                origin: { kind: 'visit', id, householdId: h._id },
              now: recordedAt,
            });
          }
          const v = await V(tx).insert(
            {
              clientId: input.clientId,
              communityId: h.communityId,
              gridId: h.gridId,
              householdId: h._id,
              address,
              headName: h.headName,
              workerId: member._id,
              workerName: member.name,
              visitedAt,
              month,
              kind: input.kind,
              findings: input.findings,
              requests,
              photos,
              photoConsent: input.photoConsent,
              location: input.location ?? null,
              followUpOf: input.followUpOf ?? null,
              recordedAt,
            },
            { id },
          );
          const firstInMonth = await mark(tx, householdMonthMark(h._id, month), recordedAt);
          const wasDue = firstInMonth && wasDueInMonth(h.nextDueAt, month);
          const last = laterOf(h.lastVisitAt, visitedAt);
          await H(tx).update(h._id, h._rev, {
            lastVisitAt: last,
            lastVisitMonth: monthOf(last),
            nextDueAt: nextDueAt(last, h.everyDays, h.createdAt),
            visitCount: h.visitCount + 1,
            updatedAt: recordedAt,
          });
          await addTo(tx.collection(gridMonths), gridMonthId(h.gridId, month), { communityId: h.communityId, gridId: h.gridId, month, visits: 0, households: 0, dueVisited: 0 }, {
            visits: 1,
            households: firstInMonth ? 1 : 0,
            dueVisited: wasDue ? 1 : 0,
          });
          const workerFirst = await mark(tx, workerHouseholdMark(member._id, h._id, month), recordedAt);
          await addTo(tx.collection(workerMonths), workerMonthId(member._id, month), { communityId: h.communityId, workerId: member._id, month, visits: 0, households: 0 }, {
            visits: 1,
            households: workerFirst ? 1 : 0,
          });
          return v;
        }),
      );
      if (stored.workerId !== member._id) throw new AppError(VisitErrors.ID_TAKEN, '走访编号冲突，请重新保存');
      ctx.log.info('visit recorded', { requestId: ctx.requestId, visitId: stored._id, requests: stored.requests.length, photos: stored.photos.length });
      return (await visitViews(ctx, [stored]))[0]!;
    },
  },

  /** One visit note: its grid's workers and the community admin (residents have no visit action at all). */
  visit: {
    roles: ['grid_worker', 'community_admin'],
    scope: async (input, ctx) => {
      const v = await V(ctx.store).get(input.id);
      return v ? { grid: v.gridId } : null;
    },
    async run(input, ctx) {
      const v = await V(ctx.store).get(input.id);
      if (!v) throw new AppError(VisitErrors.NOT_FOUND, '走访记录不存在');
      return (await visitViews(ctx, [v]))[0]!;
    },
  },

  feed: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const page = await V(ctx.store).find({ where: feedWhere(input), orderBy: NEWEST, limit: input.limit, cursor: input.cursor });
      return { items: page.items.map(feedItem), nextCursor: page.nextCursor };
    },
  },
} satisfies Partial<AreaActions<typeof visitsContract>>;
