/**
 * Carrying a matter out (issue 10, items 3–4): its plan (budget by source, spending with receipts,
 * weighted milestones with owners and dates) and its progress timeline with tagged photos. Progress is the
 * sum of the weights of done milestones, kept on the matter on write; nobody sets it directly.
 * Imports nothing from matters.schema.ts (which spreads this contract into its own).
 */
import { z } from 'zod';
import { FUNDING_SOURCES } from './matters.labels';
import { PHOTO_TAGS } from './plan.rules';

const Id = z.string().min(1).max(100);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const Fen = z.number().int('金额以分为单位，须为整数').min(0, '金额不能为负').max(10_000_000_000, '金额过大');
const Cursor = z.string().max(500).nullable().optional();

export const FundingSource = z.enum(FUNDING_SOURCES);
export const PhotoTag = z.enum(PHOTO_TAGS);

/** Fields the plan keeps on the matter itself, so the board reads one document per matter (optional: older matters lack them). */
export const matterProgressFields = {
  /** The earliest due day (Shanghai) among open milestones: the board's overdue flag without reading milestones. */
  nextDue: z.string().nullable().optional(),
  /** The newest progress photo, for the board. */
  latestPhoto: z.string().nullable().optional(),
  /** Progress updates posted. */
  updates: z.number().int().nonnegative().optional(),
  startedAt: z.string().nullable().optional(),
};

/** A milestone's owner: one of the matter's units, or a named person (no account needed). */
export const Owner = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unit'), unitId: Id }),
  z.object({ kind: z.literal('person'), name: z.string().trim().min(1, '请填写负责人').max(30) }),
]);
export type Owner = z.infer<typeof Owner>;

export const Milestone = z.object({
  id: z.string(),
  title: z.string(),
  /** Percent of the matter, an integer; the weights of a matter sum to at most 100. */
  weight: z.number().int(),
  owner: Owner,
  start: z.string(),
  due: z.string(),
  /** An event (义诊…) it counts; not checked until events exist. */
  eventId: z.string().nullable(),
  done: z.object({ at: z.string(), by: z.string(), updateId: z.string() }).nullable(),
  /** Done marks taken back, with why. */
  undone: z.array(z.object({ at: z.string(), by: z.string(), reason: z.string() })),
});
export type Milestone = z.infer<typeof Milestone>;

/** One per matter (`plan:<matterId>`): budget, spending total, milestones. Marks on two milestones serialise on its `_rev`. */
export const Plan = z.object({
  _id: z.string(),
  matterId: z.string(),
  communityId: z.string(),
  budget: z.partialRecord(FundingSource, Fen),
  budgetTotal: z.number().int(),
  spent: z.number().int(),
  spendings: z.number().int(),
  milestones: z.array(Milestone),
  /** Next milestone number (ids `ms<n>` stay unique within the matter). */
  seq: z.number().int(),
  updatedAt: z.string(),
});
export type Plan = z.infer<typeof Plan>;

export const Spending = z.object({
  _id: z.string(),
  matterId: z.string(),
  amount: z.number().int(),
  date: z.string(),
  purpose: z.string(),
  receipts: z.array(z.string()),
  at: z.string(),
  by: z.string(),
});
export type Spending = z.infer<typeof Spending>;

/** A receipt photo filed once (`receipt:<fileId>`): the same receipt cannot be charged to another matter. */
export const Receipt = z.object({ _id: z.string(), matterId: z.string(), spendingId: z.string() });
export type Receipt = z.infer<typeof Receipt>;

/** A photo that marked a milestone done (`evidence:<fileId>`): it cannot mark another milestone too. */
export const Evidence = z.object({ _id: z.string(), matterId: z.string(), milestoneId: z.string() });
export type Evidence = z.infer<typeof Evidence>;

export const UpdatePhoto = z.object({ fileId: z.string(), tag: PhotoTag, uploadedAt: z.string() });

export const ProgressUpdate = z.object({
  _id: z.string(),
  matterId: z.string(),
  communityId: z.string(),
  text: z.string(),
  photos: z.array(UpdatePhoto),
  milestoneId: z.string().nullable(),
  /** This update marked its milestone done (its photos are the evidence). */
  done: z.boolean(),
  at: z.string(),
  /** Member id: kept for audit, never shown. */
  by: z.string(),
  /** What residents see as the author: the unit's name or 社区. */
  byLabel: z.string(),
});
export type ProgressUpdate = z.infer<typeof ProgressUpdate>;

/** One per open milestone (`due:<matterId>:<milestoneId>`), removed when done: reminders find what is due on a day. */
export const DueEntry = z.object({
  _id: z.string(),
  matterId: z.string(),
  milestoneId: z.string(),
  cityId: z.string(),
  districtId: z.string(),
  start: z.string(),
  due: z.string(),
  unitId: z.string().nullable(),
});
export type DueEntry = z.infer<typeof DueEntry>;

/** A reminder sent (`remind:<matterId>:<milestoneId>:<day>`): once per milestone and day, however often the timer runs. */
export const Reminder = z.object({ _id: z.string(), matterId: z.string(), milestoneId: z.string(), day: z.string(), sent: z.number().int(), at: z.string() });
export type Reminder = z.infer<typeof Reminder>;

const MilestoneView = Milestone.omit({ done: true, undone: true }).extend({
  owner: z.object({ kind: z.enum(['unit', 'person']), unitId: z.string().nullable(), label: z.string() }),
  done: z.object({ at: z.string(), updateId: z.string() }).nullable(),
  overdue: z.boolean(),
});

const PhotoView = z.object({ fileId: z.string(), tag: PhotoTag, url: z.string().nullable() });
export const UpdateView = ProgressUpdate.omit({ by: true, communityId: true, photos: true }).extend({ photos: z.array(PhotoView) });
export type UpdateView = z.infer<typeof UpdateView>;

const UpdatesPage = z.object({ items: z.array(UpdateView), nextCursor: z.string().nullable() });

export const BoardRow = z.object({
  _id: z.string(),
  title: z.string(),
  category: z.string(),
  state: z.string(),
  progress: z.number().int(),
  overdue: z.boolean(),
  nextDue: z.string().nullable(),
  leadUnit: z.string().nullable(),
  latestPhoto: z.string().nullable(),
  updates: z.number().int(),
});
export type BoardRow = z.infer<typeof BoardRow>;

const MatterKey = z.object({ matterId: Id });

const PlanView = z.object({
  budget: z.record(z.string(), z.number().int()),
  budgetTotal: z.number().int(),
  spent: z.number().int(),
  spendings: z.number().int(),
  milestones: z.array(MilestoneView),
  weightLeft: z.number().int(),
});
export type PlanView = z.infer<typeof PlanView>;

export const MatterPage = z.object({
  matter: z.object({
    _id: z.string(), communityId: z.string(), year: z.number().int(), title: z.string(), category: z.string(), state: z.string(),
    progress: z.number().int(), overdue: z.boolean(), nextDue: z.string().nullable(), startedAt: z.string().nullable(),
    leadUnit: z.object({ _id: z.string(), name: z.string() }).nullable(),
    supportUnits: z.array(z.object({ _id: z.string(), name: z.string() })),
    claimedBy: z.array(z.string()),
  }),
  plan: PlanView,
  updates: UpdatesPage,
});
export type MatterPage = z.infer<typeof MatterPage>;

export const planContract = {
  /** The budget by source (fen); replaces the previous figures. Community admin of the matter. */
  setBudget: { input: MatterKey.extend({ budget: z.partialRecord(FundingSource, Fen) }), output: PlanView },
  /** A spending entry with its receipts; the running total is kept on the plan. A receipt already filed (here or for another matter) is refused. */
  addSpending: {
    input: MatterKey.extend({
      requestId: Id,
      amount: Fen.min(1, '金额须大于 0'),
      date: Day,
      purpose: z.string().trim().min(2, '请写明用途（至少 2 个字）').max(100, '用途最多 100 字'),
      receipts: z.array(Id).max(9, '票据照片最多 9 张').default([]),
    }),
    output: z.object({ _id: z.string(), spent: z.number().int(), spendings: z.number().int() }),
  },
  listSpendings: { input: MatterKey.extend({ cursor: Cursor }), output: z.object({ items: z.array(Spending.omit({ by: true })), nextCursor: z.string().nullable() }) },
  addMilestone: {
    input: MatterKey.extend({
      title: z.string().trim().min(2, '节点名称至少 2 个字').max(40, '节点名称最多 40 字'),
      weight: z.number().int('权重须为整数').min(1, '权重至少 1%').max(100, '权重最多 100%'),
      owner: Owner,
      start: Day,
      due: Day,
      eventId: Id.nullable().default(null),
    }),
    output: PlanView,
  },
  /** A progress update (text, up to 9 tagged photos, optionally about one milestone); `done` marks that milestone done on this evidence. */
  postUpdate: {
    input: MatterKey.extend({
      requestId: Id,
      text: z.string().trim().min(2, '请写明进展（至少 2 个字）').max(500, '进展最多 500 字'),
      photos: z.array(z.object({ fileId: Id, tag: PhotoTag })).max(9, '每条进展最多 9 张照片').default([]),
      milestoneId: Id.nullable().default(null),
      done: z.boolean().default(false),
    }),
    output: z.object({ _id: z.string(), progress: z.number().int(), state: z.string() }),
  },
  /** The community admin takes a done mark back, with a reason: progress goes down. */
  undoMilestone: {
    input: MatterKey.extend({ milestoneId: Id, reason: z.string().trim().min(2, '请写明撤销原因').max(200) }),
    output: z.object({ progress: z.number().int() }),
  },
  /** The matter page: matter, plan, the start of the timeline (the newest 6; listUpdates goes on from its cursor). */
  getMatter: { input: MatterKey, output: MatterPage },
  /** The timeline, 20 a page, newest first. */
  listUpdates: { input: MatterKey.extend({ cursor: Cursor }), output: UpdatesPage },
  /** A community's board: the year's matters with progress, overdue flag and latest photo. */
  listMatters: {
    input: z.object({ communityId: Id, year: z.number().int().min(2020).max(2100) }),
    output: z.object({ items: z.array(BoardRow) }),
  },
  /** Reminds the owners of milestones due in `days` days (once per milestone and day); the daily timer runs it. */
  sendDueReminders: {
    input: z.object({ regionId: Id, days: z.number().int().min(0).max(30).default(3) }),
    output: z.object({ due: z.number().int(), reminded: z.number().int(), sent: z.number().int(), started: z.number().int() }),
  },
};
