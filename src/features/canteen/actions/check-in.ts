/** Check-in at the counter: by card code or by search, undo, today's list. */
import { ErrorCodes } from '../../../lib/errors';
import { maskName, maskPhone } from '../../../lib/mask';
import { shanghaiDay } from '../../../lib/time';
import type { ActionContext, AreaActions } from '../../../server/action';
import { canteenKeyring, cityKeys, macMatches } from '../canteen.keys';
import type { Fields, Stored } from '../../../server/store/store';
import { canteens, cards, dayCounters, elders, failures, meals } from '../canteen.collections';
import { recordMeal, undoMeal } from '../canteen.ledger';
import { withRetry } from '../../../server/conflict-retry';
import { ageOn, dayCounterId, DEFAULT_TIERS, eligibility, failureWindow, mealId, monthOf, priceFor, scheduleOn, statusRefusal, tierLabel, UNDO_WINDOW_MS } from '../canteen.rules';
import { canteenContract, type CheckInResult, type Meal, MEAL_LABELS } from '../canteen.schema';
import { parseCode } from '../canteen.token';
import { noteAnomaly } from './anomalies';
import { addCounter, emptyTotals, labelsFor, sortTiers } from './reports';
import { type CanteenDoc, CanteenErrors, canteenScope, type ElderDoc, elderNotFound, err, getCanteen, isCode, LIST_PAGE, me, regionName } from './shared';

const CARD_MESSAGES: Record<string, string> = {
  [CanteenErrors.CARD_MALFORMED]: '这不是助餐卡的二维码，请重新扫描',
  [CanteenErrors.CARD_TRUNCATED]: '就餐码不完整，请重新扫描或核对输入',
  [CanteenErrors.CARD_FORGED]: '无效的就餐码（查无此卡，校验失败）',
  [CanteenErrors.CARD_TAMPERED]: '就餐码校验失败，可能被改动过，请出示原卡',
  [CanteenErrors.CARD_OTHER_KEY]: '这不是本市签发的助餐卡',
  [CanteenErrors.CARD_UNKNOWN]: '查无此卡，请联系社区核实',
  [CanteenErrors.CARD_REVOKED]: '该卡已挂失或作废，请使用新卡',
};

/** Failed codes (guessing, typos) per staff member per 10-minute window before code check-ins pause. */
export const MAX_FAILURES = 20;

const SEARCH_LIMIT = 10;

/** Counts a failed code against the staff member's window and logs it (codes and ids only). */
async function refuseCode(ctx: ActionContext, canteenId: string, code: string, countIt: boolean): Promise<never> {
  if (countIt) {
    const id = `fail:${me(ctx)._id}:${failureWindow(ctx.now())}`;
    const col = ctx.store.collection(failures);
    try {
      await col.insert({ n: 1 }, { id });
    } catch (e) {
      if (!isCode(e, ErrorCodes.DUPLICATE)) throw e;
      await col.increment(id, { n: 1 });
    }
  }
  ctx.log.warn('card refused', { code, canteenId, memberId: me(ctx)._id, requestId: ctx.requestId });
  throw err(code, CARD_MESSAGES[code] ?? '就餐码无效');
}

/** Code → the elder it belongs to, or a distinct refusal for each way a code can be bad. */
async function elderFromCode(ctx: ActionContext, canteen: CanteenDoc, raw: string): Promise<{ elder: ElderDoc; cardNo: string }> {
  const window = await ctx.store.collection(failures).get(`fail:${me(ctx)._id}:${failureWindow(ctx.now())}`);
  if (window && window.n >= MAX_FAILURES) {
    ctx.log.warn('card check-ins paused', { canteenId: canteen._id, memberId: me(ctx)._id, requestId: ctx.requestId });
    throw err(CanteenErrors.TOO_MANY_FAILURES, '无效就餐码次数过多，请 10 分钟后再扫码，或改用姓名/手机尾号查找');
  }
  const city = cityKeys(canteenKeyring(ctx.demoMode), canteen.cityId);
  const parsed = parseCode(raw);
  if (!parsed.ok) return refuseCode(ctx, canteen._id, parsed.failure === 'truncated' ? CanteenErrors.CARD_TRUNCATED : CanteenErrors.CARD_MALFORMED, true);
  const p = parsed.parts;
  const key = p.issuer === city.issuer ? city.keys.get(p.keyVersion) : undefined;
  if (!key) return refuseCode(ctx, canteen._id, CanteenErrors.CARD_OTHER_KEY, true);
  const card = await ctx.store.collection(cards).get(p.cardNo);
  if (!macMatches(key, p, parsed.mac)) return refuseCode(ctx, canteen._id, card ? CanteenErrors.CARD_TAMPERED : CanteenErrors.CARD_FORGED, true);
  if (!card || card.cityId !== canteen.cityId) return refuseCode(ctx, canteen._id, CanteenErrors.CARD_UNKNOWN, false);
  if (card.status !== 'active' || card.generation !== p.generation) return refuseCode(ctx, canteen._id, CanteenErrors.CARD_REVOKED, false);
  const elder = await ctx.store.collection(elders).get(card.elderId);
  if (!elder || elder.cardNo !== card._id) return refuseCode(ctx, canteen._id, CanteenErrors.CARD_UNKNOWN, false);
  return { elder, cardNo: card._id };
}

const hhmm = (iso: string): string => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(11, 16);

export const checkInActions = {
  /**
   * One meal per elder, meal type and Shanghai day, city-wide: the meal's id is that triple, so of two
   * staff scanning at once exactly one insert succeeds. A retry carrying the same requestId (the answer
   * was lost) is answered with the meal it created; any other attempt is 已就餐.
   */
  checkIn: {
    roles: ['canteen_staff'],
    scope: canteenScope,
    async run(input, ctx): Promise<CheckInResult> {
      const canteen = await getCanteen(ctx.store, input.canteenId);
      const member = me(ctx);
      if (!canteen.meals.includes(input.meal)) throw err(CanteenErrors.MEAL_NOT_SERVED, `本食堂不供应${MEAL_LABELS[input.meal]}`);
      const now = ctx.now();
      const day = shanghaiDay(now);
      let elder: ElderDoc;
      let cardNo: string | null = null;
      if (input.code) ({ elder, cardNo } = await elderFromCode(ctx, canteen, input.code));
      else {
        const e = await ctx.store.collection(elders).get(input.elderId!);
        if (!e || e.cityId !== canteen.cityId) throw elderNotFound();
        elder = e;
      }

      const id = mealId(elder._id, day, input.meal);
      const answerExisting = async (m: Stored<Meal>): Promise<CheckInResult> => {
        if (m.requestId === input.requestId && m.by === member._id) return result(m, true);
        if (m.canteenId !== canteen._id) {
          const other = await ctx.store.collection(canteens).get(m.canteenId);
          await noteAnomaly(ctx, 'two_canteens', elder, canteen, day, `${hhmm(m.at)} 已在${other?.name ?? '其他食堂'}就餐，${hhmm(now.toISOString())} 又在${canteen.name}刷卡`);
        }
        const where = m.canteenId === canteen._id ? '本食堂' : ((await ctx.store.collection(canteens).get(m.canteenId))?.name ?? '其他食堂');
        ctx.log.info('check-in refused', { code: CanteenErrors.ALREADY_CHECKED_IN, canteenId: canteen._id, requestId: ctx.requestId });
        throw err(CanteenErrors.ALREADY_CHECKED_IN, `已就餐：${maskName(elder.name)} 今天 ${hhmm(m.at)} 已在${where}用过${MEAL_LABELS[m.meal]}`);
      };
      const result = (m: Meal, replayed: boolean): CheckInResult => ({
        mealId: id,
        elderId: m.elderId,
        name: elder.name,
        age: m.age,
        tierKey: m.tierKey,
        tierLabel: tierLabel(scheduleOn(canteen.prices, m.day)?.tiers ?? DEFAULT_TIERS, m.tierKey),
        price: m.price,
        subsidy: m.subsidy,
        meal: m.meal,
        day: m.day,
        at: m.at,
        replayed,
      });

      const existing = await ctx.store.collection(meals).get(id);
      if (existing) return answerExisting(existing);

      const refusal = statusRefusal(elder.status);
      if (refusal) {
        if (elder.status === 'moved' || elder.status === 'deceased' || elder.status === 'suspended') {
          await noteAnomaly(ctx, 'inactive_elder', elder, canteen, day, `状态为“${elder.status === 'moved' ? '已迁出' : elder.status === 'deceased' ? '已故' : '暂停'}”仍刷卡就餐`);
        }
        ctx.log.info('check-in refused', { code: refusal.code, canteenId: canteen._id, requestId: ctx.requestId });
        throw err(refusal.code, `${maskName(elder.name)}：${refusal.message}`);
      }
      const ok = eligibility(canteen.eligibility, elder, day);
      if (!ok.ok) throw err(CanteenErrors.NOT_ELIGIBLE, `${maskName(elder.name)}：不符合助餐条件，${ok.message}`);
      const price = priceFor(canteen.prices, day, ok.age);
      if (!price) throw err(CanteenErrors.NO_PRICE, '本食堂今天没有适用的价格，请联系社区管理员');

      const meal: Fields<Meal> = {
        elderId: elder._id,
        elderName: elder.name,
        elderCommunityId: elder.communityId,
        canteenId: canteen._id,
        communityId: canteen.communityId,
        districtId: canteen.districtId,
        cityId: canteen.cityId,
        day,
        month: monthOf(day),
        meal: input.meal,
        age: ok.age,
        tierKey: price.tierKey,
        price: price.price,
        mealCost: price.mealCost,
        subsidy: price.subsidy,
        via: input.code ? 'card' : 'search',
        cardNo,
        by: member._id,
        at: now.toISOString(),
        requestId: input.requestId,
      };
      if ((await withRetry(() => ctx.store.transaction((tx) => recordMeal(tx, id, meal)), { duplicates: true })) === 'duplicate') {
        // Someone else (or our own earlier attempt) got there first.
        const won = await ctx.store.collection(meals).get(id);
        if (!won) throw new Error('meal id taken but not readable');
        return answerExisting(won);
      }
      return result(meal as Meal, false);
    },
  },

  undoCheckIn: {
    roles: ['canteen_staff'],
    // Only the staff of the canteen that served the meal; a missing meal is answered by run.
    scope: async (input, ctx) => {
      const m = await ctx.store.collection(meals).get(input.mealId);
      return m ? { canteen: m.canteenId } : null;
    },
    async run(input, ctx) {
      const member = me(ctx);
      await withRetry(() => ctx.store.transaction(async (tx) => {
        const m = await tx.collection(meals).get(input.mealId);
        if (!m) throw err(CanteenErrors.MEAL_NOT_FOUND, '这条就餐记录不存在或已撤销');
        if (ctx.now().getTime() - Date.parse(m.at) > UNDO_WINDOW_MS) throw err(CanteenErrors.UNDO_TOO_LATE, `只能撤销 ${UNDO_WINDOW_MS / 60000} 分钟内的登记，请联系社区管理员`);
        await undoMeal(tx, m, { undoneAt: ctx.now().toISOString(), undoneBy: member._id, undoReason: input.reason });
      }));
      ctx.log.info('check-in undone', { mealId: input.mealId, memberId: member._id, requestId: ctx.requestId });
      return { mealId: input.mealId, undone: true as const };
    },
  },

  searchElders: {
    roles: ['canteen_staff'],
    scope: canteenScope,
    async run(input, ctx) {
      const canteen = await getCanteen(ctx.store, input.canteenId);
      const q = input.q.replace(/\s+/g, '');
      const col = ctx.store.collection(elders);
      const found = new Map<string, ElderDoc>();
      if (/^\d{4}$/.test(q)) {
        for (const field of ['phoneLast4', 'guardianLast4']) {
          for (const e of (await col.find({ where: { cityId: canteen.cityId, [field]: q }, limit: SEARCH_LIMIT })).items) found.set(e._id, e);
        }
      } else {
        for (const e of (await col.find({ where: { cityId: canteen.cityId, name: q }, limit: SEARCH_LIMIT })).items) found.set(e._id, e);
      }
      const today = shanghaiDay(ctx.now());
      const names = new Map<string, string>();
      const items = [];
      for (const e of [...found.values()].slice(0, SEARCH_LIMIT)) {
        if (!names.has(e.communityId)) names.set(e.communityId, await regionName(ctx, e.communityId));
        items.push({ elderId: e._id, name: e.name, age: ageOn(e.birthDate, today), communityName: names.get(e.communityId)!, phoneMasked: maskPhone(e.phone ?? e.guardian?.phone), status: e.status });
      }
      return { items };
    },
  },

  today: {
    roles: ['canteen_staff', 'community_admin'],
    scope: canteenScope,
    async run(input, ctx) {
      const canteen = await getCanteen(ctx.store, input.canteenId);
      const day = shanghaiDay(ctx.now());
      const totals = emptyTotals();
      const counter = await ctx.store.collection(dayCounters).get(dayCounterId(canteen._id, day));
      if (counter) {
        addCounter(totals, counter, labelsFor(canteen));
        totals.elders = counter.elders;
      }
      const page = await ctx.store.collection(meals).find({ where: { canteenId: canteen._id, day }, orderBy: { field: 'at', direction: 'desc' }, limit: LIST_PAGE, cursor: input.cursor });
      const nowMs = ctx.now().getTime();
      return {
        day,
        totals: sortTiers(totals),
        items: page.items.map((m) => ({
          mealId: m._id, name: m.elderName, age: m.age, tierKey: m.tierKey, price: m.price, meal: m.meal, at: m.at, via: m.via,
          undoable: nowMs - Date.parse(m.at) <= UNDO_WINDOW_MS,
        })),
        nextCursor: page.nextCursor,
      };
    },
  },
} satisfies Partial<AreaActions<typeof canteenContract>>;
