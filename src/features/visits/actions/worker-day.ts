/** A grid worker's day: due households, alerts, this week's visits. */
import { AppError, ErrorCodes, forbidden } from '../../../lib/errors';
import { shanghaiDayEnd, shanghaiDayStart } from '../../../lib/time';
import type { AreaActions } from '../../../server/action';
import { careAlert, recentCareAlerts } from '../../canteen/canteen.service';
import { getRegions } from '../../regions/regions.service';
import { alertsDone } from '../visits.collections';
import { displayAddress, weekStart } from '../visits.rules';
import { visitsContract } from '../visits.schema';
import { covers, feedItem, H, hasCode, me, NEWEST, today, V, views, VisitErrors, workerGridIds } from './shared';

const DUE_PAGE = 50;

const WEEK_PAGE = 50;

/** `household:<id>` → the household id; other refs (e.g. `elder:<id>`) are not in the ledger. */
const alertHousehold = (ref: string): string | null => (ref.startsWith('household:') ? ref.slice('household:'.length) : null);

export const workerDayActions = {
  today: {
    roles: ['grid_worker'],
    async run(_input, ctx) {
      const member = me(ctx);
      const gridIds = await workerGridIds(ctx);
      const day = today(ctx);
      const due = gridIds.length
        ? await H(ctx.store).find({
            where: { gridId: { in: gridIds }, nextDueAt: { lt: shanghaiDayEnd(day).toISOString() } },
            orderBy: { field: 'nextDueAt', direction: 'asc' },
            limit: DUE_PAGE,
          })
        : { items: [], nextCursor: null };
      const since = shanghaiDayStart(weekStart(day)).toISOString();
      const weekWhere = { workerId: member._id, visitedAt: { gte: since } };
      const [week, weekCount] = await Promise.all([V(ctx.store).find({ where: weekWhere, orderBy: NEWEST, limit: WEEK_PAGE }), V(ctx.store).count(weekWhere)]);

      // Alerts of the last 30 days for the worker's communities, routed to the household's grid when known.
      const grids = await getRegions(ctx.store, gridIds);
      const communityIds = [...new Set(grids.map((g) => g.parentId!))];
      const from = new Date(ctx.now().getTime() - 30 * 24 * 3600_000).toISOString();
      const raw = (
        await Promise.all(
          communityIds.map((cid) => recentCareAlerts(ctx.store, cid, from)),
        )
      ).flat();
      const done = new Set((await ctx.store.collection(alertsDone).getMany(raw.map((a) => a._id))).map((d) => d._id));
      const open = raw.filter((a) => !done.has(a._id));
      const linked = new Map((await H(ctx.store).getMany(open.flatMap((a) => alertHousehold(a.householdOrElderRef) ?? []))).map((h) => [h._id, h]));
      const alerts = open.flatMap((a) => {
        const hid = alertHousehold(a.householdOrElderRef);
        const h = hid ? linked.get(hid) : undefined;
        if (h && !gridIds.includes(h.gridId)) return [];
        return [{ _id: a._id, kind: a.kind, reason: a.reason, householdId: h?._id ?? null, address: h ? displayAddress(h) : null, createdAt: a.createdAt }];
      });
      return { due: await views(ctx, due.items), dueMore: due.nextCursor !== null, alerts, week: week.items.map(feedItem), weekCount };
    },
  },

  /** Routed alerts: the household's (or the alert's) grid decides who may clear it; community-wide ones, any of its grid workers or its admin. */
  resolveAlert: {
    roles: ['grid_worker', 'community_admin'],
    async run(input, ctx) {
      const alert = await careAlert(ctx.store, input.id);
      if (!alert) throw new AppError(VisitErrors.ALERT_NOT_FOUND, '提醒不存在');
      const hid = alertHousehold(alert.householdOrElderRef);
      const h = hid ? await H(ctx.store).get(hid) : null;
      const allowed = h
        ? await covers(ctx, h.gridId)
        : (await covers(ctx, alert.communityId)) ||
          (await getRegions(ctx.store, await workerGridIds(ctx))).some((g) => g.parentId === alert.communityId);
      if (!allowed) throw forbidden('您无权处理该提醒');
      try {
        await ctx.store.collection(alertsDone).insert({ resolvedAt: ctx.now().toISOString(), by: me(ctx)._id }, { id: alert._id });
      } catch (e) {
        if (!hasCode(e, ErrorCodes.DUPLICATE)) throw e;
      }
      return { ok: true as const };
    },
  },
} satisfies Partial<AreaActions<typeof visitsContract>>;
