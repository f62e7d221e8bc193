/**
 * The questionnaires' door for other areas: who chose an option (for the demand list's supporters) and a text
 * answer's content. Never names: a respondent is the id their answer is filed under.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../lib/errors';
import { readAll } from '../../server/read-all';
import type { Store } from '../../server/store/store';
import { getRegion } from '../regions/regions.service';
import { readTally } from './actions/shared';
import { surveyAnswers, surveys, surveyTallies, surveyTexts } from './surveys.collections';
import { resultsOf, TALLY_SHARDS, tallyId } from './surveys.tally.rules';

export interface OptionBacking {
  communityId: string;
  surveyTitle: string;
  questionTitle: string;
  optionLabel: string;
  /** Respondents who chose it, each once: a member id (named, per person) or a household or paper-form key. */
  respondents: string[];
  /** Answers of an anonymous questionnaire: counted, never linked to anyone. */
  anonymous: number;
}

/** How many answers a backing reads at most: a community questionnaire has hundreds to a few thousand. */
const MAX_ANSWERS = 20_000;

/** A single choice is `{ pick }`, a multiple one `{ picks }`, a ranking the ordered ids. */
function chose(answer: unknown, optionId: string): boolean {
  if (Array.isArray(answer)) return answer.includes(optionId);
  if (typeof answer !== 'object' || answer === null) return false;
  const a = answer as { pick?: unknown; picks?: unknown };
  return a.pick === optionId || (Array.isArray(a.picks) && a.picks.includes(optionId));
}

/** Who chose `optionId` of `questionId`; null when there is no such questionnaire, question or option. */
export async function optionBacking(store: Store, surveyId: string, questionId: string, optionId: string): Promise<OptionBacking | null> {
  const s = await store.collection(surveys).get(surveyId);
  const q = s?.questions.find((x) => x.id === questionId);
  const o = q?.options?.find((x) => x.id === optionId);
  if (!s || !q || !o) return null;
  const answers = (await readAll(store.collection(surveyAnswers), { where: { surveyId } }, MAX_ANSWERS)).items;
  const prefix = `ans:${surveyId}:`;
  const picked = answers.filter((a) => chose(a.answers[questionId], optionId));
  return {
    communityId: s.communityId,
    surveyTitle: s.title,
    questionTitle: q.title,
    optionLabel: o.label,
    respondents: s.anonymous ? [] : picked.map((a) => a._id.slice(prefix.length)),
    anonymous: s.anonymous ? picked.length : 0,
  };
}

export interface TextBrief {
  communityId: string;
  surveyTitle: string;
  text: string;
}

export async function surveyTextBrief(store: Store, textId: string): Promise<TextBrief | null> {
  const t = await store.collection(surveyTexts).get(textId);
  const s = t ? await store.collection(surveys).get(t.surveyId) : null;
  return t && s ? { communityId: s.communityId, surveyTitle: s.title, text: t.text } : null;
}

/** The community a questionnaire belongs to (for scope checks). */
export const surveyCommunity = async (store: Store, surveyId: string): Promise<string | null> => (await store.collection(surveys).get(surveyId))?.communityId ?? null;

/** A one-question poll another area opens for a community's residents (e.g. a matter's 回访). */
export interface QuickPoll {
  /** Deterministic, so opening it twice finds the first. */
  id: string;
  communityId: string;
  title: string;
  intro: string;
  question: string;
  options: { id: string; label: string }[];
  openAt: string;
  closeAt: string;
  createdBy: string;
}

/**
 * Opens a published, anonymous, single-choice questionnaire with its tallies, in one transaction; residents
 * find it in their questionnaire list and answer it there. An existing poll of that id is kept as it is.
 */
export async function openQuickPoll(store: Store, p: QuickPoll, now: string): Promise<string> {
  const community = await getRegion(store, p.communityId);
  if (!community || community.kind !== 'community') throw new AppError('REGION.NOT_FOUND', '社区不存在');
  await store.transaction(async (tx) => {
    if (await tx.collection(surveys).get(p.id)) return;
    await tx.collection(surveys).insert({
      communityId: p.communityId, communityName: community.name, title: p.title, intro: p.intro,
      questions: [{ id: 'q1', type: 'single', title: p.question, required: true, options: p.options }],
      openAt: p.openAt, closeAt: p.closeAt, anonymous: true, perHousehold: false, households: null,
      status: 'published', version: 1, previousId: null, locked: false, answerKey: randomBytes(32).toString('base64url'),
      createdBy: p.createdBy, createdAt: now, updatedAt: now, publishedAt: now, closedAt: null,
    }, { id: p.id });
    for (let shard = 0; shard < TALLY_SHARDS; shard++) await tx.collection(surveyTallies).insert({ surveyId: p.id, by: null, shard, c: {} }, { id: tallyId(p.id, shard) });
  });
  return p.id;
}

/** A quick poll's answers per option (from its tallies, never by reading answers); null when there is no such poll. */
export async function quickPollCounts(store: Store, id: string): Promise<{ total: number; counts: Record<string, number> } | null> {
  const s = await store.collection(surveys).get(id);
  if (!s) return null;
  const [q] = resultsOf(s, await readTally(store, id));
  return { total: q?.answered ?? 0, counts: Object.fromEntries((q?.counts ?? []).map((c) => [c.id, c.count])) };
}
