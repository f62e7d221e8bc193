/** The ledger as a file: template, import (check, apply), export. */
import { AppError } from '../../../lib/errors';
import { shanghaiDay } from '../../../lib/time';
import type { ActionContext, AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { saveExport } from '../../../server/files/exports';
import { readOwnImport } from '../../../server/files/imports';
import { readAll } from '../../../server/read-all';
import type { Where } from '../../../server/store/store';
import { addressKey, householdId } from '../visits.rules';
import { EXPORT_MAX, type Household, type ImportReport, visitsContract } from '../visits.schema';
import { type LedgerFields, newHousehold, scheduled } from './households';
import { community, grid, gridNames, gridsOf, H, loadRules, VisitErrors } from './shared';

const IMPORT_BATCH = 100;

const ISSUES_SHOWN = 200;

const sameLedger = (h: Household, f: LedgerFields) =>
  h.gridId === f.gridId && h.building === f.building && h.unit === f.unit && h.room === f.room && h.headName === f.headName &&
  h.membersCount === f.membersCount && h.phone === f.phone && h.note === f.note && h.tags.join() === f.tags.join();

async function importRows(ctx: ActionContext, communityId: string, rows: LedgerFields[]) {
  const rules = await loadRules(ctx.store, communityId);
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
    const batch = rows.slice(i, i + IMPORT_BATCH);
    const counts = await withRetry(() =>
      ctx.store.transaction(async (tx) => {
        const now = ctx.now().toISOString();
        const ids = batch.map((r) => householdId(communityId, addressKey(r)));
        const have = new Map((await H(tx).getMany(ids)).map((h) => [h._id, h]));
        const n = { created: 0, updated: 0, unchanged: 0 };
        for (let j = 0; j < batch.length; j++) {
          const f = batch[j]!;
          const h = have.get(ids[j]!);
          if (!h) {
            await H(tx).insert(newHousehold(communityId, f, now, rules), { id: ids[j]! });
            n.created++;
          } else if (sameLedger(h, f)) n.unchanged++;
          else {
            await H(tx).update(h._id, h._rev, { ...f, ...scheduled({ ...h, tags: f.tags }, rules), updatedAt: now });
            n.updated++;
          }
        }
        return n;
      }),
    );
    created += counts.created;
    updated += counts.updated;
    unchanged += counts.unchanged;
  }
  return { created, updated, unchanged };
}

export const ledgerActions = {
  importTemplate: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const c = await community(ctx, input.communityId);
      const { buildTemplate } = await import('../visits.export');
      const bytes = await buildTemplate({ communityName: c.name, gridNames: (await gridsOf(ctx, c._id)).map((g) => g.name), at: ctx.now().toISOString() });
      return { ...(await saveExport(ctx.files, ctx.caller.openid, bytes)), count: 0 };
    },
  },

  /**
   * A ledger uploaded by the caller: `check` only reports; `apply` writes only when every row is valid;
   * `apply_valid` writes the valid rows and reports the rest. Re-import updates (ids from addresses).
   */
  importHouseholds: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const c = await community(ctx, input.communityId);
      const bytes = await readOwnImport(ctx.files, input.fileId, ctx.caller.openid);
      const { readLedger, checkLedger, LedgerFileError } = await import('../visits.import');
      let raw;
      try {
        raw = await readLedger(bytes);
      } catch (e) {
        if (e instanceof LedgerFileError) throw new AppError(VisitErrors.BAD_FILE, e.message);
        throw e;
      }
      const grids = await gridsOf(ctx, c._id);
      const check = checkLedger(raw, { gridsByName: new Map(grids.map((g) => [g.name, g._id])), ...(grids.length === 1 ? { defaultGridId: grids[0]!._id } : {}) });
      const report: ImportReport = {
        mode: input.mode,
        rows: check.rows,
        valid: check.valid.length,
        issues: check.issues.slice(0, ISSUES_SHOWN),
        issueCount: check.issues.length,
        badLines: check.badLines,
        applied: false,
        created: 0,
        updated: 0,
        unchanged: 0,
      };
      const write = input.mode === 'apply_valid' || (input.mode === 'apply' && check.issues.length === 0);
      if (!write || check.valid.length === 0) return report;
      const counts = await importRows(ctx, c._id, check.valid);
      ctx.log.info('households imported', { requestId: ctx.requestId, communityId: c._id, ...counts, skipped: check.badLines });
      return { ...report, applied: true, ...counts };
    },
  },

  /** The ledger in the template's columns plus visit columns; full phones (the community admin keeps the ledger). */
  exportXlsx: {
    roles: ['community_admin'],
    scope: (input) => (input.gridId ? { grid: input.gridId } : input.communityId),
    async run(input, ctx) {
      const c = await community(ctx, input.communityId);
      if (input.gridId && (await grid(ctx, input.gridId)).parentId !== c._id) throw new AppError(VisitErrors.GRID_NOT_FOUND, '该社区下没有这个网格');
      const where: Where = input.gridId ? { gridId: input.gridId } : { communityId: c._id };
      const { items: rows, truncated } = await readAll(H(ctx.store), { where, orderBy: { field: 'addressKey', direction: 'asc' } }, EXPORT_MAX);
      const names = await gridNames(ctx, rows.map((h) => h.gridId));
      const order = new Map((await gridsOf(ctx, c._id)).map((g, i) => [g._id, i]));
      rows.sort((a, b) => (order.get(a.gridId) ?? 0) - (order.get(b.gridId) ?? 0) || a.addressKey.localeCompare(b.addressKey, 'zh', { numeric: true }));
      const { buildLedgerExport } = await import('../visits.export');
      const bytes = await buildLedgerExport(
        rows.map((h) => ({ household: h, gridName: names.get(h.gridId) ?? '', dueDay: h.nextDueAt ? shanghaiDay(new Date(h.nextDueAt)) : null })),
        { communityName: c.name, at: ctx.now().toISOString(), truncated, masked: (p) => p ?? '' },
      );
      return { ...(await saveExport(ctx.files, ctx.caller.openid, bytes)), count: rows.length, truncated };
    },
  },
} satisfies Partial<AreaActions<typeof visitsContract>>;
