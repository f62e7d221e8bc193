/**
 * `npm run deploy:db`: creates every collection and index declared in src/**\/*.collections.ts in a
 * CloudBase environment, with @cloudbase/manager-node. Idempotent: what exists is left alone (an index
 * counts as existing when its keys match, whatever its name), indexes the code does not declare are
 * reported and kept. A collection whose indexes would pass CloudBase's 20 is refused, not half-done.
 *
 *   npm run deploy:db -- --dry-run      the plan from code alone; no credentials, no network
 *   npm run deploy:db                   needs TCB_ENV, TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY
 *                                       (TENCENTCLOUD_SESSIONTOKEN for temporary keys)
 */
import { join } from 'node:path';
import { declaredCollections, planCollection, type CollectionPlan, type DeclaredCollection, type ExistingCollection, type IndexKey } from './db-plan';

const root = join(__dirname, '..');
const dryRun = process.argv.includes('--dry-run');

const keysText = (keys: IndexKey[]) => keys.map((k) => k.Name).join(', ');

function printPlan(plan: CollectionPlan, declared: DeclaredCollection, verbs: { create: string; collection: string }) {
  const head = plan.createCollection ? verbs.collection : 'exists';
  console.log(`${declared.name.padEnd(24)} ${head.padEnd(10)} ${declared.indexes.length} index(es) + _id   (${declared.file})`);
  if (declared.indexes.length === 0) console.log('    (no indexes besides _id)');
  for (const s of plan.steps) {
    const what = `${s.index.name.padEnd(44)} ${keysText(s.index.keys)}`;
    if (s.action === 'create') console.log(`  + ${what}   ${verbs.create}`);
    else if (s.action === 'exists') console.log(`  = ${what}   exists${s.as === s.index.name ? '' : ` as ${s.as}`}`);
    else console.log(`  ! ${what}   blocked: ${s.reason}`);
  }
  for (const name of plan.extra) console.log(`  ? ${name.padEnd(44)} not declared in code (kept)`);
  if (plan.error) console.log(`  ✖ ${plan.error}`);
}

async function dry(declared: DeclaredCollection[]): Promise<number> {
  console.log(`deploy:db --dry-run: ${declared.length} collections, ${declared.reduce((n, d) => n + d.indexes.length, 0)} indexes declared in code (nothing contacted)\n`);
  let errors = 0;
  for (const d of declared) {
    // Against an empty environment: everything would be created.
    const plan = planCollection(d, null);
    printPlan(plan, d, { create: 'would create', collection: 'would create' });
    if (plan.error) errors++;
  }
  return errors;
}

async function apply(declared: DeclaredCollection[]): Promise<number> {
  const envId = process.env.TCB_ENV;
  const secretId = process.env.TENCENTCLOUD_SECRETID;
  const secretKey = process.env.TENCENTCLOUD_SECRETKEY;
  if (!envId || !secretId || !secretKey) {
    console.error('deploy:db: set TCB_ENV, TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (or run with --dry-run to see the plan)');
    return 1;
  }
  // Loaded only here: the dry run must work without it reaching anything.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const CloudBase = require('@cloudbase/manager-node') as typeof import('@cloudbase/manager-node');
  const manager = new CloudBase({ envId, secretId, secretKey, token: process.env.TENCENTCLOUD_SESSIONTOKEN || undefined });
  const db = manager.database;
  console.log(`deploy:db: environment ${envId}, ${declared.length} collections declared in code\n`);
  let errors = 0;
  let created = 0;
  for (const d of declared) {
    const { Exists } = await db.checkCollectionExists(d.name);
    let existing: ExistingCollection | null = null;
    if (Exists) {
      const info = await db.describeCollection(d.name);
      existing = { indexes: (info.Indexes ?? []).map((i) => ({ name: i.Name, keys: (i.Keys ?? []).map((k) => ({ Name: k.Name ?? '', Direction: String(k.Direction ?? '1') })) })) };
    }
    const plan = planCollection(d, existing);
    if (plan.error) {
      printPlan(plan, d, { create: 'not created', collection: 'missing' });
      errors++;
      continue;
    }
    if (plan.createCollection) await db.createCollectionIfNotExists(d.name);
    const toCreate = plan.steps.filter((s) => s.action === 'create').map((s) => s.index);
    if (toCreate.length) {
      await db.updateCollection(d.name, {
        CreateIndexes: toCreate.map((i) => ({ IndexName: i.name, MgoKeySchema: { MgoIndexKeys: i.keys, MgoIsUnique: false } })),
      });
      created += toCreate.length;
    }
    printPlan(plan, d, { create: 'created', collection: 'created' });
    if (plan.steps.some((s) => s.action === 'blocked')) errors++;
  }
  console.log(`\ndeploy:db: ${created} index(es) created${errors ? `, ${errors} collection(s) need attention (see ✖ and !)` : ', everything declared is in place'}`);
  return errors;
}

async function main() {
  const declared = declaredCollections(root);
  const errors = dryRun ? await dry(declared) : await apply(declared);
  process.exit(errors ? 1 : 0);
}

main().catch((e) => {
  // manager-node errors carry a code and a request id; the message says what failed.
  console.error(`deploy:db failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
