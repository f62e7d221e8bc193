/**
 * The elderly canteen (孝义食堂): canteens and prices, elders and their applications, meal cards,
 * check-in at the counter, reports, anomalies and care alerts.
 */
import { createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';
import { AppError, ErrorCodes, forbidden, isAppError } from '../../lib/errors';
import { maskName, maskPhone } from '../../lib/mask';
import { shanghaiDay } from '../../lib/time';
import { defineArea, type ActionContext } from '../../server/action';
import { canteenKeyring, cityKeys, idNumberHash, macFor, macMatches } from '../../server/canteen-keys';
import { withRetry } from '../../server/conflict-retry';
import { regionPath } from '../../server/dispatch';
import type { Fields, Stored, TxStore, Where } from '../../server/store/store';
import { invitations } from '../members/members.collections';
import { generateCode, invitationExpiry } from '../members/members.rules';
import type { Grant, Member } from '../members/members.schema';
import { regions } from '../regions/regions.collections';
import type { Region } from '../regions/regions.schema';
import {
  anomalies, canteens, cardLinks, cards, careAlerts, dayCounters, elders, failures, idKeys, meals, monthCounters,
} from './canteen.collections';
import { recordMealGrouped, undoMeal } from './canteen.ledger';
import {
  DEFAULT_ABSENCE_DAYS, DEFAULT_ELIGIBILITY, DEFAULT_MEAL_COST, DEFAULT_TIERS, UNDO_WINDOW_MS, addDays, addSchedule, ageOn, daysBetween,
  anomalyId, careAlertId, dayCounterId, eligibility, failureWindow, idHashKeyId, isRealDay, last4, mealId, missedStreak,
  monthCounterId, monthOf, parseIdNumber, priceFor, scheduleOn, statusError, statusRefusal, tierLabel,
} from './canteen.rules';
import {
  ANOMALY_LABELS, CATEGORY_LABELS, MEAL_LABELS, canteenContract,
  type AnomalyKind, type ElderCategory, type Canteen, type CanteenView, type Card, type CardView, type CheckInResult, type DayCounter, type Elder,
  type ElderView, type ImportRowError, type Meal, type PriceSchedule, type Report, type ReportInput, type ReportRow, type StatusEntry, type Totals,
} from './canteen.schema';
import { formatCode, newCardNo, parseCode, type CardParts } from './canteen.token';

export const CanteenErrors = {
  NOT_FOUND: 'CANTEEN.NOT_FOUND',
  ELDER_NOT_FOUND: 'CANTEEN.ELDER_NOT_FOUND',
  DUPLICATE_ELDER: 'CANTEEN.DUPLICATE_ELDER',
  BAD_TRANSITION: 'CANTEEN.BAD_TRANSITION',
  BAD_PRICES: 'CANTEEN.BAD_PRICES',
  MEAL_NOT_SERVED: 'CANTEEN.MEAL_NOT_SERVED',
  ALREADY_CHECKED_IN: 'CANTEEN.ALREADY_CHECKED_IN',
  NOT_ELIGIBLE: 'CANTEEN.NOT_ELIGIBLE',
  NOT_APPROVED: 'CANTEEN.NOT_APPROVED',
  SUSPENDED: 'CANTEEN.SUSPENDED',
  INACTIVE: 'CANTEEN.INACTIVE',
  NO_PRICE: 'CANTEEN.NO_PRICE',
  UNDO_TOO_LATE: 'CANTEEN.UNDO_TOO_LATE',
  MEAL_NOT_FOUND: 'CANTEEN.MEAL_NOT_FOUND',
  CARD_MALFORMED: 'CANTEEN.CARD_MALFORMED',
  CARD_TRUNCATED: 'CANTEEN.CARD_TRUNCATED',
  CARD_FORGED: 'CANTEEN.CARD_FORGED',
  CARD_TAMPERED: 'CANTEEN.CARD_TAMPERED',
  CARD_OTHER_KEY: 'CANTEEN.CARD_OTHER_KEY',
  CARD_UNKNOWN: 'CANTEEN.CARD_UNKNOWN',
  CARD_REVOKED: 'CANTEEN.CARD_REVOKED',
  TOO_MANY_FAILURES: 'CANTEEN.TOO_MANY_FAILURES',
  NO_CARD: 'CANTEEN.NO_CARD',
  IMPORT_UNREADABLE: 'CANTEEN.IMPORT_UNREADABLE',
} as const;

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
const LIST_PAGE = 50;
const SHEET_MAX = 300;
/** Days of meals looked at when deciding whether a regular stopped coming. */
const ABSENCE_LOOKBACK = 40;

type CanteenDoc = Stored<Canteen>;
type ElderDoc = Stored<Elder>;

const isCode = (e: unknown, code: string) => isAppError(e) && e.code === code;
const err = (code: string, message: string) => new AppError(code, message);
const canteenNotFound = () => err(CanteenErrors.NOT_FOUND, '食堂不存在');
const elderNotFound = () => err(CanteenErrors.ELDER_NOT_FOUND, '助餐对象不存在');
const badInput = (path: string, message: string) => new AppError(ErrorCodes.INPUT_INVALID, message, [{ path: [path], message }]);

function me(ctx: ActionContext): Stored<Member> {
  if (!ctx.caller.member) throw forbidden('请先加入社区');
  return ctx.caller.member;
}

const randomBytes = (n: number): Uint8Array => cryptoRandomBytes(n);

async function getCanteen(store: TxStore, id: string): Promise<CanteenDoc> {
  const c = await store.collection(canteens).get(id);
  if (!c) throw canteenNotFound();
  return c;
}

/** District and city of a community, from its region path. */
async function chainOf(ctx: ActionContext, communityId: string): Promise<{ community: Stored<Region>; districtId: string; cityId: string }> {
  const path = await regionPath(ctx, communityId);
  const rs = path ? await ctx.store.collection(regions).getMany(path) : [];
  const community = rs.find((r) => r._id === communityId);
  if (!community || community.kind !== 'community') throw err('CANTEEN.COMMUNITY_NOT_FOUND', '社区不存在');
  return { community, districtId: rs.find((r) => r.kind === 'district')?._id ?? '', cityId: rs.find((r) => r.kind === 'city')?._id ?? '' };
}

async function regionName(ctx: ActionContext, id: string): Promise<string> {
  return (await ctx.store.collection(regions).get(id))?.name ?? '';
}

const isStaffOf = (ctx: ActionContext, canteenId: string): boolean => ctx.grants.some((g) => g.role === 'canteen_staff' && g.canteenId === canteenId);

/** Grants (already narrowed by dispatch to the action's roles and scope) other than canteen staff: admins over the region. */
const adminGrants = (ctx: ActionContext): Grant[] => ctx.grants.filter((g) => g.role !== 'canteen_staff' && g.role !== 'resident' && g.role !== 'grid_worker');

/** Staff of this canteen, or an admin whose region covers it (dispatch checked the region). */
function assertCanteenAccess(ctx: ActionContext, canteen: Canteen & { _id: string }, staffOnly = false): void {
  if (isStaffOf(ctx, canteen._id)) return;
  if (!staffOnly && adminGrants(ctx).length > 0) return;
  throw forbidden(staffOnly ? '只有本食堂的工作人员可以在此登记就餐' : '您不是该食堂的工作人员');
}

async function adminCovers(ctx: ActionContext, regionId: string, roles: readonly string[] = ['community_admin', 'district_admin', 'city_admin']): Promise<boolean> {
  const path = await regionPath(ctx, regionId);
  return !!path && ctx.caller.member !== null && ctx.caller.member.grants.some((g) => roles.includes(g.role) && path.includes(g.regionId));
}

// ---------------------------------------------------------------- views

async function canteenView(ctx: ActionContext, c: CanteenDoc): Promise<CanteenView> {
  const { createdAt: _c, updatedAt: _u, _rev, ...rest } = c;
  return { ...rest, communityName: await regionName(ctx, c.communityId) };
}

function elderView(e: ElderDoc, today: string): ElderView {
  return {
    _id: e._id,
    name: e.name,
    gender: e.gender,
    birthDate: e.birthDate,
    age: ageOn(e.birthDate, today),
    idMasked: e.idMasked,
    communityId: e.communityId,
    categories: e.categories,
    phoneMasked: maskPhone(e.phone),
    guardian: e.guardian ? { name: e.guardian.name, phoneMasked: maskPhone(e.guardian.phone), relation: e.guardian.relation } : null,
    status: e.status,
    history: e.history,
    cardNo: e.cardNo,
    createdAt: e.createdAt,
  };
}

function cardCode(ctx: ActionContext, card: Card & { _id: string }): string {
  const city = cityKeys(canteenKeyring(ctx.demoMode), card.cityId);
  const parts: CardParts = { issuer: city.issuer, keyVersion: city.current, cardNo: card._id, generation: card.generation };
  return formatCode(parts, macFor(city.keys.get(city.current)!, parts));
}

async function cardViews(ctx: ActionContext, list: ElderDoc[]): Promise<CardView[]> {
  const withCards = list.filter((e) => e.cardNo);
  const cs = new Map((await ctx.store.collection(cards).getMany(withCards.map((e) => e.cardNo!))).map((c) => [c._id, c]));
  const names = new Map<string, string>();
  const out: CardView[] = [];
  for (const e of withCards) {
    const c = cs.get(e.cardNo!);
    if (!c || c.status !== 'active') continue;
    if (!names.has(e.communityId)) names.set(e.communityId, await regionName(ctx, e.communityId));
    out.push({ elderId: e._id, name: e.name, communityName: names.get(e.communityId)!, code: cardCode(ctx, c), generation: c.generation });
  }
  return out;
}

// ---------------------------------------------------------------- cards

/** Issues a card (a fresh random number; a collision is retried) and links it to the elder. */
async function issueCard(tx: TxStore, ctx: ActionContext, elder: ElderDoc): Promise<ElderDoc> {
  for (let attempt = 0; ; attempt++) {
    const no = newCardNo(randomBytes);
    try {
      await tx.collection(cards).insert(
        { elderId: elder._id, cityId: elder.cityId, generation: 0, status: 'active', issuedAt: ctx.now().toISOString(), revokedAt: null, revokedReason: null },
        { id: no },
      );
      return tx.collection(elders).update(elder._id, elder._rev, { cardNo: no });
    } catch (e) {
      if (!isCode(e, ErrorCodes.DUPLICATE) || attempt >= 5) throw e;
    }
  }
}

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

// ---------------------------------------------------------------- anomalies

async function noteAnomaly(ctx: ActionContext, kind: AnomalyKind, elder: ElderDoc, canteen: CanteenDoc, day: string, detail: string): Promise<void> {
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

const hhmm = (iso: string): string => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(11, 16);

// ---------------------------------------------------------------- reports

function emptyTotals(): Totals {
  return { meals: 0, elders: 0, cash: 0, subsidy: 0, tiers: [] };
}

function addCounter(t: Totals, c: DayCounter, labels: (key: string) => string): void {
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

const sortTiers = (t: Totals): Totals => ({ ...t, tiers: t.tiers.filter((x) => x.meals !== 0).sort((a, b) => Number(b.tierKey.slice(1)) - Number(a.tierKey.slice(1))) });

async function allPages<T>(fetch: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>, max = 10_000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await fetch(cursor);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

const labelsFor = (c: Canteen) => (key: string) => tierLabel(c.prices.at(-1)?.tiers ?? DEFAULT_TIERS, key);

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
      const days = await allPages((cursor) => counters.find({ where: { canteenId: c._id, month: input.value }, orderBy: { field: 'day', direction: 'asc' }, limit: 100, cursor }));
      for (const d of days) {
        addCounter(totals, d, labels);
        rows.push({ key: d.day, label: d.day, meals: d.meals, elders: d.elders, cash: d.cash, subsidy: d.subsidy });
      }
      totals.elders = await distinct(ctx, 'c', c._id, input.value);
    }
    const period = isDay ? input.value : `${input.value.replace('-', '年')}月`;
    return { title: `${c.name} ${period} 助餐统计`, scope: 'canteen', period: input.period, value: input.value, rows, totals: sortTiers(totals) };
  }
  const district = await ctx.store.collection(regions).get(input.id);
  if (!district || district.kind !== 'district') throw err('CANTEEN.DISTRICT_NOT_FOUND', '区县不存在');
  const list = await allPages((cursor) => ctx.store.collection(canteens).find({ where: { districtId: district._id }, limit: 100, cursor }));
  const byId = new Map(list.map((c) => [c._id, c]));
  const where: Where = isDay ? { districtId: district._id, day: input.value } : { districtId: district._id, month: input.value };
  const days = await allPages((cursor) => counters.find({ where, limit: 100, cursor }), 100_000);
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
const reportScope = async (input: ReportInput, ctx: ActionContext) =>
  input.scope === 'canteen' ? ((await ctx.store.collection(canteens).get(input.id))?.communityId ?? null) : input.id;

function assertReportAccess(ctx: ActionContext, input: ReportInput): void {
  if (input.scope === 'district') {
    if (!ctx.grants.some((g) => g.role === 'district_admin' || g.role === 'city_admin')) throw forbidden('只有区、市管理员可以查看区县报表');
    return;
  }
  if (isStaffOf(ctx, input.id) || adminGrants(ctx).length > 0) return;
  throw forbidden('您不是该食堂的工作人员');
}

// ---------------------------------------------------------------- elders

interface ElderInput {
  name: string;
  gender?: 'male' | 'female';
  birthDate?: string;
  idNumber?: string;
  categories: ElderCategory[];
  phone?: string;
  guardian?: { name: string; phone: string; relation: string };
}

/** Checks one elder's fields; returns the document's personal part or the problems by field. */
function checkElder(ctx: ActionContext, input: ElderInput): { ok: true; fields: Pick<Elder, 'name' | 'gender' | 'birthDate' | 'idMasked' | 'idHash' | 'categories' | 'phone' | 'phoneLast4' | 'guardian' | 'guardianLast4'> } | { ok: false; errors: { field: string; message: string }[] } {
  const errors: { field: string; message: string }[] = [];
  let birthDate = input.birthDate ?? null;
  let gender = input.gender ?? null;
  let idMasked: string | null = null;
  let idHash: string | null = null;
  if (input.idNumber) {
    const id = parseIdNumber(input.idNumber);
    if (!id.ok) errors.push({ field: 'idNumber', message: id.message });
    else {
      if (birthDate && birthDate !== id.info.birthDate) errors.push({ field: 'birthDate', message: '出生日期与身份证号不一致' });
      if (gender && gender !== id.info.gender) errors.push({ field: 'gender', message: '性别与身份证号不一致' });
      birthDate = id.info.birthDate;
      gender = id.info.gender;
      idMasked = id.info.masked;
      idHash = idNumberHash(canteenKeyring(ctx.demoMode), id.info.normalised);
    }
  }
  // A bad ID number is the one problem to report: the birth date and gender would have come from it.
  if (errors.length) return { ok: false, errors };
  if (!birthDate) errors.push({ field: 'birthDate', message: '请填写出生日期或身份证号' });
  else if (!isRealDay(birthDate) || birthDate > shanghaiDay(ctx.now()) || birthDate < '1890-01-01') errors.push({ field: 'birthDate', message: '出生日期无效' });
  if (!gender) errors.push({ field: 'gender', message: '请选择性别或填写身份证号' });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    fields: {
      name: input.name,
      gender: gender!,
      birthDate: birthDate!,
      idMasked,
      idHash,
      categories: [...new Set(input.categories)],
      phone: input.phone ?? null,
      phoneLast4: last4(input.phone),
      guardian: input.guardian ?? null,
      guardianLast4: last4(input.guardian?.phone),
    },
  };
}

const statusEntry = (ctx: ActionContext, status: Elder['status'], reason: string, by: string, day?: string): StatusEntry => ({
  status,
  at: ctx.now().toISOString(),
  day: day ?? shanghaiDay(ctx.now()),
  reason,
  by,
});

/** Inserts an elder and its ID-hash key in one transaction: a second elder with the same ID number fails. */
async function insertElder(tx: TxStore, id: string, doc: Fields<Elder>): Promise<ElderDoc> {
  if (doc.idHash) {
    try {
      await tx.collection(idKeys).insert({ elderId: id }, { id: idHashKeyId(doc.idHash) });
    } catch (e) {
      if (isCode(e, ErrorCodes.DUPLICATE)) throw err(CanteenErrors.DUPLICATE_ELDER, '该身份证号已登记过助餐');
      throw e;
    }
  }
  return tx.collection(elders).insert(doc, { id });
}

const elderScope = async (input: { elderId: string }, ctx: ActionContext) => (await ctx.store.collection(elders).get(input.elderId))?.communityId ?? null;
const canteenScope = async (input: { canteenId: string }, ctx: ActionContext) => (await ctx.store.collection(canteens).get(input.canteenId))?.communityId ?? null;

/** Staff label for status history: the role, never the person's name. */
const byLabel = (ctx: ActionContext): string => (ctx.grants.some((g) => g.role === 'community_admin') ? '社区管理员' : ctx.grants.some((g) => g.role === 'canteen_staff') ? '食堂工作人员' : '申请人');

function parseCategories(text: string | undefined): { ok: true; value: ElderCategory[] } | { ok: false } {
  if (!text) return { ok: true, value: [] };
  const out: ElderCategory[] = [];
  for (const part of text.split(/[、,，;；\s]+/).filter(Boolean)) {
    const hit = (Object.keys(CATEGORY_LABELS) as ElderCategory[]).find((k) => CATEGORY_LABELS[k] === part);
    if (!hit) return { ok: false };
    out.push(hit);
  }
  return { ok: true, value: out };
}

// ---------------------------------------------------------------- the area

export const canteenArea = defineArea('canteen', canteenContract, {
  myCanteens: {
    roles: 'signed-in',
    async run(_input, ctx) {
      const member = ctx.caller.member;
      if (!member) return { items: [] };
      const col = ctx.store.collection(canteens);
      const found = new Map<string, CanteenDoc>();
      const staffIds = member.grants.filter((g) => g.role === 'canteen_staff' && g.canteenId).map((g) => g.canteenId!);
      for (const c of await col.getMany(staffIds)) found.set(c._id, c);
      for (const g of member.grants) {
        const field = g.role === 'community_admin' ? 'communityId' : g.role === 'district_admin' ? 'districtId' : null;
        if (!field) continue;
        for (const c of (await col.find({ where: { [field]: g.regionId }, limit: 100 })).items) found.set(c._id, c);
      }
      const items = await Promise.all([...found.values()].map((c) => canteenView(ctx, c)));
      return { items: items.sort((a, b) => a.name.localeCompare(b.name, 'zh')) };
    },
  },

  getCanteen: {
    roles: ['canteen_staff', 'community_admin', 'district_admin', 'city_admin'],
    scope: canteenScope,
    async run(input, ctx) {
      const c = await getCanteen(ctx.store, input.canteenId);
      assertCanteenAccess(ctx, c);
      return canteenView(ctx, c);
    },
  },

  createCanteen: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const { community, districtId, cityId } = await chainOf(ctx, input.communityId);
      const now = ctx.now().toISOString();
      const c = await ctx.store.collection(canteens).insert(
        {
          name: input.name,
          communityId: community._id,
          districtId,
          cityId,
          meals: [...new Set(input.meals)],
          prices: [{ from: shanghaiDay(ctx.now()), mealCost: DEFAULT_MEAL_COST, tiers: DEFAULT_TIERS }],
          eligibility: DEFAULT_ELIGIBILITY,
          absenceDays: DEFAULT_ABSENCE_DAYS,
          createdAt: now,
          updatedAt: now,
        },
        { id: `ct-${ctx.newId()}` },
      );
      return canteenView(ctx, c);
    },
  },

  setPrices: {
    roles: ['community_admin'],
    scope: canteenScope,
    async run(input, ctx) {
      const saved = await withRetry(async () => {
        const c = await getCanteen(ctx.store, input.canteenId);
        const next: PriceSchedule = { from: input.from, mealCost: input.mealCost, tiers: input.tiers };
        const r = addSchedule(c.prices, next, shanghaiDay(ctx.now()));
        if (!r.ok) throw err(CanteenErrors.BAD_PRICES, r.reason);
        return ctx.store.collection(canteens).update(c._id, c._rev, { prices: r.prices, updatedAt: ctx.now().toISOString() });
      });
      return canteenView(ctx, saved);
    },
  },

  inviteStaff: {
    roles: ['community_admin'],
    scope: canteenScope,
    async run(input, ctx) {
      const c = await getCanteen(ctx.store, input.canteenId);
      const now = ctx.now();
      const expiresAt = invitationExpiry(now);
      for (let attempt = 0; ; attempt++) {
        const code = generateCode(randomBytes);
        try {
          await ctx.store.collection(invitations).insert(
            {
              role: 'canteen_staff',
              regionId: c.communityId,
              regionName: c.name,
              communityId: c.communityId,
              canteenId: c._id,
              createdBy: me(ctx)._id,
              createdAt: now.toISOString(),
              expiresAt,
              usedBy: null,
              usedAt: null,
            },
            { id: code },
          );
          ctx.log.info('canteen staff invited', { canteenId: c._id, requestId: ctx.requestId });
          return { code, expiresAt };
        } catch (e) {
          if (!isCode(e, ErrorCodes.DUPLICATE) || attempt >= 5) throw e;
        }
      }
    },
  },

  /** From the elder, a family member (anyone signed in: children often live elsewhere) or staff. */
  apply: {
    roles: 'signed-in',
    async run(input, ctx) {
      const today = shanghaiDay(ctx.now());
      const id = `el${createHash('sha256').update(`${ctx.caller.openid}:${input.requestId}`).digest('hex').slice(0, 24)}`;
      const again = await ctx.store.collection(elders).get(id);
      if (again) return elderView(again, today);
      if (input.applicant === 'staff') {
        const staff = ctx.grants.some((g) => g.role === 'community_admin' || g.role === 'canteen_staff');
        if (!staff || !(await adminCovers(ctx, input.communityId, ['community_admin', 'canteen_staff']))) throw forbidden('只有本社区的工作人员可以代为申请');
      }
      const { community, districtId, cityId } = await chainOf(ctx, input.communityId);
      const checked = checkElder(ctx, input);
      if (!checked.ok) {
        const issues = checked.errors.map((e) => ({ path: [e.field], message: e.message }));
        throw new AppError(ErrorCodes.INPUT_INVALID, checked.errors[0]!.message, issues);
      }
      const now = ctx.now().toISOString();
      const doc: Fields<Elder> = {
        ...checked.fields,
        communityId: community._id,
        districtId,
        cityId,
        status: 'applied',
        history: [statusEntry(ctx, 'applied', input.applicant === 'staff' ? '工作人员代为申请' : input.applicant === 'family' ? '家属代为申请' : '本人申请', byLabel(ctx))],
        appliedBy: input.applicant,
        applicantMemberId: ctx.caller.member?._id ?? null,
        cardNo: null,
        createdAt: now,
        updatedAt: now,
      };
      const stored = await ctx.store.transaction(async (tx) => {
        const e = await insertElder(tx, id, doc);
        // The applicant (the elder or family) may show the card on their phone once approved.
        if (input.applicant !== 'staff') {
          await tx.collection(cardLinks).insert({ openid: ctx.caller.openid, elderId: id, createdAt: now }, { id: `link:${ctx.caller.openid}:${id}` });
        }
        return e;
      });
      ctx.log.info('elder applied', { elderId: id, communityId: community._id, requestId: ctx.requestId });
      return elderView(stored, today);
    },
  },

  listElders: {
    roles: ['community_admin', 'canteen_staff'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const where: Where = input.status ? { communityId: input.communityId, status: input.status } : { communityId: input.communityId };
      const page = await ctx.store.collection(elders).find({ where, orderBy: { field: 'createdAt', direction: 'desc' }, limit: LIST_PAGE, cursor: input.cursor });
      const today = shanghaiDay(ctx.now());
      return { items: page.items.map((e) => elderView(e, today)), nextCursor: page.nextCursor };
    },
  },

  /** Approve, reject, suspend, moved, deceased, reinstate; approval issues the card. */
  setElderStatus: {
    roles: ['community_admin'],
    scope: elderScope,
    async run(input, ctx) {
      const today = shanghaiDay(ctx.now());
      const day = input.day ?? today;
      if (!isRealDay(day) || day > today) throw badInput('day', '生效日期不能晚于今天');
      const updated = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const e = await tx.collection(elders).get(input.elderId);
          if (!e) throw elderNotFound();
          const bad = statusError(e.status, input.status);
          if (bad) throw err(CanteenErrors.BAD_TRANSITION, bad);
          let next = await tx.collection(elders).update(e._id, e._rev, {
            status: input.status,
            history: [...e.history, statusEntry(ctx, input.status, input.reason, byLabel(ctx), day)],
            updatedAt: ctx.now().toISOString(),
          });
          if (input.status === 'approved' && !next.cardNo) next = await issueCard(tx, ctx, next);
          return next;
        }),
      );
      // Meals already served on or after the effective day of a move or death are flagged for review.
      if (input.status === 'moved' || input.status === 'deceased' || input.status === 'suspended') {
        const after = await ctx.store.collection(meals).find({ where: { elderId: updated._id, day: { gte: day } }, limit: 100 });
        for (const m of after.items) {
          const c = await ctx.store.collection(canteens).get(m.canteenId);
          if (c) await noteAnomaly(ctx, 'meal_after_status', updated, c, m.day, `${m.day} ${MEAL_LABELS[m.meal]}就餐，状态自 ${day} 起为“${input.status === 'moved' ? '已迁出' : input.status === 'deceased' ? '已故' : '暂停'}”`);
        }
      }
      ctx.log.info('elder status', { elderId: updated._id, status: input.status, requestId: ctx.requestId });
      return elderView(updated, today);
    },
  },

  importRoster: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const { readRoster } = await import('./canteen.import');
      let raw: Awaited<ReturnType<typeof readRoster>>;
      try {
        raw = await readRoster(Buffer.from(input.fileBase64, 'base64'));
      } catch (e) {
        if (e instanceof RangeError) throw err(CanteenErrors.IMPORT_UNREADABLE, e.message);
        throw e;
      }
      const { community, districtId, cityId } = await chainOf(ctx, input.communityId);
      const errors: ImportRowError[] = [];
      const docs: Fields<Elder>[] = [];
      const seen = new Map<string, number>();
      const now = ctx.now().toISOString();
      for (const r of raw) {
        const c = r.cells;
        const rowErrors: ImportRowError[] = [];
        const add = (field: string, message: string) => rowErrors.push({ row: r.row, field, message });
        const name = (c.name ?? '').trim();
        if (!name || name.length > 30) add('姓名', name ? '姓名最多 30 个字' : '姓名不能为空');
        const gender = c.gender ? (c.gender === '男' ? 'male' : c.gender === '女' ? 'female' : null) : undefined;
        if (gender === null) add('性别', '性别应为“男”或“女”');
        const birth = c.birthDate?.replace(/[/.年月]/g, '-').replace(/日$/, '').replace(/-(\d)(?=-|$)/g, '-0$1');
        const cats = parseCategories(c.categories);
        if (!cats.ok) add('类别', '类别应为 留守、独居、困难、其他 中的一项或几项，用顿号分隔');
        const phoneOk = !c.phone || /^1\d{10}$/.test(c.phone);
        if (!phoneOk) add('手机号', '手机号应为 11 位');
        const g = c.guardianName || c.guardianPhone ? { name: c.guardianName ?? '', phone: c.guardianPhone ?? '', relation: c.guardianRelation || '家属' } : undefined;
        if (g && (!g.name || !/^1\d{10}$/.test(g.phone))) add('监护人', '监护人须同时填写姓名和 11 位电话');
        if (rowErrors.length === 0) {
          const checked = checkElder(ctx, {
            name,
            ...(gender ? { gender } : {}),
            ...(birth ? { birthDate: birth } : {}),
            ...(c.idNumber ? { idNumber: c.idNumber } : {}),
            categories: cats.ok ? cats.value : [],
            ...(c.phone ? { phone: c.phone } : {}),
            ...(g ? { guardian: g } : {}),
          });
          if (!checked.ok) for (const e of checked.errors) add({ idNumber: '身份证号', birthDate: '出生日期', gender: '性别' }[e.field] ?? e.field, e.message);
          else {
            const h = checked.fields.idHash;
            if (h && seen.has(h)) add('身份证号', `与第 ${seen.get(h)} 行重复`);
            else if (h && (await ctx.store.collection(idKeys).get(idHashKeyId(h)))) add('身份证号', '该身份证号已登记过助餐');
            if (h) seen.set(h, r.row);
            if (rowErrors.length === 0) {
              docs.push({
                ...checked.fields,
                communityId: community._id,
                districtId,
                cityId,
                status: 'approved',
                history: [{ status: 'approved', at: now, day: shanghaiDay(ctx.now()), reason: '名册导入', by: '社区管理员' }],
                appliedBy: 'import',
                applicantMemberId: me(ctx)._id,
                cardNo: null,
                createdAt: now,
                updatedAt: now,
              });
            }
          }
        }
        errors.push(...rowErrors);
      }
      if (raw.length === 0) errors.push({ row: 2, field: '姓名', message: '名册中没有数据行' });
      if (errors.length > 0 || input.dryRun) return { ok: errors.length === 0, imported: 0, rows: raw.length, errors };
      // All rows or none.
      await ctx.store.transaction(async (tx) => {
        for (const d of docs) {
          const e = await insertElder(tx, `el${ctx.newId()}`, d);
          await issueCard(tx, ctx, e);
        }
      });
      ctx.log.info('roster imported', { communityId: community._id, rows: docs.length, requestId: ctx.requestId });
      return { ok: true, imported: docs.length, rows: raw.length, errors: [] };
    },
  },

  revokeCard: {
    roles: ['community_admin'],
    scope: elderScope,
    async run(input, ctx) {
      const e = await ctx.store.collection(elders).get(input.elderId);
      if (!e) throw elderNotFound();
      if (!e.cardNo) throw err(CanteenErrors.NO_CARD, '该老人还没有助餐卡');
      const now = ctx.now().toISOString();
      const cardNo = e.cardNo;
      const saved = await withRetry(async () => {
        const card = await ctx.store.collection(cards).get(cardNo);
        if (!card) throw err(CanteenErrors.NO_CARD, '该老人还没有助餐卡');
        const patch: Partial<Card> = input.reissue
          ? { generation: card.generation + 1, status: 'active', issuedAt: now, revokedAt: now, revokedReason: input.reason }
          : { status: 'revoked', revokedAt: now, revokedReason: input.reason };
        return ctx.store.collection(cards).update(card._id, card._rev, patch);
      });
      ctx.log.info('card revoked', { elderId: e._id, reissued: input.reissue, generation: saved.generation, requestId: ctx.requestId });
      if (saved.status !== 'active') return { card: null };
      return { card: { elderId: e._id, name: e.name, communityName: await regionName(ctx, e.communityId), code: cardCode(ctx, saved), generation: saved.generation } };
    },
  },

  cardSheet: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const list = input.elderIds
        ? (await ctx.store.collection(elders).getMany(input.elderIds)).filter((e) => e.communityId === input.communityId)
        : await allPages(
            (cursor) => ctx.store.collection(elders).find({ where: { communityId: input.communityId, status: 'approved' }, orderBy: { field: 'createdAt', direction: 'asc' }, limit: 100, cursor }),
            SHEET_MAX,
          );
      return { items: await cardViews(ctx, list.filter((e) => e.status === 'approved')) };
    },
  },

  myCards: {
    roles: 'signed-in',
    async run(_input, ctx) {
      const links = await ctx.store.collection(cardLinks).find({ where: { openid: ctx.caller.openid }, orderBy: { field: 'createdAt', direction: 'asc' }, limit: 20 });
      const list = await ctx.store.collection(elders).getMany(links.items.map((l) => l.elderId));
      const views = new Map((await cardViews(ctx, list.filter((e) => e.status === 'approved'))).map((v) => [v.elderId, v]));
      const communityNames = new Map<string, string>();
      const items = [];
      for (const e of list) {
        if (!communityNames.has(e.communityId)) communityNames.set(e.communityId, await regionName(ctx, e.communityId));
        const v = views.get(e._id);
        items.push({ elderId: e._id, name: e.name, communityName: communityNames.get(e.communityId)!, code: v?.code ?? '', generation: v?.generation ?? 0, status: e.status });
      }
      return { items };
    },
  },

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
      assertCanteenAccess(ctx, canteen, true);
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
      if ((await recordMealGrouped(ctx.store, id, meal)) === 'duplicate') {
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
    scope: async (input, ctx) => {
      const m = await ctx.store.collection(meals).get(input.mealId);
      return m ? m.communityId : null;
    },
    async run(input, ctx) {
      const member = me(ctx);
      await ctx.store.transaction(async (tx) => {
        const m = await tx.collection(meals).get(input.mealId);
        if (!m) throw err(CanteenErrors.MEAL_NOT_FOUND, '这条就餐记录不存在或已撤销');
        if (!isStaffOf(ctx, m.canteenId)) throw forbidden('只有本食堂的工作人员可以撤销');
        if (ctx.now().getTime() - Date.parse(m.at) > UNDO_WINDOW_MS) throw err(CanteenErrors.UNDO_TOO_LATE, `只能撤销 ${UNDO_WINDOW_MS / 60000} 分钟内的登记，请联系社区管理员`);
        await undoMeal(tx, m, { undoneAt: ctx.now().toISOString(), undoneBy: member._id, undoReason: input.reason });
      });
      ctx.log.info('check-in undone', { mealId: input.mealId, memberId: member._id, requestId: ctx.requestId });
      return { mealId: input.mealId, undone: true as const };
    },
  },

  searchElders: {
    roles: ['canteen_staff'],
    scope: canteenScope,
    async run(input, ctx) {
      const canteen = await getCanteen(ctx.store, input.canteenId);
      assertCanteenAccess(ctx, canteen, true);
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
      assertCanteenAccess(ctx, canteen);
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

  report: {
    roles: ['canteen_staff', 'community_admin', 'district_admin', 'city_admin'],
    scope: reportScope,
    async run(input, ctx) {
      assertReportAccess(ctx, input);
      return buildReport(ctx, input);
    },
  },

  exportReport: {
    roles: ['canteen_staff', 'community_admin', 'district_admin', 'city_admin'],
    scope: reportScope,
    async run(input, ctx) {
      assertReportAccess(ctx, input);
      const report = await buildReport(ctx, input);
      const { buildReportWorkbook, XLSX_TYPE } = await import('./canteen.export');
      const bytes = await buildReportWorkbook(report, ctx.now().toISOString());
      const file = await ctx.files.put(bytes, { ownerOpenid: ctx.caller.openid, contentType: XLSX_TYPE, ext: 'xlsx', folder: 'exports' });
      const url = (await ctx.files.urls([file.fileId]))[file.fileId];
      if (!url) throw new Error('export saved without a URL');
      return { fileId: file.fileId, url };
    },
  },

  anomalies: {
    roles: ['community_admin', 'district_admin', 'city_admin'],
    scope: (input) => input.regionId,
    async run(input, ctx) {
      const r = await ctx.store.collection(regions).get(input.regionId);
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
      assertCanteenAccess(ctx, canteen);
      const today = shanghaiDay(ctx.now());
      const since = addDays(today, -ABSENCE_LOOKBACK);
      const serving: string[] = [];
      for (let d = since; d <= today; d = addDays(d, 1)) serving.push(d);
      const list = await allPages((cursor) => ctx.store.collection(elders).find({ where: { communityId: canteen.communityId, status: 'approved' }, limit: 100, cursor }), 5000);
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
});
