/**
 * Co-building units (共建单位): the registry of a district or community, links to the communities a unit
 * serves, its contacts' invitations, and the units a community gives each of its matters. Names are unique
 * per home region through a deterministic name document; links live twice (on the unit, and as documents a
 * community can list), written in one transaction.
 */
import { AppError } from '../../lib/errors';
import { defineArea, type ActionContext } from '../../server/action';
import { withRetry } from '../../server/conflict-retry';
import type { Stored, TxStore } from '../../server/store/store';
import { getMatter, mattersOfRegion, mattersOfUnit, setMatterUnits } from '../matters/matters.service';
import { createInvitation } from '../members/members.service';
import { getRegion, getRegions, type Region } from '../regions/regions.service';
import { unitLinks, unitNames, units } from './units.collections';
import { assignmentRefusal, insideHome, normaliseUnitName, unitLinkId, unitNameId } from './units.rules';
import { type Unit, type UnitMatterRow, type UnitView, unitsContract } from './units.schema';

export const UnitsErrors = {
  NOT_FOUND: 'UNITS.NOT_FOUND',
  BAD_HOME: 'UNITS.BAD_HOME',
  BAD_REGION: 'UNITS.BAD_REGION',
  DUPLICATE_NAME: 'UNITS.DUPLICATE_NAME',
  OUTSIDE_HOME: 'UNITS.OUTSIDE_HOME',
  NOT_LINKED: 'UNITS.NOT_LINKED',
  LINK_IN_USE: 'UNITS.LINK_IN_USE',
  PARTY_HEAD_COMMUNITY: 'UNITS.PARTY_HEAD_COMMUNITY',
} as const;
const E = UnitsErrors;

const ADMINS = ['community_admin', 'district_admin'] as const;
const READERS = ['community_admin', 'district_admin', 'city_admin'] as const;
const PAGE = 20;

const memberId = (ctx: ActionContext): string => ctx.caller.member!._id;
const notFound = () => new AppError(E.NOT_FOUND, '共建单位不存在');
const duplicateName = () => new AppError(E.DUPLICATE_NAME, '本区域已登记同名的共建单位');

async function getUnit(ctx: ActionContext, id: string): Promise<Stored<Unit>> {
  const u = await ctx.store.collection(units).get(id);
  if (!u) throw notFound();
  return u;
}

/** A community inside the unit's home region, or the refusal. */
async function communityInHome(ctx: ActionContext, communityId: string, homeRegionId: string, refusal: AppError): Promise<Stored<Region>> {
  const c = await getRegion(ctx.store, communityId);
  if (!c || c.kind !== 'community' || !insideHome(c.path, homeRegionId)) throw refusal;
  return c;
}

const partyHeadRefusal = () => new AppError(E.PARTY_HEAD_COMMUNITY, '兼职委员任职的社区须在本单位所属区域内');

async function view(ctx: ActionContext, u: Stored<Unit>): Promise<UnitView> {
  const ids = [u.homeRegionId, ...u.communityIds, ...(u.partyHead?.communityId ? [u.partyHead.communityId] : [])];
  const names = new Map((await getRegions(ctx.store, [...new Set(ids)])).map((r) => [r._id, r.name]));
  const { createdBy: _by, ...rest } = u;
  return {
    ...rest,
    homeRegionName: names.get(u.homeRegionId) ?? '',
    communities: u.communityIds.map((_id) => ({ _id, name: names.get(_id) ?? '' })),
    partyHeadCommunityName: u.partyHead?.communityId ? (names.get(u.partyHead.communityId) ?? '') : null,
  };
}

/** Inside a transaction: the unit's name document moves from `from` to `to` (null: none), refusing a taken name. */
async function moveName(tx: TxStore, unitId: string, home: string, from: string | null, to: string): Promise<void> {
  const next = unitNameId(home, to);
  if (from !== null && unitNameId(home, from) === next) return;
  if (await tx.collection(unitNames).get(next)) throw duplicateName();
  if (from !== null) await tx.collection(unitNames).remove(unitNameId(home, from));
  await tx.collection(unitNames).insert({ unitId }, { id: next });
}

/** Conflicts and a name taken by a concurrent registration are settled by running again (it reads every id it inserts). */
const retrying = <R>(fn: () => Promise<R>): Promise<R> => withRetry(fn, { duplicates: true });

export const unitsArea = defineArea('units', unitsContract, {
  registerUnit: {
    roles: ADMINS,
    scope: (input) => input.homeRegionId,
    async run(input, ctx) {
      const home = await getRegion(ctx.store, input.homeRegionId);
      if (!home || (home.kind !== 'district' && home.kind !== 'community')) throw new AppError(E.BAD_HOME, '共建单位只能登记在区县或社区');
      if (input.partyHead?.communityId) await communityInHome(ctx, input.partyHead.communityId, home._id, partyHeadRefusal());
      const districtId = home.kind === 'district' ? home._id : ((await getRegions(ctx.store, home.path)).find((r) => r.kind === 'district')?._id ?? '');
      const id = `unit-${ctx.newId()}`;
      const now = ctx.now().toISOString();
      // A community's own unit serves it from the start.
      const communityIds = home.kind === 'community' ? [home._id] : [];
      const saved = await retrying(() =>
        ctx.store.transaction(async (tx) => {
          await moveName(tx, id, home._id, null, input.name);
          for (const c of communityIds) await tx.collection(unitLinks).insert({ unitId: id, communityId: c, at: now }, { id: unitLinkId(id, c) });
          return tx.collection(units).insert(
            { name: input.name, type: input.type, homeRegionId: home._id, districtId, path: home.path, communityIds, partyHead: input.partyHead, createdBy: memberId(ctx), createdAt: now, updatedAt: now },
            { id },
          );
        }),
      );
      ctx.log.info('unit registered', { requestId: ctx.requestId, unitId: id, homeRegionId: home._id });
      return view(ctx, saved);
    },
  },

  updateUnit: {
    roles: ADMINS,
    scope: (input) => ({ unit: input.unitId }),
    async run(input, ctx) {
      const before = await getUnit(ctx, input.unitId);
      if (input.partyHead?.communityId) await communityInHome(ctx, input.partyHead.communityId, before.homeRegionId, partyHeadRefusal());
      const saved = await retrying(() =>
        ctx.store.transaction(async (tx) => {
          const u = await tx.collection(units).get(input.unitId);
          if (!u) throw notFound();
          if (input.name !== undefined && normaliseUnitName(input.name) !== normaliseUnitName(u.name)) await moveName(tx, u._id, u.homeRegionId, u.name, input.name);
          return tx.collection(units).update(u._id, u._rev, {
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.type !== undefined ? { type: input.type } : {}),
            ...(input.partyHead !== undefined ? { partyHead: input.partyHead } : {}),
            updatedAt: ctx.now().toISOString(),
          });
        }),
      );
      return view(ctx, saved);
    },
  },

  linkCommunity: {
    roles: ADMINS,
    scope: (input) => ({ unit: input.unitId }),
    async run(input, ctx) {
      const before = await getUnit(ctx, input.unitId);
      await communityInHome(ctx, input.communityId, before.homeRegionId, new AppError(E.OUTSIDE_HOME, '只能与本单位所属区域内的社区结对共建'));
      const saved = await retrying(() =>
        ctx.store.transaction(async (tx) => {
          const u = await tx.collection(units).get(input.unitId);
          if (!u) throw notFound();
          if (u.communityIds.includes(input.communityId)) return u;
          const lid = unitLinkId(u._id, input.communityId);
          if (!(await tx.collection(unitLinks).get(lid))) await tx.collection(unitLinks).insert({ unitId: u._id, communityId: input.communityId, at: ctx.now().toISOString() }, { id: lid });
          return tx.collection(units).update(u._id, u._rev, { communityIds: [...u.communityIds, input.communityId], updatedAt: ctx.now().toISOString() });
        }),
      );
      return view(ctx, saved);
    },
  },

  unlinkCommunity: {
    roles: ADMINS,
    scope: (input) => ({ unit: input.unitId }),
    async run(input, ctx) {
      const before = await getUnit(ctx, input.unitId);
      if (!before.communityIds.includes(input.communityId)) throw new AppError(E.NOT_LINKED, '该单位未与这个社区结对');
      // A query, so before the transaction: the unit's matters in that community keep it linked.
      if ((await mattersOfUnit(ctx.store, before._id)).some((m) => m.matter.communityId === input.communityId)) {
        throw new AppError(E.LINK_IN_USE, '该单位正承担这个社区的实事，请先调整实事的牵头或配合单位');
      }
      const saved = await retrying(() =>
        ctx.store.transaction(async (tx) => {
          const u = await tx.collection(units).get(input.unitId);
          if (!u) throw notFound();
          await tx.collection(unitLinks).remove(unitLinkId(u._id, input.communityId));
          const partyHead = u.partyHead?.communityId === input.communityId ? { name: u.partyHead.name } : u.partyHead;
          return tx.collection(units).update(u._id, u._rev, { communityIds: u.communityIds.filter((c) => c !== input.communityId), partyHead, updatedAt: ctx.now().toISOString() });
        }),
      );
      return view(ctx, saved);
    },
  },

  listUnits: {
    roles: READERS,
    scope: (input) => input.regionId,
    async run(input, ctx) {
      const region = await getRegion(ctx.store, input.regionId);
      let found: Stored<Unit>[];
      let nextCursor: string | null;
      if (region?.kind === 'district') {
        ({ items: found, nextCursor } = await ctx.store.collection(units).find({ where: { districtId: region._id }, orderBy: { field: 'name', direction: 'asc' }, limit: PAGE, cursor: input.cursor }));
      } else if (region?.kind === 'community') {
        const page = await ctx.store.collection(unitLinks).find({ where: { communityId: region._id }, orderBy: { field: 'at', direction: 'asc' }, limit: PAGE, cursor: input.cursor });
        const byId = new Map((await ctx.store.collection(units).getMany(page.items.map((l) => l.unitId))).map((u) => [u._id, u]));
        found = page.items.flatMap((l) => byId.get(l.unitId) ?? []);
        nextCursor = page.nextCursor;
      } else {
        throw new AppError(E.BAD_REGION, '请选择区县或社区查看共建单位');
      }
      const names = new Map((await getRegions(ctx.store, [...new Set(found.map((u) => u.homeRegionId))])).map((r) => [r._id, r.name]));
      const items = found.map((u) => ({
        _id: u._id, name: u.name, type: u.type, homeRegionId: u.homeRegionId, homeRegionName: names.get(u.homeRegionId) ?? '',
        communityIds: u.communityIds, partyHead: u.partyHead,
        managed: ctx.grants.some((g) => (g.role === 'community_admin' || g.role === 'district_admin') && u.path.includes(g.regionId)),
      }));
      return { items, nextCursor };
    },
  },

  getUnit: {
    roles: [...READERS, 'unit_contact'],
    // Its home region's admins and its contacts; a community admin reads the units linked to their community.
    async scope(input, ctx) {
      const u = await getUnit(ctx, input.unitId);
      const linked = ctx.grants.find((g) => g.role === 'community_admin' && u.communityIds.includes(g.regionId));
      return linked ? linked.regionId : { unit: input.unitId };
    },
    async run(input, ctx) {
      const u = await getUnit(ctx, input.unitId);
      const mine = await mattersOfUnit(ctx.store, u._id);
      const names = new Map((await getRegions(ctx.store, [...new Set(mine.map((m) => m.matter.communityId))])).map((r) => [r._id, r.name]));
      const matters: UnitMatterRow[] = mine.map(({ matter: m, role }) => ({
        matterId: m._id, title: m.title, communityId: m.communityId, communityName: names.get(m.communityId) ?? '', year: m.year, role, state: m.state, progress: m.progress,
      }));
      return { ...(await view(ctx, u)), matters };
    },
  },

  myUnits: {
    roles: ['unit_contact'],
    scope: () => null,
    async run(_input, ctx) {
      const ids = ctx.grants.flatMap((g) => (g.role === 'unit_contact' && g.unitId ? [g.unitId] : []));
      const found = await ctx.store.collection(units).getMany([...new Set(ids)]);
      return { items: found.map((u) => ({ _id: u._id, name: u.name })) };
    },
  },

  inviteContact: {
    roles: ADMINS,
    scope: (input) => ({ unit: input.unitId }),
    async run(input, ctx) {
      const u = await getUnit(ctx, input.unitId);
      // The grant's region is the unit's home; the invitation's community field carries that region too (a district for a district's unit).
      const invitation = await createInvitation(
        ctx.store,
        { role: 'unit_contact', regionId: u.homeRegionId, regionName: u.name, communityId: u.homeRegionId, unitId: u._id, createdBy: memberId(ctx) },
        ctx.now(),
      );
      ctx.log.info('unit contact invited', { requestId: ctx.requestId, unitId: u._id });
      return invitation;
    },
  },

  communityMatters: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const page = await mattersOfRegion(ctx.store, { communityId: input.communityId }, input.year, input.cursor);
      const ids = page.items.flatMap((m) => [...(m.leadUnitId ? [m.leadUnitId] : []), ...m.supportUnitIds]);
      const names = new Map((await ctx.store.collection(units).getMany([...new Set(ids)])).map((u) => [u._id, u.name]));
      const named = (_id: string) => ({ _id, name: names.get(_id) ?? '' });
      return {
        items: page.items.map((m) => ({ matterId: m._id, title: m.title, state: m.state, progress: m.progress, lead: m.leadUnitId ? named(m.leadUnitId) : null, supports: m.supportUnitIds.map(named) })),
        nextCursor: page.nextCursor,
      };
    },
  },

  assignMatterUnits: {
    roles: ['community_admin'],
    scope: (input) => ({ matter: input.matterId }),
    async run(input, ctx) {
      if (!(await getMatter(ctx.store, input.matterId))) throw new AppError('MATTERS.MATTER_NOT_FOUND', '找不到这件实事');
      const saved = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const m = await getMatter(tx, input.matterId);
          if (!m) throw new AppError('MATTERS.MATTER_NOT_FOUND', '找不到这件实事');
          const chosen = new Map((await tx.collection(units).getMany([...new Set([...(input.leadUnitId ? [input.leadUnitId] : []), ...input.supportUnitIds])])).map((u) => [u._id, u]));
          const refusal = assignmentRefusal(input.leadUnitId, input.supportUnitIds, (id) => {
            const u = chosen.get(id);
            return u ? { linked: u.communityIds.includes(m.communityId), name: u.name } : null;
          });
          if (refusal) throw new AppError(refusal.code, refusal.message);
          return setMatterUnits(tx, m._id, input.leadUnitId, input.supportUnitIds, ctx.now().toISOString());
        }),
        { duplicates: true },
      );
      return { matterId: saved._id, leadUnitId: saved.leadUnitId, supportUnitIds: saved.supportUnitIds };
    },
  },
});
