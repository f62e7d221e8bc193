/**
 * Pure rules of the demand list (需求清单): who backs a demand, counted once per person across every
 * source, kept on write so the list never recounts — and merges, splits and undoing a merge that never
 * lose a source.
 *
 * A demand's backers are a tally: person key → how many of its sources that person backs. Adding a
 * source adds its keys, taking one away subtracts them; supporters = keys with a count above zero. So
 * a merge adds two tallies, undoing it subtracts one again, and a split moves its sources' keys out —
 * each exact, with no pass over the sources (the property tests hold this against a recount).
 * Anonymous answers cannot be told apart: they are summed per source and shown as a separate figure.
 */

export const DemandErrors = {
  SAME_DEMAND: 'MATTERS.MERGE_SAME',
  NOT_OPEN: 'MATTERS.DEMAND_NOT_OPEN',
  OTHER_COMMUNITY: 'MATTERS.MERGE_OTHER_COMMUNITY',
  OTHER_YEAR: 'MATTERS.MERGE_OTHER_YEAR',
  NOT_MERGED: 'MATTERS.NOT_MERGED',
  UNDO_OUTER_FIRST: 'MATTERS.UNDO_OUTER_MERGE_FIRST',
  SPLIT_NOTHING: 'MATTERS.SPLIT_NOTHING',
  SPLIT_EVERYTHING: 'MATTERS.SPLIT_EVERYTHING',
  SPLIT_FOREIGN: 'MATTERS.SPLIT_NOT_ITS_SOURCE',
} as const;

export interface Refusal {
  code: string;
  message: string;
}

/** person key → number of sources of this demand (and of those merged into it) that the person backs. */
export type Tally = Record<string, number>;

/** One source fed into a demand: a suggestion, a questionnaire option, a council proposal, an admin's entry. */
export interface SourceBacking {
  /** Distinct person keys of those who back it (a hash, never a name or openid). */
  backers: string[];
  /** Backers who cannot be told apart (anonymous answers). */
  anonymous: number;
}

export interface Support {
  backers: Tally;
  anonymous: number;
}

export const noSupport = (): Support => ({ backers: {}, anonymous: 0 });

function combine(a: Support, b: Support, sign: 1 | -1): Support {
  const backers: Tally = { ...a.backers };
  for (const [k, n] of Object.entries(b.backers)) {
    const v = (backers[k] ?? 0) + sign * n;
    if (v < 0) throw new Error('demand tally would go below zero: subtracting what was never added');
    if (v === 0) delete backers[k];
    else backers[k] = v;
  }
  const anonymous = a.anonymous + sign * b.anonymous;
  if (anonymous < 0) throw new Error('anonymous count would go below zero');
  return { backers, anonymous };
}

/** A source's own share: each of its backers once. */
export function supportOf(source: SourceBacking): Support {
  const backers: Tally = {};
  for (const k of new Set(source.backers)) backers[k] = 1;
  return { backers, anonymous: source.anonymous };
}

export const addSupport = (a: Support, b: Support): Support => combine(a, b, 1);
export const subtractSupport = (a: Support, b: Support): Support => combine(a, b, -1);

/** What the list shows: distinct people, and the anonymous figure beside it. */
export const supporterCount = (s: Support): number => Object.keys(s.backers).length;

/** The recount the tally must always equal (tests and a rebuild command use it; the list never does). */
export function recount(sources: SourceBacking[]): Support {
  return sources.reduce((acc, s) => addSupport(acc, supportOf(s)), noSupport());
}

// ---------------------------------------------------------------- merge, undo, split

export interface DemandNode {
  id: string;
  communityId: string;
  year: number;
  /** null while the demand is on the list in its own right. */
  mergedInto: string | null;
  /** Closed demands (selected, left out) are not merged or split any more. */
  open: boolean;
}

const refuse = (code: string, message: string): Refusal => ({ code, message });

/** Merging `from` into `into`: both open, on the list in their own right, same community and year. */
export function mergeRefusal(into: DemandNode, from: DemandNode): Refusal | null {
  if (into.id === from.id) return refuse(DemandErrors.SAME_DEMAND, '不能把需求合并到它自己');
  if (into.mergedInto || from.mergedInto || !into.open || !from.open) return refuse(DemandErrors.NOT_OPEN, '只能合并清单上仍在征集中的需求');
  if (into.communityId !== from.communityId) return refuse(DemandErrors.OTHER_COMMUNITY, '不能合并不同社区的需求');
  if (into.year !== from.year) return refuse(DemandErrors.OTHER_YEAR, '不能合并不同年度的需求');
  return null;
}

/** Undoing `merged`'s merge: it must be merged, into a demand that is itself on the list (undo the outer merge first). */
export function undoMergeRefusal(merged: DemandNode, into: DemandNode | null): Refusal | null {
  if (!merged.mergedInto || !into || into.id !== merged.mergedInto) return refuse(DemandErrors.NOT_MERGED, '这条需求没有被合并，无需撤销');
  if (into.mergedInto) return refuse(DemandErrors.UNDO_OUTER_FIRST, '它所并入的需求又被合并了，请先撤销那一次合并');
  if (!into.open) return refuse(DemandErrors.NOT_OPEN, '已确定或已说明的需求不能再撤销合并');
  return null;
}

/** Splitting some of a demand's own sources into a new demand: at least one moves, at least one stays. */
export function splitRefusal(demand: DemandNode, ownSourceIds: string[], moving: string[]): Refusal | null {
  if (demand.mergedInto || !demand.open) return refuse(DemandErrors.NOT_OPEN, '只能拆分清单上仍在征集中的需求');
  if (moving.length === 0) return refuse(DemandErrors.SPLIT_NOTHING, '请选择要拆出的来源');
  if (moving.some((id) => !ownSourceIds.includes(id))) return refuse(DemandErrors.SPLIT_FOREIGN, '只能拆出这条需求自己的来源（并入的需求请先撤销合并）');
  if (new Set(moving).size >= ownSourceIds.length) return refuse(DemandErrors.SPLIT_EVERYTHING, '至少要留下一个来源；要整体调整请直接编辑这条需求');
  return null;
}
