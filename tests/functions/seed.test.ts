/** `npm run seed`: the demo data into DATA_DIR, the same as `npm start` seeds; repeating it adds nothing. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { members } from '../../src/features/members/members.collections';
import { suggestions } from '../../src/features/suggestions/suggestions.collections';
import { DEMO_PEOPLE, DEMO_STORY_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import { DEMO_RATERS } from '../../src/server/demo/seed-progress';
import { matters, progressUpdates, ratings } from '../../src/features/matters/matters.collections';
import { shanghaiDay } from '../../src/lib/time';
import { createLocalServices } from '../../src/server/local-services';
import { ROOT, tempDir } from '../host/fixtures';

jest.setTimeout(60_000);

const seed = (dataDir: string) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/seed.ts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir } });

async function counts(dataDir: string) {
  const services = createLocalServices({ dataDir, secret: 'seed-test' });
  try {
    const people = await services.store.collection(members).find({ limit: 100 });
    return {
      openids: people.items.map((m) => m.openid).sort(),
      suggestions: await services.store.collection(suggestions).count({}),
      // 老城社区's year carried out (seed-progress.ts): progress, overdue and satisfaction as the actions kept them.
      laocheng: (await services.store.collection(matters).find({ where: { communityId: REGION_IDS.laochengComm, year: Number(shanghaiDay(new Date()).slice(0, 4)) }, limit: 10 })).items
        .map((m) => ({ title: m.title, state: m.state, progress: m.progress, claimed: m.claimedBy.map((c) => c.name), lead: m.leadUnitId, updates: m.updates, overdue: !!m.nextDue && m.nextDue < shanghaiDay(new Date()), published: !!m.result, photo: !!m.latestPhoto }))
        .sort((a, b) => a.title.localeCompare(b.title)),
      updates: await services.store.collection(progressUpdates).count({}),
      ratings: await services.store.collection(ratings).count({}),
    };
  } finally {
    await services.store.close();
  }
}

test('seeds the demo people and records, and a second run changes nothing', async () => {
  const dataDir = join(tempDir('seed'), 'data');
  expect(seed(dataDir)).toMatch(/^seed: demo data in /);
  const first = await counts(dataDir);
  expect(first.openids).toEqual([...Object.values(DEMO_PEOPLE), ...Object.values(DEMO_STORY_PEOPLE), ...DEMO_RATERS].map((p) => p.openid).sort());
  expect(first.suggestions).toBeGreaterThan(0);
  expect(first.laocheng).toEqual([
    { title: '老城小游园改造提升', state: 'accepted', progress: 100, claimed: ['何志远'], lead: 'unit-demo-hospital', updates: 4, overdue: false, published: true, photo: true },
    { title: '背街小巷路面硬化', state: 'in_progress', progress: 30, claimed: [], lead: 'unit-demo-housing', updates: 2, overdue: true, published: false, photo: true },
  ].sort((a, b) => a.title.localeCompare(b.title)));
  expect(first.updates).toBe(6);
  expect(first.ratings).toBe(DEMO_RATERS.length);
  seed(dataDir);
  expect(await counts(dataDir)).toEqual(first);
});
