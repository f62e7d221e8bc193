/**
 * The suggestion box (意见箱): residents submit and follow their suggestions; a community admin
 * works through the inbox; district and city admins see counts per community.
 */
import { AppError, ErrorCodes, forbidden, isAppError } from '../../lib/errors';
import { defineArea, type ActionContext } from '../../server/action';
import { withRetry } from '../../server/conflict-retry';
import { ancestry, getRegion, regionPath, type Region } from '../regions/regions.service';
import { saveExport } from '../../server/files/exports';
import { assertOwnPhotos } from '../../server/files/photos';
import { readAll } from '../../server/read-all';
import type { Collection, Fields, Store, Stored, TxCollection, TxStore, Where } from '../../server/store/store';
import type { Member } from '../members/members.schema';
import { suggestions } from './suggestions.collections';
import { newSuggestionRecord } from './suggestions.record';
import { tellAuthor } from './suggestions.tell';
import { statsActions } from './suggestions.stats';
import { buildSuggestionsWorkbook } from './suggestions.export';
import {
  addressOf, dayBounds, duplicateEntry, excerpt, minutesBetween,
  replyEntry, replyError, staffLabel, statusAfterReply, statusEntry, suggestionId, transitionError,
} from './suggestions.rules';
import {
  EXPORT_MAX, STATUS_LABELS, suggestionsContract,
  type AdminSuggestionView, type InboxFilter, type InboxItem, type MySuggestionView, type Suggestion,
} from './suggestions.schema';

export const SuggestionErrors = {
  NOT_FOUND: 'SUGGESTION.NOT_FOUND',
  UNSAFE_CONTENT: 'SUGGESTION.UNSAFE_CONTENT',
  BAD_TRANSITION: 'SUGGESTION.BAD_TRANSITION',
  BAD_DUPLICATE: 'SUGGESTION.BAD_DUPLICATE',
} as const;

type Doc = Stored<Suggestion>;
type Patch = Partial<Fields<Suggestion>>;

const MINE_PAGE = 20;

const notFound = () => new AppError(SuggestionErrors.NOT_FOUND, '建议不存在或已被删除');
const hasCode = (e: unknown, code: string) => isAppError(e) && e.code === code;
function col(store: Store): Collection<Suggestion>;
function col(store: TxStore): TxCollection<Suggestion>;
function col(store: TxStore) {
  return store.collection(suggestions);
}

function me(ctx: ActionContext): Stored<Member> {
  // Role-checked actions only run for members; this guards against a misconfigured action.
  if (!ctx.caller.member) throw forbidden('请先加入社区');
  return ctx.caller.member;
}

async function region(ctx: ActionContext, id: string): Promise<Stored<Region> | null> {
  return getRegion(ctx.store, id);
}

async function communityName(ctx: ActionContext, communityId: string): Promise<string> {
  return (await region(ctx, communityId))?.name ?? '社区';
}

/** Whether the caller holds a community_admin grant over this community (or an ancestor of it). */
async function isAdminOf(ctx: ActionContext, communityId: string): Promise<boolean> {
  const admin = ctx.grants.filter((g) => g.role === 'community_admin');
  if (admin.length === 0) return false;
  const path = await regionPath(ctx.store, communityId);
  return !!path && admin.some((g) => path.includes(g.regionId));
}

// ---------------------------------------------------------------- views

async function photoUrls(ctx: ActionContext, docs: Doc[]): Promise<Record<string, string>> {
  const ids = [...new Set(docs.flatMap((d) => d.photos))];
  return ids.length ? ctx.files.urls(ids) : {};
}

function myView(s: Doc, urls: Record<string, string>): MySuggestionView {
  return {
    _id: s._id,
    communityId: s.communityId,
    category: s.category,
    text: s.text,
    place: s.place,
    // A photo whose file is gone is left out rather than shown broken.
    photoUrls: s.photos.flatMap((id) => (urls[id] ? [urls[id]] : [])),
    showName: s.showName,
    status: s.status,
    duplicateOf: s.duplicateOf,
    timeline: s.timeline,
    createdAt: s.createdAt,
  };
}

function adminView(s: Doc, urls: Record<string, string>): AdminSuggestionView {
  return {
    ...myView(s, urls),
    source: s.source,
    authorName: s.authorName,
    authorPhone: s.authorPhone,
    authorAddress: s.authorAddress,
    firstReplyAt: s.firstReplyAt,
    demandId: s.demandId ?? null,
  };
}

const inboxItem = (s: Doc): InboxItem => ({
  _id: s._id,
  category: s.category,
  excerpt: excerpt(s.text),
  status: s.status,
  authorName: s.authorName,
  photoCount: s.photos.length,
  createdAt: s.createdAt,
});

// ---------------------------------------------------------------- writes

/** Read, decide, write with the read's `_rev` (STORE.CONFLICT if someone wrote in between). */
async function change(store: TxStore, id: string, now: string, decide: (s: Doc) => Patch): Promise<Doc> {
  const s = await col(store).get(id);
  if (!s) throw notFound();
  return col(store).update(id, s._rev, { ...decide(s), updatedAt: now });
}

const badTransition = (message: string) => new AppError(SuggestionErrors.BAD_TRANSITION, message);
const badDuplicate = (message: string) => new AppError(SuggestionErrors.BAD_DUPLICATE, message);

/** Admin actions on one suggestion: the dispatch scope check runs against its community. */
const suggestionScope = async (input: { id: string }, ctx: ActionContext) => (await col(ctx.store).get(input.id))?.communityId ?? null;

// ---------------------------------------------------------------- inbox queries

function inboxWhere(f: InboxFilter): Where {
  let created: ReturnType<typeof dayBounds>;
  try {
    created = dayBounds(f.from, f.to);
  } catch (e) {
    const message = e instanceof Error ? e.message : '日期无效';
    throw new AppError(ErrorCodes.INPUT_INVALID, message, [{ path: [message.startsWith('结束') ? 'to' : 'from'], message }]);
  }
  const where: Where = { communityId: f.communityId };
  if (f.status) where.status = f.status;
  if (f.category) where.category = f.category;
  if (created) where.createdAt = created;
  if (f.q) where.text = { contains: f.q };
  return where;
}

const NEWEST_FIRST = { field: 'createdAt', direction: 'desc' } as const;

function describeFilter(f: InboxFilter): string {
  const parts: string[] = [];
  if (f.status) parts.push(`状态：${STATUS_LABELS[f.status]}`);
  if (f.category) parts.push(`类别：${f.category}`);
  if (f.from || f.to) parts.push(`日期：${f.from ?? '不限'} 至 ${f.to ?? '不限'}`);
  if (f.q) parts.push(`包含：${f.q}`);
  return parts.join('；');
}

// ---------------------------------------------------------------- the area

export const suggestionsArea = defineArea('suggestions', suggestionsContract, {
  /** A resident's new suggestion. The id comes from the author and the client's request id: retries return the first. */
  submit: {
    roles: ['resident'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const member = me(ctx);
      const grant = ctx.grants.find((g) => g.role === 'resident' && g.regionId === input.communityId);
      if (!grant) throw forbidden('您还不是该社区的居民，请先加入社区');
      const id = suggestionId(member._id, input.requestId);
      const existing = await col(ctx.store).get(id);
      if (existing && existing.authorId === member._id) return myView(existing, await photoUrls(ctx, [existing]));

      const verdict = await ctx.safety.check(input.place ? `${input.text}\n${input.place}` : input.text, ctx.caller.openid);
      if (!verdict.ok) throw new AppError(SuggestionErrors.UNSAFE_CONTENT, verdict.reason);
      const photos = [...new Set(input.photos)];
      await assertOwnPhotos(ctx.files, photos, ctx.caller.openid);

      const { idOf } = await ancestry(ctx.store, input.communityId);
      const now = ctx.now().toISOString();
      const doc: Fields<Suggestion> = newSuggestionRecord({
        communityId: input.communityId,
        districtId: idOf('district'),
        cityId: idOf('city'),
        author: { id: member._id, openid: ctx.caller.openid, name: member.name, phone: member.phone ?? null, address: addressOf(grant.building, grant.unit) },
        showName: input.showName,
        source: 'box',
        category: input.category,
        text: input.text,
        place: input.place,
        photos,
        now,
      });
      let stored: Doc | null;
      try {
        stored = await col(ctx.store).insert(doc, { id });
      } catch (e) {
        // A parallel retry of the same submit won the insert: answer with its result.
        if (!hasCode(e, ErrorCodes.DUPLICATE)) throw e;
        stored = await col(ctx.store).get(id);
      }
      if (!stored || stored.authorId !== member._id) throw new Error('suggestion id collision');
      return myView(stored, await photoUrls(ctx, [stored]));
    },
  },

  mine: {
    roles: ['resident'],
    async run(input, ctx) {
      const member = me(ctx);
      const page = await col(ctx.store).find({ where: { authorId: member._id }, orderBy: NEWEST_FIRST, limit: MINE_PAGE, cursor: input.cursor });
      const urls = await photoUrls(ctx, page.items);
      return { items: page.items.map((s) => myView(s, urls)), nextCursor: page.nextCursor };
    },
  },

  /** The author sees their own; an admin of its community sees the admin view; a resident learns nothing about others'. */
  get: {
    roles: ['resident', 'community_admin'],
    async run(input, ctx) {
      const member = me(ctx);
      const s = await col(ctx.store).get(input.id);
      if (!s) throw notFound();
      if (await isAdminOf(ctx, s.communityId)) return adminView(s, await photoUrls(ctx, [s]));
      if (s.authorId === member._id) return myView(s, await photoUrls(ctx, [s]));
      if (ctx.grants.some((g) => g.role === 'community_admin')) throw forbidden('您无权查看其他社区的建议');
      throw notFound();
    },
  },

  inbox: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const page = await col(ctx.store).find({ where: inboxWhere(input), orderBy: NEWEST_FIRST, limit: input.limit, cursor: input.cursor });
      return { items: page.items.map(inboxItem), nextCursor: page.nextCursor };
    },
  },

  /** An official reply; the first one sets firstReplyAt (what stats measure). */
  reply: {
    roles: ['community_admin'],
    scope: suggestionScope,
    async run(input, ctx) {
      const s0 = await col(ctx.store).get(input.id);
      if (!s0) throw notFound();
      const by = staffLabel(await communityName(ctx, s0.communityId));
      const s = await withRetry(() => {
        const now = ctx.now().toISOString();
        return change(ctx.store, input.id, now, (s) => {
          const status = statusAfterReply(s.status);
          if (!status) throw badTransition(replyError(s.status)!);
          const first = s.firstReplyAt === null;
          return {
            status,
            timeline: [...s.timeline, replyEntry(now, status, input.text, by)],
            firstReplyAt: first ? now : s.firstReplyAt,
            firstReplyMinutes: first ? minutesBetween(s.createdAt, now) : s.firstReplyMinutes,
          };
        });
      });
      await tellAuthor(ctx, s, input.text);
      return adminView(s, await photoUrls(ctx, [s]));
    },
  },

  setStatus: {
    roles: ['community_admin'],
    scope: suggestionScope,
    async run(input, ctx) {
      const s0 = await col(ctx.store).get(input.id);
      if (!s0) throw notFound();
      const by = staffLabel(await communityName(ctx, s0.communityId));
      const s = await withRetry(() => {
        const now = ctx.now().toISOString();
        return change(ctx.store, input.id, now, (s) => {
          const err = transitionError(s.status, input.status);
          if (err) throw badTransition(err);
          return {
            status: input.status,
            // Reopening a duplicate unlinks it; the timeline keeps the history.
            duplicateOf: s.status === 'duplicate' ? null : s.duplicateOf,
            timeline: [...s.timeline, statusEntry(now, input.status, input.reason, by)],
          };
        });
      });
      await tellAuthor(ctx, s, input.reason);
      return adminView(s, await photoUrls(ctx, [s]));
    },
  },

  /** Links a suggestion to an earlier one of the same community; checked and written in one transaction. */
  markDuplicate: {
    roles: ['community_admin'],
    scope: suggestionScope,
    async run(input, ctx) {
      if (input.id === input.duplicateOf) throw badDuplicate('不能把建议标记为与自身重复');
      const s0 = await col(ctx.store).get(input.id);
      if (!s0) throw notFound();
      const by = staffLabel(await communityName(ctx, s0.communityId));
      const s = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const now = ctx.now().toISOString();
          const target = await col(tx).get(input.duplicateOf);
          if (!target || target.communityId !== s0.communityId) throw badDuplicate('找不到要关联的建议，只能关联本社区的建议');
          if (target.status === 'duplicate') throw badDuplicate('要关联的建议本身已标记为重复，请关联到最早的那条建议');
          return change(tx, input.id, now, (s) => {
            const err = transitionError(s.status, 'duplicate');
            if (err) throw badTransition(err);
            return { status: 'duplicate', duplicateOf: target._id, timeline: [...s.timeline, duplicateEntry(now, target._id, by)] };
          });
        }),
      );
      return adminView(s, await photoUrls(ctx, [s]));
    },
  },

  /** The filtered inbox as .xlsx (newest first, at most EXPORT_MAX rows), saved as the caller's file. */
  exportXlsx: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const where = inboxWhere(input);
      const { items: rows, truncated } = await readAll(col(ctx.store), { where, orderBy: NEWEST_FIRST }, EXPORT_MAX);
      const exportedAt = ctx.now().toISOString();
      const bytes = await buildSuggestionsWorkbook(rows, {
        communityName: await communityName(ctx, input.communityId),
        filter: describeFilter(input),
        exportedAt,
        truncated,
      });
      return { ...(await saveExport(ctx.files, ctx.caller.openid, bytes)), count: rows.length, truncated };
    },
  },

  ...statsActions,
});
