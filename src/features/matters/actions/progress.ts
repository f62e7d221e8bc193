/**
 * Carrying a matter out: progress updates with tagged photos, a milestone marked done only on fresh photo
 * evidence (server-side upload time), undoing a mark, the matter page and the community's board, and the
 * daily reminders of owners before a due day. Progress, the earliest open due day and the latest photo
 * live on the matter, written in the same transaction as the change (see changePlan in plan.ts).
 */
import { AppError, ErrorCodes, isAppError } from '../../../lib/errors';
import { shanghaiDay } from '../../../lib/time';
import type { ActionContext, AreaActions } from '../../../server/action';
import { assertOwnPhotos } from '../../../server/files/photos';
import { readAll } from '../../../server/read-all';
import type { Stored } from '../../../server/store/store';
import { unitContacts } from '../../members/members.service';
import { unitsByIds } from '../../units/units.service';
import { dueEntries, evidence, matters, plans, progressUpdates, reminders } from '../matters.collections';
import type { mattersContract } from '../matters.schema';
import { addDays, evidenceRefusal, freshPhotos, isOverdue, reuseRefusal } from '../plan.rules';
import type { DueEntry, ProgressUpdate, UpdateView } from '../plan.schema';
import {
  assertOpen, changePlan, dueEntry, dueId, memberId, PlanActionErrors, planId, planView, READERS, refused, tellStart,
} from './plan';

export const ProgressErrors = {
  NOT_YOUR_MILESTONE: 'MATTERS.NOT_YOUR_MILESTONE',
  ALREADY_DONE: 'MATTERS.MILESTONE_ALREADY_DONE',
  NOT_DONE: 'MATTERS.MILESTONE_NOT_DONE',
  DONE_NEEDS_MILESTONE: 'MATTERS.DONE_NEEDS_MILESTONE',
  UNSAFE_CONTENT: 'MATTERS.UNSAFE_CONTENT',
} as const;
const E = ProgressErrors;

const TIMELINE_PAGE = 20;
/**
 * The matter page opens with fewer updates than a later page: below the title, money and milestones a phone
 * shows about two updates a screen, and every update carries up to 9 photo URLs (bytes, signing, validation,
 * setData). Six is two or three screens of timeline; older ones load on demand (查看更早的进展).
 */
const FIRST_PAGE = 6;
/** Reminders and starts read at most this many open milestones per region and day. */
const DUE_SCAN = 5000;

const isAdmin = (ctx: ActionContext): boolean => ctx.grants.some((g) => g.role === 'community_admin');
const myUnits = (ctx: ActionContext): string[] => ctx.grants.flatMap((g) => (g.role === 'unit_contact' && g.unitId ? [g.unitId] : []));

/** Updates with display URLs for their photos (one files.urls call per page). */
async function updateViews(ctx: ActionContext, items: Stored<ProgressUpdate>[]): Promise<UpdateView[]> {
  const urls = await ctx.files.urls(items.flatMap((u) => u.photos.map((p) => p.fileId)));
  return items.map(({ by: _by, communityId: _c, _rev, photos, ...u }) => ({ ...u, photos: photos.map((p) => ({ fileId: p.fileId, tag: p.tag, url: urls[p.fileId] ?? null })) }));
}

async function timeline(ctx: ActionContext, matterId: string, cursor: string | null, limit = TIMELINE_PAGE) {
  const page = await ctx.store.collection(progressUpdates).find({ where: { matterId }, orderBy: { field: 'at', direction: 'desc' }, limit, cursor });
  return { items: await updateViews(ctx, page.items), nextCursor: page.nextCursor };
}

/** Open milestones due (or starting) on these days, in a city or district (everywhere for the timer). */
async function dueOn(ctx: ActionContext, regionId: string | null, field: 'due' | 'start', cond: string | { gte: string; lte: string }): Promise<Stored<DueEntry>[]> {
  const { items } = await readAll(ctx.store.collection(dueEntries), { where: { [field]: cond } }, DUE_SCAN);
  return regionId === null ? items : items.filter((d) => d.cityId === regionId || d.districtId === regionId);
}

/**
 * The daily run: owners (contacts of the owning unit) of milestones due in `days` days are reminded, once per
 * milestone and day however often it runs; matters whose first milestone's start day has come (within the
 * last week, should the timer have missed days) start.
 */
export async function runDueReminders(ctx: ActionContext, regionId: string | null, days: number) {
  const today = shanghaiDay(ctx.now());
  const due = await dueOn(ctx, regionId, 'due', addDays(today, days));
  const titles = new Map((await ctx.store.collection(matters).getMany([...new Set(due.map((d) => d.matterId))])).map((m) => [m._id, m.title]));
  const contacts = new Map<string, string[]>();
  let reminded = 0;
  let sent = 0;
  for (const d of due) {
    if (!d.unitId) continue; // a named person has no account to remind
    // Claimed before sending: a second run (or a concurrent one) the same day sends nothing again.
    let claim;
    try {
      claim = await ctx.store.collection(reminders).insert({ matterId: d.matterId, milestoneId: d.milestoneId, day: today, sent: 0, at: ctx.now().toISOString() }, { id: `remind:${d.matterId}:${d.milestoneId}:${today}` });
    } catch (e) {
      if (isAppError(e) && e.code === ErrorCodes.DUPLICATE) continue;
      throw e;
    }
    if (!contacts.has(d.unitId)) contacts.set(d.unitId, (await unitContacts(ctx.store, d.unitId)).map((m) => m.openid));
    const plan = await ctx.store.collection(plans).get(planId(d.matterId));
    const ms = plan?.milestones.find((x) => x.id === d.milestoneId);
    reminded++;
    let delivered = 0;
    for (const openid of contacts.get(d.unitId)!) {
      const outcome = await ctx.notify.send({
        openid,
        template: 'milestone_due',
        page: `packages/matters/matter/index?id=${encodeURIComponent(d.matterId)}`,
        data: { title: (titles.get(d.matterId) ?? '').slice(0, 20), milestone: (ms?.title ?? '').slice(0, 20), due: d.due, note: `还有 ${days} 天到期，请按时完成并上传现场照片` },
      });
      if (outcome === 'sent') delivered++;
    }
    sent += delivered;
    if (delivered) await ctx.store.collection(reminders).update(claim._id, claim._rev, { sent: delivered });
  }
  let started = 0;
  const starting = await dueOn(ctx, regionId, 'start', { gte: addDays(today, -7), lte: today });
  for (const m of await ctx.store.collection(matters).getMany([...new Set(starting.map((d) => d.matterId))])) {
    if (m.state !== 'planning') continue;
    const { result } = await changePlan(ctx, m._id, async (_tx, cur, _p, now) => {
      const starts = cur.state === 'planning';
      return { result: starts, matter: starts ? { state: 'in_progress' as const, startedAt: now } : {} };
    });
    if (result) {
      started++;
      await tellStart(ctx, m._id);
    }
  }
  return { due: due.length, reminded, sent, started };
}

export const progressActions = {
  postUpdate: {
    roles: ['community_admin', 'unit_contact'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      if (input.done && !input.milestoneId) throw new AppError(E.DONE_NEEDS_MILESTONE, '请选择要标记完成的节点');
      // Residents read the timeline: its text is checked like any public text.
      const verdict = await ctx.safety.check(input.text, ctx.caller.openid);
      if (!verdict.ok) throw new AppError(E.UNSAFE_CONTENT, `内容包含不适宜发布的词语（${verdict.reason}），请修改后再提交`);
      const fileIds = input.photos.map((p) => p.fileId);
      await assertOwnPhotos(ctx.files, fileIds, ctx.caller.openid);
      // Upload time as the server recorded it, never as the client says.
      const stats = await Promise.all(fileIds.map((f) => ctx.files.stat(f)));
      const photos = input.photos.map((p, i) => ({ fileId: p.fileId, tag: p.tag, uploadedAt: stats[i]!.createdAt }));
      const admin = isAdmin(ctx);
      const mine = myUnits(ctx);
      const id = `upd:${input.matterId}:${input.requestId}`;
      const units = await unitsByIds(ctx.store, mine);
      const byLabel = admin ? '社区' : (units[0]?.name ?? '共建单位');

      const { result: started, matter } = await changePlan(ctx, input.matterId, async (tx, m, p, now) => {
        // The same request again: already posted and counted.
        if (await tx.collection(progressUpdates).get(id)) return { result: false };
        let milestones = p.milestones;
        if (input.milestoneId) {
          const ms = p.milestones.find((x) => x.id === input.milestoneId);
          if (!ms) throw new AppError(PlanActionErrors.MILESTONE_NOT_FOUND, '找不到这个节点');
          if (input.done) {
            assertOpen(m);
            if (ms.done) throw new AppError(E.ALREADY_DONE, '这个节点已标记完成');
            if (!admin && !(ms.owner.kind === 'unit' && mine.includes(ms.owner.unitId))) {
              throw new AppError(E.NOT_YOUR_MILESTONE, '只能标记本单位负责的节点');
            }
            const gate = evidenceRefusal(ms.start, photos.map((x) => x.uploadedAt));
            if (gate) throw refused(gate);
            // One fresh photo cannot mark several milestones done: each needs its own.
            const fresh = [...new Set(freshPhotos(ms.start, photos).map((x) => x.fileId))];
            const used = await tx.collection(evidence).getMany(fresh.map((f) => `evidence:${f}`));
            const elsewhere = new Set(used.filter((e) => e.matterId !== m._id || e.milestoneId !== ms.id).map((e) => e._id.slice('evidence:'.length)));
            const reuse = reuseRefusal(fresh, elsewhere);
            if (reuse) throw refused(reuse);
            const already = new Set(used.map((e) => e._id));
            for (const f of fresh) if (!elsewhere.has(f) && !already.has(`evidence:${f}`)) await tx.collection(evidence).insert({ matterId: m._id, milestoneId: ms.id }, { id: `evidence:${f}` });
            milestones = p.milestones.map((x) => (x.id === ms.id ? { ...x, done: { at: now, by: memberId(ctx), updateId: id } } : x));
            await tx.collection(dueEntries).remove(dueId(m._id, ms.id));
          }
        }
        await tx.collection(progressUpdates).insert({
          matterId: m._id, communityId: m.communityId, text: input.text, photos, milestoneId: input.milestoneId, done: input.done, at: now, by: memberId(ctx), byLabel,
        }, { id });
        const starts = m.state === 'planning';
        return {
          result: starts,
          plan: { milestones },
          matter: {
            updates: (m.updates ?? 0) + 1,
            ...(photos.length ? { latestPhoto: photos[photos.length - 1]!.fileId } : {}),
            ...(starts ? { state: 'in_progress' as const, startedAt: now } : {}),
          },
        };
      });
      if (started) await tellStart(ctx, input.matterId);
      return { _id: id, progress: matter.progress, state: matter.state };
    },
  },

  undoMilestone: {
    roles: ['community_admin'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const { matter } = await changePlan(ctx, input.matterId, async (tx, m, p, now) => {
        assertOpen(m);
        const ms = p.milestones.find((x) => x.id === input.milestoneId);
        if (!ms) throw new AppError(PlanActionErrors.MILESTONE_NOT_FOUND, '找不到这个节点');
        if (!ms.done) throw new AppError(E.NOT_DONE, '这个节点尚未标记完成');
        const reopened = { ...ms, done: null, undone: [...ms.undone, { at: now, by: memberId(ctx), reason: input.reason }] };
        if (!(await tx.collection(dueEntries).get(dueId(m._id, ms.id)))) await tx.collection(dueEntries).insert(dueEntry(m, reopened), { id: dueId(m._id, ms.id) });
        return { result: null, plan: { milestones: p.milestones.map((x) => (x.id === ms.id ? reopened : x)) } };
      });
      return { progress: matter.progress };
    },
  },

  getMatter: {
    roles: READERS,
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const [m, p, updates] = await Promise.all([
        ctx.store.collection(matters).get(input.matterId),
        ctx.store.collection(plans).get(planId(input.matterId)),
        timeline(ctx, input.matterId, null, FIRST_PAGE),
      ]);
      if (!m) throw new AppError(PlanActionErrors.MATTER_NOT_FOUND, '找不到这件实事');
      // One read for the matter's units and the milestones' owners.
      const unitIds = [m.leadUnitId, ...m.supportUnitIds, ...(p?.milestones ?? []).map((x) => (x.owner.kind === 'unit' ? x.owner.unitId : null))]
        .filter((u): u is string => !!u);
      const names = new Map((await unitsByIds(ctx.store, unitIds)).map((u) => [u._id, u.name]));
      return {
        matter: {
          _id: m._id, communityId: m.communityId, year: m.year, title: m.title, category: m.category, state: m.state, progress: m.progress,
          overdue: isOverdue(m.nextDue, ctx.now()), nextDue: m.nextDue ?? null, startedAt: m.startedAt ?? null,
          leadUnit: m.leadUnitId ? { _id: m.leadUnitId, name: names.get(m.leadUnitId) ?? '共建单位' } : null,
          supportUnits: m.supportUnitIds.map((u) => ({ _id: u, name: names.get(u) ?? '共建单位' })),
          // 领导认领 is a public commitment (the claim wall, the result page): leaders are named in full.
          claimedBy: m.claimedBy.map((c) => c.name),
        },
        plan: await planView(ctx, p, names),
        updates,
      };
    },
  },

  listUpdates: {
    roles: READERS,
    scope: (input) => ({ matter: input.matterId }),
    run: (input, ctx) => timeline(ctx, input.matterId, input.cursor ?? null),
  },

  listMatters: {
    roles: ['community_admin', 'district_admin', 'city_admin', 'leader', 'resident'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      // One query on (communityId, year): every figure was kept on the matter when it changed.
      const { items } = await ctx.store.collection(matters).find({ where: { communityId: input.communityId, year: input.year }, limit: 100 });
      const [units, urls] = await Promise.all([
        unitsByIds(ctx.store, items.flatMap((m) => (m.leadUnitId ? [m.leadUnitId] : []))),
        ctx.files.urls(items.flatMap((m) => (m.latestPhoto ? [m.latestPhoto] : []))),
      ]);
      const names = new Map(units.map((u) => [u._id, u.name]));
      const now = ctx.now();
      return {
        items: items.map((m) => ({
          _id: m._id, title: m.title, category: m.category, state: m.state, progress: m.progress,
          overdue: isOverdue(m.nextDue, now), nextDue: m.nextDue ?? null,
          leadUnit: m.leadUnitId ? (names.get(m.leadUnitId) ?? null) : null,
          latestPhoto: m.latestPhoto ? (urls[m.latestPhoto] ?? null) : null,
          updates: m.updates ?? 0,
        })),
      };
    },
  },

  sendDueReminders: {
    roles: ['city_admin', 'district_admin'],
    scope: (input) => input.regionId,
    run: (input, ctx) => runDueReminders(ctx, input.regionId, input.days),
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
