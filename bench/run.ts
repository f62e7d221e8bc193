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
 * The steps run in interleaved rounds (bare, inbox, mine, submit; again…), and each figure merges its
 * rounds: on a shared machine, load from other processes then falls on every step alike.
 *
 * Env: BENCH_QUICK=1 (one round of 3 s steps on 20,000 suggestions), BENCH_SUGGESTIONS (default 100000),
 * BENCH_ROUNDS (default 3), BENCH_DURATION_MS (per step and round, default 5000), BENCH_KEEP=1 (keep the data dir).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalServices } from '../src/server/local-services';
import { seedDemo } from '../src/server/demo/seed';
import { signSession } from '../src/server/identity';
import { DEMO_PEOPLE, REGION_IDS } from '../src/server/demo/demo-data';
import type { Logger } from '../src/server/action';
import { suggestions } from '../src/features/suggestions/suggestions.collections';
import { CATEGORIES } from '../src/features/suggestions/suggestions.schema';
import { figure, formatTable, overBudget, writeFigures, type Figure } from './lib/figures';
import { defaultCheck, mergeResults, runLoad, type LoadRequest, type LoadResult } from './lib/load';
import { cpuTimeMs, startChild, type Child } from './lib/child';
import { bulkInsertSuggestions } from './lib/suggestion-data';
import { runSurveysBench, runSurveysOnly } from './surveys';
import { runCanteenBench, runCanteenOnly } from './canteen';
import { runVisitsBench, runVisitsOnly } from './visits';
import { runMattersBench, runMattersOnly } from './matters';

const QUICK = process.env.BENCH_QUICK === '1';
const CLIENTS = 32;
const COUNT = Number(process.env.BENCH_SUGGESTIONS ?? (QUICK ? 20_000 : 100_000));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const WARMUP_MS = QUICK ? 1000 : 2000;
/** Later rounds only re-open connections. */
const REWARM_MS = 300;
const RUN_MS = Number(process.env.BENCH_DURATION_MS ?? (QUICK ? 3000 : 5000));
const LIST_P99_MS = 50;
const LIST_RATIO = 0.25;
/** Issue 8: a durable submit at ≥ 0.2× the bare server in the same run. */
const SUBMIT_RATIO = 0.2;
const OUT = join(__dirname, 'out', 'latest.json');

const quiet: Logger = {
  info: () => {},
  warn: (msg) => process.stderr.write(`[warn] ${msg}\n`),
  error: (msg, f) => process.stderr.write(`[error] ${msg} ${JSON.stringify(f ?? {})}\n`),
};

const say = (s: string) => process.stdout.write(s + '\n');
const line = (label: string, r: LoadResult) =>
  say(
    `  ${label.padEnd(21)} ${r.requests.toString().padStart(7)} req in ${(r.durationMs / 1000).toFixed(1)} s  ` +
      `${Math.round(r.throughput).toString().padStart(6)} req/s  p50 ${r.latency.p50.toFixed(1)} ms  ` +
      `p99 ${r.latency.p99.toFixed(1)} ms  max ${r.latency.max.toFixed(1)} ms  errors ${r.errors}` +
      (r.errors ? `  ${JSON.stringify(r.errorKinds)}` : ''),
  );

/** Figures of one measured step; list steps carry the list budgets. */
function stepFigures(name: string, r: LoadResult, bare: LoadResult, list: boolean, ratioBudget?: number): Figure[] {
  const ratio = r.throughput / bare.throughput;
  const budget = list ? LIST_RATIO : ratioBudget;
  return [
    figure({ name: `${name}.throughput`, value: r.throughput, unit: 'req/s', better: 'higher', baseline: bare.throughput }),
    ...(budget !== undefined ? [figure({ name: `${name}.throughput_vs_bare`, value: ratio, unit: '×', better: 'higher', budget })] : []),
    figure({ name: `${name}.p50`, value: r.latency.p50, unit: 'ms', better: 'lower', baseline: bare.latency.p50 }),
    figure({ name: `${name}.p99`, value: r.latency.p99, unit: 'ms', better: 'lower', baseline: bare.latency.p99, ...(list ? { budget: LIST_P99_MS } : {}) }),
    figure({ name: `${name}.errors`, value: r.errors, unit: 'count', better: 'lower', budget: 0 }),
  ];
}

async function main() {
  // BENCH_ONLY=surveys: one area's steps alone (each writes its own bench/out/<area>.json).
  if (process.env.BENCH_ONLY === 'surveys') return runSurveysOnly();
  if (process.env.BENCH_ONLY === 'canteen') return runCanteenOnly();
  if (process.env.BENCH_ONLY === 'visits') return runVisitsOnly();
  if (process.env.BENCH_ONLY === 'matters') return runMattersOnly();
  const started = performance.now();
  say(`bench: ${CLIENTS} keep-alive clients; ${ROUNDS} round(s) of bare → inbox → mine → submit, ${RUN_MS / 1000} s each ` +
    `(after ${WARMUP_MS / 1000} s warm-up in round 1); ${COUNT.toLocaleString('en-US')} suggestions${QUICK ? ' (BENCH_QUICK)' : ''}; ` +
    `${cpus().length} cores, Node ${process.version}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  // --- 1. a data dir with COUNT suggestions ------------------------------------------------------
  say(`\n1. seeding ${COUNT.toLocaleString('en-US')} suggestions through the store`);
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
    const seedRate = figure({ name: 'seed.insert_rate', value: seeded.inserted / (seeded.ms / 1000), unit: 'rows/s', better: 'higher' });

    // --- 2. the bare server and the host, each in its own process ----------------------------------
    say('\n2. bare node:http server and local host, each in a child process');
    const bareChild = await startChild<{ url: string }>(join(__dirname, 'child', 'bare.ts'));
    let host: Child<{ url: string }> | null = null;
    try {
      host = await startChild<{ url: string }>(join(__dirname, 'child', 'host.ts'), { BENCH_DATA_DIR: dataDir, BENCH_SECRET: secret });
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
      // The bare server gets the inbox request, token included: same bytes on the wire.
      const inbox = (_n: number, c: number): LoadRequest => {
        const a = admins[c % admins.length]!;
        return { path: '/fn/suggestions', headers: { authorization: a.auth }, body: { action: 'inbox', input: { communityId: a.communityId } } };
      };
      const mine = (_n: number, c: number): LoadRequest => {
        const p = residents[c % residents.length]!;
        return { path: '/fn/suggestions', headers: { authorization: p.auth }, body: { action: 'mine', input: {} } };
      };
      // Request ids must stay distinct across rounds (each load run numbers its requests from 0).
      let submitSeq = 0;
      const submit = (_n: number, c: number): LoadRequest => {
        const n = submitSeq++;
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

      // One call of each list first: a broken action should say why, not fill a table with errors.
      for (const [label, req] of [['inbox', inbox(0, 0)], ['mine', mine(0, 0)]] as const) {
        let items = -1;
        const r = await runLoad({
          url, clients: 1, maxRequests: 1, request: () => req,
          check: (st, b) => {
            if (defaultCheck(st, b)) return `${st} ${b.slice(0, 300)}`;
            items = (JSON.parse(b) as { data: { items: unknown[] } }).data.items.length;
            return null;
          },
        });
        say(r.errors ? `  warning: first ${label} call failed: ${Object.keys(r.errorKinds)[0]}` : `  ${label}: first page has ${items} items`);
      }

      // --- 3. interleaved rounds: load from anything else on the machine falls on every step alike --
      say(`\n3. ${CLIENTS} clients, ${ROUNDS} round(s)`);
      const steps = [
        { name: 'bare', url: bareChild.info.url, pid: bareChild.pid, request: inbox, check: undefined },
        { name: 'suggestions.inbox', url, pid: host.pid, request: inbox, check: undefined },
        { name: 'suggestions.mine', url, pid: host.pid, request: mine, check: undefined },
        { name: 'suggestions.submit', url, pid: host.pid, request: submit, check: countingSubmits },
      ] as const;
      const results = new Map<string, LoadResult[]>(steps.map((st) => [st.name, []]));
      /** Server CPU ms spent in measured windows, per step (null where /proc is unavailable). */
      const cpu = new Map<string, number | null>(steps.map((st) => [st.name, 0]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const st of steps) {
          let cpu0: number | null = null;
          const r = await runLoad({
            url: st.url,
            clients: CLIENTS,
            warmupMs: round === 0 ? WARMUP_MS : REWARM_MS,
            durationMs: RUN_MS,
            request: st.request,
            ...(st.check ? { check: st.check } : {}),
            beforeMeasure: () => {
              cpu0 = cpuTimeMs(st.pid);
            },
          });
          const cpu1 = cpuTimeMs(st.pid);
          const prev = cpu.get(st.name);
          cpu.set(st.name, prev === null || prev === undefined || cpu0 === null || cpu1 === null ? null : prev + (cpu1 - cpu0));
          results.get(st.name)!.push(r);
          line(`${st.name} #${round + 1}`, r);
        }
      }
      const merged = new Map([...results].map(([k, v]) => [k, mergeResults(v)]));
      say('\n  all rounds:');
      for (const [k, r] of merged) line(k, r);
      const cpuPer = (name: string) => {
        const ms = cpu.get(name);
        return ms === null || ms === undefined ? null : ms / merged.get(name)!.requests;
      };
      const bare = merged.get('bare')!;
      const bareCpu = cpuPer('bare');
      const cpuFigure = (name: string): Figure[] => {
        const v = cpuPer(name);
        if (v === null) return [];
        return [figure({ name: `${name}.server_cpu_per_request`, value: v, unit: 'ms', better: 'lower', ...(bareCpu ? { baseline: bareCpu } : {}) })];
      };
      figures.push(
        figure({ name: 'bare.throughput', value: bare.throughput, unit: 'req/s', better: 'higher' }),
        figure({ name: 'bare.p50', value: bare.latency.p50, unit: 'ms', better: 'lower' }),
        figure({ name: 'bare.p99', value: bare.latency.p99, unit: 'ms', better: 'lower' }),
        ...cpuFigure('bare'),
        ...stepFigures('suggestions.inbox', merged.get('suggestions.inbox')!, bare, true),
        ...cpuFigure('suggestions.inbox'),
        ...stepFigures('suggestions.mine', merged.get('suggestions.mine')!, bare, true),
        ...cpuFigure('suggestions.mine'),
        ...stepFigures('suggestions.submit', merged.get('suggestions.submit')!, bare, false, SUBMIT_RATIO),
        ...cpuFigure('suggestions.submit'),
        seedRate,
      );
    } finally {
      await Promise.all([bareChild.stop(), host?.stop()]);
    }

    // --- 4. every acknowledged submit is in the database, with the bulk records' shape -----------
    const check = createLocalServices({ dataDir, secret, log: quiet });
    try {
      const col = check.store.collection(suggestions);
      const rowsAfter = await col.count();
      const lost = rowsBefore + okSubmits - rowsAfter;
      say(`\n4. ${okSubmits.toLocaleString('en-US')} submits acknowledged (warm-up included); ` +
        `${rowsAfter.toLocaleString('en-US')} rows now, ${lost === 0 ? 'none missing' : `${lost} MISSING`}`);
      figures.push(figure({ name: 'suggestions.submit.missing_after_ack', value: lost, unit: 'count', better: 'lower', budget: 0 }));
      const byAuthor = (direction: 'asc' | 'desc') =>
        col.find({ where: { authorId: DEMO_PEOPLE.residentPeixin.memberId }, orderBy: { field: 'createdAt', direction }, limit: 1 });
      const submitted = (await byAuthor('desc')).items[0];
      const bulk = (await byAuthor('asc')).items[0];
      const keys = (d: object | undefined) => Object.keys(d ?? {}).sort().join(',');
      if (submitted && bulk && keys(submitted) !== keys(bulk)) {
        say(`  warning: bulk records and submitted ones differ in shape:\n    submitted ${keys(submitted)}\n    bulk      ${keys(bulk)}`);
      }
    } finally {
      await check.store.close();
    }
  } finally {
    if (process.env.BENCH_KEEP === '1') say(`\n(data kept in ${dataDir})`);
    else rmSync(dataDir, { recursive: true, force: true });
  }

  if (!process.env.BENCH_ONLY) figures.push(...(await runSurveysBench(say)));
  if (!process.env.BENCH_ONLY) figures.push(...(await runCanteenBench(say)));
  if (!process.env.BENCH_ONLY) figures.push(...(await runVisitsBench(say)));
  if (!process.env.BENCH_ONLY) figures.push(...(await runMattersBench(say)));

  // --- report ---------------------------------------------------------------------------------
  say('\n' + formatTable(figures));
  const over = overBudget(figures);
  say(over.length ? `\nOVER BUDGET: ${over.map((f) => `${f.name} = ${f.value.toFixed(2)} ${f.unit} (budget ${f.better === 'lower' ? '≤' : '≥'} ${f.budget})`).join('; ')}`
    : '\nAll bench budgets met.');
  writeFigures(OUT, figures, {
    at: new Date().toISOString(),
    quick: QUICK,
    clients: CLIENTS,
    rounds: ROUNDS,
    warmupMs: WARMUP_MS,
    durationMsPerRound: RUN_MS,
    suggestions: COUNT,
    node: process.version,
    cores: cpus().length,
    loadavg: loadavg(),
    processes: 'load generator, bare server and host each in their own process',
    elapsedS: Math.round((performance.now() - started) / 100) / 10,
  });
  say(`wrote bench/out/latest.json (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
