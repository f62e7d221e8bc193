/** Anomalies (meals that should not have happened) and care alerts for absences. */
import { ErrorCodes } from '../../../lib/errors';
import { maskName } from '../../../lib/mask';
import { shanghaiDay } from '../../../lib/time';
import type { ActionContext, AreaActions } from '../../../server/action';
import { readAll } from '../../../server/read-all';
import { getRegion } from '../../regions/regions.service';
import { anomalies, careAlerts, elders, meals } from '../canteen.collections';
import { addDays, anomalyId, careAlertId, daysBetween, missedStreak } from '../canteen.rules';
import { ANOMALY_LABELS, type AnomalyKind, canteenContract } from '../canteen.schema';
import { type CanteenDoc, canteenScope, type ElderDoc, err, getCanteen, isCode, LIST_PAGE } from './shared';

/** Days of meals looked at when deciding whether a regular stopped coming. */
const ABSENCE_LOOKBACK = 40;

export async function noteAnomaly(ctx: ActionContext, kind: AnomalyKind, elder: ElderDoc, canteen: CanteenDoc, day: string, detail: string): Promise<void> {
  try {
    await ctx.store.collection(anomalies).insert(
      {
        kind,
        elderId: elder._id,
        elderCommunityId: elder.communityId,
        canteenId: canteen._id,
        communityId: canteen.communityId,
        districtId: canteen.districtId,
        day,
        detail,
        at: ctx.now().toISOString(),
      },
      { id: anomalyId(kind, elder._id, day, canteen._id) },
    );
    ctx.log.warn('canteen anomaly', { kind, canteenId: canteen._id, elderId: elder._id, requestId: ctx.requestId });
  } catch (e) {
    // Once per elder, day, canteen and kind is enough.
    if (!isCode(e, ErrorCodes.DUPLICATE)) throw e;
  }
}

export const anomalyActions = {
  anomalies: {
    roles: ['community_admin', 'district_admin', 'city_admin'],
    scope: (input) => input.regionId,
    async run(input, ctx) {
      const r = await getRegion(ctx.store, input.regionId);
      if (!r || (r.kind !== 'community' && r.kind !== 'district')) throw err('CANTEEN.REGION_NOT_SUPPORTED', '请选择社区或区县');
      const field = r.kind === 'community' ? 'communityId' : 'districtId';
      const page = await ctx.store.collection(anomalies).find({ where: { [field]: r._id }, orderBy: { field: 'at', direction: 'desc' }, limit: LIST_PAGE, cursor: input.cursor });
      const people = new Map((await ctx.store.collection(elders).getMany([...new Set(page.items.map((a) => a.elderId))])).map((e) => [e._id, e.name]));
      return {
        items: page.items.map((a) => ({ ...a, label: ANOMALY_LABELS[a.kind], elderName: maskName(people.get(a.elderId) ?? '') })),
        nextCursor: page.nextCursor,
      };
    },
  },

  detectAbsences: {
    roles: ['canteen_staff', 'community_admin'],
    scope: canteenScope,
    async run(input, ctx) {
      const canteen = await getCanteen(ctx.store, input.canteenId);
      const today = shanghaiDay(ctx.now());
      const since = addDays(today, -ABSENCE_LOOKBACK);
      const serving: string[] = [];
      for (let d = since; d <= today; d = addDays(d, 1)) serving.push(d);
      const { items: list } = await readAll(ctx.store.collection(elders), { where: { communityId: canteen.communityId, status: 'approved' } }, 5000);
      let alerts = 0;
      for (const e of list) {
        const recent = await ctx.store.collection(meals).find({ where: { elderId: e._id, day: { gte: since } }, orderBy: { field: 'day', direction: 'desc' }, limit: 100 });
        const last = missedStreak(recent.items.map((m) => m.day), serving, today, canteen.absenceDays);
        if (!last) continue;
        try {
          await ctx.store.collection(careAlerts).insert(
            {
              communityId: e.communityId,
              householdOrElderRef: `elder:${e._id}`,
              kind: 'canteen_absence',
              reason: `常来${canteen.name}就餐的老人自 ${last} 后已连续 ${daysBetween(last, today) - 1} 天未就餐，请上门看望`,
              createdAt: ctx.now().toISOString(),
            },
            { id: careAlertId('canteen_absence', e._id, last) },
          );
          alerts++;
        } catch (x) {
          if (!isCode(x, ErrorCodes.DUPLICATE)) throw x;
        }
      }
      ctx.log.info('absences checked', { canteenId: canteen._id, checked: list.length, alerts, requestId: ctx.requestId });
      return { alerts, checked: list.length };
    },
  },
} satisfies Partial<AreaActions<typeof canteenContract>>;
