/**
 * `npm run bench`: the suggestion box through the local host at 32 keep-alive clients on a database of
 * 100,000 suggestions, against a bare node:http server measured in the same run (issue 2, Budgets).
 * Prints a table and writes bench/out/latest.json as `{ figures: [...] }`. Exits 0 even when over budget.
 *
 * The host and the bare server each run in a child process: the load generator (this process) must
 * not share their event loop, or it would steal the very time it measures. Both children are started
 * the same way, so the ratio compares like with like. The three processes share the machine's cores,
 * which is why the baseline is measured in the same run rather than taken from a table.
 *
 * Env: BENCH_QUICK=1 (3 s steps on 20,000 suggestions), BENCH_SUGGESTIONS (default 100000), BENCH_DURATION_MS (per step),
 * BENCH_KEEP=1 (keep the temporary data dir).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalServices } from '../src/server/local-services';
import { seedDemo } from '../src/server/demo/seed';
import { signSession } from '../src/server/identity';
import { DEMO_PEOPLE, REGION_IDS } from '../src/server/demo/demo-data';
import type { Logger } from '../src/server/action';
import { suggestions } from '../src/features/suggestions/suggestions.collections';
import { CATEGORIES } from '../src/features/suggestions/suggestions.schema';
import { figure, formatTable, overBudget, writeFigures, type Figure } from './lib/figures';
import { defaultCheck, runLoad, type LoadRequest, type LoadResult } from './lib/load';
import { startChild } from './lib/child';
import { bulkInsertSuggestions } from './lib/suggestion-data';

const QUICK = process.env.BENCH_QUICK === '1';
const CLIENTS = 32;
const COUNT = Number(process.env.BENCH_SUGGESTIONS ?? (QUICK ? 20_000 : 100_000));
const WARMUP_MS = QUICK ? 1000 : 2000;
const RUN_MS = Number(process.env.BENCH_DURATION_MS ?? (QUICK ? 3000 : 12_000));
const LIST_P99_MS = 50;
const LIST_RATIO = 0.25;
const OUT = join(__dirname, 'out', 'latest.json');

const quiet: Logger = {
  info: () => {},
  warn: (msg) => process.stderr.write(`[warn] ${msg}\n`),
  error: (msg, f) => process.stderr.write(`[error] ${msg} ${JSON.stringify(f ?? {})}\n`),
};

const say = (s: string) => process.stdout.write(s + '\n');
const line = (label: string, r: LoadResult) =>
  say(
    `  ${label.padEnd(18)} ${r.requests.toString().padStart(7)} req in ${(r.durationMs / 1000).toFixed(1)} s  ` +
      `${Math.round(r.throughput).toString().padStart(6)} req/s  p50 ${r.latency.p50.toFixed(1)} ms  ` +
      `p99 ${r.latency.p99.toFixed(1)} ms  max ${r.latency.max.toFixed(1)} ms  errors ${r.errors}` +
      (r.errors ? `  ${JSON.stringify(r.errorKinds)}` : ''),
  );

/** Figures of one measured step; list steps carry the list budgets. */
function stepFigures(name: string, r: LoadResult, bare: LoadResult, list: boolean): Figure[] {
  const ratio = r.throughput / bare.throughput;
  return [
    figure({ name: `${name}.throughput`, value: r.throughput, unit: 'req/s', better: 'higher', baseline: bare.throughput }),
    ...(list ? [figure({ name: `${name}.throughput_vs_bare`, value: ratio, unit: '×', better: 'higher', budget: LIST_RATIO })] : []),
    figure({ name: `${name}.p50`, value: r.latency.p50, unit: 'ms', better: 'lower', baseline: bare.latency.p50 }),
    figure({ name: `${name}.p99`, value: r.latency.p99, unit: 'ms', better: 'lower', baseline: bare.latency.p99, ...(list ? { budget: LIST_P99_MS } : {}) }),
    figure({ name: `${name}.errors`, value: r.errors, unit: 'count', better: 'lower', budget: 0 }),
  ];
}

async function main() {
  const started = performance.now();
  say(`bench: ${CLIENTS} keep-alive clients, ${RUN_MS / 1000} s per step after ${WARMUP_MS / 1000} s warm-up, ` +
    `${COUNT.toLocaleString('en-US')} suggestions${QUICK ? ' (BENCH_QUICK)' : ''}; ${cpus().length} cores, Node ${process.version}`);
  const load = (url: string, request: (n: number, c: number) => LoadRequest, check?: (s: number, b: string) => string | null) =>
    runLoad({ url, clients: CLIENTS, warmupMs: WARMUP_MS, durationMs: RUN_MS, request, ...(check ? { check } : {}) });

  // --- 1. the bare node:http baseline, same request bodies --------------------------------------
  say('\n1. bare node:http server (child process)');
  const bareChild = await startChild<{ url: string }>(join(__dirname, 'child', 'bare.ts'));
  let bare: LoadResult;
  try {
    bare = await load(bareChild.info.url, () => ({
      path: '/fn/suggestions',
      body: { action: 'inbox', input: { communityId: REGION_IDS.peixin } },
      headers: { authorization: 'Bearer bench' },
    }));
  } finally {
    await bareChild.stop();
  }
  line('bare', bare);

  // --- 2. a data dir with COUNT suggestions ------------------------------------------------------
  say(`\n2. seeding ${COUNT.toLocaleString('en-US')} suggestions through the store`);
  const dataDir = mkdtempSync(join(tmpdir(), 'shishi-bench-'));
  const secret = randomBytes(32).toString('hex');
  const figures: Figure[] = [];
  let rowsBefore = 0;
  let okSubmits = 0;
  try {
    const services = createLocalServices({ dataDir, secret, demoMode: true, log: quiet });
    await seedDemo(services);
    const seeded = await bulkInsertSuggestions(services.store, COUNT);
    rowsBefore = await services.store.collection(suggestions).count();
    await services.store.close();
    say(`  ${seeded.inserted.toLocaleString('en-US')} inserted in ${(seeded.ms / 1000).toFixed(1)} s ` +
      `(${Math.round(seeded.inserted / (seeded.ms / 1000)).toLocaleString('en-US')} rows/s); ${rowsBefore.toLocaleString('en-US')} in the collection`);
    figures.push(figure({ name: 'seed.insert_rate', value: seeded.inserted / (seeded.ms / 1000), unit: 'rows/s', better: 'higher' }));

    // --- 3. the host in a child process ---------------------------------------------------------
    say('\n3. local host (child process) on that data dir');
    const host = await startChild<{ url: string }>(join(__dirname, 'child', 'host.ts'), { BENCH_DATA_DIR: dataDir, BENCH_SECRET: secret });
    const url = host.info.url;
    const token = (openid: string) => `Bearer ${signSession(openid, secret, new Date())}`;
    const admins = [
      { auth: token(DEMO_PEOPLE.adminPeixin.openid), communityId: REGION_IDS.peixin },
      { auth: token(DEMO_PEOPLE.adminXiaojiaba.openid), communityId: REGION_IDS.xiaojiaba },
    ];
    const residents = [
      { auth: token(DEMO_PEOPLE.residentPeixin.openid), communityId: REGION_IDS.peixin },
      { auth: token(DEMO_PEOPLE.residentXiaojiaba.openid), communityId: REGION_IDS.xiaojiaba },
    ];
    const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const inbox = (_n: number, c: number): LoadRequest => {
      const a = admins[c % admins.length]!;
      return { path: '/fn/suggestions', headers: { authorization: a.auth }, body: { action: 'inbox', input: { communityId: a.communityId } } };
    };
    const mine = (_n: number, c: number): LoadRequest => {
      const p = residents[c % residents.length]!;
      return { path: '/fn/suggestions', headers: { authorization: p.auth }, body: { action: 'mine', input: {} } };
    };
    const submit = (n: number, c: number): LoadRequest => {
      const p = residents[c % residents.length]!;
      return {
        path: '/fn/suggestions',
        headers: { authorization: p.auth },
        body: {
          action: 'submit',
          input: {
            requestId: `${run}-${n}`,
            communityId: p.communityId,
            category: CATEGORIES[n % CATEGORIES.length],
            text: `小区${(n % 30) + 1}号楼门口的路灯坏了，晚上出行不方便，希望尽快维修（第${n}条）`,
            place: n % 2 ? `${(n % 30) + 1}号楼` : undefined,
            showName: n % 3 === 0,
          },
        },
      };
    };
    const countingSubmits = (status: number, body: string) => {
      const e = defaultCheck(status, body);
      if (!e) okSubmits++;
      return e;
    };

    try {
      // One call of each kind first: a broken action should say why, not fill a table with errors.
      for (const [label, req] of [['inbox', inbox(0, 0)], ['mine', mine(0, 0)]] as const) {
        const r = await runLoad({ url, clients: 1, maxRequests: 1, request: () => req, check: (s, b) => (defaultCheck(s, b) ? `${s} ${b.slice(0, 300)}` : null) });
        if (r.errors) say(`  warning: first ${label} call failed: ${Object.keys(r.errorKinds)[0]}`);
      }

      say(`\n4. list and submit at ${CLIENTS} clients`);
      const rInbox = await load(url, inbox);
      line('suggestions.inbox', rInbox);
      const rMine = await load(url, mine);
      line('suggestions.mine', rMine);
      const rSubmit = await load(url, submit, countingSubmits);
      line('suggestions.submit', rSubmit);

      figures.unshift(
        figure({ name: 'bare.throughput', value: bare.throughput, unit: 'req/s', better: 'higher' }),
        figure({ name: 'bare.p50', value: bare.latency.p50, unit: 'ms', better: 'lower' }),
        figure({ name: 'bare.p99', value: bare.latency.p99, unit: 'ms', better: 'lower' }),
      );
      figures.push(
        ...stepFigures('suggestions.inbox', rInbox, bare, true),
        ...stepFigures('suggestions.mine', rMine, bare, true),
        ...stepFigures('suggestions.submit', rSubmit, bare, false),
      );
    } finally {
      await host.stop();
    }

    // --- 5. every acknowledged submit is in the database, with the bulk records' shape -----------
    const check = createLocalServices({ dataDir, secret, log: quiet });
    try {
      const col = check.store.collection(suggestions);
      const rowsAfter = await col.count();
      const lost = rowsBefore + okSubmits - rowsAfter;
      say(`\n5. ${okSubmits.toLocaleString('en-US')} submits acknowledged (warm-up included); ` +
        `${rowsAfter.toLocaleString('en-US')} rows now, ${lost === 0 ? 'none missing' : `${lost} MISSING`}`);
      figures.push(figure({ name: 'suggestions.submit.missing_after_ack', value: lost, unit: 'count', better: 'lower', budget: 0 }));
      const newest = (await col.find({ where: { authorId: DEMO_PEOPLE.residentPeixin.memberId }, orderBy: { field: 'createdAt', direction: 'desc' }, limit: 1 })).items[0];
      const oldest = (await col.find({ where: { authorId: DEMO_PEOPLE.residentPeixin.memberId }, orderBy: { field: 'createdAt', direction: 'asc' }, limit: 1 })).items[0];
      const keys = (d: object | undefined) => Object.keys(d ?? {}).sort().join(',');
      if (newest && oldest && keys(newest) !== keys(oldest)) {
        say(`  warning: bulk records and submitted ones differ in shape:\n    submitted ${keys(newest)}\n    bulk      ${keys(oldest)}`);
      }
    } finally {
      await check.store.close();
    }
  } finally {
    if (process.env.BENCH_KEEP === '1') say(`\n(data kept in ${dataDir})`);
    else rmSync(dataDir, { recursive: true, force: true });
  }

  // --- report ---------------------------------------------------------------------------------
  say('\n' + formatTable(figures));
  const over = overBudget(figures);
  say(over.length ? `\nOVER BUDGET: ${over.map((f) => `${f.name} = ${f.value.toFixed(2)} ${f.unit} (budget ${f.better === 'lower' ? '≤' : '≥'} ${f.budget})`).join('; ')}`
    : '\nAll bench budgets met.');
  writeFigures(OUT, figures, {
    at: new Date().toISOString(),
    quick: QUICK,
    clients: CLIENTS,
    warmupMs: WARMUP_MS,
    durationMs: RUN_MS,
    suggestions: COUNT,
    node: process.version,
    cores: cpus().length,
    processes: 'load generator, bare server and host each in their own process',
    elapsedS: Math.round((performance.now() - started) / 100) / 10,
  });
  say(`wrote bench/out/latest.json (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
