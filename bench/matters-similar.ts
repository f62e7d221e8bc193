/**
 * Similarity bench (issue 9 item 2): proposals for the labelled suggestions of tests/fixtures/suggestion-pairs.json
 * against an index of 10,000 synthetic demands plus the fixture's, in this process (the engine is pure).
 *
 * Figures: matters.similar.p99 (a proposal against all 10,000+ demands, budget ≤ 50 ms), the scoped p99 (one
 * community, the production path), precision of the top proposal and recall@3 on the held-out half (budgets
 * ≥ 0.8 and ≥ 0.9) and on the dev half, build and rebuild-from-signatures time, heap. Also prints an ablation
 * of the tuning on the dev half and the city-wide (unscoped) quality for comparison.
 *
 * Alone: `npx tsx bench/matters-similar.ts` (writes bench/out/matters-similar.json). The main bench can call
 * runMattersSimilarBench(say). Env: BENCH_SIMILAR_DEMANDS (default 10000), BENCH_SIMILAR_ROUNDS (default 5).
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { SimilarityIndex, signature, type Hit, type Signature, type SimilarityTuning } from '../src/features/matters/similarity';
import { CASES, DEMANDS, addFixtureDemands, demandText, evaluate, scoped, type PairCase, type Quality } from '../tests/matters/pairs';
import { figure, formatTable, overBudget, summarize, writeFigures, type Figure } from './lib/figures';
import { pick, rng } from './lib/rng';

const SYNTHETIC = Number(process.env.BENCH_SIMILAR_DEMANDS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_SIMILAR_ROUNDS ?? 5);
/** Synthetic demands per synthetic community: a few hundred open demands, the top of the range. */
const PER_COMMUNITY = 200;
const P99_BUDGET_MS = 50;
const PRECISION_BUDGET = 0.8;
const RECALL_BUDGET = 0.9;
const OUT = join(__dirname, 'out', 'matters-similar.json');

const SYNTHETIC_PLACES = [
  '育才路', '金州路', '巴山路', '香溪路', '兴安公园', '大桥路', '新城北门', '东关', '南环路', '汉江大道', '张岭', '五里',
  '关庙', '建民', '恒口', '果园', '七里沟', '白庙', '西城阁', '花园', '江南', '白天河', '黄沟', '火车站',
];
const SPOTS = ['1号楼', '2号楼', '3号院', '5号院', '6栋', '东门', '西门', '南门口', '北侧巷子', '小区', '家属院', '商业街', ''];

/**
 * Demands written from the fixture's own vocabulary: a new place, a fixture title's subject and two or three
 * clauses of fixture descriptions. Seeded, so every run indexes the same text.
 */
export function syntheticDemands(n: number, seed = 9): { id: string; group: string; text: string }[] {
  const r = rng(seed);
  const clauses = DEMANDS.flatMap((d) => d.description.split(/[，。；、]/).filter((c) => c.length >= 4));
  const subjects = DEMANDS.map((d) => d.title.replace(/^(富民市场|培新街\d号院|培新街|供销社家属院|粮站家属院|肖家坝|安置小区|江北大道|滨江步道|江堤步道|大北街片区|大北街|西关菜市场|西关巷|东堤路|水西门小区\d号楼|水西门|老城社区|老城|城墙根|鼓楼街口)/, ''));
  const out: { id: string; group: string; text: string }[] = [];
  for (let i = 0; i < n; i++) {
    const place = pick(r, SYNTHETIC_PLACES) + pick(r, SPOTS);
    const body = Array.from({ length: 2 + Math.floor(r() * 2) }, () => pick(r, clauses)).join('，');
    out.push({ id: `syn-${i}`, group: `syn-comm-${Math.floor(i / PER_COMMUNITY)}`, text: `${place}${pick(r, subjects)} ${place}${body}。` });
  }
  return out;
}

const ms = (t0: number) => performance.now() - t0;

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function qualityLine(label: string, q: Quality): string {
  return `  ${label.padEnd(34)} precision@1 ${q.precisionTop1.toFixed(3)}  recall@3 ${q.recallAt3.toFixed(3)}  ` +
    `quiet on new ${q.quietOnNew.toFixed(3)}  (${q.cases} cases, ${q.proposed} with a proposal)`;
}

export async function runMattersSimilarBench(say: (s: string) => void): Promise<Figure[]> {
  const dev = CASES.filter((c) => c.split === 'dev');
  const held = CASES.filter((c) => c.split === 'heldout');
  say(`\nmatters.similar: ${SYNTHETIC.toLocaleString('en-US')} synthetic demands + ${DEMANDS.length} fixture demands; ` +
    `${CASES.length} labelled suggestions (${dev.length} dev, ${held.length} held out), ${ROUNDS} timed rounds`);

  // --- 1. build from text, then again from stored signatures ----------------------------------------
  const synthetic = syntheticDemands(SYNTHETIC);
  const heap0 = heapMb();
  let t0 = performance.now();
  const index = new SimilarityIndex();
  for (const d of synthetic) index.add(d.id, d.text, d.group);
  addFixtureDemands(index);
  const buildMs = ms(t0);
  const heapMbUsed = heapMb() - heap0;
  const stored: { id: string; group: string; sig: Signature }[] = [
    ...synthetic.map((d) => ({ id: d.id, group: d.group, sig: JSON.parse(JSON.stringify(index.signatureOf(d.id))) as Signature })),
    ...DEMANDS.map((d) => ({ id: d.id, group: d.communityId, sig: JSON.parse(JSON.stringify(index.signatureOf(d.id))) as Signature })),
  ];
  const storedBytes = stored.reduce((s, d) => s + JSON.stringify(d.sig).length, 0);
  t0 = performance.now();
  const rebuilt = new SimilarityIndex();
  for (const d of stored) rebuilt.addSignature(d.id, d.sig, d.group);
  const rebuildMs = ms(t0);
  say(`  built from text in ${buildMs.toFixed(0)} ms, from stored signatures in ${rebuildMs.toFixed(0)} ms ` +
    `(${(storedBytes / stored.length).toFixed(0)} bytes of JSON per demand); heap +${heapMbUsed.toFixed(1)} MB` +
    `${(globalThis as { gc?: unknown }).gc ? '' : ' (no --expose-gc: approximate)'}`);

  // --- 2. latency: every labelled suggestion, city-wide (all demands) and scoped to its community ----
  const timed = (propose: (c: PairCase) => Hit[]) => {
    for (const c of CASES) propose(c); // warm-up: JIT and the cached demand masses
    const samples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of CASES) {
        const s = performance.now();
        propose(c);
        samples.push(performance.now() - s);
      }
    }
    return summarize(samples);
  };
  const all = timed((c) => index.similar(c.text));
  const one = timed(scoped(index));
  const latency = (label: string, s: ReturnType<typeof summarize>) =>
    say(`  ${label.padEnd(34)} p50 ${s.p50.toFixed(3)} ms  p99 ${s.p99.toFixed(3)} ms  max ${s.max.toFixed(3)} ms  (${s.count} proposals)`);
  latency(`all ${index.size.toLocaleString('en-US')} demands`, all);
  latency('one community', one);

  // --- 3. quality: the proposals an admin sees (own community, default threshold, top three) ---------
  const qHeld = evaluate(held, scoped(index));
  const qDev = evaluate(dev, scoped(index));
  const qRebuilt = evaluate(held, scoped(rebuilt));
  say(qualityLine('held-out half', qHeld));
  say(qualityLine('dev half', qDev));
  if (qRebuilt.precisionTop1 !== qHeld.precisionTop1 || qRebuilt.recallAt3 !== qHeld.recallAt3) {
    say('  warning: the index rebuilt from signatures answers differently');
  }
  // City-wide for comparison: IDF over every demand and every community's demands as candidates.
  say(qualityLine('held-out, city-wide (not scoped)', evaluate(held, (c) => index.similar(c.text))));

  // --- 4. ablation: each variant at its own best threshold on dev (recall@3 with precision@1 ≥ 0.85), then held out
  say('  ablation (fixture demands, own community; threshold chosen on dev, then applied to the held-out half):');
  const variants: [string, Partial<SimilarityTuning>][] = [
    ['as shipped', {}],
    ['bigrams only (no unigrams)', { unigramWeight: 0 }],
    ['unigram weight 1', { unigramWeight: 1 }],
    ['no variant map', { variants: false }],
    ['with filler removal', { fillers: true }],
    ['query containment only', { queryShare: 1 }],
    ['symmetric containment (0.5)', { queryShare: 0.5 }],
  ];
  for (const [label, tuning] of variants) {
    const ix = new SimilarityIndex(tuning);
    for (const d of DEMANDS) ix.add(d.id, demandText(d), d.communityId);
    let best = { t: Number.NaN, q: null as Quality | null };
    for (let t = 0.05; t <= 0.4; t += 0.01) {
      const q = evaluate(dev, (c) => ix.similar(c.text, { group: c.communityId, minScore: t }));
      if (q.precisionTop1 >= 0.85 && (!best.q || q.recallAt3 > best.q.recallAt3)) best = { t, q };
    }
    if (!best.q) {
      say(`    ${label.padEnd(30)} never reaches precision@1 0.85 on dev`);
      continue;
    }
    const h = evaluate(held, (c) => ix.similar(c.text, { group: c.communityId, minScore: best.t }));
    say(`    ${label.padEnd(30)} minScore ${best.t.toFixed(2)}  dev ${best.q.precisionTop1.toFixed(3)}/${best.q.recallAt3.toFixed(3)}  ` +
      `held-out ${h.precisionTop1.toFixed(3)}/${h.recallAt3.toFixed(3)}  (precision@1/recall@3)`);
  }

  // --- 5. why not MinHash/LSH: share of labelled merges whose demand LSH would even offer as a candidate ---
  say('  MinHash/LSH candidate recall (labelled merges, own community; the inverted index offers every demand sharing a shingle):');
  for (const [bands, rows] of [[64, 1], [32, 2], [16, 4], [20, 5]] as const) {
    const lsh = lshCandidates(bands, rows);
    const merges = CASES.filter((c) => c.expected !== null);
    let found = 0;
    let offered = 0;
    for (const c of merges) {
      const cands = lsh(c.text, c.communityId);
      offered += cands.size;
      if (cands.has(c.expected!)) found++;
    }
    say(`    ${String(bands).padStart(2)} bands × ${rows} rows: ${(found / merges.length).toFixed(3)} of merges reachable, ` +
      `${(offered / merges.length).toFixed(1)} candidates per suggestion (of ~24 demands per community)`);
  }

  return [
    figure({ name: 'matters.similar.p99', value: all.p99, unit: 'ms', better: 'lower', budget: P99_BUDGET_MS }),
    figure({ name: 'matters.similar.p50', value: all.p50, unit: 'ms', better: 'lower' }),
    figure({ name: 'matters.similar.scoped_p99', value: one.p99, unit: 'ms', better: 'lower' }),
    figure({ name: 'matters.similar.precision_top1', value: qHeld.precisionTop1, unit: 'ratio', better: 'higher', budget: PRECISION_BUDGET }),
    figure({ name: 'matters.similar.recall_at3', value: qHeld.recallAt3, unit: 'ratio', better: 'higher', budget: RECALL_BUDGET }),
    figure({ name: 'matters.similar.precision_top1_dev', value: qDev.precisionTop1, unit: 'ratio', better: 'higher' }),
    figure({ name: 'matters.similar.recall_at3_dev', value: qDev.recallAt3, unit: 'ratio', better: 'higher' }),
    figure({ name: 'matters.similar.build', value: buildMs, unit: 'ms', better: 'lower' }),
    figure({ name: 'matters.similar.rebuild_from_signatures', value: rebuildMs, unit: 'ms', better: 'lower' }),
    figure({ name: 'matters.similar.heap', value: heapMbUsed, unit: 'MB', better: 'lower' }),
  ];
}

/** MinHash over the engine's own shingles (a seeded 32-bit mix per permutation), banded; fixture demands only. */
function lshCandidates(bands: number, rows: number): (text: string, group: string) => Set<string> {
  const k = bands * rows;
  const mix = (x: number, seed: number) => {
    let h = Math.imul((x ^ seed) >>> 0, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  const minhash = (sig: Signature) => {
    const m = new Uint32Array(k).fill(0xffffffff);
    for (const h of sig.h) for (let i = 0; i < k; i++) m[i] = Math.min(m[i]!, mix(h, i * 0x61c88647));
    return m;
  };
  const keys = (m: Uint32Array) => Array.from({ length: bands }, (_, b) => `${b}:${m.subarray(b * rows, b * rows + rows).join(',')}`);
  const buckets = new Map<string, Set<string>>();
  for (const d of DEMANDS) {
    for (const key of keys(minhash(signature(demandText(d))))) {
      const g = `${d.communityId}|${key}`;
      if (!buckets.has(g)) buckets.set(g, new Set());
      buckets.get(g)!.add(d.id);
    }
  }
  return (text, group) => {
    const out = new Set<string>();
    for (const key of keys(minhash(signature(text)))) for (const id of buckets.get(`${group}|${key}`) ?? []) out.add(id);
    return out;
  };
}

async function main(): Promise<void> {
  const say = (s: string) => process.stdout.write(s + '\n');
  const started = performance.now();
  const figures = await runMattersSimilarBench(say);
  say('\n' + formatTable(figures));
  const over = overBudget(figures);
  say(over.length ? `\nOVER BUDGET: ${over.map((f) => f.name).join(', ')}` : '\nAll matters.similar budgets met.');
  writeFigures(OUT, figures, {
    at: new Date().toISOString(),
    syntheticDemands: SYNTHETIC,
    fixtureDemands: DEMANDS.length,
    cases: CASES.length,
    rounds: ROUNDS,
    node: process.version,
    cores: cpus().length,
    loadavg: loadavg(),
    elapsedS: Math.round((performance.now() - started) / 100) / 10,
  });
  say(`wrote bench/out/matters-similar.json (${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
}

// Run when invoked as a script, not when the main bench imports it.
if (/matters-similar\.ts$/.test(process.argv[1] ?? '')) {
  main().catch((e) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
