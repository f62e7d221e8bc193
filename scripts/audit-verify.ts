/**
 * `npm run audit:verify`: walks every audit chain in the local SQLite store (DATA_DIR, default .data)
 * and prints the first broken link of each. Exit code 1 when any chain is broken.
 * `npm run audit:verify -- <chain>` checks one chain (a community id, or a district/city id).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chainsUnder, verifyChain } from '../src/server/audit/chain';
import { openSqliteStore } from '../src/server/store/sqlite';
import { BREAK_LABELS } from '../src/features/audit/audit.labels';

async function main(): Promise<number> {
  const file = join(resolve(process.env.DATA_DIR || '.data'), 'shishi.db');
  if (!existsSync(file)) {
    console.error(`audit:verify: no database at ${file} (start the host once, or set DATA_DIR)`);
    return 2;
  }
  const store = openSqliteStore(file);
  try {
    const wanted = process.argv.slice(2);
    const chains = wanted.length ? wanted : (await chainsUnder(store, null)).sort();
    let broken = 0;
    for (const chain of chains) {
      const r = await verifyChain(store, chain);
      if (r.ok) console.log(`ok      ${chain}  ${r.checked} entries`);
      else {
        broken++;
        console.log(`BROKEN  ${chain}  at seq ${r.broken!.seq} (${r.broken!.entryId}): ${r.broken!.reason} — ${BREAK_LABELS[r.broken!.reason]}; ${r.checked} entries intact before it`);
      }
    }
    console.log(`${chains.length} chain(s), ${broken} broken`);
    return broken ? 1 : 0;
  } finally {
    await store.close();
  }
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(2);
});
