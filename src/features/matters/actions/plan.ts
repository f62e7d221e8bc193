/**
 * A matter's plan: budget by source, spending entries with receipts (running total kept on write), and
 * weighted milestones with owners and dates. The plan is one document per matter; every write to it also
 * writes the figures the board shows onto the matter (progress, earliest open due day) in the same
 * transaction, so the board never recounts. Written by the community admin of the matter.
 */
import { AppError } from '../../../lib/errors';
import { maskName } from '../../../lib/mask';
import { isRealDay, shanghaiDay } from '../../../lib/time';
import type { ActionContext, AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { assertOwnPhotos } from '../../../server/files/photos';
import type { Fields, Stored, TxStore } from '../../../server/store/store';
import { unitsByIds } from '../../units/units.service';
import { dueEntries, matters, plans, receipts, spendings } from '../matters.collections';
import type { Matter } from '../matters.schema';
import { budgetTotal, datesRefusal, hasStarted, isOverdue, MAX_WEIGHT, nextDueOf, progressOf, type Refusal, weightRefusal } from '../plan.rules';
import type { DueEntry, Milestone, Plan, PlanView, planContract } from '../plan.schema';
import { tellAuthors } from './tell';

export const PlanActionErrors = {
  MATTER_NOT_FOUND: 'MATTERS.MATTER_NOT_FOUND',
  MATTER_CLOSED: 'MATTERS.MATTER_CLOSED',
  OWNER_NOT_UNIT: 'MATTERS.OWNER_NOT_MATTER_UNIT',
  RECEIPT_OTHER_MATTER: 'MATTERS.SPENDING_OTHER_MATTER',
  RECEIPT_USED: 'MATTERS.RECEIPT_USED',
  SPENDING_IN_FUTURE: 'MATTERS.SPENDING_DATE_IN_FUTURE',
  MILESTONE_NOT_FOUND: 'MATTERS.MILESTONE_NOT_FOUND',
} as const;
const E = PlanActionErrors;

export type MatterDoc = Stored<Matter>;
export type PlanDoc = Stored<Plan>;

export const planId = (matterId: string): string => `plan:${matterId}`;
export const dueId = (matterId: string, milestoneId: string): string => `due:${matterId}:${milestoneId}`;
export const refused = (r: Refusal): AppError => new AppError(r.code, r.message);
export const memberId = (ctx: ActionContext): string => ctx.caller.member!._id;

/** States in which the plan no longer changes (验收 belongs to the completion use case). */
const CLOSED: readonly Matter['state'][] = ['completed', 'accepted'];
export const assertOpen = (m: MatterDoc): void => {
  if (CLOSED.includes(m.state)) throw new AppError(E.MATTER_CLOSED, '这件实事已完成，计划和进度不能再修改');
};

const emptyPlan = (m: MatterDoc, now: string): Fields<Plan> => ({
  matterId: m._id, communityId: m.communityId, budget: {}, budgetTotal: 0, spent: 0, spendings: 0, milestones: [], seq: 0, updatedAt: now,
});

export const dueEntry = (m: MatterDoc, ms: Milestone): Fields<DueEntry> => ({
  matterId: m._id, milestoneId: ms.id, cityId: m.cityId, districtId: m.districtId, start: ms.start, due: ms.due, unitId: ms.owner.kind === 'unit' ? ms.owner.unitId : null,
});

export interface PlanChange {
  plan?: Partial<Fields<Plan>>;
  matter?: Partial<Fields<Matter>>;
}

/**
 * One transaction over the matter and its plan (created on first use): `change` returns the patches; the
 * matter's progress and earliest open due day are recomputed from the plan's milestones here, on every write.
 * Retried on conflict (two marks at once serialise on the plan's `_rev`) and on the plan's first insert.
 */
export function changePlan<R>(
  ctx: ActionContext,
  matterId: string,
  change: (tx: TxStore, m: MatterDoc, p: Fields<Plan> & { _rev?: number }, now: string) => Promise<PlanChange & { result: R }>,
): Promise<{ result: R; matter: MatterDoc; plan: PlanDoc }> {
  return withRetry(
    () =>
      ctx.store.transaction(async (tx) => {
        const m = await tx.collection(matters).get(matterId);
        if (!m) throw new AppError(E.MATTER_NOT_FOUND, '找不到这件实事');
        const now = ctx.now().toISOString();
        const existing = await tx.collection(plans).get(planId(matterId));
        const { result, plan: pp = {}, matter: mp = {} } = await change(tx, m, existing ?? emptyPlan(m, now), now);
        const patch = { ...pp, updatedAt: now };
        const plan = existing
          ? await tx.collection(plans).update(existing._id, existing._rev, patch)
          : await tx.collection(plans).insert({ ...emptyPlan(m, now), ...patch }, { id: planId(matterId) });
        const figures = { progress: progressOf(plan.milestones), nextDue: nextDueOf(plan.milestones) };
        const matter = await tx.collection(matters).update(m._id, m._rev, { ...mp, ...figures, updatedAt: now });
        return { result, matter, plan };
      }),
    { duplicates: true },
  );
}

/** Staff see owners' names; residents see them masked. */
export const isStaff = (ctx: ActionContext): boolean => ctx.grants.some((g) => g.role !== 'resident');

/** `knownNames`: unit names the caller has already read (the matter page reads them once with its own). */
export async function planView(
  ctx: ActionContext, p: Pick<Plan, 'budget' | 'budgetTotal' | 'spent' | 'spendings' | 'milestones'> | null, knownNames?: Map<string, string>,
): Promise<PlanView> {
  const ms = p?.milestones ?? [];
  const unitIds = ms.flatMap((x) => (x.owner.kind === 'unit' ? [x.owner.unitId] : []));
  const names = knownNames ?? new Map((await unitsByIds(ctx.store, unitIds)).map((u) => [u._id, u.name]));
  const staff = isStaff(ctx);
  const now = ctx.now();
  return {
    budget: p?.budget ?? {},
    budgetTotal: p?.budgetTotal ?? 0,
    spent: p?.spent ?? 0,
    spendings: p?.spendings ?? 0,
    weightLeft: MAX_WEIGHT - ms.reduce((n, x) => n + x.weight, 0),
    milestones: ms.map(({ undone: _u, done, owner, ...x }) => ({
      ...x,
      owner: owner.kind === 'unit'
        ? { kind: 'unit' as const, unitId: owner.unitId, label: names.get(owner.unitId) ?? '共建单位' }
        : { kind: 'person' as const, unitId: null, label: staff ? owner.name : maskName(owner.name) },
      done: done ? { at: done.at, updateId: done.updateId } : null,
      overdue: !done && isOverdue(x.due, now),
    })),
  };
}

const WRITERS = ['community_admin'] as const;
export const READERS = ['community_admin', 'district_admin', 'city_admin', 'unit_contact', 'leader', 'resident'] as const;

export const planActions = {
  setBudget: {
    roles: WRITERS,
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const { plan } = await changePlan(ctx, input.matterId, async (_tx, m) => {
        assertOpen(m);
        return { result: null, plan: { budget: input.budget, budgetTotal: budgetTotal(input.budget) } };
      });
      return planView(ctx, plan);
    },
  },

  addSpending: {
    roles: WRITERS,
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      if (!isRealDay(input.date)) throw new AppError('MATTERS.BAD_DAY', '日期无效，请重新选择');
      if (input.date > shanghaiDay(ctx.now())) throw new AppError(E.SPENDING_IN_FUTURE, '支出日期不能晚于今天');
      await assertOwnPhotos(ctx.files, input.receipts, ctx.caller.openid);
      const id = `spend:${input.matterId}:${input.requestId}`;
      const { plan } = await changePlan(ctx, input.matterId, async (tx, m, p, now) => {
        // Spending may still be recorded after completion (final payments); the same request again is already counted.
        if (await tx.collection(spendings).get(id)) return { result: null };
        // A receipt names one spending of one matter: filed elsewhere, it is someone else's money.
        for (const r of await tx.collection(receipts).getMany(input.receipts.map((f) => `receipt:${f}`))) {
          if (r.matterId !== m._id) throw new AppError(E.RECEIPT_OTHER_MATTER, '这张票据已记在另一件实事名下，不能重复报支');
          throw new AppError(E.RECEIPT_USED, '这张票据已经登记过，不能重复报支');
        }
        await tx.collection(spendings).insert({ matterId: m._id, amount: input.amount, date: input.date, purpose: input.purpose, receipts: input.receipts, at: now, by: memberId(ctx) }, { id });
        for (const f of new Set(input.receipts)) await tx.collection(receipts).insert({ matterId: m._id, spendingId: id }, { id: `receipt:${f}` });
        return { result: null, plan: { spent: p.spent + input.amount, spendings: p.spendings + 1 } };
      });
      return { _id: id, spent: plan.spent, spendings: plan.spendings };
    },
  },

  listSpendings: {
    roles: READERS,
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const page = await ctx.store.collection(spendings).find({ where: { matterId: input.matterId }, orderBy: { field: 'at', direction: 'desc' }, limit: 20, cursor: input.cursor ?? null });
      return { items: page.items.map(({ by: _by, _rev, ...s }) => s), nextCursor: page.nextCursor };
    },
  },

  addMilestone: {
    roles: WRITERS,
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      const dates = datesRefusal(input.start, input.due);
      if (dates) throw refused(dates);
      const { plan, result: started } = await changePlan(ctx, input.matterId, async (tx, m, p, now) => {
        assertOpen(m);
        const over = weightRefusal(p.milestones, input.weight);
        if (over) throw refused(over);
        if (input.owner.kind === 'unit' && input.owner.unitId !== m.leadUnitId && !m.supportUnitIds.includes(input.owner.unitId)) {
          throw new AppError(E.OWNER_NOT_UNIT, '负责单位须是这件实事的牵头或配合单位');
        }
        const ms: Milestone = {
          id: `ms${p.seq + 1}`, title: input.title, weight: input.weight, owner: input.owner, start: input.start, due: input.due,
          eventId: input.eventId, done: null, undone: [],
        };
        await tx.collection(dueEntries).insert(dueEntry(m, ms), { id: dueId(m._id, ms.id) });
        // A milestone that has already started starts the matter.
        const starts = m.state === 'planning' && hasStarted(ms.start, ctx.now());
        return { result: starts, plan: { milestones: [...p.milestones, ms], seq: p.seq + 1 }, matter: starts ? { state: 'in_progress', startedAt: now } : {} };
      });
      if (started) await tellStart(ctx, input.matterId);
      return planView(ctx, plan);
    },
  },
} satisfies Partial<AreaActions<typeof planContract>>;

/** At the start: the authors of the suggestions behind it are told (with their consent). */
export async function tellStart(ctx: ActionContext, matterId: string): Promise<void> {
  const m = await ctx.store.collection(matters).get(matterId);
  if (!m) return;
  await tellAuthors(ctx, [m.demandId], '开始实施', () => `“${m.title}”已开始实施（${shanghaiDay(ctx.now())}），可在实事进度中查看`);
}
