/**
 * 四议两公开 on one community's slate of a year: the four deliberations in order, 公示 with residents'
 * objections answered in public, then the fixed list (at most ten). The slate is one document, so two
 * admins confirming at once serialise on its `_rev`: one fixes the list, the other is told it is fixed.
 * The order, quorum and cap themselves are pure rules (matters.rules.ts).
 */
import { AppError } from '../../../lib/errors';
import { shanghaiDay } from '../../../lib/time';
import type { ActionContext, AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { assertOwnPhotos } from '../../../server/files/photos';
import { readAll } from '../../../server/read-all';
import type { Fields, Stored, TxStore } from '../../../server/store/store';
import { ancestry, regionName, regionPath } from '../../regions/regions.service';
import { saveExport } from '../../../server/files/exports';
import { suggestionBrief } from '../../suggestions/suggestions.service';
import { demands, matters, objections, slates } from '../matters.collections';
import { matterId, newMatter } from '../matters.service';
import {
  daysLeft, fixRefusal, SETTINGS_BOUNDS, leftOutRefusal, leftOutText, objectionRefusal, recordStep, type Refusal, type Slate as RulesSlate,
  slateItems, stageOf, startPublicity, stepBack,
} from '../matters.rules';
import { type Demand, mattersContract, type Slate, type SlateView } from '../matters.schema';
import { MattersErrors } from './demands';
import { procedureConfig } from './settings';
import { tellAuthors } from './tell';

/** What a suggestion's author may follow of it; another person's suggestion reads as not found. */
const notYours = () => new AppError(MattersErrors.SUGGESTION_NOT_FOUND, '找不到这条建议');

type SlateDoc = Stored<Slate>;

export const ProcedureActionErrors = {
  REASON_MISSING: 'MATTERS.REASON_MISSING',
  DATE_IN_FUTURE: 'MATTERS.STEP_DATE_IN_FUTURE',
  NOT_ON_SLATE: 'MATTERS.NOT_ON_SLATE',
  OBJECTION_EXISTS: 'MATTERS.OBJECTION_EXISTS',
  OBJECTION_NOT_FOUND: 'MATTERS.OBJECTION_NOT_FOUND',
  UNSAFE_CONTENT: 'MATTERS.UNSAFE_CONTENT',
  LEFT_OUT_MISSING: 'MATTERS.LEFT_OUT_REASON_MISSING',
} as const;

const E = ProcedureActionErrors;
const OBJECTIONS_PAGE = 20;

export const slateId = (communityId: string, year: number): string => `slate:${communityId}:${year}`;
const refused = (r: Refusal): AppError => new AppError(r.code, r.message);
const asRules = (s: SlateDoc | null): RulesSlate => ({ steps: s?.steps ?? [], publicity: s?.publicity ?? null, fixedAt: s?.fixedAt ?? null });

async function newSlate(ctx: ActionContext, communityId: string, year: number): Promise<Fields<Slate>> {
  const { idOf } = await ancestry(ctx.store, communityId);
  return {
    communityId, districtId: idOf('district'), cityId: idOf('city'), year,
    reasons: {}, steps: [], withdrawn: [], publicity: null, objections: 0, unanswered: 0, fixedAt: null, fixed: [], updatedAt: ctx.now().toISOString(),
  };
}

/** What admins and residents see of a slate (no one's identity). */
async function view(ctx: ActionContext, communityId: string, year: number, s: SlateDoc | null): Promise<SlateView> {
  const rules = asRules(s);
  const ids = s?.fixedAt ? s.fixed : slateItems(rules);
  const voted = [...new Set((s?.steps ?? []).flatMap((st) => Object.keys(st.votes)))];
  const found = new Map((await ctx.store.collection(demands).getMany([...new Set([...ids, ...voted])])).map((d) => [d._id, d]));
  return {
    communityId,
    year,
    stage: stageOf(rules),
    items: ids.map((id) => ({ demandId: id, title: found.get(id)?.title ?? '', supporters: found.get(id)?.supporters ?? 0, reason: s?.reasons[id] ?? '' })),
    steps: (s?.steps ?? []).map(({ recordedBy: _by, ...r }) => r),
    withdrawn: s?.withdrawn.length ?? 0,
    publicity: s?.publicity ? { ...s.publicity, daysLeft: daysLeft(rules, ctx.now()) } : null,
    objections: s?.objections ?? 0,
    unanswered: s?.unanswered ?? 0,
    fixedAt: s?.fixedAt ?? null,
    config: await procedureConfig(ctx.store, communityId),
    titles: Object.fromEntries(voted.map((id) => [id, found.get(id)?.title ?? ''])),
  };
}

/**
 * Runs `change` on the slate in one transaction (creating it on first use) and answers with the new view.
 * Not retried here: callers wrap it in withRetry together with whatever they read before it.
 */
async function changeSlateOnce(
  ctx: ActionContext,
  key: { communityId: string; year: number },
  change: (tx: TxStore, s: SlateDoc | null, now: string) => Promise<Partial<Fields<Slate>>>,
): Promise<SlateView> {
  const id = slateId(key.communityId, key.year);
  const fresh = await newSlate(ctx, key.communityId, key.year);
  const saved = await ctx.store.transaction(async (tx) => {
    const s = await tx.collection(slates).get(id);
    const now = ctx.now().toISOString();
    const patch = { ...(await change(tx, s, now)), updatedAt: now };
    return s ? tx.collection(slates).update(id, s._rev, patch) : tx.collection(slates).insert({ ...fresh, ...patch }, { id });
  });
  return view(ctx, key.communityId, key.year, saved);
}

/** A slate's first write races another's insert: STORE.DUPLICATE is retried too (the next attempt reads it). */
const changeSlate: typeof changeSlateOnce = (ctx, key, change) => withRetry(() => changeSlateOnce(ctx, key, change), { duplicates: true });

const memberId = (ctx: ActionContext): string => ctx.caller.member!._id;

const READERS = ['community_admin', 'district_admin', 'city_admin'] as const;

export const procedureActions = {
  getSlate: {
    roles: [...READERS, 'resident'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      return view(ctx, input.communityId, input.year, await ctx.store.collection(slates).get(slateId(input.communityId, input.year)));
    },
  },

  recordStep: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      if (input.date > shanghaiDay(ctx.now())) throw new AppError(E.DATE_IN_FUTURE, '会议日期不能晚于今天');
      await assertOwnPhotos(ctx.files, input.attachments, ctx.caller.openid);
      const config = await procedureConfig(ctx.store, input.communityId);
      return changeSlate(ctx, input, async (tx, s) => {
        // The procedure's own refusals first (order, dates, quorum…), then what the proposal names.
        const r = recordStep(asRules(s), { step: input.step, date: input.date, expected: input.expected, present: input.present, votes: input.votes }, config);
        if ('code' in r) throw refused(r);
        const proposal = input.step === 'proposal';
        if (proposal) {
          for (const id of Object.keys(input.votes)) {
            const d = await tx.collection(demands).get(id);
            if (!d || d.communityId !== input.communityId || d.year !== input.year) throw new AppError(MattersErrors.DEMAND_NOT_FOUND, '只能提议本社区本年度需求清单中的需求');
            if (d.status !== 'open') throw new AppError('MATTERS.DEMAND_NOT_OPEN', `“${d.title}”已合并或已确定，不能提议`);
            if (!input.reasons[id]) throw new AppError(E.REASON_MISSING, `请写明提议“${d.title}”的理由`);
          }
        }
        const record = { ...r.record, minutes: input.minutes, attachments: input.attachments, recordedAt: ctx.now().toISOString(), recordedBy: memberId(ctx) };
        return { steps: [...(s?.steps ?? []), record], ...(proposal ? { reasons: input.reasons } : {}) };
      });
    },
  },

  stepBack: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      return changeSlate(ctx, input, async (_tx, s, now) => {
        const r = stepBack(asRules(s));
        if ('code' in r) throw refused(r);
        const removed = s!.steps.at(-1)!;
        return { steps: s!.steps.slice(0, -1), withdrawn: [...s!.withdrawn, { ...removed, withdrawnAt: now, withdrawnBy: memberId(ctx), reason: input.reason }] };
      });
    },
  },

  startPublicity: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const config = await procedureConfig(ctx.store, input.communityId);
      const v = await changeSlate(ctx, input, async (_tx, s) => {
        const r = startPublicity(asRules(s), ctx.now(), config);
        if ('code' in r) throw refused(r);
        return { publicity: r };
      });
      const titles = new Map(v.items.map((i) => [i.demandId, i.title]));
      await tellAuthors(ctx, v.items.map((i) => i.demandId), '公示中', (id) => `“${titles.get(id)}”已列入${v.year}年十件实事草案，正在公示，欢迎提出意见`);
      return v;
    },
  },

  object: {
    roles: ['resident'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const verdict = await ctx.safety.check(input.text, ctx.caller.openid);
      if (!verdict.ok) throw new AppError(E.UNSAFE_CONTENT, `内容包含不适宜发布的词语（${verdict.reason}），请修改后再提交`);
      const sid = slateId(input.communityId, input.year);
      const id = `obj:${sid}:${input.demandId}:${memberId(ctx)}`;
      await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const s = await tx.collection(slates).get(sid);
          const refusal = objectionRefusal(asRules(s), ctx.now());
          if (refusal) throw refused(refusal);
          if (!slateItems(asRules(s)).includes(input.demandId)) throw new AppError(E.NOT_ON_SLATE, '这件事不在公示的清单上');
          if (await tx.collection(objections).get(id)) throw new AppError(E.OBJECTION_EXISTS, '您已对这件事提出过异议，请等待社区答复');
          const at = ctx.now().toISOString();
          await tx.collection(objections).insert({ slateId: sid, communityId: input.communityId, demandId: input.demandId, authorId: memberId(ctx), text: input.text, at, answer: null, answeredAt: null, answered: false }, { id });
          await tx.collection(slates).update(sid, s!._rev, { objections: s!.objections + 1, unanswered: s!.unanswered + 1, updatedAt: at });
        }),
        { duplicates: true },
      );
      return { _id: id };
    },
  },

  answerObjection: {
    roles: ['community_admin'],
    scope: async (input, ctx) => (await ctx.store.collection(objections).get(input.id))?.communityId ?? null,
    async run(input, ctx) {
      return withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const o = await tx.collection(objections).get(input.id);
          if (!o) throw new AppError(E.OBJECTION_NOT_FOUND, '找不到这条异议');
          const s = (await tx.collection(slates).get(o.slateId))!;
          if (s.fixedAt) throw new AppError('MATTERS.ALREADY_FIXED', '清单已确定，答复不能再修改');
          const at = ctx.now().toISOString();
          await tx.collection(objections).update(o._id, o._rev, { answer: input.answer, answeredAt: at, answered: true });
          const unanswered = o.answered ? s.unanswered : s.unanswered - 1;
          if (!o.answered) await tx.collection(slates).update(s._id, s._rev, { unanswered, updatedAt: at });
          return { _id: o._id, unanswered };
        }),
      );
    },
  },

  listObjections: {
    roles: READERS,
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const page = await ctx.store.collection(objections).find({ where: { slateId: slateId(input.communityId, input.year) }, orderBy: { field: 'at', direction: 'desc' }, limit: OBJECTIONS_PAGE, cursor: input.cursor ?? null });
      return { items: page.items.map(({ authorId: _a, _rev: _r, ...o }) => o), nextCursor: page.nextCursor };
    },
  },

  fixList: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      for (const l of input.leftOut) {
        const r = leftOutRefusal(l);
        if (r) throw refused(r);
      }
      const reasons = new Map(input.leftOut.map((l) => [l.demandId, l]));
      const path = (await regionPath(ctx.store, input.communityId)) ?? [];
      // The city's cap held when the items were proposed; a cap lowered since must not strand a list in 公示
      // (which cannot go back), so fixing checks the campaign's ceiling of ten.
      const config = { ...(await procedureConfig(ctx.store, input.communityId)), maxMatters: SETTINGS_BOUNDS.maxMatters[1] };
      const v = await withRetry(async () => {
        // Which demands are still open needs a query: read before the transaction, which re-checks each by id.
        const open = (await readAll(ctx.store.collection(demands), { where: { communityId: input.communityId, year: input.year, status: 'open' } }, 5000)).items;
        return changeSlateOnce(ctx, input, async (tx, s, now) => {
          const rules = asRules(s);
          const refusal = fixRefusal(rules, ctx.now(), s?.unanswered ?? 0, 0, config);
          if (refusal) throw refused(refusal);
          const selected = slateItems(rules);
          const missing = open.filter((d) => !selected.includes(d._id) && !reasons.has(d._id));
          if (missing.length) throw new AppError(E.LEFT_OUT_MISSING, `还有 ${missing.length} 条需求未说明不列入的原因（如“${missing[0]!.title}”）`);
          const set = async (id: string, patch: Partial<Fields<Demand>>) => {
            const d = await tx.collection(demands).get(id);
            if (!d || d.status !== 'open') {
              // A listed item merged away cannot be fixed; a left-out one that changed since the read is just retried.
              if (patch.status === 'selected') throw new AppError('MATTERS.DEMAND_NOT_OPEN', `“${d?.title ?? id}”已不在需求清单上（可能被合并），请退回重新提议`);
              throw new AppError('STORE.CONFLICT', '需求清单刚有变动，请重试');
            }
            return tx.collection(demands).update(id, d._rev, { ...patch, updatedAt: now });
          };
          for (const id of selected) {
            const d = await set(id, { status: 'selected' });
            await tx.collection(matters).insert(newMatter(d, path, now), { id: matterId(id) });
          }
          for (const d of open.filter((x) => !selected.includes(x._id))) {
            const l = reasons.get(d._id)!;
            await set(d._id, { status: 'left_out', leftOut: { reason: l.reason, ...(l.department ? { department: l.department } : {}), ...(l.note ? { note: l.note } : {}), text: leftOutText(l) } });
          }
          return { fixedAt: now, fixed: selected };
        });
      }, { duplicates: true });
      const leftOut = (await readAll(ctx.store.collection(demands), { where: { communityId: input.communityId, year: input.year, status: 'left_out' } }, 5000)).items;
      const titles = new Map(v.items.map((i) => [i.demandId, i.title]));
      await tellAuthors(ctx, v.items.map((i) => i.demandId), '已列入', (id) => `“${titles.get(id)}”已列入${v.year}年十件实事`);
      const why = new Map(leftOut.map((d) => [d._id, d.leftOut?.text ?? '']));
      await tellAuthors(ctx, leftOut.map((d) => d._id), '未列入', (id) => `未列入${v.year}年十件实事：${why.get(id)}`);
      return v;
    },
  },

  followSuggestion: {
    roles: 'signed-in',
    async run(input, ctx) {
      const s = await suggestionBrief(ctx.store, input.suggestionId);
      if (!s || !ctx.caller.member || s.authorId !== ctx.caller.member._id) throw notYours();
      if (!s.demandId) return { demand: null, stage: null, onSlate: false };
      // A merged demand is followed to the one it was merged into.
      let d = await ctx.store.collection(demands).get(s.demandId);
      for (let hops = 0; d?.mergedInto && hops < 20; hops++) d = await ctx.store.collection(demands).get(d.mergedInto);
      if (!d) return { demand: null, stage: null, onSlate: false };
      const slate = await ctx.store.collection(slates).get(slateId(d.communityId, d.year));
      const rules = asRules(slate);
      return {
        demand: { _id: d._id, title: d.title, supporters: d.supporters, status: d.status, leftOutText: d.leftOut?.text ?? null },
        stage: slate ? stageOf(rules) : null,
        onSlate: (slate?.fixedAt ? slate.fixed : slateItems(rules)).includes(d._id),
      };
    },
  },

  exportSlate: {
    roles: READERS,
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const s = await ctx.store.collection(slates).get(slateId(input.communityId, input.year));
      const v = await view(ctx, input.communityId, input.year, s);
      const listed = new Map((await ctx.store.collection(demands).getMany(v.items.map((i) => i.demandId))).map((d) => [d._id, d]));
      const leftOut = s?.fixedAt ? (await readAll(ctx.store.collection(demands), { where: { communityId: input.communityId, year: input.year, status: 'left_out' } }, 5000)).items : [];
      const { buildSlateWorkbook } = await import('../matters.export');
      const bytes = await buildSlateWorkbook(v, { communityName: await regionName(ctx.store, input.communityId), exportedAt: ctx.now().toISOString(), demands: listed, leftOut });
      return saveExport(ctx.files, ctx.caller.openid, bytes);
    },
  },

  publicNotes: {
    roles: [...READERS, 'resident'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const sid = slateId(input.communityId, input.year);
      const s = await ctx.store.collection(slates).get(sid);
      if (!s) return { objections: [], leftOut: [] };
      const answered = (await readAll(ctx.store.collection(objections), { where: { slateId: sid }, orderBy: { field: 'at', direction: 'desc' } }, 500)).items.filter((o) => o.answered);
      const titles = new Map((await ctx.store.collection(demands).getMany([...new Set(answered.map((o) => o.demandId))])).map((d) => [d._id, d.title]));
      const leftOut = s.fixedAt ? (await readAll(ctx.store.collection(demands), { where: { communityId: input.communityId, year: input.year, status: 'left_out' }, orderBy: { field: 'supporters', direction: 'desc' } }, 5000)).items : [];
      return {
        objections: answered.map((o) => ({ demandTitle: titles.get(o.demandId) ?? '', text: o.text, answer: o.answer ?? '', answeredAt: o.answeredAt ?? '' })),
        leftOut: leftOut.map((d) => ({ title: d.title, supporters: d.supporters, reason: d.leftOut?.text ?? '' })),
      };
    },
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
