/** The visit queries walk their indexes on SQLite: no table scan, no sort of a grid's households or a community's visits. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainFind, openSqliteStore } from '../../src/server/store/sqlite';
import type { Store } from '../../src/server/store/store';
import { households, visits } from '../../src/features/visits/visits.collections';

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shishi-visits-plan-'));
  store = openSqliteStore(join(dir, 'plan.db'));
  // Tables and indexes exist once something was written.
  await store.transaction(async (tx) => {
    await tx.collection(households).insert({ gridId: 'g1' } as never);
    await tx.collection(visits).insert({ communityId: 'c1' } as never);
  });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const walks = (plan: string[]) => expect(plan.join(' | ')).not.toMatch(/TEMP B-TREE|SCAN/);

test.each([
  ['the due list of one grid', households, { where: { gridId: 'g1', nextDueAt: { lt: '2025-03-04' } }, orderBy: { field: 'nextDueAt', direction: 'asc' as const }, limit: 50 }],
  ['a grid ledger by address', households, { where: { gridId: 'g1' }, orderBy: { field: 'addressKey', direction: 'asc' as const }, limit: 20 }],
  ['a community ledger (export)', households, { where: { communityId: 'c1' }, orderBy: { field: 'addressKey', direction: 'asc' as const }, limit: 100 }],
  ['the feed', visits, { where: { communityId: 'c1' }, orderBy: { field: 'visitedAt', direction: 'desc' as const }, limit: 20 }],
  ['the feed of a grid', visits, { where: { communityId: 'c1', gridId: 'g1' }, orderBy: { field: 'visitedAt', direction: 'desc' as const }, limit: 20 }],
  ['a worker’s week', visits, { where: { workerId: 'w1', visitedAt: { gte: '2025-03-02' } }, orderBy: { field: 'visitedAt', direction: 'desc' as const }, limit: 50 }],
  ['a household’s history', visits, { where: { householdId: 'h1' }, orderBy: { field: 'visitedAt', direction: 'desc' as const }, limit: 20 }],
])('%s', async (_label, def, opts) => {
  const [plan] = await explainFind(store.collection(def as typeof households), opts as never);
  walks(plan!);
});
