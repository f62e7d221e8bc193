/**
 * Household-visit bench (issue 5, Budgets): importing a 20,000-household ledger (.xlsx, through the
 * `importHouseholds` action: check, apply, re-import), and coverage for a community of 20,000 households
 * and 100,000 visits (budget ≤ 500 ms), checked against a full scan of the same data.
 *
 * Actions run through `dispatch` in this process on a real SQLite store (synchronous=FULL): what a
 * cloud function does per call, without HTTP in front (the transport is measured by the main bench).
 * The 100,000 visits are replayed in time order through the same rules `record` uses, and written in
 * bulk with the counters and markers `record` would have left; 200 more go through `record` itself.
 *
 * Part of `npm run bench`; alone: `BENCH_ONLY=visits npm run bench` (writes bench/out/visits.json).
 * Env: BENCH_VISIT_HOUSEHOLDS (default 20000), BENCH_VISITS (default 100000); BENCH_QUICK=1: 5,000 / 20,000.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Logger, Services } from '../src/server/action';
import { areas } from '../src/server/areas';
import { seedDemo } from '../src/server/demo/seed';
import { DEMO_PEOPLE, REGION_IDS } from '../src/server/demo/demo-data';
import { dispatch } from '../src/server/dispatch';
import { createLocalServices } from '../src/server/local-services';
import { checkImportBytes } from '../src/server/files/imports';
import type { Stored } from '../src/server/store/store';
import { gridMonths, households, visitMarks, visits, workerMonths } from '../src/features/visits/visits.collections';
import { LEDGER_COLUMNS } from '../src/features/visits/visits.import';
import {
  displayAddress, gridMonthId, householdMonthMark, laterOf, monthBounds, monthOf, nextDueAt, visitId, wasDueInMonth,
  workerHouseholdMark, workerMonthId,
} from '../src/features/visits/visits.rules';
import { TAGS, type Household, type Visit, type VisitKind } from '../src/features/visits/visits.schema';
import { members } from '../src/features/members/members.collections';
import { figure, formatTable, overBudget, summarize, writeFigures, type Figure } from './lib/figures';
import { rng, weighted } from './lib/rng';

const QUICK = process.env.BENCH_QUICK === '1';
const HOUSEHOLDS = Number(process.env.BENCH_VISIT_HOUSEHOLDS ?? (QUICK ? 5_000 : 20_000));
const VISITS = Number(process.env.BENCH_VISITS ?? (QUICK ? 20_000 : 100_000));
const GRIDS = 10;
const COVERAGE_RUNS = 30;
const RECORDS = 200;
const COVERAGE_BUDGET_MS = 500;
const OUT = join(__dirname, 'out', 'visits.json');
const ADMIN = DEMO_PEOPLE.adminPeixin.openid;
const C = REGION_IDS.peixin;

const quiet: Logger = {
  info: () => {},
  warn: (msg) => process.stderr.write(`[warn] ${msg}\n`),
  error: (msg, f) => process.stderr.write(`[error] ${msg} ${JSON.stringify(f ?? {})}\n`),
};

async function call<T = any>(services: Services, openid: string, action: string, input: unknown): Promise<T> {
  const r = await dispatch(areas, 'visits', { action, input }, { openid }, services, 'bench');
  if (!r.ok) throw new Error(`visits.${action}: ${r.error.code} ${r.error.message}`);
  return r.data as T;
}

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
};

/** The ledger as a grid worker would keep it: HOUSEHOLDS rows over the grids, typical tags. */
async function ledgerXlsx(gridNames: string[], n: number): Promise<Buffer> {
  const r = rng(5);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('住户台账');
  ws.columns = LEDGER_COLUMNS.map((c) => ({ header: c.header, key: c.key }));
  const tagTable: (readonly [readonly string[], number])[] = [[[], 62], [['独居老人'], 8], [['重点关注'], 5], [['空巢'], 10], [['残疾'], 4], [['低保', '空巢'], 6], [['留守儿童'], 3], [['独居老人', '低保'], 2]];
  for (let i = 0; i < n; i++) {
    const grid = i % gridNames.length;
    const k = Math.floor(i / gridNames.length);
    ws.addRow({
      grid: gridNames[grid],
      building: `${grid * 100 + Math.floor(k / 24) + 1}栋`,
      unit: `${(Math.floor(k / 8) % 3) + 1}单元`,
      room: `${(k % 8) + 1}0${(k % 4) + 1}`,
      headName: `户主${i}`,
      membersCount: 1 + Math.floor(r() * 5),
      phone: `139${String(10_000_000 + i).padStart(8, '0')}`,
      tags: weighted(r, tagTable).join('、'),
      note: '',
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function allOf<T>(services: Services, def: Parameters<Services['store']['collection']>[0], where: Record<string, string>): Promise<Stored<T>[]> {
  const out: Stored<T>[] = [];
  let cursor: string | null = null;
  do {
    const page = await services.store.collection<T>(def as never).find({ where, limit: 100, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

interface Worker {
  memberId: string;
  name: string;
  openid: string;
  gridId: string;
}

/**
 * VISITS visits over the last 120 days, replayed in time order with record's rules; writes the visits,
 * the households' visit fields, the month counters and the markers. Returns the ms spent writing.
 */
async function bulkVisits(services: Services, hs: Stored<Household>[], workers: Worker[], now: Date): Promise<number> {
  const r = rng(9);
  const start = now.getTime() - 120 * 86400_000;
  const byGrid = new Map<string, Worker[]>();
  for (const w of workers) byGrid.set(w.gridId, [...(byGrid.get(w.gridId) ?? []), w]);
  // Scheduled households are visited more often, as they would be.
  const weights = hs.map((h) => (h.everyDays === null ? 1 : h.everyDays <= 14 ? 12 : 3));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((acc, w, i) => (cumulative[i] = acc + w), 0);
  const pickHousehold = () => {
    const x = r() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return hs[lo]!;
  };
  const times = Array.from({ length: VISITS }, () => start + Math.floor(r() * (now.getTime() - start - 60_000))).sort((a, b) => a - b);
  const state = new Map(hs.map((h) => [h._id, { ...h, createdAt: new Date(start - 86400_000).toISOString() }]));
  for (const h of state.values()) h.nextDueAt = nextDueAt(null, h.everyDays, h.createdAt);
  const grid = new Map<string, { visits: number; households: number; dueVisited: number; communityId: string; gridId: string; month: string }>();
  const worker = new Map<string, { visits: number; households: number; communityId: string; workerId: string; month: string }>();
  const marks = new Set<string>();
  const kinds: VisitKind[] = ['routine', 'care', 'follow_up', 'complaint'];
  const docs: { id: string; doc: Omit<Visit, '_id'> }[] = [];
  for (let i = 0; i < VISITS; i++) {
    const h0 = pickHousehold();
    const h = state.get(h0._id)!;
    const ws = byGrid.get(h.gridId)!;
    const w = ws[i % ws.length]!;
    const visitedAt = new Date(times[i]!).toISOString();
    const month = monthOf(visitedAt);
    const id = visitId(w.memberId, `bench-${i}`);
    docs.push({
      id,
      doc: {
        clientId: `bench-${i}`, communityId: C, gridId: h.gridId, householdId: h._id, address: displayAddress(h), headName: h.headName,
        workerId: w.memberId, workerName: w.name, visitedAt, month, kind: kinds[i % 4]!, findings: '走访了解情况，家中一切正常，已告知社区服务电话',
        requests: [], photos: [], photoConsent: false, location: null, followUpOf: null, recordedAt: visitedAt,
      },
    });
    const hm = householdMonthMark(h._id, month);
    const first = !marks.has(hm);
    marks.add(hm);
    const due = first && wasDueInMonth(h.nextDueAt, month);
    const last = laterOf(h.lastVisitAt, visitedAt);
    Object.assign(h, { lastVisitAt: last, lastVisitMonth: monthOf(last), nextDueAt: nextDueAt(last, h.everyDays, h.createdAt), visitCount: h.visitCount + 1 });
    const gk = gridMonthId(h.gridId, month);
    const g = grid.get(gk) ?? { visits: 0, households: 0, dueVisited: 0, communityId: C, gridId: h.gridId, month };
    g.visits++;
    g.households += first ? 1 : 0;
    g.dueVisited += due ? 1 : 0;
    grid.set(gk, g);
    const wm = workerHouseholdMark(w.memberId, h._id, month);
    const wFirst = !marks.has(wm);
    marks.add(wm);
    const wk = workerMonthId(w.memberId, month);
    const wc = worker.get(wk) ?? { visits: 0, households: 0, communityId: C, workerId: w.memberId, month };
    wc.visits++;
    wc.households += wFirst ? 1 : 0;
    worker.set(wk, wc);
  }

  const t0 = performance.now();
  const BATCH = 2000;
  const store = services.store;
  for (let i = 0; i < docs.length; i += BATCH) {
    await store.transaction(async (tx) => {
      for (const d of docs.slice(i, i + BATCH)) await tx.collection(visits).insert(d.doc, { id: d.id });
    });
  }
  const markIds = [...marks];
  for (let i = 0; i < markIds.length; i += BATCH) {
    await store.transaction(async (tx) => {
      for (const id of markIds.slice(i, i + BATCH)) await tx.collection(visitMarks).insert({ at: now.toISOString() }, { id });
    });
  }
  const list = [...state.values()];
  for (let i = 0; i < list.length; i += BATCH) {
    await store.transaction(async (tx) => {
      for (const h of list.slice(i, i + BATCH)) {
        const { _id, _rev, ...rest } = h;
        await tx.collection(households).update(_id, _rev, rest);
      }
    });
  }
  await store.transaction(async (tx) => {
    for (const [id, g] of grid) await tx.collection(gridMonths).insert(g, { id });
    for (const [id, w] of worker) await tx.collection(workerMonths).insert(w, { id });
  });
  return performance.now() - t0;
}

export async function runVisitsBench(say: (s: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'shishi-bench-visits-'));
  say(`\nvisits: a ${HOUSEHOLDS.toLocaleString('en-US')}-household ledger over ${GRIDS} grids; coverage with ${VISITS.toLocaleString('en-US')} visits`);
  try {
    const services = createLocalServices({ dataDir, secret: randomBytes(32).toString('hex'), demoMode: true, log: quiet });
    await seedDemo(services);
    await call(services, ADMIN, 'setRules', { communityId: C, intervals: { 独居老人: 7, 重点关注: 14, 空巢: 30, 残疾: 30, 低保: 30, 留守儿童: 30 }, defaultEveryDays: 90 });
    for (let g = 3; g <= GRIDS; g++) await call(services, ADMIN, 'createGrid', { communityId: C, name: `第${g}网格` });
    const grids = (await call<{ items: { _id: string; name: string }[] }>(services, ADMIN, 'grids', { communityId: C })).items;

    // --- 1. import ----------------------------------------------------------------------------------
    const bytes = await ledgerXlsx(grids.map((g) => g.name), HOUSEHOLDS);
    const put = async () => (await services.files.put(bytes, { ownerOpenid: ADMIN, ...checkImportBytes(bytes), folder: 'imports' })).fileId;
    say(`  ledger: ${(bytes.length / 1024).toFixed(0)} KB .xlsx`);
    const [checked, checkMs] = await timed(async () => call(services, ADMIN, 'importHouseholds', { communityId: C, fileId: await put(), mode: 'check' }));
    const [applied, applyMs] = await timed(async () => call(services, ADMIN, 'importHouseholds', { communityId: C, fileId: await put(), mode: 'apply' }));
    const afterApply = await services.store.collection(households).count({ communityId: C });
    const [again, againMs] = await timed(async () => call(services, ADMIN, 'importHouseholds', { communityId: C, fileId: await put(), mode: 'apply' }));
    say(`  check ${(checkMs / 1000).toFixed(2)} s (${checked.valid} valid, ${checked.issueCount} issues); apply ${(applyMs / 1000).toFixed(2)} s (${applied.created} created); ` +
      `re-import ${(againMs / 1000).toFixed(2)} s (${again.unchanged} unchanged, ${again.created} created)`);
    figures.push(
      figure({ name: 'visits.import.check', value: checkMs, unit: 'ms', better: 'lower' }),
      figure({ name: 'visits.import.apply', value: applyMs, unit: 'ms', better: 'lower' }),
      figure({ name: 'visits.import.apply_rate', value: HOUSEHOLDS / (applyMs / 1000), unit: 'rows/s', better: 'higher' }),
      figure({ name: 'visits.import.reimport', value: againMs, unit: 'ms', better: 'lower' }),
      figure({ name: 'visits.import.duplicates_after_reimport', value: (await services.store.collection(households).count({ communityId: C })) - afterApply + again.created, unit: 'count', better: 'lower', budget: 0 }),
    );

    // --- 2. grid workers and 100,000 visits -------------------------------------------------------
    const workers: Worker[] = [];
    for (const [i, g] of grids.entries()) {
      // 张明 (demo) already holds 第一网格; every other grid gets a worker through an invitation.
      const demo = g._id === REGION_IDS.peixinGrid1;
      const openid = demo ? DEMO_PEOPLE.gridPeixin.openid : `bench-grid-${i}`;
      if (!demo) {
        const inv = await dispatch(areas, 'members', { action: 'createInvitation', input: { communityId: C, role: 'grid_worker', gridId: g._id } }, { openid: ADMIN }, services, 'bench');
        if (!inv.ok) throw new Error(inv.error.message);
        const red = await dispatch(areas, 'members', { action: 'redeemInvitation', input: { code: (inv.data as { code: string }).code, name: `网格员${i}` } }, { openid }, services, 'bench');
        if (!red.ok) throw new Error(red.error.message);
      }
      const m = (await services.store.collection(members).find({ where: { openid }, limit: 1 })).items[0]!;
      workers.push({ memberId: m._id, name: m.name, openid, gridId: g._id });
    }
    const hs = (await allOf<Household>(services, households, { communityId: C }));
    const now = new Date();
    const writeMs = await bulkVisits(services, hs, workers, now);
    say(`  ${VISITS.toLocaleString('en-US')} visits, their counters and markers written in ${(writeMs / 1000).toFixed(1)} s`);

    // --- 3. coverage: counters + one indexed count per grid ---------------------------------------
    const samples: number[] = [];
    let cov: any = null;
    for (let i = 0; i < COVERAGE_RUNS; i++) {
      const [c, ms] = await timed(() => call(services, ADMIN, 'coverage', { communityId: C }));
      samples.push(ms);
      cov = c;
    }
    const s = summarize(samples.sort((a, b) => a - b));
    // The same numbers from a full scan of every household and this month's visits.
    const month = monthOf(now.toISOString());
    const { end } = monthBounds(month);
    const [scan, scanMs] = await timed(async () => {
      const all = await allOf<Household>(services, households, { communityId: C });
      const vs = (await allOf<Visit>(services, visits, { communityId: C })).filter((v) => v.month === month);
      const visited = new Set(vs.map((v) => v.householdId));
      const dueNotVisited = all.filter((h) => h.nextDueAt !== null && h.nextDueAt < end && !visited.has(h._id)).length;
      return { visits: vs.length, visited: visited.size, dueNotVisited };
    });
    const mismatches = [
      cov.total.visits !== scan.visits,
      cov.total.visited !== scan.visited,
      cov.total.due - cov.total.dueVisited !== scan.dueNotVisited,
    ].filter(Boolean).length;
    say(`  coverage: p50 ${s.p50.toFixed(1)} ms, max ${s.max.toFixed(1)} ms over ${COVERAGE_RUNS} calls (budget ${COVERAGE_BUDGET_MS} ms); ` +
      `${month}: ${cov.total.visits} visits, due ${cov.total.due}, due visited ${cov.total.dueVisited}; full scan ${scanMs.toFixed(0)} ms, ${mismatches} mismatches`);
    figures.push(
      figure({ name: 'visits.coverage.p50', value: s.p50, unit: 'ms', better: 'lower', baseline: scanMs }),
      figure({ name: 'visits.coverage.max', value: s.max, unit: 'ms', better: 'lower', budget: COVERAGE_BUDGET_MS, baseline: scanMs }),
      figure({ name: 'visits.coverage.mismatches_vs_scan', value: mismatches, unit: 'count', better: 'lower', budget: 0 }),
    );

    // --- 4. the grid worker's day and record on the full data ---------------------------------------
    const todayMs: number[] = [];
    for (let i = 0; i < 10; i++) todayMs.push((await timed(() => call(services, DEMO_PEOPLE.gridPeixin.openid, 'today', {})))[1]);
    const ts = summarize(todayMs.sort((a, b) => a - b));
    const firstGrid = hs.filter((h) => h.gridId === REGION_IDS.peixinGrid1);
    const recordMs: number[] = [];
    for (let i = 0; i < RECORDS; i++) {
      const [, ms] = await timed(() =>
        call(services, DEMO_PEOPLE.gridPeixin.openid, 'record', {
          clientId: `bench-record-${i}`, householdId: firstGrid[i % firstGrid.length]!._id, visitedAt: new Date().toISOString(), kind: 'routine',
          findings: '走访了解情况', requests: i % 10 === 0 ? [{ text: '希望小区增加健身器材' }] : [],
        }),
      );
      recordMs.push(ms);
    }
    const rs = summarize(recordMs.sort((a, b) => a - b));
    say(`  today (grid worker) p50 ${ts.p50.toFixed(1)} ms, max ${ts.max.toFixed(1)} ms; record p50 ${rs.p50.toFixed(1)} ms, p99 ${rs.p99.toFixed(1)} ms`);
    figures.push(
      figure({ name: 'visits.today.p50', value: ts.p50, unit: 'ms', better: 'lower' }),
      figure({ name: 'visits.record.p50', value: rs.p50, unit: 'ms', better: 'lower' }),
      figure({ name: 'visits.record.p99', value: rs.p99, unit: 'ms', better: 'lower' }),
    );
    await services.store.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

export async function runVisitsOnly(): Promise<void> {
  const say = (s: string) => process.stdout.write(s + '\n');
  const started = performance.now();
  const figures = await runVisitsBench(say);
  say('\n' + formatTable(figures));
  const over = overBudget(figures);
  say(over.length ? `\nOVER BUDGET: ${over.map((f) => f.name).join(', ')}` : '\nAll visits bench budgets met.');
  writeFigures(OUT, figures, {
    at: new Date().toISOString(),
    quick: QUICK,
    households: HOUSEHOLDS,
    visits: VISITS,
    grids: GRIDS,
    tags: TAGS.length,
    node: process.version,
    cores: cpus().length,
    loadavg: loadavg(),
    elapsedS: Math.round((performance.now() - started) / 100) / 10,
  });
  say(`wrote bench/out/visits.json (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
}
