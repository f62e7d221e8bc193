/**
 * Matters bench (issue 9, Budgets):
 * 1. the demand list of one community through the local host at 32 keep-alive clients, on a city-scale seed
 *    (300 communities, 3,000 demands with their tallies and sources; the bench community holds 200 of them),
 *    against the bare node:http server in the same run: `matters.demand_list.p99` ≤ 50 ms;
 * 2. similarity proposals (bench/matters-similar.ts): `matters.similar.p99` ≤ 50 ms against 10,000 demands,
 *    `matters.similar.precision_top1` ≥ 0.8, `matters.similar.recall_at3` ≥ 0.9 on the labelled set;
 * 3. ratings (bench/matters-ratings.ts, issue 10): `matters.rate.p99` at 32 clients on 200,000 ratings, second ratings refused.
 * 4. a community's board and a matter page (bench/matters-progress.ts, issue 10): `matters.board.p99` and
 *    `matters.matter_page.p99` ≤ 50 ms at 32 clients on 2,450 matters, 20,000 updates, 100,000 photos.
 *
 * Part of `npm run bench`; alone: `BENCH_ONLY=matters npm run bench` (writes bench/out/matters.json).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../src/server/action';
import { seedDemo } from '../src/server/demo/seed';
import { DEMO_PEOPLE, REGION_IDS } from '../src/server/demo/demo-data';
import { signSession } from '../src/server/identity';
import { createLocalServices } from '../src/server/local-services';
import { demands, demandSources, demandSupport } from '../src/features/matters/matters.collections';
import { personKey } from '../src/features/matters/matters.actions';
import { CATEGORIES } from '../src/features/suggestions/suggestions.labels';
import { figure, formatTable, overBudget, writeFigures, type Figure } from './lib/figures';
import { startChild, type Child } from './lib/child';
import { runLoad, type LoadRequest, type LoadResult } from './lib/load';
import { runMattersSimilarBench } from './matters-similar';
import { runMattersRatingsBench } from './matters-ratings';
import { runMattersProgressBench } from './matters-progress';
import { pick, rng } from './lib/rng';

const QUICK = process.env.BENCH_QUICK === '1';
const CLIENTS = 32;
const COMMUNITIES = 300;
const DEMANDS = 3_000;
const BENCH_COMMUNITY_DEMANDS = 200;
const YEAR = Number(new Date().toISOString().slice(0, 4));
const LIST_P99_BUDGET_MS = 50;
const OUT = join(__dirname, 'out', 'matters.json');

const quiet: Logger = { info: () => {}, warn: () => {}, error: (msg, f) => process.stderr.write(`[error] ${msg} ${JSON.stringify(f ?? {})}\n`) };

const TOPICS = ['加装电梯', '楼道照明', '巷口积水', '菜市场改造', '健身器材', '停车位', '垃圾清运', '老年助餐', '路灯维修', '下水道疏通', '充电桩', '绿化补植'];

/** 3,000 open demands over 300 communities (the bench community first), each with 1–8 sources and its tally. */
async function seedCity(services: ReturnType<typeof createLocalServices>): Promise<void> {
  const r = rng(42);
  const at = new Date().toISOString();
  const communities = [REGION_IDS.peixin, ...Array.from({ length: COMMUNITIES - 1 }, (_, i) => `comm-bench-${i}`)];
  const rest = Math.floor((DEMANDS - BENCH_COMMUNITY_DEMANDS) / (COMMUNITIES - 1));
  let n = 0;
  for (const [ci, communityId] of communities.entries()) {
    const count = ci === 0 ? BENCH_COMMUNITY_DEMANDS : rest;
    await services.store.transaction(async (tx) => {
      for (let j = 0; j < count; j++, n++) {
        const id = `dm-bench-${n}`;
        const sources = 1 + Math.floor(r() * 8);
        const backers: Record<string, number> = {};
        for (let s = 0; s < sources; s++) {
          const who = personKey(`bench-resident-${communityId}-${Math.floor(r() * 400)}`);
          backers[who] = (backers[who] ?? 0) + 1;
          await tx.collection(demandSources).insert(
            { demandId: id, communityId, kind: 'suggestion', ref: `sg-bench-${n}-${s}`, excerpt: `${pick(r, TOPICS)}的建议`, backers: [who], anonymous: 0, note: null, at, by: 'bench', movedFrom: null },
            { id: `dsrc:suggestion:sg-bench-${n}-${s}` },
          );
        }
        await tx.collection(demandSupport).insert({ backers, anonymous: 0 }, { id });
        await tx.collection(demands).insert({
          communityId, districtId: REGION_IDS.hanbin, cityId: REGION_IDS.city, year: YEAR,
          title: `${pick(r, TOPICS)}（${j + 1}）`, description: '', category: pick(r, [...CATEGORIES]), status: 'open', mergedInto: null, mergedAt: null,
          supporters: Object.keys(backers).length, anonymous: 0, ownSources: sources, mergedCount: 0, kinds: { suggestion: sources },
          createdAt: new Date(Date.now() - n * 60_000).toISOString(), createdBy: 'bench', updatedAt: at,
        }, { id });
      }
    });
  }
}

const line = (say: (s: string) => void, label: string, r: LoadResult) =>
  say(`  ${label.padEnd(24)} ${String(r.requests).padStart(7)} req  ${Math.round(r.throughput).toString().padStart(6)} req/s  ` +
    `p50 ${r.latency.p50.toFixed(1)} ms  p99 ${r.latency.p99.toFixed(1)} ms  max ${r.latency.max.toFixed(1)} ms  errors ${r.errors}`);

export async function runMattersBench(say: (s: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'shishi-bench-matters-'));
  const secret = randomBytes(32).toString('hex');
  try {
    say(`\nmatters: demand list of one community (${BENCH_COMMUNITY_DEMANDS} of ${DEMANDS.toLocaleString('en-US')} demands in ${COMMUNITIES} communities), ${CLIENTS} clients`);
    const services = createLocalServices({ dataDir, secret, demoMode: true, log: quiet });
    await seedDemo(services);
    const t0 = performance.now();
    await seedCity(services);
    say(`  seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await services.store.close();

    let bare: Child<{ url: string }> | null = null;
    let host: Child<{ url: string }> | null = null;
    try {
      bare = await startChild<{ url: string }>(join(__dirname, 'child', 'bare.ts'));
      host = await startChild<{ url: string }>(join(__dirname, 'child', 'host.ts'), { BENCH_DATA_DIR: dataDir, BENCH_SECRET: secret });
      const auth = `Bearer ${signSession(DEMO_PEOPLE.adminPeixin.openid, secret, new Date())}`;
      const list = (n: number): LoadRequest => ({
        path: '/fn/matters',
        headers: { authorization: auth },
        body: { action: 'listDemands', input: { communityId: REGION_IDS.peixin, year: YEAR, sort: n % 4 === 0 ? 'newest' : 'supporters' } },
      });
      const durationMs = QUICK ? 3000 : 5000;
      const b = await runLoad({ url: bare.info.url, clients: CLIENTS, warmupMs: 1000, durationMs, request: list });
      const r = await runLoad({ url: host.info.url, clients: CLIENTS, warmupMs: 1000, durationMs, request: list });
      line(say, 'bare', b);
      line(say, 'matters.listDemands', r);
      figures.push(
        figure({ name: 'matters.demand_list.throughput', value: r.throughput, unit: 'req/s', better: 'higher', baseline: b.throughput }),
        figure({ name: 'matters.demand_list.p99', value: r.latency.p99, unit: 'ms', better: 'lower', baseline: b.latency.p99, budget: LIST_P99_BUDGET_MS }),
        figure({ name: 'matters.demand_list.errors', value: r.errors, unit: 'count', better: 'lower', budget: 0 }),
      );
    } finally {
      await Promise.all([bare?.stop(), host?.stop()]);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  figures.push(...(await runMattersSimilarBench(say)));
  figures.push(...(await runMattersRatingsBench(say)));
  figures.push(...(await runMattersProgressBench(say)));
  return figures;
}

export async function runMattersOnly(): Promise<void> {
  const say = (s: string) => process.stdout.write(s + '\n');
  const started = performance.now();
  const figures = await runMattersBench(say);
  say('\n' + formatTable(figures));
  const over = overBudget(figures);
  say(over.length ? `\nOVER BUDGET: ${over.map((f) => `${f.name} = ${f.value.toFixed(2)} ${f.unit}`).join('; ')}` : '\nAll matters budgets met.');
  writeFigures(OUT, figures, { at: new Date().toISOString(), quick: QUICK, clients: CLIENTS, communities: COMMUNITIES, demands: DEMANDS, node: process.version, cores: cpus().length, loadavg: loadavg(), elapsedS: Math.round((performance.now() - started) / 100) / 10 });
  say('wrote bench/out/matters.json');
}
