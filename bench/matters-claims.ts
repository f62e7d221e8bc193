/**
 * Claim wall bench (issue 10, Budgets): the city's claim wall (领导认领) — 345 leaders, 476 claims over a
 * city-scale seed of 2,450 matters in 245 communities of 7 districts, lead units on most — read through
 * dispatch in this process by the city admin: `matters.claim_wall.ms` (median of the timed rounds) ≤ 100 ms,
 * with the slowest round beside it.
 *
 * Part of the matters bench; alone: `npx tsx bench/matters-claims.ts` (writes bench/out/matters-claims.json).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../src/server/action';
import { areas } from '../src/server/areas';
import { dispatch } from '../src/server/dispatch';
import { seedDemo } from '../src/server/demo/seed';
import { DEMO_PEOPLE, REGION_IDS } from '../src/server/demo/demo-data';
import { createLocalServices } from '../src/server/local-services';
import { claims } from '../src/features/leaders/leaders.collections';
import { claimId } from '../src/features/leaders/leaders.rules';
import { matters } from '../src/features/matters/matters.collections';
import { regions } from '../src/features/regions/regions.collections';
import { units } from '../src/features/units/units.collections';
import { figure, formatTable, overBudget, percentile, writeFigures, type Figure } from './lib/figures';
import { pick, rng } from './lib/rng';

const DISTRICTS = 7;
const COMMUNITIES = 245;
const MATTERS = 2_450;
const LEADERS = 345;
const CLAIMS = 476;
const UNITS = 300;
const ROUNDS = Number(process.env.BENCH_CLAIM_ROUNDS ?? 30);
const BUDGET_MS = 100;
const YEAR = 2025;
const OUT = join(__dirname, 'out', 'matters-claims.json');

const quiet: Logger = { info: () => {}, warn: () => {}, error: (msg, f) => process.stderr.write(`[error] ${msg} ${JSON.stringify(f ?? {})}\n`) };
const TOPICS = ['加装电梯', '楼道照明', '巷口积水', '菜市场改造', '健身器材', '停车位', '垃圾清运', '老年助餐', '路灯维修', '下水道疏通', '充电桩', '绿化补植'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];

async function seedCity(services: ReturnType<typeof createLocalServices>): Promise<void> {
  const r = rng(10);
  const city = REGION_IDS.city;
  const at = new Date('2025-03-01T00:00:00.000Z').toISOString();
  const districtIds = Array.from({ length: DISTRICTS }, (_, i) => `dist-bench-${i}`);
  const communities = Array.from({ length: COMMUNITIES }, (_, i) => ({ id: `comm-bench-${i}`, districtId: districtIds[i % DISTRICTS]! }));
  await services.store.transaction(async (tx) => {
    for (const d of districtIds) await tx.collection(regions).insert({ kind: 'district', name: `区县${d.slice(-1)}`, parentId: city, path: [city, d] }, { id: d });
    for (const c of communities) await tx.collection(regions).insert({ kind: 'community', name: `社区${c.id.slice(11)}`, parentId: c.districtId, path: [city, c.districtId, c.id] }, { id: c.id });
    for (let u = 0; u < UNITS; u++) {
      const d = districtIds[u % DISTRICTS]!;
      await tx.collection(units).insert({ name: `共建单位${u}`, type: 'enterprise', homeRegionId: d, districtId: d, path: [city, d], communityIds: [], partyHead: null, createdBy: 'bench', createdAt: at }, { id: `unit-bench-${u}` });
    }
  });
  const leaders = Array.from({ length: LEADERS }, (_, i) => ({ memberId: `m-leader-bench-${i}`, name: `${pick(r, SURNAMES)}领导${i}` }));
  // Every leader claims at least one matter; the rest of the claims go to random leaders, on distinct matters per leader.
  const owners = [...leaders, ...Array.from({ length: CLAIMS - LEADERS }, () => pick(r, leaders))];
  const claimsOf = new Map<number, typeof leaders>();
  owners.forEach((l, i) => {
    const m = Math.floor((i * 7919) % MATTERS);
    claimsOf.set(m, [...(claimsOf.get(m) ?? []), l]);
  });
  for (let start = 0; start < MATTERS; start += 250) {
    await services.store.transaction(async (tx) => {
      for (let i = start; i < Math.min(MATTERS, start + 250); i++) {
        const c = communities[i % COMMUNITIES]!;
        const id = `matter:dm-bench-${i}`;
        const claimedBy = claimsOf.get(i) ?? [];
        await tx.collection(matters).insert({
          communityId: c.id, districtId: c.districtId, cityId: city, year: YEAR, demandId: `dm-bench-${i}`, title: `${pick(r, TOPICS)}（${i}）`, category: '公共设施',
          path: [city, c.districtId, c.id], state: pick(r, ['planning', 'in_progress', 'in_progress', 'completed'] as const),
          leadUnitId: r() < 0.8 ? `unit-bench-${Math.floor(r() * UNITS)}` : null, supportUnitIds: [], claimedBy, progress: Math.floor(r() * 101), createdAt: at, updatedAt: at,
        }, { id });
        for (const l of claimedBy) {
          await tx.collection(claims).insert({
            matterId: id, leaderId: l.memberId, leaderName: l.name, communityId: c.id, districtId: c.districtId, cityId: city, year: YEAR,
            claimedAt: at, recordedBy: l.memberId, notes: Math.floor(r() * 5), lastNoteAt: null,
          }, { id: claimId(id, l.memberId) });
        }
      }
    });
  }
}

export async function runClaimWallBench(say: (s: string) => void): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shishi-bench-claims-'));
  try {
    say(`\nmatters: the city's claim wall (${LEADERS} leaders, ${CLAIMS} claims, ${MATTERS.toLocaleString('en-US')} matters), through dispatch in-process, ${ROUNDS} rounds`);
    const services = createLocalServices({ dataDir, secret: randomBytes(32).toString('hex'), demoMode: true, log: quiet });
    try {
      await seedDemo(services);
      const t0 = performance.now();
      await seedCity(services);
      say(`  seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const caller = { openid: DEMO_PEOPLE.cityAnkang.openid };
      const wall = async (i: number) => {
        const started = performance.now();
        const res = await dispatch(areas, 'leaders', { action: 'claimWall', input: { regionId: REGION_IDS.city, year: YEAR } }, caller, services, `bench-wall-${i}`);
        const ms = performance.now() - started;
        if (!res.ok) throw new Error(`claimWall failed: ${res.error.code} ${res.error.message}`);
        const data = res.data as { leaders: number; claims: number; items: unknown[] };
        if (data.claims !== CLAIMS || data.leaders !== LEADERS || data.items.length !== CLAIMS) throw new Error(`claimWall: ${data.leaders} leaders, ${data.claims} claims, ${data.items.length} rows`);
        return ms;
      };
      for (let i = 0; i < 3; i++) await wall(-i - 1);
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) times.push(await wall(i));
      times.sort((a, b) => a - b);
      const median = percentile(times, 50);
      const max = times[times.length - 1]!;
      say(`  claimWall(city)          median ${median.toFixed(1)} ms  p90 ${percentile(times, 90).toFixed(1)} ms  max ${max.toFixed(1)} ms`);
      return [
        figure({ name: 'matters.claim_wall.ms', value: median, unit: 'ms', better: 'lower', budget: BUDGET_MS }),
        figure({ name: 'matters.claim_wall.max_ms', value: max, unit: 'ms', better: 'lower' }),
      ];
    } finally {
      await services.store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Run when invoked as a script, not when the matters bench imports it.
if (/matters-claims\.ts$/.test(process.argv[1] ?? '')) {
  void (async () => {
    const say = (s: string) => process.stdout.write(s + '\n');
    const figures = await runClaimWallBench(say);
    say('\n' + formatTable(figures));
    const over = overBudget(figures);
    say(over.length ? `\nOVER BUDGET: ${over.map((f) => `${f.name} = ${f.value.toFixed(2)} ${f.unit}`).join('; ')}` : '\nClaim wall budget met.');
    writeFigures(OUT, figures, { at: new Date().toISOString(), rounds: ROUNDS, leaders: LEADERS, claims: CLAIMS, matters: MATTERS, node: process.version, cores: cpus().length, loadavg: loadavg() });
    say('wrote bench/out/matters-claims.json');
  })();
}
