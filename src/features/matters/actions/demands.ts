/**
 * Use cases of the demand list (需求清单): entering and adopting demands, the list, a demand's provenance, and merge /
 * undo / split. Every write is one transaction of single-document operations by id (CloudBase's rule):
 * what a write depends on and needs a query for (a demand's own sources) is read before it, and the
 * transaction checks the demand's `_rev` so a change in between aborts it and the retry reads again.
 */
import { hash128 } from '../../../lib/hash';
import { AppError } from '../../../lib/errors';
import { shanghaiDay } from '../../../lib/time';
import type { ActionContext, AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { readAll } from '../../../server/read-all';
import type { Fields, Stored, TxStore } from '../../../server/store/store';
import { ancestry, regionName } from '../../regions/regions.service';
import { SimilarityIndex } from '../similarity';
import { DEMAND_READERS, demandReader, maskNumbers } from './committee-access';
import { procedureConfig } from './settings';
import { adoptIntoDemandInTx, suggestionBrief, tellAuthorOfAdoption } from '../../suggestions/suggestions.service';
import { demands, demandSources, demandSupport } from '../matters.collections';
import { type Demand, type DemandSource, type DemandSupport, mattersContract, type SourceKind } from '../matters.schema';
import {
  addSupport, type DemandNode, mergeRefusal, type Refusal, splitRefusal, subtractSupport, type Support, supportOf, supporterCount, undoMergeRefusal,
} from '../demands.rules';

export const MattersErrors = {
  DEMAND_NOT_FOUND: 'MATTERS.DEMAND_NOT_FOUND',
  ALREADY_ADOPTED: 'MATTERS.ALREADY_ADOPTED',
  NOT_A_COMMUNITY: 'MATTERS.NOT_A_COMMUNITY',
  SUGGESTION_NOT_FOUND: 'MATTERS.SUGGESTION_NOT_FOUND',
} as const;

type DemandDoc = Stored<Demand>;
const LIST_PAGE = 20;
/** Proposals compare against one community's open demands of a year: hundreds at most. */
const SIMILAR_POOL = 2000;
/** Suggestions' excerpts on a demand's provenance. */
const EXCERPT = 60;

const refused = (r: Refusal): AppError => new AppError(r.code, r.message);
const demandNotFound = () => new AppError(MattersErrors.DEMAND_NOT_FOUND, '找不到这条需求，可能已被删除');
const memberId = (ctx: ActionContext): string => ctx.caller.member!._id;

/** A person across sources: a hash of their member id (never a name or openid). */
export const personKey = (id: string): string => `pk${hash128(`person:${id}`)}`;
export const yearOf = (at: Date): number => Number(shanghaiDay(at).slice(0, 4));
const node = (d: DemandDoc): DemandNode => ({ id: d._id, communityId: d.communityId, year: d.year, mergedInto: d.mergedInto, open: d.status === 'open' });

function addKinds(a: Record<string, number>, b: Record<string, number>, sign: 1 | -1): Record<string, number> {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) {
    const v = (out[k] ?? 0) + sign * n;
    if (v > 0) out[k] = v;
    else delete out[k];
  }
  return out;
}

async function mustGet(tx: TxStore, id: string): Promise<DemandDoc> {
  const d = await tx.collection(demands).get(id);
  if (!d) throw demandNotFound();
  return d;
}

async function supportOfDemand(tx: TxStore, id: string): Promise<Stored<DemandSupport>> {
  const s = await tx.collection(demandSupport).get(id);
  if (!s) throw new Error(`demand ${id} has no support document`);
  return s;
}

/** Writes a demand's tally and the figures the list shows from it, in the caller's transaction. */
async function writeSupport(tx: TxStore, d: DemandDoc, rev: number, next: Support, patch: Partial<Fields<Demand>>, now: string): Promise<DemandDoc> {
  await tx.collection(demandSupport).update(d._id, rev, { backers: next.backers, anonymous: next.anonymous });
  return tx.collection(demands).update(d._id, d._rev, { ...patch, supporters: supporterCount(next), anonymous: next.anonymous, updatedAt: now });
}

export function newDemand(o: { communityId: string; districtId: string; cityId: string; year: number; title: string; description: string; category: Demand['category']; by: string; now: string }): Fields<Demand> {
  return {
    communityId: o.communityId, districtId: o.districtId, cityId: o.cityId, year: o.year,
    title: o.title, description: o.description, category: o.category,
    status: 'open', mergedInto: null, mergedAt: null,
    supporters: 0, anonymous: 0, ownSources: 0, mergedCount: 0, kinds: {}, score: null,
    createdAt: o.now, createdBy: o.by, updatedAt: o.now,
  };
}

/** Inserts a fresh demand with its (empty) tally. */
export async function insertDemand(tx: TxStore, id: string, d: Fields<Demand>): Promise<DemandDoc> {
  await tx.collection(demandSupport).insert({ backers: {}, anonymous: 0 }, { id });
  return tx.collection(demands).insert(d, { id });
}

/** Attaches one source to an open demand: its backers join the tally, its kind the counts. */
export async function attachSource(tx: TxStore, d: DemandDoc, sourceId: string, source: Fields<DemandSource>, now: string): Promise<DemandDoc> {
  if (await tx.collection(demandSources).get(sourceId)) throw new AppError(MattersErrors.ALREADY_ADOPTED, '这条来源已在需求清单中');
  await tx.collection(demandSources).insert(source, { id: sourceId });
  const sup = await supportOfDemand(tx, d._id);
  const next = addSupport(sup, supportOf(source));
  return writeSupport(tx, d, sup._rev, next, { ownSources: d.ownSources + 1, kinds: addKinds(d.kinds, { [source.kind]: 1 }, 1) }, now);
}

const source = (o: { demandId: string; communityId: string; kind: SourceKind; ref: string; excerpt: string; backers: string[]; note: string | null; at: string; by: string }): Fields<DemandSource> => ({
  ...o, anonymous: 0, movedFrom: null,
});

/** Demands merged into `id`, all the way down (merges nest), with `id` itself first. */
async function membersOf(ctx: ActionContext, id: string): Promise<DemandDoc[]> {
  const out: DemandDoc[] = [];
  let frontier = [id];
  while (frontier.length) {
    const found = (await readAll(ctx.store.collection(demands), { where: { mergedInto: { in: frontier } } }, 1000)).items;
    out.push(...found);
    frontier = found.map((d) => d._id);
  }
  return out;
}

/** Scope of actions on one demand: its community. */
const demandScope = async (input: { id?: string; into?: string }, ctx: ActionContext) =>
  (await ctx.store.collection(demands).get((input.id ?? input.into)!))?.communityId ?? null;

export const demandActions = {
  createDemand: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const { regions, idOf } = await ancestry(ctx.store, input.communityId);
      if (regions.find((r) => r._id === input.communityId)?.kind !== 'community') throw new AppError(MattersErrors.NOT_A_COMMUNITY, '只能在社区的需求清单中添加需求');
      const by = memberId(ctx);
      const id = `dm${hash128(`${input.communityId}:${by}:${input.requestId}`)}`;
      return withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const again = await tx.collection(demands).get(id);
          if (again) return again; // the answer to an earlier attempt was lost
          const now = ctx.now().toISOString();
          const d = await insertDemand(tx, id, newDemand({
            communityId: input.communityId, districtId: idOf('district'), cityId: idOf('city'), year: input.year ?? yearOf(ctx.now()),
            title: input.title, description: input.description, category: input.category, by, now,
          }));
          return attachSource(tx, d, `dsrc:admin:${id}`, source({ demandId: id, communityId: input.communityId, kind: 'admin', ref: id, excerpt: input.title, backers: [], note: input.note, at: now, by }), now);
        }),
        { duplicates: true },
      );
    },
  },

  adoptSuggestion: {
    roles: ['community_admin'],
    scope: async (input, ctx) => (await suggestionBrief(ctx.store, input.suggestionId))?.communityId ?? null,
    async run(input, ctx) {
      const s = await suggestionBrief(ctx.store, input.suggestionId);
      if (!s) throw new AppError(MattersErrors.SUGGESTION_NOT_FOUND, '这条建议不存在或已被删除');
      const by = memberId(ctx);
      const communityName = await regionName(ctx.store, s.communityId);
      const newId = `dm${hash128(`suggestion:${s.id}`)}`;
      const outcome = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const now = ctx.now().toISOString();
          const sourceId = `dsrc:suggestion:${s.id}`;
          // Read first: inside a transaction a duplicate id aborts it (as on CloudBase).
          if (await tx.collection(demandSources).get(sourceId)) throw new AppError(MattersErrors.ALREADY_ADOPTED, '这条建议已在需求清单中');
          let target: DemandDoc;
          let created = false;
          if (input.into) {
            target = await mustGet(tx, input.into);
            if (target.communityId !== s.communityId) throw new AppError('MATTERS.MERGE_OTHER_COMMUNITY', '只能纳入本社区的需求');
            if (target.status !== 'open') throw new AppError('MATTERS.DEMAND_NOT_OPEN', '这条需求已并入其他需求，请纳入合并后的需求');
          } else {
            target = await insertDemand(tx, newId, newDemand({
              communityId: s.communityId, districtId: s.districtId, cityId: s.cityId, year: yearOf(new Date(s.createdAt)),
              title: input.title ?? s.text.slice(0, 20), description: s.text.slice(0, 500), category: s.category, by, now,
            }));
            created = true;
          }
          const d = await attachSource(tx, target, sourceId, source({
            demandId: target._id, communityId: s.communityId, kind: 'suggestion', ref: s.id, excerpt: s.text.slice(0, EXCERPT), backers: [personKey(s.authorId)], note: null, at: now, by,
          }), now);
          const adopted = await adoptIntoDemandInTx(tx, s.id, { demandId: d._id, reason: input.reason, at: now, communityName });
          return { demandId: d._id, created, adopted };
        }),
        { duplicates: true },
      );
      await tellAuthorOfAdoption(ctx, outcome.adopted, input.reason);
      return { demandId: outcome.demandId, created: outcome.created };
    },
  },

  similarDemands: {
    roles: ['community_admin'],
    scope: async (input, ctx) => (await suggestionBrief(ctx.store, input.suggestionId))?.communityId ?? null,
    async run(input, ctx) {
      const s = await suggestionBrief(ctx.store, input.suggestionId);
      if (!s) throw new AppError(MattersErrors.SUGGESTION_NOT_FOUND, '这条建议不存在或已被删除');
      if (s.demandId) return { items: [] };
      const open = (await readAll(ctx.store.collection(demands), { where: { communityId: s.communityId, year: yearOf(new Date(s.createdAt)), status: 'open' }, orderBy: { field: 'createdAt', direction: 'desc' } }, SIMILAR_POOL)).items;
      const index = new SimilarityIndex();
      for (const d of open) index.add(d._id, `${d.title} ${d.description}`);
      const byId = new Map(open.map((d) => [d._id, d]));
      return { items: index.similar(s.text, { k: 3 }).map((hit) => ({ _id: hit.id, title: byId.get(hit.id)!.title, supporters: byId.get(hit.id)!.supporters, score: Math.round(hit.score * 100) / 100 })) };
    },
  },

  listDemands: {
    // Admins over the community, and its grid workers on the year's committee (see committee-access.ts).
    roles: DEMAND_READERS,
    scope: () => null,
    async run(input, ctx) {
      const masked = (await demandReader(ctx, input.communityId, input.year)) === 'committee';
      const page = await ctx.store.collection(demands).find({
        where: { communityId: input.communityId, year: input.year, status: input.status },
        orderBy: { field: input.sort === 'newest' ? 'createdAt' : input.sort, direction: 'desc' },
        limit: LIST_PAGE,
        cursor: input.cursor ?? null,
      });
      return {
        items: page.items.map((d) => ({ _id: d._id, title: masked ? maskNumbers(d.title) : d.title, category: d.category, status: d.status, supporters: d.supporters, anonymous: d.anonymous, kinds: d.kinds, mergedCount: d.mergedCount, year: d.year, createdAt: d.createdAt })),
        nextCursor: page.nextCursor,
      };
    },
  },

  getDemand: {
    roles: DEMAND_READERS,
    scope: () => null,
    async run(input, ctx) {
      const d = await ctx.store.collection(demands).get(input.id);
      if (!d) throw demandNotFound();
      const masked = (await demandReader(ctx, d.communityId, d.year)) === 'committee';
      const members = await membersOf(ctx, d._id);
      const ids = [d._id, ...members.map((m) => m._id)];
      const sources = (await readAll(ctx.store.collection(demandSources), { where: { demandId: { in: ids } } }, 5000)).items;
      const { createdBy: _by, ...demand } = d;
      // Residents' own words (a suggestion's text) may carry a phone number: starred for a committee grid worker.
      const shown = (t: string) => (masked ? maskNumbers(t) : t);
      return {
        demand: masked ? { ...demand, title: shown(demand.title), description: shown(demand.description), fastTrack: demand.fastTrack ? { ...demand.fastTrack, by: '' } : demand.fastTrack } : demand,
        sources: sources.map((s) => ({ _id: s._id, kind: s.kind, ref: s.ref, excerpt: shown(s.excerpt), supporters: new Set(s.backers).size, anonymous: s.anonymous, note: s.note === null ? null : shown(s.note), at: s.at, demandId: s.demandId, movedFrom: s.movedFrom })),
        merged: members.filter((m) => m.mergedInto === d._id).map((m) => ({ _id: m._id, title: m.title, supporters: m.supporters, mergedAt: m.mergedAt })),
        fastTrackMaxCost: (await procedureConfig(ctx.store, d.communityId)).fastTrackMaxCost,
        ...(masked ? { masked: true } : {}),
      };
    },
  },

  mergeDemands: {
    roles: ['community_admin'],
    scope: demandScope,
    async run(input, ctx) {
      return withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const now = ctx.now().toISOString();
          const [into, from] = [await mustGet(tx, input.into), await mustGet(tx, input.from)];
          const refusal = mergeRefusal(node(into), node(from));
          if (refusal) throw refused(refusal);
          const [supInto, supFrom] = [await supportOfDemand(tx, into._id), await supportOfDemand(tx, from._id)];
          await tx.collection(demands).update(from._id, from._rev, { status: 'merged', mergedInto: into._id, mergedAt: now, updatedAt: now });
          return writeSupport(tx, into, supInto._rev, addSupport(supInto, supFrom), { mergedCount: into.mergedCount + 1, kinds: addKinds(into.kinds, from.kinds, 1) }, now);
        }),
      );
    },
  },

  undoMerge: {
    roles: ['community_admin'],
    scope: demandScope,
    async run(input, ctx) {
      return withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const now = ctx.now().toISOString();
          const from = await mustGet(tx, input.id);
          const into = from.mergedInto ? await tx.collection(demands).get(from.mergedInto) : null;
          const refusal = undoMergeRefusal(node(from), into && node(into));
          if (refusal) throw refused(refusal);
          const [supInto, supFrom] = [await supportOfDemand(tx, into!._id), await supportOfDemand(tx, from._id)];
          const restored = await writeSupport(tx, into!, supInto._rev, subtractSupport(supInto, supFrom), { mergedCount: into!.mergedCount - 1, kinds: addKinds(into!.kinds, from.kinds, -1) }, now);
          const back = await tx.collection(demands).update(from._id, from._rev, { status: 'open', mergedInto: null, mergedAt: null, updatedAt: now });
          return { restored, from: back };
        }),
      );
    },
  },

  splitDemand: {
    roles: ['community_admin'],
    scope: demandScope,
    async run(input, ctx) {
      const by = memberId(ctx);
      const newId = `dm${hash128(`split:${input.id}:${by}:${input.requestId}`)}`;
      return withRetry(async () => {
        // The demand's own sources need a query: read them first; the transaction then checks nothing moved.
        const seen = await ctx.store.collection(demands).get(input.id);
        if (!seen) throw demandNotFound();
        const own = (await readAll(ctx.store.collection(demandSources), { where: { demandId: input.id } }, 5000)).items.map((s) => s._id);
        return ctx.store.transaction(async (tx) => {
          const now = ctx.now().toISOString();
          const d = await mustGet(tx, input.id);
          const done = await tx.collection(demands).get(newId);
          if (done) return { kept: d, created: done }; // the answer to an earlier attempt was lost
          if (d._rev !== seen._rev) throw new AppError('STORE.CONFLICT', '需求刚被修改，请重试');
          const moving = [...new Set(input.sourceIds)];
          const refusal = splitRefusal(node(d), own, moving);
          if (refusal) throw refused(refusal);
          let moved: Support = { backers: {}, anonymous: 0 };
          let kinds: Record<string, number> = {};
          for (const id of moving) {
            const s = (await tx.collection(demandSources).get(id))!;
            moved = addSupport(moved, supportOf(s));
            kinds = addKinds(kinds, { [s.kind]: 1 }, 1);
            await tx.collection(demandSources).update(id, s._rev, { demandId: newId, movedFrom: d._id });
          }
          const sup = await supportOfDemand(tx, d._id);
          const kept = await writeSupport(tx, d, sup._rev, subtractSupport(sup, moved), { ownSources: d.ownSources - moving.length, kinds: addKinds(d.kinds, kinds, -1) }, now);
          await tx.collection(demandSupport).insert({ backers: moved.backers, anonymous: moved.anonymous }, { id: newId });
          const created = await tx.collection(demands).insert({
            ...newDemand({ communityId: d.communityId, districtId: d.districtId, cityId: d.cityId, year: d.year, title: input.title, description: '', category: d.category, by, now }),
            supporters: supporterCount(moved), anonymous: moved.anonymous, ownSources: moving.length, kinds,
          }, { id: newId });
          return { kept, created };
        });
      }, { duplicates: true });
    },
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
