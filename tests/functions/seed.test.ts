/** `npm run seed`: the demo data into DATA_DIR, the same as `npm start` seeds; repeating it adds nothing. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { members } from '../../src/features/members/members.collections';
import { suggestions } from '../../src/features/suggestions/suggestions.collections';
import { DEMO_PEOPLE } from '../../src/server/demo/demo-data';
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
    };
  } finally {
    await services.store.close();
  }
}

test('seeds the demo people and records, and a second run changes nothing', async () => {
  const dataDir = join(tempDir('seed'), 'data');
  expect(seed(dataDir)).toMatch(/^seed: demo data in /);
  const first = await counts(dataDir);
  expect(first.openids).toEqual(Object.values(DEMO_PEOPLE).map((p) => p.openid).sort());
  expect(first.suggestions).toBeGreaterThan(0);
  seed(dataDir);
  expect(await counts(dataDir)).toEqual(first);
});
