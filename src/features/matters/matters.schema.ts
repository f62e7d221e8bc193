/**
 * The ten matters (一社区一年10件实事), part 1 so far: the demand list (需求清单). A demand is fed by
 * sources (a suggestion adopted, an admin's entry; questionnaires and council meetings later); its
 * supporters are distinct people across all of them. Merge, split and undo keep every source.
 */
import { z } from 'zod';
import { defineContract } from '../../lib/contract';
import { Category } from '../suggestions/suggestions.schema';
import { Tag } from '../visits/visits.schema';
import { FUNDING_SOURCES, LEFT_OUT_REASONS, PRINCIPLES, STEPS } from './matters.labels';
import { ProcedureSettings, settingsContract } from './settings.schema';
import { closingFields, resultsContract } from './results.schema';
import { matterProgressFields, planContract } from './plan.schema';

export const SOURCE_KINDS = ['suggestion', 'admin', 'council', 'survey_option', 'survey_text'] as const;
export const SourceKind = z.enum(SOURCE_KINDS);
export type SourceKind = z.infer<typeof SourceKind>;

/** open → (merged | selected | left_out); a merge can be undone while the list is not fixed. */
export const DemandStatus = z.enum(['open', 'merged', 'selected', 'left_out', 'fast_track']);
export type DemandStatus = z.infer<typeof DemandStatus>;

/** Where and when a record belongs: its community (with the district and city above it, for roll-ups) and year. */
const placed = { communityId: z.string(), districtId: z.string(), cityId: z.string(), year: z.number().int() };

/** The stored demand. Counters are kept on write (the list never recounts): see demands.rules.ts. */
export const Demand = z.object({
  _id: z.string(),
  ...placed,
  title: z.string(),
  description: z.string(),
  category: Category,
  status: DemandStatus,
  /** Set while merged into another demand; cleared by undo. */
  mergedInto: z.string().nullable(),
  mergedAt: z.string().nullable(),
  /** Distinct identified supporters across its sources and everything merged into it. */
  supporters: z.number().int().nonnegative(),
  /** Anonymous backers (cannot be told apart), shown beside the figure. */
  anonymous: z.number().int().nonnegative(),
  /** Its own sources (not those of demands merged into it). */
  ownSources: z.number().int().nonnegative(),
  /** Demands merged straight into it. */
  mergedCount: z.number().int().nonnegative(),
  /** Sources by kind, including merged demands': “where it came from” on the list. */
  kinds: z.record(z.string(), z.number().int()),
  /** Cost, funding, beneficiaries and feasibility, as the community assessed them. */
  assessment: z.object({
    cost: z.number().int().nonnegative().nullable(),
    funding: z.array(z.enum(FUNDING_SOURCES)),
    beneficiaries: z.number().int().nonnegative().nullable(),
    beneficiariesNote: z.string(),
    feasibility: z.string(),
    at: z.string(),
  }).nullable().optional(),
  /** The committee's running score sums (see scoring.rules.ts) and their weighted total, for ranking. */
  scoring: z.object({ n: z.number().int(), sum: z.record(z.string(), z.number()), sumSq: z.record(z.string(), z.number()) }).optional(),
  score: z.number().nullable().optional(),
  /** 微实事立办: done at once outside the ten, with what it cost and a photo of the result. */
  fastTrack: z.object({ cost: z.number().int(), note: z.string(), photos: z.array(z.string()), at: z.string(), by: z.string() }).nullable().optional(),
  /** Set when the year's list was fixed without it: the published reason. */
  leftOut: z.object({ reason: z.enum(LEFT_OUT_REASONS), department: z.string().optional(), note: z.string().optional(), text: z.string() }).nullable().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
});
export type Demand = z.infer<typeof Demand>;

/** The backer tally of one demand (its id is the demand's), apart so list pages stay small. */
export const DemandSupport = z.object({
  _id: z.string(),
  backers: z.record(z.string(), z.number().int().positive()),
  anonymous: z.number().int().nonnegative(),
});
export type DemandSupport = z.infer<typeof DemandSupport>;

/** One source fed into a demand. Its id names what it came from, so a suggestion feeds one demand only. */
export const DemandSource = z.object({
  _id: z.string(),
  demandId: z.string(),
  communityId: z.string(),
  kind: SourceKind,
  /** The suggestion's id; for an admin's entry, the demand it created. */
  ref: z.string(),
  excerpt: z.string(),
  /** Person keys (hashes of member ids), never names. */
  backers: z.array(z.string()),
  anonymous: z.number().int().nonnegative(),
  note: z.string().nullable(),
  at: z.string(),
  by: z.string(),
  /** Set when a split moved it here from another demand. */
  movedFrom: z.string().nullable(),
});
export type DemandSource = z.infer<typeof DemandSource>;

const Id = z.string().min(1).max(100);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const Count = z.number().int().min(0).max(100_000);
const Year = z.number().int().min(2020).max(2100);
const Title = z.string().trim().min(2, '标题至少 2 个字').max(40, '标题最多 40 字');
const Description = z.string().trim().max(500, '说明最多 500 字');
const Note = z.string().trim().min(2, '请写明来由（至少 2 个字）').max(200, '最多 200 字');
const Cursor = z.string().max(500).nullable().optional();

export const DemandRow = Demand.pick({ _id: true, title: true, category: true, status: true, supporters: true, anonymous: true, kinds: true, mergedCount: true, year: true, createdAt: true });
export type DemandRow = z.infer<typeof DemandRow>;

export const SourceView = z.object({
  _id: z.string(),
  kind: SourceKind,
  ref: z.string(),
  excerpt: z.string(),
  supporters: z.number().int(),
  anonymous: z.number().int(),
  note: z.string().nullable(),
  at: z.string(),
  /** The demand it belongs to: this one, or one merged into it. */
  demandId: z.string(),
  movedFrom: z.string().nullable(),
});
export type SourceView = z.infer<typeof SourceView>;

export const DemandDetail = z.object({
  demand: Demand.omit({ createdBy: true }),
  sources: z.array(SourceView),
  /** Demands merged straight into this one (each may be un-merged). */
  merged: z.array(z.object({ _id: z.string(), title: z.string(), supporters: z.number().int(), mergedAt: z.string().nullable() })),
  /** The city's 微实事立办 limit (yuan) for this demand's community. */
  fastTrackMaxCost: z.number().int().optional(),
  /** Set for a grid worker on the committee: residents' personal data masked, nothing but scoring offered. */
  masked: z.boolean().optional(),
});
export type DemandDetail = z.infer<typeof DemandDetail>;

export const Step = z.enum(STEPS);

export const VoteSchema = z.object({ for: Count, against: Count, abstain: Count });

/** A recorded deliberation (the rules' StepRecord) with its minutes and who recorded it. */
export const StepRecordSchema = z.object({
  step: Step,
  date: Day,
  expected: z.number().int(),
  present: z.number().int(),
  votes: z.record(z.string(), VoteSchema),
  passed: z.array(z.string()),
  failed: z.array(z.string()),
  minutes: z.string(),
  attachments: z.array(z.string()),
  recordedAt: z.string(),
  recordedBy: z.string(),
});
export type StepRecordDoc = z.infer<typeof StepRecordSchema>;

/** One community's draft list of a year and its procedure (id `slate:<community>:<year>`). */
export const Slate = z.object({
  _id: z.string(),
  ...placed,
  /** The party organisation's reason for each proposed item. */
  reasons: z.record(z.string(), z.string()),
  steps: z.array(StepRecordSchema),
  /** Steps taken back, with why: the history stays. */
  withdrawn: z.array(StepRecordSchema.extend({ withdrawnAt: z.string(), withdrawnBy: z.string(), reason: z.string() })),
  publicity: z.object({ start: z.string(), end: z.string() }).nullable(),
  objections: z.number().int().nonnegative(),
  unanswered: z.number().int().nonnegative(),
  fixedAt: z.string().nullable(),
  fixed: z.array(z.string()),
  updatedAt: z.string(),
});
export type Slate = z.infer<typeof Slate>;

/**
 * A matter on a fixed list (id `matter:<demandId>`), created when the list is fixed. Part 2 carries it out:
 * lead and supporting units, leaders' claims (kept here for the board; the claims themselves live with the
 * leaders area), plan, milestones, progress kept on write (weights of done milestones, 0–100).
 */
export const Matter = z.object({
  _id: z.string(),
  ...placed,
  demandId: z.string(),
  title: z.string(),
  category: Category,
  /** The community's region path (city … community): district and city lists, scope checks. */
  path: z.array(z.string()),
  state: z.enum(['planning', 'in_progress', 'completed', 'accepted', 'reopened']),
  leadUnitId: z.string().nullable(),
  supportUnitIds: z.array(z.string()),
  /** Leaders who claimed it (领导认领), denormalised by the leaders area through the matters service. */
  claimedBy: z.array(z.object({ memberId: z.string(), name: z.string() })),
  progress: z.number().int().min(0).max(100),
  /** Completion, 验收, result, satisfaction, 回访, reopenings: results.schema.ts. */
  ...closingFields,
  ...matterProgressFields,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Matter = z.infer<typeof Matter>;

const ScoresSchema = z.object(Object.fromEntries(PRINCIPLES.map((p) => [p, z.number().int().min(1, '每项 1–5 分').max(5, '每项 1–5 分')])) as Record<(typeof PRINCIPLES)[number], z.ZodNumber>);
const WeightsSchema = z.object(Object.fromEntries(PRINCIPLES.map((p) => [p, z.number().min(0).max(10)])) as Record<(typeof PRINCIPLES)[number], z.ZodNumber>);

/** Who scores a community's demands in a year, with the weights of the four principles. */
export const Committee = z.object({
  _id: z.string(),
  communityId: z.string(),
  year: z.number().int(),
  members: z.array(z.object({ memberId: z.string(), name: z.string() })),
  weights: WeightsSchema,
  updatedAt: z.string(),
});
export type Committee = z.infer<typeof Committee>;

/** One scorer's scores of one demand (`score:<demand>:<member>`); replaced when they score again. */
export const ScoreDoc = z.object({ _id: z.string(), demandId: z.string(), memberId: z.string(), scores: ScoresSchema, at: z.string() });
export type ScoreDoc = z.infer<typeof ScoreDoc>;

export const Objection = z.object({
  _id: z.string(),
  slateId: z.string(),
  communityId: z.string(),
  demandId: z.string(),
  authorId: z.string(),
  text: z.string(),
  at: z.string(),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
  answered: z.boolean(),
});
export type Objection = z.infer<typeof Objection>;

const SlateKey = z.object({ communityId: Id, year: Year });

export const MeetingOutcome = z.enum(['adopted', 'rejected', 'deferred']);

/** A resident council meeting (居民议事会): agenda, attendance, minutes, photos and an outcome per item. */
export const Meeting = z.object({
  _id: z.string(),
  ...placed,
  title: z.string(),
  place: z.string(),
  startsAt: z.string(),
  agenda: z.array(z.object({
    title: z.string(),
    /** A demand it discusses; null for a new proposal (adopting it creates the demand). */
    demandId: z.string().nullable(),
    outcome: MeetingOutcome.nullable(),
    votes: z.object({ support: z.number().int(), oppose: z.number().int(), abstain: z.number().int() }).nullable(),
  })),
  /** Secret of the attendance QR code; shown to staff only. */
  token: z.string(),
  /** Residents who scanned in (member ids are in `matters_attendance`); plus those staff counted by hand. */
  scanned: z.number().int(),
  countedByHand: z.number().int(),
  minutes: z.string(),
  photos: z.array(z.string()),
  status: z.enum(['scheduled', 'held']),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Meeting = z.infer<typeof Meeting>;

export const Attendance = z.object({ _id: z.string(), meetingId: z.string(), memberId: z.string(), at: z.string() });
export type Attendance = z.infer<typeof Attendance>;

const MeetingView = Meeting.omit({ token: true }).extend({ attendees: z.number().int(), token: z.string().optional() });

export const SlateView = z.object({
  communityId: z.string(),
  year: z.number().int(),
  stage: z.enum([...STEPS, 'publicity', 'fixed']),
  items: z.array(z.object({ demandId: z.string(), title: z.string(), supporters: z.number().int(), reason: z.string() })),
  steps: z.array(StepRecordSchema.omit({ recordedBy: true })),
  withdrawn: z.number().int(),
  publicity: z.object({ start: z.string(), end: z.string(), daysLeft: z.number().int() }).nullable(),
  objections: z.number().int(),
  unanswered: z.number().int(),
  fixedAt: z.string().nullable(),
  /** The city's rules in force (quorum and majority per step, 公示 days, the cap) for the page to state them. */
  config: ProcedureSettings.optional(),
  /** Title of every demand a step voted on, also one voted down (it left `items`), for the meeting records. */
  titles: z.record(z.string(), z.string()).optional(),
});
export type SlateView = z.infer<typeof SlateView>;

/** What the printed 公示 sheet shows: no one's identity, only figures and dates (Shanghai days). */
export const PrintSheet = z.object({
  communityName: z.string(),
  year: z.number().int(),
  stage: z.enum([...STEPS, 'publicity', 'fixed']),
  items: z.array(z.object({ title: z.string(), reason: z.string(), supporters: z.number().int(), anonymous: z.number().int(), cost: z.number().int().nullable() })),
  steps: z.array(z.object({ step: Step, date: z.string() })),
  publicity: z.object({ start: z.string(), end: z.string(), daysLeft: z.number().int() }).nullable(),
  fixedAt: z.string().nullable(),
  /** The day the sheet is printed (落款 date), in Asia/Shanghai. */
  today: z.string(),
});
export type PrintSheet = z.infer<typeof PrintSheet>;

const LeftOutInput = z.object({
  demandId: Id,
  reason: z.enum(LEFT_OUT_REASONS),
  department: z.string().trim().max(40).optional(),
  note: z.string().trim().max(200).optional(),
});

export const mattersContract = defineContract({
  ...resultsContract,
  ...planContract,
  /** A demand entered by the community, with where it came from (e.g. “居民议事会上多位居民提出”). */
  createDemand: {
    input: z.object({ requestId: Id, communityId: Id, year: Year.optional(), title: Title, description: Description.default(''), category: Category, note: Note }),
    output: Demand,
  },
  /** A suggestion joins the demand list: into an existing demand of its community, or as a new one. */
  adoptSuggestion: {
    input: z.object({
      suggestionId: Id,
      into: Id.nullable().default(null),
      title: Title.optional(),
      reason: z.string().trim().min(2).max(200).default('已纳入社区需求清单'),
    }),
    output: z.object({ demandId: z.string(), created: z.boolean() }),
  },
  /** The three open demands of the suggestion's community most like it (confirm one with adoptSuggestion). */
  similarDemands: {
    input: z.object({ suggestionId: Id }),
    output: z.object({ items: z.array(z.object({ _id: z.string(), title: z.string(), supporters: z.number().int(), score: z.number() })) }),
  },
  listDemands: {
    input: z.object({ communityId: Id, year: Year, status: DemandStatus.exclude(['merged']).default('open'), sort: z.enum(['supporters', 'newest', 'score']).default('supporters'), cursor: Cursor }),
    output: z.object({ items: z.array(DemandRow), nextCursor: z.string().nullable() }),
  },
  getDemand: {
    input: z.object({ id: Id }),
    output: DemandDetail,
  },
  mergeDemands: {
    input: z.object({ into: Id, from: Id }),
    output: Demand,
  },
  undoMerge: {
    input: z.object({ id: Id }),
    output: z.object({ restored: Demand, from: Demand }),
  },
  splitDemand: {
    input: z.object({ id: Id, sourceIds: z.array(Id).min(1).max(100), title: Title, requestId: Id }),
    output: z.object({ kept: Demand, created: Demand }),
  },
  getSlate: { input: SlateKey, output: SlateView },
  /** One of the four deliberations, in order; at the proposal the votes name the items and `reasons` says why each. */
  recordStep: {
    input: SlateKey.extend({
      step: Step,
      date: Day,
      expected: z.number().int().min(1, '应到人数至少为 1').max(100_000),
      present: Count,
      votes: z.record(Id, VoteSchema),
      reasons: z.record(Id, z.string().trim().min(2).max(200)).default({}),
      minutes: z.string().trim().min(2, '请填写会议纪要').max(2000),
      attachments: z.array(Id).max(9).default([]),
    }),
    output: SlateView,
  },
  stepBack: { input: SlateKey.extend({ reason: z.string().trim().min(2, '请写明退回原因').max(200) }), output: SlateView },
  startPublicity: { input: SlateKey, output: SlateView },
  /** A resident's objection during 公示: one per resident per item, content-checked. */
  object: {
    input: SlateKey.extend({ demandId: Id, text: z.string().trim().min(5, '异议内容至少 5 个字').max(500, '最多 500 字') }),
    output: z.object({ _id: z.string() }),
  },
  answerObjection: { input: z.object({ id: Id, answer: z.string().trim().min(2).max(500) }), output: z.object({ _id: z.string(), unanswered: z.number().int() }) },
  listObjections: {
    input: SlateKey.extend({ cursor: Cursor }),
    output: z.object({ items: z.array(Objection.omit({ authorId: true })), nextCursor: z.string().nullable() }),
  },
  /** Fixes the year's list after 公示: every open demand left out needs its published reason. */
  fixList: { input: SlateKey.extend({ leftOut: z.array(LeftOutInput).max(2000).default([]) }), output: SlateView },
  /** Its author follows a suggestion to the demand list: the demand, where the year's list stands, and the reason if left out. */
  followSuggestion: {
    input: z.object({ suggestionId: Id }),
    output: z.object({
      demand: z.object({ _id: z.string(), title: z.string(), supporters: z.number().int(), status: DemandStatus, leftOutText: z.string().nullable() }).nullable(),
      stage: z.enum([...STEPS, 'publicity', 'fixed']).nullable(),
      onSlate: z.boolean(),
    }),
  },
  assessDemand: {
    input: z.object({
      id: Id,
      cost: z.number().int().min(0).max(1_000_000_000).nullable(),
      funding: z.array(z.enum(FUNDING_SOURCES)).max(4).default([]),
      beneficiaries: z.number().int().min(0).max(10_000_000).nullable(),
      beneficiariesNote: z.string().trim().max(200).default(''),
      feasibility: z.string().trim().max(500).default(''),
    }),
    output: Demand,
  },
  setCommittee: {
    input: z.object({ communityId: Id, year: Year, memberIds: z.array(Id).min(1, '评议小组至少 1 人').max(30), weights: WeightsSchema.optional() }),
    output: Committee.omit({ _id: true }),
  },
  /** The year's committee as set (null before setCommittee), for the form that changes it. */
  getCommittee: { input: SlateKey, output: Committee.omit({ _id: true }).nullable() },
  scoreDemand: { input: z.object({ id: Id, scores: ScoresSchema }), output: z.object({ scored: z.number().int(), committee: z.number().int() }) },
  /** Individual scores and the mean stay hidden until every committee member has scored; one's own are always shown. */
  getScores: {
    input: z.object({ id: Id }),
    output: z.object({
      committee: z.number().int(),
      scored: z.number().int(),
      complete: z.boolean(),
      mine: ScoresSchema.nullable(),
      summary: z.object({ mean: z.record(z.string(), z.number()), spread: z.record(z.string(), z.number()), total: z.number() }).nullable(),
      scores: z.array(z.object({ name: z.string(), scores: ScoresSchema })).nullable(),
    }),
  },
  fastTrack: {
    input: z.object({
      id: Id,
      cost: z.number().int().min(0).max(1_000_000),
      note: z.string().trim().min(5, '请写明办理情况（至少 5 个字）').max(500),
      photos: z.array(Id).min(1, '请上传至少一张办结照片').max(9),
    }),
    output: Demand,
  },
  scheduleMeeting: {
    input: z.object({
      requestId: Id,
      communityId: Id,
      title: z.string().trim().min(2).max(60),
      place: z.string().trim().min(2, '请填写地点').max(60),
      startsAt: z.string().datetime({ offset: true }),
      agenda: z.array(z.object({ title: z.string().trim().min(2).max(60), demandId: Id.nullable().default(null) })).min(1, '请至少列一个议题').max(20),
    }),
    output: MeetingView,
  },
  /** Staff see the attendance QR's secret; residents of the community see the rest. */
  getMeeting: { input: z.object({ id: Id }), output: MeetingView },
  listMeetings: { input: z.object({ communityId: Id, year: Year, cursor: Cursor }), output: z.object({ items: z.array(MeetingView), nextCursor: z.string().nullable() }) },
  /** A resident scans the meeting's QR code: counted once. */
  attendMeeting: { input: z.object({ id: Id, token: z.string().min(1).max(100) }), output: z.object({ attendees: z.number().int() }) },
  /** Staff count those who came without the app. */
  countAttendees: { input: z.object({ id: Id, countedByHand: Count }), output: z.object({ attendees: z.number().int() }) },
  /** An agenda item's outcome; an adopted item feeds the demand list (a new proposal becomes a demand). */
  recordOutcome: {
    input: z.object({
      id: Id,
      item: z.number().int().min(0).max(19),
      outcome: MeetingOutcome,
      votes: z.object({ support: Count, oppose: Count, abstain: Count }),
      category: Category.default('其他'),
    }),
    output: z.object({ demandId: z.string().nullable() }),
  },
  closeMeeting: {
    input: z.object({ id: Id, minutes: z.string().trim().min(5, '请填写会议纪要').max(5000), photos: z.array(Id).max(9).default([]) }),
    output: MeetingView,
  },
  /** A questionnaire option (its supporters: the distinct respondents who chose it) or a text answer joins the list. */
  adoptSurveyAnswer: {
    input: z.object({
      from: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('option'), surveyId: Id, questionId: Id, optionId: Id }),
        z.object({ kind: z.literal('text'), textId: Id }),
      ]),
      into: Id.nullable().default(null),
      title: Title.optional(),
      category: Category.default('其他'),
    }),
    output: z.object({ demandId: z.string(), created: z.boolean(), supporters: z.number().int(), anonymous: z.number().int() }),
  },
  /** The 公示 sheet (the slate, or the fixed list with the demands left out and why) as .xlsx. */
  exportSlate: { input: SlateKey, output: z.object({ fileId: z.string(), url: z.string() }) },
  /** Beneficiaries counted from the household ledger: households in these buildings with any of these tags. */
  countBeneficiaries: {
    input: z.object({ id: Id, buildings: z.array(z.string().trim().min(1).max(20)).max(100).default([]), tags: z.array(Tag).max(10).default([]) }),
    output: z.object({ households: z.number().int(), people: z.number().int(), note: z.string(), truncated: z.boolean() }),
  },
  /** 两公开 for residents: objections with their public answers (never who objected), and once fixed, every demand left out with why. */
  publicNotes: {
    input: SlateKey,
    output: z.object({
      objections: z.array(z.object({ demandTitle: z.string(), text: z.string(), answer: z.string(), answeredAt: z.string() })),
      leftOut: z.array(z.object({ title: z.string(), supporters: z.number().int(), reason: z.string() })),
    }),
  },
  ...settingsContract,
  /** The committees of this year a grid worker sits on (their home links to those demand lists). */
  myCommittees: {
    input: z.object({}),
    output: z.object({ items: z.array(z.object({ communityId: z.string(), communityName: z.string(), year: z.number().int() })) }),
  },
  /** The printable 公示 sheet (and the poster): the slate with each item's estimated cost, the community's name and the meeting dates. */
  printSheet: { input: SlateKey, output: PrintSheet },
});

/**
 * `mu:<matter>:<unit>`: a unit's part in a matter (lead or support), kept beside `leadUnitId`/`supportUnitIds` in
 * the same transaction, so a unit's matters can be listed (arrays cannot be queried).
 */
export const MatterUnitLink = z.object({
  _id: z.string(),
  matterId: z.string(),
  unitId: z.string(),
  communityId: z.string(),
  year: z.number().int(),
  role: z.enum(['lead', 'support']),
});
export type MatterUnitLink = z.infer<typeof MatterUnitLink>;
