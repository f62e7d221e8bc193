/** The SQLite adapter answers the common list query by walking an index, not by sorting 100,000 rows. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainFind, openSqliteStore } from '../../src/server/store/sqlite';
import { defineCollection, type Store } from '../../src/server/store/store';

interface Sug {
  communityId: string;
  createdAt: string;
  status: string;
}
const sugs = defineCollection<Sug>({ name: 'plan_sugs', indexes: [['communityId', 'createdAt'], 'status'] });

const ROWS = 100_000;
let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shishi-plan-'));
  store = openSqliteStore(join(dir, 'plan.db'));
  const t0 = Date.now();
  await store.transaction(async (tx) => {
    const col = tx.collection(sugs);
    for (let i = 0; i < ROWS; i++) {
      const at = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
      await col.insert({ communityId: `c${i % 50}`, createdAt: at, status: i % 7 === 0 ? 'done' : 'open' });
    }
  });
  console.log(`sqlite-plan: inserted ${ROWS} rows in one transaction in ${Date.now() - t0} ms`);
}, 120_000);

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const noSort = (plan: string[]) => expect(plan.join(' | ')).not.toMatch(/TEMP B-TREE|SCAN/);

test('where communityId = ? order by createdAt desc walks the compound index', async () => {
  const col = store.collection(sugs);
  const opts = { where: { communityId: 'c7' }, orderBy: { field: 'createdAt', direction: 'desc' as const }, limit: 20 };
  const [plan] = await explainFind(col, opts);
  expect(plan).toEqual([expect.stringMatching(/^SEARCH col_plan_sugs USING INDEX "?ix_plan_sugs_communityId,createdAt"? \(<expr>=\?\)$/)]);

  const t0 = performance.now();
  const first = await col.find(opts);
  const ms = performance.now() - t0;
  console.log(`sqlite-plan: first page of ${ROWS} rows in ${ms.toFixed(2)} ms`);
  expect(first.items).toHaveLength(20);
  expect(first.items.every((x) => x.communityId === 'c7')).toBe(true);

  // A later page seeks into the index at the cursor (a range), instead of walking from the start.
  const plans = await explainFind(col, { ...opts, cursor: first.nextCursor });
  expect(plans[0]).toEqual([expect.stringMatching(/USING INDEX .*\(<expr>=\? AND <expr><\?\)$/)]);
  plans.forEach(noSort);
});

test('ascending pages and plain equality also use indexes', async () => {
  const col = store.collection(sugs);
  const asc = { where: { communityId: 'c3' }, orderBy: { field: 'createdAt', direction: 'asc' as const }, limit: 5 };
  const first = await col.find(asc);
  (await explainFind(col, asc)).forEach(noSort);
  const next = await explainFind(col, { ...asc, cursor: first.nextCursor });
  expect(next[0]?.join(' ')).toMatch(/<expr>=\? AND <expr>>\?/);
  const eq = await explainFind(col, { where: { status: 'done' } });
  expect(eq[0]?.join(' ')).toMatch(/USING INDEX "?ix_plan_sugs_status"?/);
  expect(await col.count({ communityId: 'c3' })).toBe(ROWS / 50);
});
