import { z } from 'zod';
import { defineContract } from '../../lib/contract';
import { ELDER_CATEGORIES, ELDER_STATUSES, GENDERS, MEAL_TYPES } from './canteen.labels';

export { CATEGORY_LABELS, ELDER_STATUS_LABELS, GENDER_LABELS, MEAL_LABELS } from './canteen.labels';

/** Meals a canteen can serve; one subsidised meal per elder per meal type per day. */
export const MealType = z.enum(MEAL_TYPES);
export type MealType = z.infer<typeof MealType>;

export const ElderCategory = z.enum(ELDER_CATEGORIES);
export type ElderCategory = z.infer<typeof ElderCategory>;

export const ElderStatus = z.enum(ELDER_STATUSES);
export type ElderStatus = z.infer<typeof ElderStatus>;

export const Gender = z.enum(GENDERS);
export type Gender = z.infer<typeof Gender>;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const Month = z.string().regex(/^\d{4}-\d{2}$/, '月份格式应为 YYYY-MM');
const Id = z.string().min(1).max(100);
const Fen = z.number().int().nonnegative().max(100_000);
const Cursor = z.string().max(500).nullable().optional();
const Reason = z.string().trim().min(2, '请填写原因（至少 2 个字）').max(200, '原因最多 200 字');
const RequestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式有误');
const Phone = z.string().regex(/^1\d{10}$/, '请输入 11 位手机号');
const PersonName = z.string().trim().min(1, '请填写姓名').max(30, '姓名最多 30 个字');

/** One age tier: from `minAge` (inclusive) the elder pays `price` fen. */
export const PriceTier = z.object({ minAge: z.number().int().min(0).max(150), price: Fen });
export type PriceTier = z.infer<typeof PriceTier>;

/** Prices in force from `from` (a Shanghai day) until the next entry's `from`. History is never edited. */
export const PriceSchedule = z.object({
  from: Day,
  /** The standard cost of one meal; subsidy = mealCost − price. */
  mealCost: Fen,
  tiers: z.array(PriceTier).min(1).max(6),
});
export type PriceSchedule = z.infer<typeof PriceSchedule>;

/** Who may eat with the subsidy at this canteen. */
export const EligibilityRule = z.object({
  minAge: z.number().int().min(0).max(120),
  /** At least one of these categories is required; empty = any elder of age. */
  categories: z.array(ElderCategory),
});
export type EligibilityRule = z.infer<typeof EligibilityRule>;

export const Canteen = z.object({
  _id: z.string(),
  name: z.string(),
  communityId: z.string(),
  districtId: z.string(),
  cityId: z.string(),
  meals: z.array(MealType).min(1),
  prices: z.array(PriceSchedule).min(1),
  eligibility: EligibilityRule,
  /** Missed serving days in a row after which a regular is flagged for a care visit. */
  absenceDays: z.number().int().min(2).max(30),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Canteen = z.infer<typeof Canteen>;

export const StatusEntry = z.object({
  status: ElderStatus,
  at: z.string(),
  /** The Shanghai day the change takes effect (a death reported late is dated when it happened). */
  day: Day,
  reason: z.string(),
  by: z.string(),
});
export type StatusEntry = z.infer<typeof StatusEntry>;

export const Guardian = z.object({ name: PersonName, phone: Phone, relation: z.string().trim().min(1).max(10) });
export type Guardian = z.infer<typeof Guardian>;

/** 助餐对象. The ID number is never stored: only `idMasked` and a keyed hash for duplicate checks. */
export const Elder = z.object({
  _id: z.string(),
  name: z.string(),
  gender: Gender,
  birthDate: Day,
  idMasked: z.string().nullable(),
  idHash: z.string().nullable(),
  communityId: z.string(),
  districtId: z.string(),
  cityId: z.string(),
  categories: z.array(ElderCategory),
  phone: z.string().nullable(),
  phoneLast4: z.string().nullable(),
  guardian: Guardian.nullable(),
  guardianLast4: z.string().nullable(),
  status: ElderStatus,
  history: z.array(StatusEntry),
  appliedBy: z.enum(['self', 'family', 'staff', 'import']),
  applicantMemberId: z.string().nullable(),
  cardNo: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Elder = z.infer<typeof Elder>;

/** `_id` is the card number printed in the token; `generation` goes up on every re-issue. */
export const Card = z.object({
  _id: z.string(),
  elderId: z.string(),
  cityId: z.string(),
  generation: z.number().int().min(0),
  status: z.enum(['active', 'revoked']),
  issuedAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedReason: z.string().nullable(),
});
export type Card = z.infer<typeof Card>;

/** `_id` = `meal:<elderId>:<day>:<meal>`: the store's unique id is the one-meal-a-day rule. */
export const Meal = z.object({
  _id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  elderCommunityId: z.string(),
  canteenId: z.string(),
  communityId: z.string(),
  districtId: z.string(),
  cityId: z.string(),
  day: Day,
  month: Month,
  meal: MealType,
  age: z.number().int(),
  tierKey: z.string(),
  price: Fen,
  mealCost: Fen,
  subsidy: Fen,
  via: z.enum(['card', 'search']),
  cardNo: z.string().nullable(),
  by: z.string(),
  at: z.string(),
  /** The client's id for this attempt: a retry with it is answered with this meal, not 已就餐. */
  requestId: z.string(),
});
export type Meal = z.infer<typeof Meal>;

/** A removed meal, kept with who undid it and why. */
export const MealUndo = Meal.extend({ undoneAt: z.string(), undoneBy: z.string(), undoReason: z.string() });
export type MealUndo = z.infer<typeof MealUndo>;

/** Per canteen per day: updated with atomic increments at check-in, summed by reports. */
export const DayCounter = z.object({
  _id: z.string(),
  canteenId: z.string(),
  communityId: z.string(),
  districtId: z.string(),
  cityId: z.string(),
  day: Day,
  month: Month,
  meals: z.number().int(),
  cash: z.number().int(),
  subsidy: z.number().int(),
  /** Distinct elders that day (markers count meals per elder). */
  elders: z.number().int(),
  /** Meals and cash per tier key (`t75`, `t60`). */
  tiers: z.record(z.string(), z.object({ meals: z.number().int(), cash: z.number().int() })),
});
export type DayCounter = z.infer<typeof DayCounter>;

/** Distinct elders per canteen or district per month (scope + key), kept by markers at check-in. */
export const MonthCounter = z.object({ _id: z.string(), elders: z.number().int() });
export type MonthCounter = z.infer<typeof MonthCounter>;

/** How many meals one elder has in one bucket (day/month × canteen/district); 0 → 1 bumps the distinct count. */
export const Marker = z.object({ _id: z.string(), n: z.number().int() });
export type Marker = z.infer<typeof Marker>;

export const AnomalyKind = z.enum(['two_canteens', 'inactive_elder', 'meal_after_status']);
export type AnomalyKind = z.infer<typeof AnomalyKind>;
export const ANOMALY_LABELS: Record<AnomalyKind, string> = {
  two_canteens: '同一张卡在两个食堂使用',
  inactive_elder: '已迁出/已故/暂停人员刷卡',
  meal_after_status: '状态变更生效后仍有就餐记录',
};

export const Anomaly = z.object({
  _id: z.string(),
  kind: AnomalyKind,
  elderId: z.string(),
  elderCommunityId: z.string(),
  canteenId: z.string(),
  communityId: z.string(),
  districtId: z.string(),
  day: Day,
  detail: z.string(),
  at: z.string(),
});
export type Anomaly = z.infer<typeof Anomaly>;

/**
 * A generic follow-up item for grid workers (written here by the canteen; other areas may write too).
 * `householdOrElderRef` is `elder:<id>` or `household:<id>`.
 */
export const CareAlert = z.object({
  _id: z.string(),
  communityId: z.string(),
  householdOrElderRef: z.string(),
  kind: z.string(),
  reason: z.string(),
  createdAt: z.string(),
});
export type CareAlert = z.infer<typeof CareAlert>;

// ---------------------------------------------------------------- views

export const CanteenView = Canteen.omit({ createdAt: true, updatedAt: true }).extend({ communityName: z.string() });
export type CanteenView = z.infer<typeof CanteenView>;

/** What staff and admins see of an elder: ID number and phones masked. */
export const ElderView = z.object({
  _id: z.string(),
  name: z.string(),
  gender: Gender,
  birthDate: Day,
  age: z.number().int(),
  idMasked: z.string().nullable(),
  communityId: z.string(),
  categories: z.array(ElderCategory),
  phoneMasked: z.string().nullable(),
  guardian: z.object({ name: z.string(), phoneMasked: z.string().nullable(), relation: z.string() }).nullable(),
  status: ElderStatus,
  history: z.array(StatusEntry),
  cardNo: z.string().nullable(),
  createdAt: z.string(),
});
export type ElderView = z.infer<typeof ElderView>;

/** A printable / showable card: no ID number. */
export const CardView = z.object({
  elderId: z.string(),
  name: z.string(),
  communityName: z.string(),
  code: z.string(),
  generation: z.number().int(),
});
export type CardView = z.infer<typeof CardView>;

export const CheckInResult = z.object({
  mealId: z.string(),
  elderId: z.string(),
  name: z.string(),
  age: z.number().int(),
  tierKey: z.string(),
  tierLabel: z.string(),
  price: z.number().int(),
  subsidy: z.number().int(),
  meal: MealType,
  day: Day,
  at: z.string(),
  /** True when this answers a retry of an attempt that had already succeeded. */
  replayed: z.boolean(),
});
export type CheckInResult = z.infer<typeof CheckInResult>;

export const Totals = z.object({
  meals: z.number().int(),
  elders: z.number().int(),
  cash: z.number().int(),
  subsidy: z.number().int(),
  tiers: z.array(z.object({ tierKey: z.string(), label: z.string(), meals: z.number().int(), cash: z.number().int() })),
});
export type Totals = z.infer<typeof Totals>;

export const RosterRow = z.object({
  mealId: z.string(),
  name: z.string(),
  age: z.number().int(),
  tierKey: z.string(),
  price: z.number().int(),
  meal: MealType,
  at: z.string(),
  via: z.enum(['card', 'search']),
  undoable: z.boolean(),
});
export type RosterRow = z.infer<typeof RosterRow>;

export const ReportRow = z.object({
  key: z.string(),
  label: z.string(),
  meals: z.number().int(),
  elders: z.number().int(),
  cash: z.number().int(),
  subsidy: z.number().int(),
});
export type ReportRow = z.infer<typeof ReportRow>;

export const ReportInput = z.object({
  /** A canteen id or a district id. */
  scope: z.enum(['canteen', 'district']),
  id: Id,
  period: z.enum(['day', 'month']),
  /** 'YYYY-MM-DD' for a day, 'YYYY-MM' for a month. */
  value: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/),
});
export type ReportInput = z.infer<typeof ReportInput>;

export const Report = z.object({
  title: z.string(),
  scope: z.enum(['canteen', 'district']),
  period: z.enum(['day', 'month']),
  value: z.string(),
  /** Per day (a canteen's month) or per canteen (a district). */
  rows: z.array(ReportRow),
  totals: Totals,
});
export type Report = z.infer<typeof Report>;

const ElderInputBase = z.object({
  name: PersonName,
  gender: Gender.optional(),
  birthDate: Day.optional(),
  /** 18-digit resident ID; kept only masked plus a keyed hash. */
  idNumber: z.string().trim().max(30).optional(),
  categories: z.array(ElderCategory).max(4).default([]),
  phone: Phone.optional(),
  guardian: Guardian.optional(),
});

export const ImportRowError = z.object({ row: z.number().int(), field: z.string(), message: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;

export const canteenContract = defineContract({
  // ---- canteens
  /** Canteens the caller works at (staff) or manages (admins), with their community names. */
  myCanteens: { input: z.object({}), output: z.object({ items: z.array(CanteenView) }) },
  getCanteen: { input: z.object({ canteenId: Id }), output: CanteenView },
  createCanteen: {
    input: z.object({ communityId: Id, name: z.string().trim().min(2).max(40), meals: z.array(MealType).min(1).default(['lunch']) }),
    output: CanteenView,
  },
  /** Adds a price schedule from `from` (today or later): earlier meals keep the prices they were served at. */
  setPrices: {
    input: z.object({ canteenId: Id, from: Day, mealCost: Fen, tiers: z.array(PriceTier).min(1).max(6) }),
    output: CanteenView,
  },
  /** A one-time invitation code that makes its redeemer staff of this canteen. */
  inviteStaff: { input: z.object({ canteenId: Id }), output: z.object({ code: z.string(), expiresAt: z.string() }) },

  // ---- elders
  apply: {
    input: ElderInputBase.extend({
      communityId: Id,
      /** Who fills it in: the elder, a family member, or staff on the elder's behalf. */
      applicant: z.enum(['self', 'family', 'staff']),
      requestId: RequestId,
    }),
    output: ElderView,
  },
  listElders: {
    input: z.object({ communityId: Id, status: ElderStatus.optional(), cursor: Cursor }),
    output: z.object({ items: z.array(ElderView), nextCursor: z.string().nullable() }),
  },
  setElderStatus: {
    input: z.object({ elderId: Id, status: ElderStatus.exclude(['applied']), reason: Reason, day: Day.optional() }),
    output: ElderView,
  },
  /** An .xlsx roster uploaded by the caller (file id). Every row is checked first; nothing is written unless all rows are good. */
  importRoster: {
    input: z.object({ communityId: Id, fileId: z.string().min(1).max(300), dryRun: z.boolean().default(false) }),
    output: z.object({ ok: z.boolean(), imported: z.number().int(), rows: z.number().int(), errors: z.array(ImportRowError) }),
  },

  // ---- cards
  /** Revokes the elder's card at once; with `reissue` a new code (next generation) replaces it. */
  revokeCard: { input: z.object({ elderId: Id, reason: Reason, reissue: z.boolean() }), output: z.object({ card: CardView.nullable() }) },
  /** Cards to print for a community (approved elders), or the given elders. */
  cardSheet: {
    input: z.object({ communityId: Id, elderIds: z.array(Id).max(100).optional() }),
    output: z.object({ items: z.array(CardView) }),
  },
  /** Cards of the elders the caller applied for (their own, or a parent's). */
  myCards: { input: z.object({}), output: z.object({ items: z.array(CardView.extend({ status: ElderStatus })) }) },

  // ---- counter
  checkIn: {
    input: z
      .object({
        canteenId: Id,
        /** The card code as scanned or typed; or `elderId` from the search fallback. */
        code: z.string().max(80).optional(),
        elderId: Id.optional(),
        meal: MealType.default('lunch'),
        requestId: RequestId,
      })
      .refine((i) => !!i.code !== !!i.elderId, { message: '请扫描或输入就餐码', path: ['code'] }),
    output: CheckInResult,
  },
  undoCheckIn: { input: z.object({ mealId: Id, reason: Reason }), output: z.object({ mealId: z.string(), undone: z.literal(true) }) },
  /** Fallback for a forgotten card: a full name, or the last 4 digits of the elder's or guardian's phone. */
  searchElders: {
    input: z.object({ canteenId: Id, q: z.string().trim().min(1).max(30) }),
    output: z.object({
      items: z.array(z.object({ elderId: z.string(), name: z.string(), age: z.number().int(), communityName: z.string(), phoneMasked: z.string().nullable(), status: ElderStatus })),
    }),
  },
  today: {
    input: z.object({ canteenId: Id, cursor: Cursor }),
    output: z.object({ day: Day, totals: Totals, items: z.array(RosterRow), nextCursor: z.string().nullable() }),
  },

  // ---- reports
  report: { input: ReportInput, output: Report },
  exportReport: { input: ReportInput, output: z.object({ fileId: z.string(), url: z.string() }) },
  anomalies: {
    input: z.object({ regionId: Id, cursor: Cursor }),
    output: z.object({ items: z.array(Anomaly.extend({ label: z.string(), elderName: z.string() })), nextCursor: z.string().nullable() }),
  },
  /** Finds regulars who have missed `absenceDays` serving days in a row and writes care alerts. */
  detectAbsences: { input: z.object({ canteenId: Id }), output: z.object({ alerts: z.number().int(), checked: z.number().int() }) },
});
