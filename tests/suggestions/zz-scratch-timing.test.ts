import { createHarness } from '../support/harness';
import { suggestions } from '../../src/features/suggestions/suggestions.collections';
import { buildSuggestionsWorkbook } from '../../src/features/suggestions/suggestions.export';
import { REGION_IDS } from '../../src/server/demo/demo-data';
it('timing', async () => {
  const h = await createHarness();
  const c = h.services.store.collection(suggestions);
  const base = (await c.find({ where: { communityId: REGION_IDS.peixin }, limit: 1 })).items[0]!;
  const { _id, _rev, ...fields } = base;
  await h.services.store.transaction(async (tx) => {
    const cc = tx.collection(suggestions);
    for (let i = 0; i < 10000; i++) await cc.insert({ ...fields, createdAt: new Date(Date.parse('2025-06-01T00:00:00Z') + i * 60000).toISOString() });
  });
  let t = Date.now();
  const rows: any[] = []; let cursor: string | null = null;
  do { const p = await c.find({ where: { communityId: REGION_IDS.peixin }, orderBy: { field: 'createdAt', direction: 'desc' }, limit: 100, cursor }); rows.push(...p.items); cursor = p.nextCursor; } while (cursor);
  console.log('pages', Date.now() - t, rows.length);
  t = Date.now();
  const b = await buildSuggestionsWorkbook(rows, { communityName: 'x', filter: '', exportedAt: new Date().toISOString(), truncated: false });
  console.log('build', Date.now() - t, b.length);
  await h.close();
}, 120000);
