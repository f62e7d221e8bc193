/**
 * The questionnaires' door for other areas: who chose an option (for the demand list's supporters) and a text
 * answer's content. Never names: a respondent is the id their answer is filed under.
 */
import { readAll } from '../../server/read-all';
import type { Store } from '../../server/store/store';
import { surveyAnswers, surveys, surveyTexts } from './surveys.collections';

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
