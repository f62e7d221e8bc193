/**
 * Text similarity for merging a suggestion into an open demand (issue 9 item 2). Pure: no store, no zod.
 *
 * A text becomes a bag of weighted character shingles (bigrams and unigrams of its normalised form);
 * an inverted index from shingle to demands finds every demand sharing one, and each is scored by
 * IDF-weighted containment. The choices were measured on the dev half of tests/fixtures/suggestion-pairs.json;
 * `npx tsx bench/matters-similar.ts` prints each measurement again:
 * - Candidates come from the inverted index, not MinHash/LSH. A resident's short suggestion against a demand's
 *   title + description has a weighted Jaccard of ~0.05–0.15, where banding misses: with 32 bands × 2 rows only
 *   62% of the labelled merges are even offered as candidates, 7% at 16 × 4; 64 × 1 offers them all but also
 *   more than half the community, i.e. it is this index sampled. The exact index misses nothing and answers
 *   against 10,000 demands in a few milliseconds.
 * - Containment, not cosine or Jaccard: a long demand should not lose to a short one for being thorough, and
 *   a very short suggestion ("化粪池") should still find the demand it names. score = cq^0.6 · cd^0.4, where
 *   cq and cd are the shares of the query's and the demand's weight that the two have in common; identical
 *   texts score 1. Query containment alone: dev recall@3 0.84 instead of 0.94 at about the same precision.
 * - Unigrams beside bigrams: residents' typos (电悌, 下水到) break bigrams but keep most characters (bigrams
 *   only: dev recall@3 0.83 instead of 0.94 at about the same precision).
 * - IDF over the demands being compared: a proposal scoped to a community weighs words by that community's
 *   demands, so its scores (and the minScore threshold) do not drift as other communities add demands.
 */

/** Bumped whenever normalisation or shingling changes: stored signatures of another version are stale. */
export const SIGNATURE_VERSION = 1;

/** Chosen on the dev half, precision first: 0.91 precision@1, 0.93 recall@3 there (0.19 gives 0.875 / 0.944). */
export const DEFAULT_MIN_SCORE = 0.2;

export interface SimilarityTuning {
  /** Weight of a unigram relative to a bigram (1 and 2 measure alike; 0 loses recall). */
  unigramWeight: number;
  /** Exponent of the query-side containment; the demand side gets 1 − this. */
  queryShare: number;
  /** Map colloquial variants to one written form (on; off only for the ablation). */
  variants: boolean;
  /** Remove filler words (off: measured no gain, see FILLERS; on only for the ablation). */
  fillers: boolean;
}

export const DEFAULT_TUNING: SimilarityTuning = { unigramWeight: 2, queryShare: 0.6, variants: true, fillers: false };

// ---------------------------------------------------------------- normalisation

/** Traditional → simplified for characters residents meet here (some phones type traditional). */
const TRADITIONAL =
  '燈灯紅红綠绿學学車车區区電电樓楼門门場场買买賣卖衛卫號号請请這这裡里後后們们處处園园環环護护醫医療疗廁厕雞鸡' +
  '過过馬马鐵铁線线壞坏臺台發发現现問问題题運运動动廣广務务員员舊旧幾几點点裝装雜杂難难夠够積积圍围欄栏戶户開开' +
  '關关時时間间還还來来長长東东會会體体機机網网頭头響响聲声氣气淨净溝沟導导個个幫帮應应陽阳從从為为劃划麼么讓让' +
  '設设說说話话認认識识進进遠远壓压變变歲岁寫写書书辦办藥药飯饭館馆錢钱無无礙碍邊边髒脏亂乱衝冲燒烧聽听見见鄰邻' +
  '監监視视錄录類类廢废棄弃級级層层樹树蟲虫蠅蝇滿满蓋盖濕湿傷伤險险檢检測测質质熱热廚厨價价單单議议費费業业';
const SIMPLIFIED = new Map<string, string>();
for (let i = 0; i + 1 < TRADITIONAL.length; i += 2) SIMPLIFIED.set(TRADITIONAL[i]!, TRADITIONAL[i + 1]!);

/**
 * Colloquial and written names of the same thing, mapped to one form so a resident's word meets the demand's.
 * Generic to community complaints, not picked from failing fixture cases; small gain (dev precision@1/recall@3
 * 0.875/0.944 with, 0.854/0.921 without, each at its best threshold). Longer variants first.
 */
const VARIANTS: readonly (readonly [string, string])[] = [
  ['垃圾中转站', '垃圾站'], ['垃圾中转点', '垃圾站'], ['垃圾点', '垃圾站'],
  ['公共厕所', '公厕'], ['卫生间', '厕所'],
  ['电瓶车', '电动车'], ['小电驴', '电动车'], ['电驴', '电动车'],
  ['流浪犬', '流浪狗'], ['野狗', '流浪狗'],
  ['信号灯', '红绿灯'],
  ['楼梯间', '楼道'], ['楼梯口', '楼道'], ['声控灯', '楼道灯'], ['感应灯', '楼道灯'],
  ['下水管', '下水道'], ['排污管', '下水道'],
  ['街灯', '路灯'], ['停车位', '车位'],
  ['健身设施', '健身器材'], ['锻炼器材', '健身器材'],
  ['老年人', '老人'], ['老人家', '老人'], ['老年', '老人'],
  ['小朋友', '孩子'], ['小孩', '孩子'], ['娃娃', '孩子'],
  ['助餐点', '食堂'], ['饭堂', '食堂'],
  ['渗水', '漏水'], ['漏雨', '漏水'],
  ['内涝', '积水'], ['水淹', '积水'], ['淹水', '积水'],
  ['噪声', '噪音'],
  ['摄像头', '监控'], ['探头', '监控'],
  ['长凳', '座椅'], ['凳子', '座椅'], ['椅子', '座椅'],
  ['栏杆', '护栏'],
  ['充电设施', '充电桩'], ['充电棚', '充电桩'], ['充电站', '充电桩'],
];

/**
 * Words that say "I am asking" rather than what about. Removing them was measured and brought nothing (dev
 * precision@1/recall@3 0.875/0.944 with and without, each at its best threshold): IDF already weighs down the
 * ones demands use, and the ones only residents write (能不能) add the same weight to the query's side of every
 * demand, so ranking does not move. Off by default; kept as a tuning switch so the bench can re-measure.
 */
const FILLERS = ['可不可以', '能不能', '能否', '建议', '希望', '申请', '麻烦', '谢谢', '请', '社区', '我们'];

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 三号院 → 3号院, 十二栋 → 12栋: 长辈 write numbers out; demands use digits. */
function chineseNumber(s: string): string {
  const tens = s.indexOf('十');
  if (tens < 0) return String(CN_DIGITS[s] ?? s);
  const hi = tens === 0 ? 1 : CN_DIGITS[s.slice(0, tens)] ?? 0;
  const lo = tens === s.length - 1 ? 0 : CN_DIGITS[s.slice(tens + 1)] ?? 0;
  return String(hi * 10 + lo);
}

const NOT_WORD = /[^\p{L}\p{N}]+/gu;
const NUMBERED = /([一二两三四五六七八九]?十?[一二三四五六七八九]?)(?=号|栋|幢|单元|楼|组|巷)/g;

/**
 * Full-width → half-width (NFKC), lower case, traditional → simplified, punctuation and whitespace out,
 * digits kept (and Chinese house numbers made digits), variants unified (fillers removed only when tuned so).
 */
export function normalise(text: string, tuning: SimilarityTuning = DEFAULT_TUNING): string {
  let t = text.normalize('NFKC').toLowerCase();
  let s = '';
  for (const c of t) s += SIMPLIFIED.get(c) ?? c;
  t = s.replace(NOT_WORD, '').replace(NUMBERED, (m) => (m ? chineseNumber(m) : m));
  if (tuning.variants) for (const [from, to] of VARIANTS) if (t.includes(from)) t = t.split(from).join(to);
  if (tuning.fillers) for (const f of FILLERS) if (t.includes(f)) t = t.split(f).join('');
  return t;
}

// ---------------------------------------------------------------- shingles and signatures

/** FNV-1a over UTF-16 units: fast, deterministic, good enough for ~10⁵ distinct shingles (a collision only blurs one weight). */
function hash32(s: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  // murmur3's finaliser: FNV's low bits are weak for two-character inputs.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const BIGRAM = 0;
/** The part of the tuning a signature depends on (queryShare only matters when scoring). */
const shingleKey = (t: SimilarityTuning): string => `u${t.unigramWeight}${t.variants ? 'v' : ''}${t.fillers ? 'f' : ''}`;
const UNIGRAM = 0x5bd1e995;

/**
 * What a demand can store instead of being re-shingled: sorted shingle hashes and their weights.
 * `v` is SIGNATURE_VERSION; `t` the tuning that shapes shingles (unigram weight, variants, fillers).
 */
export interface Signature {
  v: number;
  t: string;
  h: number[];
  w: number[];
}

/** The weighted shingles of a text, as a signature (hashes ascending). */
export function signature(text: string, tuning: SimilarityTuning = DEFAULT_TUNING): Signature {
  const chars = Array.from(normalise(text, tuning));
  const m = new Map<number, number>();
  const add = (h: number, w: number) => m.set(h, (m.get(h) ?? 0) + w);
  for (let i = 0; i + 1 < chars.length; i++) add(hash32(chars[i]! + chars[i + 1]!, BIGRAM), 1);
  if (tuning.unigramWeight > 0 || chars.length === 1) {
    for (const c of chars) add(hash32(c, UNIGRAM), tuning.unigramWeight || 1);
  }
  const h = [...m.keys()].sort((a, b) => a - b);
  return { v: SIGNATURE_VERSION, t: shingleKey(tuning), h, w: h.map((x) => m.get(x)!) };
}

// ---------------------------------------------------------------- the index

export interface Hit {
  id: string;
  score: number;
}

export interface SimilarOptions {
  /** How many to return (default 3). */
  k?: number;
  /** Hits below this are dropped (default DEFAULT_MIN_SCORE; 0 returns every demand sharing a shingle). */
  minScore?: number;
  /** Only demands added with this group (a community id); IDF is then the group's own. */
  group?: string;
}

interface Doc {
  id: string;
  group: string | undefined;
  sig: Signature;
  /** Σ weight·idf, cached per IDF epoch (global and the doc's group). */
  mass: number;
  massEpoch: number;
  groupMass: number;
  groupMassEpoch: number;
}

interface Idf {
  n: number;
  df: Map<number, number>;
  epoch: number;
}

/**
 * Open demands to compare suggestions with. Ids are the caller's (demand ids); a group is typically the
 * community, so one index can hold a city and still answer for one community.
 */
export class SimilarityIndex {
  private readonly tuning: SimilarityTuning;
  private readonly slots: (Doc | undefined)[] = [];
  private readonly free: number[] = [];
  private readonly byId = new Map<string, number>();
  /** shingle → slots holding it and the weight each gives it (parallel arrays). */
  private readonly postings = new Map<number, { slots: number[]; weights: number[] }>();
  private readonly global: Idf = { n: 0, df: new Map(), epoch: 0 };
  private readonly groups = new Map<string, Idf>();
  /** Score accumulator by slot, reused across queries (the index is not re-entrant; queries are synchronous). */
  private acc = new Float64Array(0);

  constructor(tuning: Partial<SimilarityTuning> = {}) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The signature to store with the demand (null for an unknown id). */
  signatureOf(id: string): Signature | null {
    const slot = this.byId.get(id);
    return slot === undefined ? null : this.slots[slot]!.sig;
  }

  /** Adds or replaces a demand by its text. */
  add(id: string, text: string, group?: string): void {
    this.addSignature(id, signature(text, this.tuning), group);
  }

  /**
   * Adds or replaces a demand by a stored signature; false (nothing added) when the signature was made by
   * another version or tuning, so the caller re-adds it from its text.
   */
  addSignature(id: string, sig: Signature, group?: string): boolean {
    if (sig.v !== SIGNATURE_VERSION || sig.t !== shingleKey(this.tuning) || sig.h.length !== sig.w.length) return false;
    this.remove(id);
    const slot = this.free.pop() ?? this.slots.length;
    this.slots[slot] = { id, group, sig, mass: 0, massEpoch: -1, groupMass: 0, groupMassEpoch: -1 };
    this.byId.set(id, slot);
    const g = group === undefined ? undefined : this.groupIdf(group);
    for (let i = 0; i < sig.h.length; i++) {
      const h = sig.h[i]!;
      let p = this.postings.get(h);
      if (!p) this.postings.set(h, (p = { slots: [], weights: [] }));
      p.slots.push(slot);
      p.weights.push(sig.w[i]!);
      this.global.df.set(h, (this.global.df.get(h) ?? 0) + 1);
      if (g) g.df.set(h, (g.df.get(h) ?? 0) + 1);
    }
    this.global.n++;
    this.global.epoch++;
    if (g) {
      g.n++;
      g.epoch++;
    }
    return true;
  }

  /** Removes a demand (closed, merged, done); false when it was not there. */
  remove(id: string): boolean {
    const slot = this.byId.get(id);
    if (slot === undefined) return false;
    const doc = this.slots[slot]!;
    const g = doc.group === undefined ? undefined : this.groups.get(doc.group);
    for (const h of doc.sig.h) {
      const p = this.postings.get(h)!;
      const at = p.slots.indexOf(slot);
      const last = p.slots.length - 1;
      p.slots[at] = p.slots[last]!;
      p.weights[at] = p.weights[last]!;
      p.slots.pop();
      p.weights.pop();
      if (last === 0) this.postings.delete(h);
      decrement(this.global.df, h);
      if (g) decrement(g.df, h);
    }
    this.global.n--;
    this.global.epoch++;
    if (g) {
      g.n--;
      g.epoch++;
      if (g.n === 0) this.groups.delete(doc.group!);
    }
    this.slots[slot] = undefined;
    this.free.push(slot);
    this.byId.delete(id);
    return true;
  }

  /** The demands most similar to `text`, best first (ties by id, so results are stable). */
  similar(text: string, options: SimilarOptions = {}): Hit[] {
    return this.similarTo(signature(text, this.tuning), options);
  }

  similarTo(query: Signature, { k = 3, minScore = DEFAULT_MIN_SCORE, group }: SimilarOptions = {}): Hit[] {
    const idf = group === undefined ? this.global : this.groups.get(group);
    if (!idf || idf.n === 0 || k <= 0) return [];
    if (this.acc.length < this.slots.length) this.acc = new Float64Array(Math.max(64, this.slots.length * 2));
    const acc = this.acc;
    const touched: number[] = [];
    let queryMass = 0;
    for (let i = 0; i < query.h.length; i++) {
      const h = query.h[i]!;
      const qw = query.w[i]!;
      const w = weight(idf, h);
      queryMass += qw * w;
      const p = this.postings.get(h);
      if (!p) continue;
      for (let j = 0; j < p.slots.length; j++) {
        const slot = p.slots[j]!;
        if (group !== undefined && this.slots[slot]!.group !== group) continue;
        const sofar = acc[slot]!;
        if (sofar === 0) touched.push(slot);
        acc[slot] = sofar + Math.min(qw, p.weights[j]!) * w;
      }
    }
    const share = this.tuning.queryShare;
    const hits: Hit[] = [];
    for (const slot of touched) {
      const common = acc[slot]!;
      acc[slot] = 0;
      const doc = this.slots[slot]!;
      const score = Math.min(1, Math.pow(common / queryMass, share) * Math.pow(common / this.mass(doc, idf, group !== undefined), 1 - share));
      if (score >= minScore) hits.push({ id: doc.id, score });
    }
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return hits.slice(0, k);
  }

  private groupIdf(group: string): Idf {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = { n: 0, df: new Map(), epoch: 0 }));
    return g;
  }

  /** A doc's shingle mass under the IDF in use; recomputed only after the index changed. */
  private mass(doc: Doc, idf: Idf, byGroup: boolean): number {
    if (byGroup ? doc.groupMassEpoch === idf.epoch : doc.massEpoch === idf.epoch) return byGroup ? doc.groupMass : doc.mass;
    let m = 0;
    for (let i = 0; i < doc.sig.h.length; i++) m += doc.sig.w[i]! * weight(idf, doc.sig.h[i]!);
    if (byGroup) {
      doc.groupMass = m;
      doc.groupMassEpoch = idf.epoch;
    } else {
      doc.mass = m;
      doc.massEpoch = idf.epoch;
    }
    return m;
  }
}

/** Smoothed IDF: positive for every shingle, highest for ones no demand has. */
const weight = (idf: Idf, h: number): number => Math.log((idf.n + 1) / ((idf.df.get(h) ?? 0) + 1)) + 1;

function decrement(df: Map<number, number>, h: number): void {
  const n = df.get(h)! - 1;
  if (n === 0) df.delete(h);
  else df.set(h, n);
}
