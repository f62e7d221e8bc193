import { z } from 'zod';
import { defineContract } from '../../lib/contract';
import { Category, TEXT_MAX, TEXT_MIN } from '../suggestions/suggestions.schema';
import { FINDINGS_MAX, KINDS, MAX_REQUESTS, MAX_VISIT_PHOTOS, TAGS } from './visits.labels';

/** Household visits (入户走访): grids, households (台账), visit notes, coverage. Residents never see any of it. */

export { FINDINGS_MAX, KIND_LABELS, MAX_REQUESTS, MAX_VISIT_PHOTOS, TAGS } from './visits.labels';
export const Tag = z.enum(TAGS);
export type Tag = z.infer<typeof Tag>;

export const VisitKind = z.enum(KINDS);
export type VisitKind = z.infer<typeof VisitKind>;

export const MAX_IMPORT_ROWS = 30_000;
export const EXPORT_MAX = 30_000;
/** Longest interval a rule may set: a year. */
export const MAX_EVERY_DAYS = 366;

const Id = z.string().min(1).max(100);
const Cursor = z.string().max(500).nullable().optional();
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

// ---------------------------------------------------------------- stored records

/**
 * One household of a community's ledger. `_id` comes from the community and the normalised address
 * (visits.rules householdId), so re-importing a ledger updates instead of duplicating. The address is
 * the identity and cannot be edited; the visit fields are maintained by `record`, never by imports.
 */
export const Household = z.object({
  _id: z.string(),
  communityId: z.string(),
  gridId: z.string(),
  building: z.string(),
  unit: z.string(),
  room: z.string(),
  /** Normalised `building-unit-room`, the identity inside the community. */
  addressKey: z.string(),
  headName: z.string(),
  membersCount: z.number().int(),
  phone: z.string().nullable(),
  tags: z.array(Tag),
  note: z.string(),
  /** Days between visits from the community's rules and the tags; null: no schedule. */
  everyDays: z.number().int().nullable(),
  lastVisitAt: z.string().nullable(),
  /** 'YYYY-MM' of lastVisitAt, '' when never visited (so “not visited this month” is a range). */
  lastVisitMonth: z.string(),
  /** Start (UTC instant) of the Shanghai day the next visit is due; null when not scheduled. */
  nextDueAt: z.string().nullable(),
  visitCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Household = z.infer<typeof Household>;

export const Location = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  /** Accuracy in metres when the device reports it. */
  accuracy: z.number().nonnegative().max(100_000).optional(),
});
export type Location = z.infer<typeof Location>;

export const VisitRequest = z.object({ text: z.string(), category: Category, suggestionId: z.string() });

/** A visit note. `_id` is derived from the worker and the client's id (offline retries land on it). */
export const Visit = z.object({
  _id: z.string(),
  clientId: z.string(),
  communityId: z.string(),
  gridId: z.string(),
  householdId: z.string(),
  /** Copied at record time so the feed needs no join; the ledger may change later. */
  address: z.string(),
  headName: z.string(),
  workerId: z.string(),
  workerName: z.string(),
  visitedAt: z.string(),
  /** 'YYYY-MM' of visitedAt in Shanghai. */
  month: z.string(),
  kind: VisitKind,
  findings: z.string(),
  requests: z.array(VisitRequest),
  photos: z.array(z.string()),
  /** The resident agreed to the photos being taken and kept (required when there are photos). */
  photoConsent: z.boolean(),
  location: Location.nullable(),
  followUpOf: z.string().nullable(),
  recordedAt: z.string(),
});
export type Visit = z.infer<typeof Visit>;

/** Per-community visit rules; `_id` = `rules:<communityId>`. Absent: DEFAULT_RULES. */
export const VisitRules = z.object({
  communityId: z.string(),
  /** Days between visits per tag; a household with several tags takes the shortest. */
  intervals: z.partialRecord(Tag, z.number().int().min(1).max(MAX_EVERY_DAYS)),
  /** For households without a scheduled tag; null: they are visited when needed, not on a schedule. */
  defaultEveryDays: z.number().int().min(1).max(MAX_EVERY_DAYS).nullable(),
  updatedAt: z.string(),
});
export type VisitRules = z.infer<typeof VisitRules>;

/** `_id` = `cov:<gridId>:<month>`; maintained by `record` so coverage never scans visits. */
export const GridMonth = z.object({
  communityId: z.string(),
  gridId: z.string(),
  month: z.string(),
  visits: z.number().int(),
  /** Distinct households visited this month. */
  households: z.number().int(),
  /** Of those, the ones that were due this month when first visited. */
  dueVisited: z.number().int(),
});
export type GridMonth = z.infer<typeof GridMonth>;

/** `_id` = `wcov:<memberId>:<month>`. */
export const WorkerMonth = z.object({
  communityId: z.string(),
  workerId: z.string(),
  month: z.string(),
  visits: z.number().int(),
  households: z.number().int(),
});
export type WorkerMonth = z.infer<typeof WorkerMonth>;

/** Deterministic-id markers: the first visit of a household in a month (per grid and per worker). */
export const VisitMark = z.object({ at: z.string() });

/**
 * Care alerts are the canteen's generic `care_alerts` (canteen.schema CareAlert: communityId,
 * householdOrElderRef, kind, reason, createdAt). A `household:<id>` ref routes the alert to that
 * household's grid; any other ref goes to every grid worker of the community. Clearing one writes a
 * marker here (`_id` = the alert's id), so the canteen's record stays as written.
 */
export const AlertDone = z.object({ resolvedAt: z.string(), by: z.string() });
export type AlertDone = z.infer<typeof AlertDone>;

// ---------------------------------------------------------------- inputs

const Phone = z
  .string()
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '联系电话应为 11 位手机号或带区号的固定电话');
const PersonName = z.string().trim().min(1, '请填写户主姓名').max(30, '姓名最多 30 个字');
const AddressPart = (label: string, required: boolean) =>
  required ? z.string().trim().min(1, `请填写${label}`).max(20, `${label}最多 20 个字`) : z.string().trim().max(20, `${label}最多 20 个字`);

export const HouseholdFields = z.object({
  headName: PersonName,
  membersCount: z.number().int('家庭人数应为整数').min(1, '家庭人数至少 1 人').max(30, '家庭人数最多 30 人'),
  phone: Phone.nullable().optional(),
  tags: z.array(Tag).max(TAGS.length).default([]),
  note: z.string().trim().max(200, '备注最多 200 字').default(''),
});

export const HouseholdAddress = z.object({
  building: AddressPart('楼栋', true),
  unit: AddressPart('单元', false).default(''),
  room: AddressPart('房号', true),
});

export const CreateHouseholdInput = HouseholdFields.extend(HouseholdAddress.shape).extend({ gridId: Id });
export const UpdateHouseholdInput = HouseholdFields.extend({ id: Id, gridId: Id.optional() });

export const RequestInput = z.object({
  text: z.string().trim().min(TEXT_MIN, `居民诉求至少 ${TEXT_MIN} 个字`).max(TEXT_MAX, `居民诉求最多 ${TEXT_MAX} 个字`),
  category: Category.default('其他'),
});

export const ClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '走访编号格式有误');

export const RecordInput = z
  .object({
    /** Generated on the phone when the note is written; every retry sends the same one. */
    clientId: ClientId,
    householdId: Id,
    visitedAt: z.iso.datetime({ message: '走访时间格式有误' }),
    kind: VisitKind,
    findings: z.string().trim().min(2, '请填写走访情况（至少 2 个字）').max(FINDINGS_MAX, `走访情况最多 ${FINDINGS_MAX} 字`),
    requests: z.array(RequestInput).max(MAX_REQUESTS, `一次最多记录 ${MAX_REQUESTS} 条诉求`).default([]),
    photos: z.array(Id).max(MAX_VISIT_PHOTOS, `最多 ${MAX_VISIT_PHOTOS} 张照片`).default([]),
    photoConsent: z.boolean().default(false),
    location: Location.nullable().optional(),
    followUpOf: Id.nullable().optional(),
  })
  .refine((v) => v.photos.length === 0 || v.photoConsent, { message: '拍照需经居民同意，请确认已征得同意', path: ['photoConsent'] });
export type RecordInput = z.input<typeof RecordInput>;

export const ImportMode = z.enum(['check', 'apply', 'apply_valid']);
export type ImportMode = z.infer<typeof ImportMode>;

// ---------------------------------------------------------------- views

export const HouseholdView = z.object({
  _id: z.string(),
  communityId: z.string(),
  gridId: z.string(),
  gridName: z.string(),
  building: z.string(),
  unit: z.string(),
  room: z.string(),
  address: z.string(),
  headName: z.string(),
  membersCount: z.number().int(),
  /** Masked in lists; in full on the household page for its grid worker and the community admin. */
  phone: z.string().nullable(),
  tags: z.array(Tag),
  note: z.string(),
  everyDays: z.number().int().nullable(),
  lastVisitAt: z.string().nullable(),
  /** Shanghai day the next visit is due, null when not scheduled. */
  dueDay: z.string().nullable(),
  /** > 0 when overdue, 0 due today, < 0 days left; null when not scheduled. */
  overdueDays: z.number().int().nullable(),
  visitCount: z.number().int(),
});
export type HouseholdView = z.infer<typeof HouseholdView>;

export const VisitView = z.object({
  _id: z.string(),
  clientId: z.string(),
  householdId: z.string(),
  gridId: z.string(),
  address: z.string(),
  headName: z.string(),
  workerName: z.string(),
  visitedAt: z.string(),
  kind: VisitKind,
  findings: z.string(),
  requests: z.array(VisitRequest),
  photoUrls: z.array(z.string()),
  photoConsent: z.boolean(),
  location: Location.nullable(),
  followUpOf: z.string().nullable(),
  recordedAt: z.string(),
});
export type VisitView = z.infer<typeof VisitView>;

export const FeedItem = z.object({
  _id: z.string(),
  householdId: z.string(),
  gridId: z.string(),
  address: z.string(),
  headName: z.string(),
  workerName: z.string(),
  visitedAt: z.string(),
  kind: VisitKind,
  excerpt: z.string(),
  requestCount: z.number().int(),
  photoCount: z.number().int(),
});
export type FeedItem = z.infer<typeof FeedItem>;

export const GridView = z.object({
  _id: z.string(),
  name: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  workers: z.array(z.object({ memberId: z.string(), name: z.string() })),
  households: z.number().int(),
});
export type GridView = z.infer<typeof GridView>;

export const AlertView = z.object({
  _id: z.string(),
  kind: z.string(),
  reason: z.string(),
  householdId: z.string().nullable(),
  address: z.string().nullable(),
  createdAt: z.string(),
});

export const CoverageRow = z.object({
  id: z.string(),
  name: z.string(),
  visits: z.number().int(),
  /** Distinct households visited this month. */
  visited: z.number().int(),
  /** Households due this month (visited or not). */
  due: z.number().int(),
  /** Of the due ones, visited this month. */
  dueVisited: z.number().int(),
  /** dueVisited / due, 0..1; null when nothing is due. */
  rate: z.number().nullable(),
});
export type CoverageRow = z.infer<typeof CoverageRow>;

export const ImportIssue = z.object({ line: z.number().int(), column: z.string(), message: z.string() });
export type ImportIssue = z.infer<typeof ImportIssue>;

export const ImportReport = z.object({
  mode: ImportMode,
  rows: z.number().int(),
  valid: z.number().int(),
  /** First 200 problems, by line. */
  issues: z.array(ImportIssue),
  issueCount: z.number().int(),
  /** Lines (1-based, as Excel shows them) that have problems. */
  badLines: z.number().int(),
  applied: z.boolean(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export type ImportReport = z.infer<typeof ImportReport>;

const FileOut = z.object({ fileId: z.string(), url: z.string(), count: z.number().int() });
const FeedFilter = z.object({
  communityId: Id,
  gridId: Id.optional(),
  workerId: Id.optional(),
  kind: VisitKind.optional(),
  from: Day.optional(),
  to: Day.optional(),
});
export type FeedFilter = z.infer<typeof FeedFilter>;

export const visitsContract = defineContract({
  // grids (community admin defines them; workers are assigned through members)
  grids: { input: z.object({ communityId: Id }), output: z.object({ items: z.array(GridView) }) },
  createGrid: { input: z.object({ communityId: Id, name: z.string().trim().min(1, '请填写网格名称').max(20, '网格名称最多 20 字') }), output: GridView },
  myGrids: { input: z.object({}), output: z.object({ items: z.array(GridView) }) },
  // rules
  rules: { input: z.object({ communityId: Id }), output: VisitRules.omit({ updatedAt: true }) },
  setRules: {
    input: z.object({ communityId: Id, intervals: VisitRules.shape.intervals, defaultEveryDays: VisitRules.shape.defaultEveryDays }),
    output: z.object({ rescheduled: z.number().int() }),
  },
  // households
  households: {
    input: z.object({ gridId: Id, tag: Tag.optional(), dueOnly: z.boolean().default(false), cursor: Cursor, limit: z.number().int().min(1).max(100).default(20) }),
    output: z.object({ items: z.array(HouseholdView), nextCursor: z.string().nullable() }),
  },
  household: {
    input: z.object({ id: Id }),
    output: z.object({ household: HouseholdView, visits: z.array(VisitView) }),
  },
  createHousehold: { input: CreateHouseholdInput, output: HouseholdView },
  updateHousehold: { input: UpdateHouseholdInput, output: HouseholdView },
  importTemplate: { input: z.object({ communityId: Id }), output: FileOut },
  importHouseholds: {
    input: z.object({ communityId: Id, fileId: z.string().min(1).max(300), mode: ImportMode }),
    output: ImportReport,
  },
  exportXlsx: { input: z.object({ communityId: Id, gridId: Id.optional() }), output: FileOut.extend({ truncated: z.boolean() }) },
  // visits
  record: { input: RecordInput, output: VisitView },
  visit: { input: z.object({ id: Id }), output: VisitView },
  /** The grid worker's day: households due, care alerts, this week's visits. */
  today: {
    input: z.object({}),
    output: z.object({
      due: z.array(HouseholdView),
      dueMore: z.boolean(),
      alerts: z.array(AlertView),
      week: z.array(FeedItem),
      weekCount: z.number().int(),
    }),
  },
  resolveAlert: { input: z.object({ id: Id }), output: z.object({ ok: z.literal(true) }) },
  feed: {
    input: FeedFilter.extend({ cursor: Cursor, limit: z.number().int().min(1).max(100).default(20) }),
    output: z.object({ items: z.array(FeedItem), nextCursor: z.string().nullable() }),
  },
  coverage: {
    input: z.object({ communityId: Id }),
    output: z.object({ month: z.string(), grids: z.array(CoverageRow), workers: z.array(CoverageRow), total: CoverageRow }),
  },
});
