/**
 * Ratings bench (issue 10, item 5): on a city seed of 2,450 matters and 200,000 ratings (satisfaction counts on
 * each matter, as the write keeps them), residents rate accepted matters of one community through the local
 * host at 32 keep-alive clients, against the bare node:http server in the same run (`matters.rate.p99`). Then
 * second ratings at once — 32 residents who already rated, and one resident 32 times on a fresh matter — must
 * all be refused but one; and every bench matter's counts must equal its ratings, counted afterwards.
 *
 * Part of `BENCH_ONLY=matters npm run bench`; alone: `npx tsx bench/matters-ratings.ts`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../src/server/action';
import { seedDemo } from '../src/server/demo/seed';
import { REGION_IDS } from '../src/server/demo/demo-data';
import { signSession } from '../src/server/identity';
import { createLocalServices } from '../src/server/local-services';
import { readAll } from '../src/server/read-all';
import { members } from '../src/features/members/members.collections';
import { matters, ratings } from '../src/features/matters/matters.collections';
import type { Matter } from '../src/features/matters/matters.schema';
import { regionPath } from '../src/features/regions/regions.service';
import { addRating, NO_RATINGS, RATING_LEVELS, type Satisfaction } from '../src/features/matters/results.rules';
import { figure, formatTable, type Figure } from './lib/figures';
import { startChild, type Child } from './lib/child';
import { runLoad, type LoadResult } from './lib/load';
import { rng } from './lib/rng';

const QUICK = process.env.BENCH_QUICK === '1';
const CLIENTS = 32;
const CITY_MATTERS = Number(process.env.BENCH_RATING_MATTERS ?? 2_450);
const CITY_RATINGS = Number(process.env.BENCH_RATINGS ?? 200_000);
/** Accepted matters of the bench community residents rate during the run, and the residents who may. */
const LIVE_MATTERS = 20;
const LIVE_RESIDENTS = 2_000;
const YEAR = Number(new Date().toISOString().slice(0, 4));

const quiet: Logger = { info: () => {}, warn: () => {}, error: (msg, f) => process.stderr.write(`[error] ${msg} ${JSON.stringify(f ?? {})}\n`) };

type Services = ReturnType<typeof createLocalServices>;

function baseMatter(communityId: string, path: string[], n: number, at: string): Omit<Matter, '_id'> {
  return {
    communityId, districtId: REGION_IDS.hanbin, cityId: REGION_IDS.city, year: YEAR, demandId: `dm-rate-${n}`, title: `实事${n}`, category: '公共设施',
    path, state: 'accepted', leadUnitId: null, supportUnitIds: [], claimedBy: [], progress: 100, createdAt: at, updatedAt: at,
    satisfaction: NO_RATINGS,
  };
}

/** 2,450 accepted matters over 350 communities with 200,000 ratings between them; the live ones in 培新街社区, with their residents. */
async function seed(services: Services): Promise<{ live: string[]; residents: string[] }> {
  const r = rng(7);
  const at = new Date().toISOString();
  const peixinPath = (await regionPath(services.store, REGION_IDS.peixin))!;
  const perMatter = Math.floor(CITY_RATINGS / CITY_MATTERS);
  for (let start = 0; start < CITY_MATTERS; start += 25) {
    await services.store.transaction(async (tx) => {
      for (let n = start; n < Math.min(CITY_MATTERS, start + 25); n++) {
        const communityId = `comm-rate-${n % 350}`;
        const id = `matter:dm-rate-${n}`;
        let s: Satisfaction = NO_RATINGS;
        for (let k = 0; k < perMatter; k++) {
          const level = RATING_LEVELS[r() < 0.6 ? 0 : r() < 0.75 ? 1 : 2]!;
          s = addRating(s, level);
          const memberId = `m-city-${communityId}-${k}`;
          const comment = k % 5 === 0 ? '总体不错，希望后续有人管护' : null;
          await tx.collection(ratings).insert({ matterId: id, communityId, memberId, openid: `city-${memberId}`, level, comment, commented: comment !== null, at }, { id: `rating:${id}:${memberId}` });
        }
        await tx.collection(matters).insert({ ...baseMatter(communityId, [REGION_IDS.city, REGION_IDS.hanbin, communityId], n, at), satisfaction: s }, { id });
      }
    });
  }
  const live: string[] = [];
  await services.store.transaction(async (tx) => {
    for (let i = 0; i < LIVE_MATTERS + 1; i++) {
      const id = `matter:dm-rate-live-${i}`;
      await tx.collection(matters).insert({ ...baseMatter(REGION_IDS.peixin, peixinPath, CITY_MATTERS + i, at), demandId: `dm-rate-live-${i}` }, { id });
      live.push(id);
    }
  });
  const residents: string[] = [];
  for (let start = 0; start < LIVE_RESIDENTS + 1; start += 500) {
    await services.store.transaction(async (tx) => {
      for (let i = start; i < Math.min(LIVE_RESIDENTS + 1, start + 500); i++) {
        const openid = `bench-rater-${i}`;
        await tx.collection(members).insert({ openid, name: `居民${i}`, grants: [{ role: 'resident', regionId: REGION_IDS.peixin, regionName: '培新街社区' }], createdAt: at }, { id: `m-${openid}` });
        residents.push(openid);
      }
    });
  }
  return { live, residents };
}

async function post(url: string, token: string, body: unknown): Promise<{ ok: boolean; error?: { code: string } }> {
  const res = await fetch(`${url}/fn/matters`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return (await res.json()) as { ok: boolean; error?: { code: string } };
}

const line = (say: (s: string) => void, label: string, r: LoadResult) =>
  say(`  ${label.padEnd(24)} ${String(r.requests).padStart(7)} req  ${Math.round(r.throughput).toString().padStart(6)} req/s  ` +
    `p50 ${r.latency.p50.toFixed(1)} ms  p99 ${r.latency.p99.toFixed(1)} ms  max ${r.latency.max.toFixed(1)} ms  errors ${r.errors}`);

export async function runMattersRatingsBench(say: (s: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'shishi-bench-ratings-'));
  const secret = randomBytes(32).toString('hex');
  try {
    say(`\nmatters.rate: ${CITY_MATTERS.toLocaleString('en-US')} matters, ${CITY_RATINGS.toLocaleString('en-US')} ratings; residents rate ${LIVE_MATTERS} matters of one community, ${CLIENTS} clients`);
    const services = createLocalServices({ dataDir, secret, demoMode: true, log: quiet });
    await seedDemo(services);
    const t0 = performance.now();
    const { live, residents } = await seed(services);
    say(`  seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await services.store.close();

    const tokens = residents.map((openid) => signSession(openid, secret, new Date()));
    const fresh = live[LIVE_MATTERS]!; // kept out of the load: one resident's 32 racing submits
    let bare: Child<{ url: string }> | null = null;
    let host: Child<{ url: string }> | null = null;
    try {
      bare = await startChild<{ url: string }>(join(__dirname, 'child', 'bare.ts'));
      host = await startChild<{ url: string }>(join(__dirname, 'child', 'host.ts'), { BENCH_DATA_DIR: dataDir, BENCH_SECRET: secret });
      // Request n: resident n mod 2,000 rates matter ⌊n / 2,000⌋ — a new (resident, matter) pair each time, up to 40,000.
      let seq = 0;
      const rate = () => {
        const n = seq++;
        const who = n % LIVE_RESIDENTS;
        return {
          path: '/fn/matters',
          headers: { authorization: `Bearer ${tokens[who]}` },
          body: { action: 'rateMatter', input: { matterId: live[Math.floor(n / LIVE_RESIDENTS) % LIVE_MATTERS], level: RATING_LEVELS[n % 3], ...(n % 4 === 0 ? { comment: '路灯亮了，晚上出门安心多了' } : {}) } },
        };
      };
      const durationMs = QUICK ? 2000 : 4000;
      const b = await runLoad({ url: bare.info.url, clients: CLIENTS, warmupMs: 500, durationMs, request: rate });
      seq = 0;
      const r = await runLoad({ url: host.info.url, clients: CLIENTS, warmupMs: 500, durationMs, maxRequests: LIVE_RESIDENTS * LIVE_MATTERS - 5_000, request: rate });
      line(say, 'bare', b);
      line(say, 'matters.rateMatter', r);
      if (r.errors) say(`  errors: ${JSON.stringify(r.errorKinds)}`);

      // Second ratings at once: 32 residents who rated the first matter, then one resident 32 times on a fresh one.
      const again = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => post(host!.info.url, tokens[i]!, { action: 'rateMatter', input: { matterId: live[0], level: 'dissatisfied' } })));
      const refusedAgain = again.filter((x) => x.error?.code === 'MATTERS.RATING_EXISTS').length;
      const racing = await Promise.all(Array.from({ length: CLIENTS }, () => post(host!.info.url, tokens[LIVE_RESIDENTS]!, { action: 'rateMatter', input: { matterId: fresh, level: 'satisfied' } })));
      const racingOk = racing.filter((x) => x.ok).length;
      const racingRefused = racing.filter((x) => x.error?.code === 'MATTERS.RATING_EXISTS').length;
      say(`  second ratings: ${refusedAgain}/${CLIENTS} refused; one resident ${CLIENTS}× at once: ${racingOk} stored, ${racingRefused} refused`);
      figures.push(
        figure({ name: 'matters.rate.throughput', value: r.throughput, unit: 'req/s', better: 'higher', baseline: b.throughput }),
        figure({ name: 'matters.rate.p99', value: r.latency.p99, unit: 'ms', better: 'lower', baseline: b.latency.p99 }),
        figure({ name: 'matters.rate.errors', value: r.errors, unit: 'count', better: 'lower', budget: 0 }),
        // Anything but “all refused” and “exactly one stored” is an anomaly.
        figure({ name: 'matters.rate.second_rating_anomalies', value: CLIENTS - refusedAgain + Math.abs(racingOk - 1) + (CLIENTS - racingOk - racingRefused), unit: 'count', better: 'lower', budget: 0 }),
      );
    } finally {
      await Promise.all([bare?.stop(), host?.stop()]);
    }

    // Counts kept on write against the ratings themselves.
    const check = createLocalServices({ dataDir, secret, demoMode: true, log: quiet });
    let mismatched = 0;
    let rated = 0;
    for (const id of live) {
      const m = await check.store.collection(matters).get(id);
      const rows = (await readAll(check.store.collection(ratings), { where: { matterId: id } }, 100_000)).items;
      rated += rows.length;
      const counted = rows.reduce((s, x) => addRating(s, x.level), NO_RATINGS);
      if (JSON.stringify(counted) !== JSON.stringify(m?.satisfaction ?? NO_RATINGS)) mismatched++;
    }
    await check.store.close();
    say(`  ${rated} ratings on the live matters; counts that differ from a recount: ${mismatched}`);
    figures.push(figure({ name: 'matters.rate.count_mismatches', value: mismatched, unit: 'count', better: 'lower', budget: 0 }));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

if (/matters-ratings\.ts$/.test(process.argv[1] ?? '')) {
  const say = (s: string) => process.stdout.write(s + '\n');
  runMattersRatingsBench(say).then((f) => say('\n' + formatTable(f)), (e) => {
    process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
    process.exit(1);
  });
}
