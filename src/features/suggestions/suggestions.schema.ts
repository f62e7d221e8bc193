import { z } from 'zod';
import { defineContract } from '../../lib/contract';
import { CATEGORIES, MAX_PHOTOS, STATUSES, TEXT_MAX, TEXT_MIN } from './suggestions.labels';

export { CATEGORIES, MAX_PHOTOS, STATUS_LABELS, STATUSES, TEXT_MAX, TEXT_MIN } from './suggestions.labels';

export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

/**
 * received → under_review → replied | adopted | closed; duplicate links to another suggestion.
 * The transitions live in suggestions.rules.ts.
 */
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

/** Where a suggestion came from; later areas (questionnaires, visits) add theirs. */
export const Source = z.enum(['box', 'survey', 'visit', 'council']);
export type Source = z.infer<typeof Source>;

/** The record a suggestion came from when not from the box: a visit (with its household) or a survey response. */
export const SuggestionOrigin = z.object({
  kind: z.enum(['visit', 'survey']),
  id: z.string(),
  householdId: z.string().optional(),
  /** Surveys: `id` is the questionnaire; the question and the option or text answer it was made from. */
  questionId: z.string().optional(),
  optionId: z.string().optional(),
  textId: z.string().optional(),
});
export type SuggestionOrigin = z.infer<typeof SuggestionOrigin>;

export const EXPORT_MAX = 10_000;

export const TimelineEntry = z.object({
  at: z.string(),
  kind: z.enum(['received', 'status', 'reply', 'duplicate']),
  status: Status,
  /** The reply text or the reason for a status change. */
  text: z.string().optional(),
  duplicateOf: z.string().optional(),
  /** Staff display name, e.g. “培新街社区 工作人员”; never a resident's name. */
  by: z.string().optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** The stored record. `_id` is derived from the author and the client's request id (idempotent submit). */
export const Suggestion = z.object({
  _id: z.string(),
  communityId: z.string(),
  districtId: z.string(),
  cityId: z.string(),
  authorId: z.string(),
  authorOpenid: z.string(),
  authorName: z.string(),
  authorPhone: z.string().nullable(),
  authorAddress: z.string().nullable(),
  showName: z.boolean(),
  source: Source,
  category: Category,
  text: z.string(),
  place: z.string().nullable(),
  photos: z.array(z.string()),
  status: Status,
  duplicateOf: z.string().nullable(),
  timeline: z.array(TimelineEntry),
  createdAt: z.string(),
  updatedAt: z.string(),
  firstReplyAt: z.string().nullable(),
  /** Whole minutes from createdAt to firstReplyAt; indexed so stats find the median with count queries. */
  firstReplyMinutes: z.number().int().nonnegative().nullable(),
  /** Absent for the box; see SuggestionOrigin. */
  origin: SuggestionOrigin.optional(),
  /** Set when adopted into the demand list (需求清单): residents follow it there. */
  demandId: z.string().nullable().optional(),
});
export type Suggestion = z.infer<typeof Suggestion>;

const Id = z.string().min(1).max(100);
const Cursor = z.string().max(500).nullable().optional();
const Reason = z.string().trim().min(2, '请填写原因（至少 2 个字）').max(200, '原因最多 200 字');

export const SubmitInput = z.object({
  /** Client-generated per submit attempt; a retry with the same id returns the first result. */
  requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式有误'),
  communityId: Id,
  category: Category,
  text: z
    .string()
    .trim()
    .min(TEXT_MIN, `内容至少 ${TEXT_MIN} 个字`)
    .max(TEXT_MAX, `内容最多 ${TEXT_MAX} 个字`),
  photos: z.array(Id).max(MAX_PHOTOS, `最多上传 ${MAX_PHOTOS} 张照片`).default([]),
  place: z.string().trim().max(100, '地点最多 100 字').optional(),
  showName: z.boolean().default(false),
});

/** What the author sees of their own suggestion. */
export const MySuggestionView = z.object({
  _id: z.string(),
  communityId: z.string(),
  category: Category,
  text: z.string(),
  place: z.string().nullable(),
  photoUrls: z.array(z.string()),
  showName: z.boolean(),
  status: Status,
  duplicateOf: z.string().nullable(),
  timeline: z.array(TimelineEntry),
  createdAt: z.string(),
});
export type MySuggestionView = z.infer<typeof MySuggestionView>;

/** What a community admin sees: the author's contact details are needed to follow up. */
export const AdminSuggestionView = MySuggestionView.extend({
  source: Source,
  authorName: z.string(),
  authorPhone: z.string().nullable(),
  authorAddress: z.string().nullable(),
  firstReplyAt: z.string().nullable(),
  /** The demand it was adopted into (需求清单), for the link on the admin's page. */
  demandId: z.string().nullable().optional(),
});
export type AdminSuggestionView = z.infer<typeof AdminSuggestionView>;

/** A row in the inbox list: no photos, short text. */
export const InboxItem = z.object({
  _id: z.string(),
  category: Category,
  excerpt: z.string(),
  status: Status,
  authorName: z.string(),
  photoCount: z.number().int(),
  createdAt: z.string(),
});
export type InboxItem = z.infer<typeof InboxItem>;

export const InboxFilter = z.object({
  communityId: Id,
  status: Status.optional(),
  category: Category.optional(),
  /** Asia/Shanghai calendar days, inclusive: 'YYYY-MM-DD'. */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  q: z.string().trim().max(50).optional(),
});
export type InboxFilter = z.infer<typeof InboxFilter>;

export const CommunityStats = z.object({
  communityId: z.string(),
  communityName: z.string(),
  collected: z.number().int(),
  replied: z.number().int(),
  /** null when nothing has been replied to yet. */
  medianDaysToFirstReply: z.number().nullable(),
});
export type CommunityStats = z.infer<typeof CommunityStats>;

export const suggestionsContract = defineContract({
  submit: { input: SubmitInput, output: MySuggestionView },
  mine: {
    input: z.object({ cursor: Cursor }),
    output: z.object({ items: z.array(MySuggestionView), nextCursor: z.string().nullable() }),
  },
  /** One suggestion: its author sees MySuggestionView fields, a community admin the admin view. */
  get: { input: z.object({ id: Id }), output: AdminSuggestionView.partial({ authorName: true, authorPhone: true, authorAddress: true, source: true, firstReplyAt: true }) },
  inbox: {
    input: InboxFilter.extend({ cursor: Cursor, limit: z.number().int().min(1).max(100).default(20) }),
    output: z.object({ items: z.array(InboxItem), nextCursor: z.string().nullable() }),
  },
  reply: { input: z.object({ id: Id, text: z.string().trim().min(2, '答复至少 2 个字').max(500, '答复最多 500 字') }), output: AdminSuggestionView },
  setStatus: { input: z.object({ id: Id, status: z.enum(['under_review', 'adopted', 'closed']), reason: Reason }), output: AdminSuggestionView },
  markDuplicate: { input: z.object({ id: Id, duplicateOf: Id }), output: AdminSuggestionView },
  /** `truncated`: the filter matched more than EXPORT_MAX rows; only the newest were exported. */
  exportXlsx: {
    input: InboxFilter,
    output: z.object({ fileId: z.string(), url: z.string(), count: z.number().int(), truncated: z.boolean() }),
  },
  stats: { input: z.object({ regionId: Id }), output: z.object({ items: z.array(CommunityStats) }) },
});
