/**
 * Questionnaire bench (issue 3, Budgets): 100,000 answers to a 20-question questionnaire submitted through
 * the local host at 32 keep-alive clients (throughput, p99, ratio to the bare node:http server measured in
 * the same run), and opening results at 100 and at 100,000 answers (the two should be within 2×).
 *
 * Part of `npm run bench`; alone: `BENCH_ONLY=surveys npm run bench` (writes bench/out/surveys.json).
 * Env: BENCH_SURVEY_ANSWERS (default 100000; 5000 with BENCH_QUICK=1), BENCH_DURATION_MS for the results steps.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../src/server/action';
import { areas } from '../src/server/areas';
import { seedDemo } from '../src/server/demo/seed';
import { DEMO_PEOPLE, REGION_IDS } from '../src/server/demo/demo-data';
import { dispatch } from '../src/server/dispatch';
import { signSession } from '../src/server/identity';
import { createLocalServices } from '../src/server/local-services';
import { members } from '../src/features/members/members.collections';
import { surveyAnswers } from '../src/features/surveys/surveys.collections';
import { figure, formatTable, overBudget, writeFigures, type Figure } from './lib/figures';
import { cpuTimeMs, startChild, type Child } from './lib/child';
import { defaultCheck, runLoad, type LoadRequest, type LoadResult } from './lib/load';
import { twentyAnswer, twentyQuestions } from '../tests/surveys/fixtures';

const QUICK = process.env.BENCH_QUICK === '1';
const CLIENTS = 32;
const ANSWERS = Number(process.env.BENCH_SURVEY_ANSWERS ?? (QUICK ? 5_000 : 100_000));
const SMALL_AT = 100;
const RESULTS_MS = Number(process.env.BENCH_DURATION_MS ?? (QUICK ? 2000 : 4000));
const BARE_MS = QUICK ? 2000 : 5000;
const RESULTS_RATIO_BUDGET = 2;
/** Issue 8: an answer (a durable write) at ≥ 0.15× the bare server in the same run. */
const SUBMIT_RATIO = 0.15;
const OUT = join(__dirname, 'out', 'surveys.json');

const quiet: Logger = {
  info: () => {},
  warn: (msg) => process.stderr.write(`[warn] ${msg}\n`),
  error: (msg, f) => process.stderr.write(`[error] ${msg} ${JSON.stringify(f ?? {})}\n`),
};

const openidOf = (n: number) => `bench-resident-${n}`;

/** n residents of 培新街社区, written straight into the store (members are looked up by openid). */
async function bulkResidents(store: ReturnType<typeof createLocalServices>['store'], n: number): Promise<number> {
  const t0 = performance.now();
  const BATCH = 1000;
  for (let i = 0; i < n; i += BATCH) {
    await store.transaction(async (tx) => {
      for (let j = i; j < Math.min(n, i + BATCH); j++) {
        await tx.collection(members).insert(
          {
            openid: openidOf(j),
            name: `居民${j}`,
            grants: [{ role: 'resident', regionId: REGION_IDS.peixin, regionName: '培新街社区', building: `${(j % 40) + 1}栋`, unit: `${(j % 6) + 1}单元` }],
            createdAt: '2025-01-01T00:00:00.000Z',
          },
          { id: `bench-m-${j}` },
        );
      }
    });
  }
  return performance.now() - t0;
}

export async function runSurveysBench(say: (s: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'shishi-bench-surveys-'));
  const secret = randomBytes(32).toString('hex');
  say(`\nsurveys: ${ANSWERS.toLocaleString('en-US')} answers to a 20-question questionnaire, ${CLIENTS} clients`);
  let bare: Child<{ url: string }> | null = null;
  let host: Child<{ url: string }> | null = null;
  try {
    // --- data: the questionnaire (through dispatch, as an admin would) and its residents ----------
    const services = createLocalServices({ dataDir, secret, demoMode: true, log: quiet });
    await seedDemo(services);
    const call = async (action: string, input: unknown) => {
      const r = await dispatch(areas, 'surveys', { action, input }, { openid: DEMO_PEOPLE.adminPeixin.openid }, services, 'bench');
      if (!r.ok) throw new Error(`${action}: ${r.error.code} ${r.error.message}`);
      return r.data as { _id: string; version: number };
    };
    const now = Date.now();
    const created = await call('create', {
      communityId: REGION_IDS.peixin,
      definition: twentyQuestions(),
      settings: { openAt: new Date(now - 3600_000).toISOString(), closeAt: new Date(now + 30 * 86400_000).toISOString(), households: 120_000 },
    });
    await call('publish', { id: created._id });
    const seededMs = await bulkResidents(services.store, ANSWERS);
    await services.store.close();
    say(`  ${ANSWERS.toLocaleString('en-US')} residents written in ${(seededMs / 1000).toFixed(1)} s`);

    bare = await startChild<{ url: string }>(join(__dirname, 'child', 'bare.ts'));
    host = await startChild<{ url: string }>(join(__dirname, 'child', 'host.ts'), { BENCH_DATA_DIR: dataDir, BENCH_SECRET: secret });
    const url = host.info.url;
    const signedAt = new Date();
    const auth = (openid: string) => `Bearer ${signSession(openid, secret, signedAt)}`;
    const adminAuth = auth(DEMO_PEOPLE.adminPeixin.openid);

    let next = 0;
    const submit = (): LoadRequest => {
      const n = next++;
      return {
        path: '/fn/surveys',
        headers: { authorization: auth(openidOf(n)) },
        body: { action: 'submit', input: { surveyId: created._id, version: created.version, answers: twentyAnswer(n) } },
      };
    };
    const results = (): LoadRequest => ({ path: '/fn/surveys', headers: { authorization: adminAuth }, body: { action: 'results', input: { surveyId: created._id } } });
    let badTotal = 0;
    const resultsCheck = (want: number) => (status: number, body: string) => {
      const e = defaultCheck(status, body);
      if (e) return e;
      const total = (JSON.parse(body) as { data: { total: number } }).data.total;
      if (total !== want) badTotal++;
      return total === want ? null : `total ${total} ≠ ${want}`;
    };
    const line = (label: string, r: LoadResult) =>
      say(`  ${label.padEnd(26)} ${r.requests.toString().padStart(7)} req in ${(r.durationMs / 1000).toFixed(1)} s  ` +
        `${Math.round(r.throughput).toString().padStart(6)} req/s  p50 ${r.latency.p50.toFixed(1)} ms  p99 ${r.latency.p99.toFixed(1)} ms  errors ${r.errors}` +
        (r.errors ? `  ${JSON.stringify(r.errorKinds).slice(0, 200)}` : ''));

    // --- bare baseline: the same submit bytes, answered by node:http alone ----------------------
    const bareRun = await runLoad({ url: bare.info.url, clients: CLIENTS, warmupMs: 1000, durationMs: BARE_MS, request: submit });
    next = 0;
    line('bare', bareRun);

    // --- the first 100 answers, then results at 100 ------------------------------------------------
    const first = await runLoad({ url, clients: CLIENTS, maxRequests: SMALL_AT, request: submit });
    line(`surveys.submit first ${SMALL_AT}`, first);
    const r100 = await runLoad({ url, clients: CLIENTS, warmupMs: 2000, durationMs: RESULTS_MS, request: results, check: resultsCheck(SMALL_AT - first.errors) });
    line(`surveys.results @${SMALL_AT}`, r100);

    // --- the rest: the measured submit run ------------------------------------------------------------
    const cpu0 = cpuTimeMs(host.pid);
    const bulk = await runLoad({ url, clients: CLIENTS, maxRequests: ANSWERS - SMALL_AT, request: submit, timeoutMs: 30_000 });
    const cpu1 = cpuTimeMs(host.pid);
    line(`surveys.submit (${(ANSWERS - SMALL_AT).toLocaleString('en-US')})`, bulk);
    const okAnswers = SMALL_AT - first.errors + bulk.requests - bulk.errors;

    const rBig = await runLoad({ url, clients: CLIENTS, warmupMs: 2000, durationMs: RESULTS_MS, request: results, check: resultsCheck(okAnswers) });
    line(`surveys.results @${okAnswers.toLocaleString('en-US')}`, rBig);

    await Promise.all([bare.stop(), host.stop()]);
    bare = host = null;

    const check = createLocalServices({ dataDir, secret, log: quiet });
    const stored = await check.store.collection(surveyAnswers).count({ surveyId: created._id });
    await check.store.close();
    say(`  ${stored.toLocaleString('en-US')} answers stored, ${okAnswers.toLocaleString('en-US')} acknowledged${badTotal ? `; ${badTotal} results with a wrong total` : ''}`);

    const ratio = rBig.latency.p50 / r100.latency.p50;
    figures.push(
      figure({ name: 'surveys.bare.throughput', value: bareRun.throughput, unit: 'req/s', better: 'higher' }),
      figure({ name: 'surveys.submit.throughput', value: bulk.throughput, unit: 'req/s', better: 'higher', baseline: bareRun.throughput }),
      figure({ name: 'surveys.submit.throughput_vs_bare', value: bulk.throughput / bareRun.throughput, unit: '×', better: 'higher', budget: SUBMIT_RATIO }),
      figure({ name: 'surveys.submit.p50', value: bulk.latency.p50, unit: 'ms', better: 'lower', baseline: bareRun.latency.p50 }),
      figure({ name: 'surveys.submit.p99', value: bulk.latency.p99, unit: 'ms', better: 'lower', baseline: bareRun.latency.p99 }),
      figure({ name: 'surveys.submit.errors', value: bulk.errors + first.errors, unit: 'count', better: 'lower', budget: 0 }),
      ...(cpu0 !== null && cpu1 !== null ? [figure({ name: 'surveys.submit.server_cpu_per_request', value: (cpu1 - cpu0) / bulk.requests, unit: 'ms', better: 'lower' })] : []),
      figure({ name: 'surveys.submit.missing_after_ack', value: okAnswers - stored, unit: 'count', better: 'lower', budget: 0 }),
      figure({ name: `surveys.results@${SMALL_AT}.p50`, value: r100.latency.p50, unit: 'ms', better: 'lower' }),
      figure({ name: `surveys.results@${SMALL_AT}.p99`, value: r100.latency.p99, unit: 'ms', better: 'lower' }),
      figure({ name: `surveys.results@${ANSWERS}.p50`, value: rBig.latency.p50, unit: 'ms', better: 'lower', baseline: r100.latency.p50 }),
      figure({ name: `surveys.results@${ANSWERS}.p99`, value: rBig.latency.p99, unit: 'ms', better: 'lower', baseline: r100.latency.p99 }),
      figure({ name: `surveys.results@${ANSWERS}.throughput`, value: rBig.throughput, unit: 'req/s', better: 'higher', baseline: r100.throughput }),
      figure({ name: 'surveys.results.p50_ratio_large_vs_small', value: ratio, unit: '×', better: 'lower', budget: RESULTS_RATIO_BUDGET }),
      figure({ name: 'surveys.results.errors', value: r100.errors + rBig.errors, unit: 'count', better: 'lower', budget: 0 }),
    );
  } finally {
    await Promise.all([bare?.stop(), host?.stop()]);
    if (process.env.BENCH_KEEP === '1') say(`  (data kept in ${dataDir})`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

/** `BENCH_ONLY=surveys`: this step alone, its own figures file. */
export async function runSurveysOnly(): Promise<void> {
  const say = (s: string) => process.stdout.write(s + '\n');
  const started = performance.now();
  const figures = await runSurveysBench(say);
  say('\n' + formatTable(figures));
  const over = overBudget(figures);
  say(over.length ? `\nOVER BUDGET: ${over.map((f) => f.name).join(', ')}` : '\nAll surveys bench budgets met.');
  writeFigures(OUT, figures, {
    at: new Date().toISOString(),
    quick: QUICK,
    clients: CLIENTS,
    answers: ANSWERS,
    node: process.version,
    cores: cpus().length,
    loadavg: loadavg(),
    elapsedS: Math.round((performance.now() - started) / 100) / 10,
  });
  say(`wrote bench/out/surveys.json (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
}
