/**
 * `npm run seed`: writes the demo data (regions, the demo people and their roles, suggestions,
 * questionnaires, canteen and visits, 老城社区's matters carried out) into the local SQLite store in DATA_DIR (default .data), as
 * `npm start` does on every start in demo mode. Safe to repeat: records whose ids exist are left alone.
 * Local only: CloudBase is never seeded with demo people.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { seedDemo } from '../src/server/demo/seed';
import { seedDemoProgress } from '../src/server/demo/seed-progress';
import { createLocalServices } from '../src/server/local-services';
import { createJsonLogger } from '../src/server/log';
import { DEMO_PEOPLE } from '../src/server/demo/demo-data';

async function main() {
  const dataDir = resolve(process.env.DATA_DIR || '.data');
  mkdirSync(dataDir, { recursive: true });
  // The secret only signs file links the host hands out; seeding hands out none.
  const services = createLocalServices({
    dataDir,
    secret: process.env.SESSION_SECRET || 'seed-does-not-sign-links',
    demoMode: true,
    log: createJsonLogger((line) => process.stderr.write(line)),
  });
  const t0 = Date.now();
  try {
    await seedDemo(services);
    await seedDemoProgress(services);
  } finally {
    await services.store.close();
  }
  console.log(`seed: demo data in ${dataDir} (${Object.keys(DEMO_PEOPLE).length} demo people) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  console.error(`seed failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
