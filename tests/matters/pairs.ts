/**
 * The labelled suggestion → demand set (tests/fixtures/suggestion-pairs.json) and how it is scored; shared by
 * the quality floor in similarity.test.ts and bench/matters-similar.ts so both report the same numbers.
 */
import data from '../fixtures/suggestion-pairs.json';
import type { Hit, SimilarityIndex } from '../../src/features/matters/similarity';

export interface Demand {
  id: string;
  communityId: string;
  title: string;
  description: string;
}

export interface PairCase {
  id: string;
  communityId: string;
  text: string;
  /** The demand to merge into, or null: the suggestion is about something new. */
  expected: string | null;
  split: 'dev' | 'heldout';
}

export const DEMANDS: Demand[] = data.demands;
export const CASES: PairCase[] = data.cases as PairCase[];

/** What a demand is indexed by. */
export const demandText = (d: Demand): string => `${d.title} ${d.description}`;

export interface Quality {
  cases: number;
  /** Cases with at least one proposal. */
  proposed: number;
  /** Of the cases with a proposal, the share whose top proposal is the labelled demand (a proposal for a new matter is wrong). */
  precisionTop1: number;
  /** Of the cases with a labelled demand, the share where it is among the (at most three) proposals. */
  recallAt3: number;
  /** Of the new-matter cases, the share that got no proposal. */
  quietOnNew: number;
}

/** Scores `propose` on the cases; `propose` answers one case (e.g. index.similar scoped to its community). */
export function evaluate(cases: readonly PairCase[], propose: (c: PairCase) => Hit[]): Quality {
  let proposed = 0;
  let right = 0;
  let merges = 0;
  let found = 0;
  let quiet = 0;
  for (const c of cases) {
    const hits = propose(c);
    if (hits.length) {
      proposed++;
      if (hits[0]!.id === c.expected) right++;
    }
    if (c.expected === null) {
      if (!hits.length) quiet++;
    } else {
      merges++;
      if (hits.slice(0, 3).some((h) => h.id === c.expected)) found++;
    }
  }
  const news = cases.length - merges;
  return {
    cases: cases.length,
    proposed,
    precisionTop1: proposed ? right / proposed : Number.NaN,
    recallAt3: merges ? found / merges : Number.NaN,
    quietOnNew: news ? quiet / news : Number.NaN,
  };
}

/** The fixture's demands, each in its community's group. */
export function addFixtureDemands(index: SimilarityIndex): void {
  for (const d of DEMANDS) index.add(d.id, demandText(d), d.communityId);
}

/** Proposals as the admin sees them: the case's own community, default threshold, top three. */
export const scoped = (index: SimilarityIndex) => (c: PairCase): Hit[] => index.similar(c.text, { group: c.communityId });
