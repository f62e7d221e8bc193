/** Reports per canteen or district, on screen and as .xlsx. */
import type { ActionContext, AreaActions } from '../../../server/action';
import { saveExport } from '../../../server/files/exports';
import { readAll } from '../../../server/read-all';
import type { Resource } from '../../../server/scope';
import type { Where } from '../../../server/store/store';
import { getRegion } from '../../regions/regions.service';
import { canteens, dayCounters, monthCounters } from '../canteen.collections';
import { dayCounterId, DEFAULT_TIERS, isRealDay, monthCounterId, tierLabel } from '../canteen.rules';
import { type Canteen, canteenContract, type DayCounter, type Report, type ReportInput, type ReportRow, type Totals } from '../canteen.schema';
import { badInput, err, getCanteen } from './shared';

export function emptyTotals(): Totals {
  return { meals: 0, elders: 0, cash: 0, subsidy: 0, tiers: [] };
}

export function addCounter(t: Totals, c: DayCounter, labels: (key: string) => string): void {
  t.meals += c.meals;
  t.cash += c.cash;
  t.subsidy += c.subsidy;
  for (const [key, v] of Object.entries(c.tiers ?? {})) {
    let row = t.tiers.find((x) => x.tierKey === key);
    if (!row) t.tiers.push((row = { tierKey: key, label: labels(key), meals: 0, cash: 0 }));
    row.meals += v.meals;
    row.cash += v.cash;
  }
}

export const sortTiers = (t: Totals): Totals => ({ ...t, tiers: t.tiers.filter((x) => x.meals !== 0).sort((a, b) => Number(b.tierKey.slice(1)) - Number(a.tierKey.slice(1))) });

export const labelsFor = (c: Canteen) => (key: string) => tierLabel(c.prices.at(-1)?.tiers ?? DEFAULT_TIERS, key);

async function distinct(ctx: ActionContext, scope: 'c' | 'd', id: string, period: string): Promise<number> {
  return (await ctx.store.collection(monthCounters).get(monthCounterId(scope, id, period)))?.elders ?? 0;
}

async function buildReport(ctx: ActionContext, input: ReportInput): Promise<Report> {
  const isDay = input.period === 'day';
  if (isDay ? !isRealDay(input.value) : !/^\d{4}-(0[1-9]|1[0-2])$/.test(input.value)) throw badInput('value', isDay ? '日期无效' : '月份无效');
  const counters = ctx.store.collection(dayCounters);
  const totals = emptyTotals();
  const rows: ReportRow[] = [];
  if (input.scope === 'canteen') {
    const c = await getCanteen(ctx.store, input.id);
    const labels = labelsFor(c);
    if (isDay) {
      const d = await counters.get(dayCounterId(c._id, input.value));
      if (d) addCounter(totals, d, labels);
      totals.elders = d?.elders ?? 0;
      for (const t of sortTiers(totals).tiers) rows.push({ key: t.tierKey, label: t.label, meals: t.meals, elders: t.meals, cash: t.cash, subsidy: 0 });
      // Subsidy per tier is not kept per tier; the row shows meals and cash, the total shows the subsidy.
    } else {
      const { items: days } = await readAll(counters, { where: { canteenId: c._id, month: input.value }, orderBy: { field: 'day', direction: 'asc' } });
      for (const d of days) {
        addCounter(totals, d, labels);
        rows.push({ key: d.day, label: d.day, meals: d.meals, elders: d.elders, cash: d.cash, subsidy: d.subsidy });
      }
      totals.elders = await distinct(ctx, 'c', c._id, input.value);
    }
    const period = isDay ? input.value : `${input.value.replace('-', '年')}月`;
    return { title: `${c.name} ${period} 助餐统计`, scope: 'canteen', period: input.period, value: input.value, rows, totals: sortTiers(totals) };
  }
  const district = await getRegion(ctx.store, input.id);
  if (!district || district.kind !== 'district') throw err('CANTEEN.DISTRICT_NOT_FOUND', '区县不存在');
  const { items: list } = await readAll(ctx.store.collection(canteens), { where: { districtId: district._id } });
  const byId = new Map(list.map((c) => [c._id, c]));
  const where: Where = isDay ? { districtId: district._id, day: input.value } : { districtId: district._id, month: input.value };
  const { items: days } = await readAll(counters, { where }, 100_000);
  const per = new Map<string, ReportRow>();
  for (const d of days) {
    const c = byId.get(d.canteenId);
    addCounter(totals, d, c ? labelsFor(c) : (k) => k);
    let row = per.get(d.canteenId);
    if (!row) per.set(d.canteenId, (row = { key: d.canteenId, label: c?.name ?? d.canteenId, meals: 0, elders: 0, cash: 0, subsidy: 0 }));
    row.meals += d.meals;
    row.cash += d.cash;
    row.subsidy += d.subsidy;
    if (isDay) row.elders += d.elders;
  }
  if (!isDay) {
    const ids = [...per.keys()];
    const distincts = await ctx.store.collection(monthCounters).getMany(ids.map((id) => monthCounterId('c', id, input.value)));
    const m = new Map(distincts.map((x) => [x._id, x.elders]));
    for (const id of ids) per.get(id)!.elders = m.get(monthCounterId('c', id, input.value)) ?? 0;
  }
  totals.elders = await distinct(ctx, 'd', district._id, input.value);
  rows.push(...[...per.values()].sort((a, b) => a.label.localeCompare(b.label, 'zh')));
  const period = isDay ? input.value : `${input.value.replace('-', '年')}月`;
  return { title: `${district.name} ${period} 助餐统计`, scope: 'district', period: input.period, value: input.value, rows, totals: sortTiers(totals) };
}

/** Report scope: a canteen's community, or the district itself. */
const reportScope = (input: ReportInput): Resource => (input.scope === 'canteen' ? { canteen: input.id } : { region: input.id });

export const reportActions = {
  report: {
    roles: ['canteen_staff', 'community_admin', 'district_admin', 'city_admin'],
    scope: reportScope,
    async run(input, ctx) {
      return buildReport(ctx, input);
    },
  },

  exportReport: {
    roles: ['canteen_staff', 'community_admin', 'district_admin', 'city_admin'],
    scope: reportScope,
    async run(input, ctx) {
      const report = await buildReport(ctx, input);
      const { buildReportWorkbook } = await import('../canteen.export');
      return saveExport(ctx.files, ctx.caller.openid, await buildReportWorkbook(report, ctx.now().toISOString()));
    },
  },
} satisfies Partial<AreaActions<typeof canteenContract>>;
