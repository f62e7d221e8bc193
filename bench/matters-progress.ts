/**
 * Matters progress bench (issue 10, Budgets): a community's board (`listMatters`) and a matter page
 * (`getMatter`: matter, plan, the newest 6 updates with photo URLs) through the local host at 32
 * keep-alive clients, against the bare node:http server in the same run: `matters.board.p99` ≤ 50 ms,
 * `matters.matter_page.p99` ≤ 50 ms; the size of each answer (`*.bytes`) alongside.
 *
 * City-scale seed, written through the store (the same documents the actions write): 2,450 matters
 * (245 communities × 10) with plans of 4 milestones, 20,000 progress updates carrying 100,000 photos'
 * metadata. The bench community's 10 matters hold 60 updates each, and their 3,000 photos are real
 * files (the page asks the file store for their URLs); the other photos are metadata only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../src/server/action';
import { seedDemo } from '../src/server/demo/seed';
import { DEMO_PEOPLE, REGION_IDS } from '../src/server/demo/demo-data';
import { signSession } from '../src/server/identity';
import { createLocalServices } from '../src/server/local-services';
import { dueEntries, matters, plans, progressUpdates } from '../src/features/matters/matters.collections';
import { dueId, planId } from '../src/features/matters/actions/plan';
import { nextDueOf, progressOf, PHOTO_TAGS } from '../src/features/matters/plan.rules';
import type { Matter } from '../src/features/matters/matters.schema';
import type { Milestone, ProgressUpdate } from '../src/features/matters/plan.schema';
import { regionPath } from '../src/features/regions/regions.service';
import { units } from '../src/features/units/units.collections';
import { CATEGORIES } from '../src/features/suggestions/suggestions.labels';
import type { Fields } from '../src/server/store/store';
import { figure, type Figure } from './lib/figures';
import { startChild, type Child } from './lib/child';
import { runLoad, type LoadRequest, type LoadResult } from './lib/load';
import { pick, rng } from './lib/rng';

const QUICK = process.env.BENCH_QUICK === '1';
const CLIENTS = 32;
const COMMUNITIES = 245;
const PER_COMMUNITY = 10;
const UPDATES = 20_000;
const PHOTOS_PER_UPDATE = 5;
const BENCH_UPDATES_PER_MATTER = 60;
const UNITS = 60;
const YEAR = Number(new Date().toISOString().slice(0, 4));
const P99_BUDGET_MS = 50;

const quiet: Logger = { info: () => {}, warn: () => {}, error: (msg, f) => process.stderr.write(`[error] ${msg} ${JSON.stringify(f ?? {})}\n`) };
const TOPICS = ['加装电梯', '楼道照明', '巷口积水', '菜市场改造', '健身器材', '停车位', '垃圾清运', '老年助餐', '路灯维修', '下水道疏通', '充电桩', '绿化补植'];
const STEPS = ['方案设计', '材料采购', '现场施工', '验收交付'];

type Services = ReturnType<typeof createLocalServices>;
/** Stored as-is (the bench writes through the port, which trusts its caller): a JPEG's magic bytes. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

async function seedCity(services: Services): Promise<{ benchMatters: string[]; photos: number; updates: number }> {
  const r = rng(1010);
  const store = services.store;
  const now = Date.now();
  const at = new Date(now).toISOString();
  const unitPath = (await regionPath(store, REGION_IDS.peixin))!;
  await store.transaction(async (tx) => {
    for (let u = 0; u < UNITS; u++) {
      await tx.collection(units).insert({ name: `共建单位${u + 1}`, type: 'enterprise', homeRegionId: REGION_IDS.hanbin, districtId: REGION_IDS.hanbin, path: unitPath.slice(0, 2), communityIds: [], partyHead: null, createdBy: 'bench', createdAt: at }, { id: `unit-bench-${u}` });
    }
  });
  const communities = [REGION_IDS.peixin, ...Array.from({ length: COMMUNITIES - 1 }, (_, i) => `comm-bench-${i}`)];
  const otherUpdates = UPDATES - PER_COMMUNITY * BENCH_UPDATES_PER_MATTER;
  const perOther = Math.floor(otherUpdates / ((COMMUNITIES - 1) * PER_COMMUNITY));
  let extra = otherUpdates - perOther * (COMMUNITIES - 1) * PER_COMMUNITY;
  const benchMatters: string[] = [];
  const realPhotos: { matterId: string; updateId: string; index: number }[] = [];
  let photos = 0;
  let updates = 0;
  for (const [ci, communityId] of communities.entries()) {
    const bench = ci === 0;
    const path = bench ? unitPath : [REGION_IDS.city, REGION_IDS.hanbin, 'street-bench', communityId];
    await store.transaction(async (tx) => {
      for (let j = 0; j < PER_COMMUNITY; j++) {
        const id = `matter:dm-progress-${ci}-${j}`;
        if (bench) benchMatters.push(id);
        const lead = `unit-bench-${Math.floor(r() * UNITS)}`;
        const support = `unit-bench-${Math.floor(r() * UNITS)}`;
        const startDay = day(new Date(now - 90 * 86_400_000));
        const milestones: Milestone[] = STEPS.map((title, k) => ({
          id: `ms${k + 1}`, title, weight: 25, owner: k % 2 ? { kind: 'unit', unitId: support } : { kind: 'unit', unitId: lead },
          start: startDay, due: day(new Date(now + (k * 30 - 20) * 86_400_000)), eventId: null,
          done: r() < 0.4 ? { at, by: 'bench', updateId: `upd:${id}:0` } : null, undone: [],
        }));
        const count = bench ? BENCH_UPDATES_PER_MATTER : perOther + (extra-- > 0 ? 1 : 0);
        let latest: string | null = null;
        for (let n = 0; n < count; n++) {
          const updateId = `upd:${id}:${n}`;
          const upAt = new Date(now - (count - n) * 3600_000).toISOString();
          const ps: ProgressUpdate['photos'] = [];
          for (let p = 0; p < PHOTOS_PER_UPDATE; p++) {
            const fileId = `local:photos/bench-${ci}-${j}-${n}-${p}.jpg`;
            if (bench) realPhotos.push({ matterId: id, updateId, index: p });
            ps.push({ fileId, tag: pick(r, PHOTO_TAGS), uploadedAt: upAt });
            latest = fileId;
          }
          photos += ps.length;
          updates++;
          const doc: Fields<ProgressUpdate> = {
            matterId: id, communityId, text: `${pick(r, STEPS)}进展：今日完成第 ${n + 1} 项工作`, photos: ps,
            milestoneId: n === 0 ? 'ms1' : null, done: n === 0, at: upAt, by: 'bench', byLabel: '社区',
          };
          await tx.collection(progressUpdates).insert(doc, { id: updateId });
        }
        for (const m of milestones) {
          if (m.done) continue;
          await tx.collection(dueEntries).insert({ matterId: id, milestoneId: m.id, cityId: REGION_IDS.city, districtId: REGION_IDS.hanbin, start: m.start, due: m.due, unitId: m.owner.kind === 'unit' ? m.owner.unitId : null }, { id: dueId(id, m.id) });
        }
        await tx.collection(plans).insert({
          matterId: id, communityId, budget: { fiscal: 200_000_00, unit: 30_000_00 }, budgetTotal: 230_000_00, spent: Math.floor(r() * 200_000_00), spendings: 3,
          milestones, seq: milestones.length, updatedAt: at,
        }, { id: planId(id) });
        const matter: Fields<Matter> = {
          communityId, districtId: REGION_IDS.hanbin, cityId: REGION_IDS.city, year: YEAR, demandId: `dm-progress-${ci}-${j}`,
          title: `${pick(r, TOPICS)}（${j + 1}）`, category: pick(r, [...CATEGORIES]), path, state: 'in_progress', leadUnitId: lead, supportUnitIds: [support],
          claimedBy: [], progress: progressOf(milestones), nextDue: nextDueOf(milestones), latestPhoto: latest, updates: count, startedAt: at, createdAt: at, updatedAt: at,
        };
        await tx.collection(matters).insert(matter, { id });
      }
    });
  }
  // The bench community's photos as real files: the ids above are replaced by the ids the store hands out.
  const ids = new Map<string, string>();
  const queue = [...realPhotos];
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const stored = await services.files.put(JPEG, { ownerOpenid: 'bench', contentType: 'image/jpeg', ext: 'jpg', folder: 'photos' });
      ids.set(`${next.updateId}#${next.index}`, stored.fileId);
    }
  }));
  for (const matterId of benchMatters) {
    const page = await services.store.collection(progressUpdates).find({ where: { matterId }, limit: 100 });
    for (const u of page.items) {
      await services.store.collection(progressUpdates).update(u._id, u._rev, { photos: u.photos.map((p, i) => ({ ...p, fileId: ids.get(`${u._id}#${i}`)! })) });
    }
    const m = (await services.store.collection(matters).get(matterId))!;
    const newest = page.items.reduce((a, b) => (a.at > b.at ? a : b));
    await services.store.collection(matters).update(matterId, m._rev, { latestPhoto: ids.get(`${newest._id}#${PHOTOS_PER_UPDATE - 1}`)! });
  }
  return { benchMatters, photos, updates };
}

const line = (say: (s: string) => void, label: string, r: LoadResult) =>
  say(`  ${label.padEnd(24)} ${String(r.requests).padStart(7)} req  ${Math.round(r.throughput).toString().padStart(6)} req/s  ` +
    `p50 ${r.latency.p50.toFixed(1)} ms  p99 ${r.latency.p99.toFixed(1)} ms  max ${r.latency.max.toFixed(1)} ms  errors ${r.errors}`);

export async function runMattersProgressBench(say: (s: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'shishi-bench-progress-'));
  const secret = randomBytes(32).toString('hex');
  try {
    say(`\nmatters: board and matter page (${(COMMUNITIES * PER_COMMUNITY).toLocaleString('en-US')} matters, ${UPDATES.toLocaleString('en-US')} updates, ${(UPDATES * PHOTOS_PER_UPDATE).toLocaleString('en-US')} photos' metadata), ${CLIENTS} clients`);
    const services = createLocalServices({ dataDir, secret, demoMode: true, log: quiet });
    await seedDemo(services);
    const t0 = performance.now();
    const seeded = await seedCity(services);
    say(`  seeded ${seeded.updates.toLocaleString('en-US')} updates, ${seeded.photos.toLocaleString('en-US')} photos in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await services.store.close();

    let bare: Child<{ url: string }> | null = null;
    let host: Child<{ url: string }> | null = null;
    try {
      bare = await startChild<{ url: string }>(join(__dirname, 'child', 'bare.ts'));
      host = await startChild<{ url: string }>(join(__dirname, 'child', 'host.ts'), { BENCH_DATA_DIR: dataDir, BENCH_SECRET: secret });
      const auth = `Bearer ${signSession(DEMO_PEOPLE.residentPeixin.openid, secret, new Date())}`;
      const board = (): LoadRequest => ({ path: '/fn/matters', headers: { authorization: auth }, body: { action: 'listMatters', input: { communityId: REGION_IDS.peixin, year: YEAR } } });
      const page = (n: number): LoadRequest => ({ path: '/fn/matters', headers: { authorization: auth }, body: { action: 'getMatter', input: { matterId: seeded.benchMatters[n % seeded.benchMatters.length] } } });
      const durationMs = QUICK ? 3000 : 5000;
      const b = await runLoad({ url: bare.info.url, clients: CLIENTS, warmupMs: 1000, durationMs, request: board });
      const rb = await runLoad({ url: host.info.url, clients: CLIENTS, warmupMs: 1000, durationMs, request: board });
      const rp = await runLoad({ url: host.info.url, clients: CLIENTS, warmupMs: 1000, durationMs, request: page });
      // What one answer weighs on the wire (bytes are serialised, validated, written and setData'd per call).
      const size = async (r: LoadRequest) => (await (await fetch(host!.info.url + r.path, { method: 'POST', headers: { ...r.headers, 'content-type': 'application/json' }, body: JSON.stringify(r.body) })).arrayBuffer()).byteLength;
      const [boardBytes, pageBytes] = [await size(board()), await size(page(0))];
      line(say, 'bare', b);
      line(say, 'matters.listMatters', rb);
      line(say, 'matters.getMatter', rp);
      figures.push(
        figure({ name: 'matters.board.p99', value: rb.latency.p99, unit: 'ms', better: 'lower', baseline: b.latency.p99, budget: P99_BUDGET_MS }),
        figure({ name: 'matters.board.errors', value: rb.errors, unit: 'count', better: 'lower', budget: 0 }),
        figure({ name: 'matters.matter_page.p99', value: rp.latency.p99, unit: 'ms', better: 'lower', baseline: b.latency.p99, budget: P99_BUDGET_MS }),
        figure({ name: 'matters.matter_page.errors', value: rp.errors, unit: 'count', better: 'lower', budget: 0 }),
        figure({ name: 'matters.board.bytes', value: boardBytes, unit: 'B', better: 'lower' }),
        figure({ name: 'matters.matter_page.bytes', value: pageBytes, unit: 'B', better: 'lower' }),
      );
    } finally {
      await Promise.all([bare?.stop(), host?.stop()]);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}
/** For profiling the reads on the same seed without the load generator. */
export const seedProgressCity = seedCity;
