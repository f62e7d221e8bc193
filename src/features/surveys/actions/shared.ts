/** Helpers shared by the questionnaire use cases: loading, who may answer, views, tallies. */
import { AppError, forbidden, isAppError } from '../../../lib/errors';
import type { ActionContext } from '../../../server/action';
import { regionPath } from '../../regions/regions.service';
import type { Collection, Store, Stored, TxCollection, TxStore } from '../../../server/store/store';
import type { Grant, Member } from '../../members/members.schema';
import { surveys, surveyTallies } from '../surveys.collections';
import { phaseOf, type Problem } from '../surveys.rules';
import { addCounters, addressKey, answerId, TALLY_SHARDS, tallyId } from '../surveys.tally.rules';
import type { AdminSurveyView, Survey, SurveySummary, SurveyView, TallyRecord } from '../surveys.schema';
import { createHmac } from 'node:crypto';

export const SurveyErrors = {
  NOT_FOUND: 'SURVEY.NOT_FOUND',
  INVALID_DEFINITION: 'SURVEY.INVALID_DEFINITION',
  INVALID_ANSWER: 'SURVEY.INVALID_ANSWER',
  ALREADY_ANSWERED: 'SURVEY.ALREADY_ANSWERED',
  CLOSED: 'SURVEY.CLOSED',
  NOT_OPEN: 'SURVEY.NOT_OPEN',
  LOCKED: 'SURVEY.LOCKED',
  VERSION_CHANGED: 'SURVEY.VERSION_CHANGED',
  BAD_STATE: 'SURVEY.BAD_STATE',
  NO_ADDRESS: 'SURVEY.NO_ADDRESS',
  UNSAFE_CONTENT: 'SURVEY.UNSAFE_CONTENT',
} as const;

export type Doc = Stored<Survey>;

export const LIST_PAGE = 20;

export function col(store: Store): Collection<Survey>;
export function col(store: TxStore): TxCollection<Survey>;
export function col(store: TxStore) {
  return store.collection(surveys);
}

export const notFound = () => new AppError(SurveyErrors.NOT_FOUND, '问卷不存在或已被删除');

export const hasCode = (e: unknown, code: string) => isAppError(e) && e.code === code;

export const asIssues = (problems: Problem[]) => problems.map((p) => ({ path: p.path, message: p.message }));

export async function load(store: TxStore, id: string): Promise<Doc> {
  const s = await col(store).get(id);
  if (!s) throw notFound();
  return s;
}

export function me(ctx: ActionContext): Stored<Member> {
  if (!ctx.caller.member) throw forbidden('请先加入社区');
  return ctx.caller.member;
}

/** Admin actions on one questionnaire: dispatch checks the caller's grant against its community. */
export const surveyScope = async (input: { id?: string; surveyId?: string }, ctx: ActionContext) =>
  (await col(ctx.store).get(input.id ?? input.surveyId ?? ''))?.communityId ?? null;

/** A grant covers the community if it is the community, an ancestor, or (grid workers) one of its grids. */
async function covers(ctx: ActionContext, g: Grant, communityId: string): Promise<boolean> {
  if (g.regionId === communityId) return true;
  const [up, down] = await Promise.all([regionPath(ctx.store, communityId), regionPath(ctx.store, g.regionId)]);
  return !!up?.includes(g.regionId) || (g.role === 'grid_worker' && !!down?.includes(communityId));
}

export async function staffGrant(ctx: ActionContext, communityId: string): Promise<Grant | null> {
  for (const g of me(ctx).grants) {
    if ((g.role === 'community_admin' || g.role === 'grid_worker') && (await covers(ctx, g, communityId))) return g;
  }
  return null;
}

export const residentGrant = (ctx: ActionContext, communityId: string): Grant | undefined =>
  me(ctx).grants.find((g) => g.role === 'resident' && g.regionId === communityId);

/** A keyed hash: stands for a person or household without saying who (the key never leaves the server). */
export const keyed = (s: Survey, value: string) => createHmac('sha256', s.answerKey).update(value).digest('base64url').slice(0, 24);

/** The deterministic answer id of a resident: per person (member id, hashed when anonymous) or per household. */
export function residentAnswerId(s: Doc, member: Stored<Member>, grant: Grant | undefined): string {
  if (s.perHousehold) {
    if (!grant?.building) throw new AppError(SurveyErrors.NO_ADDRESS, '本问卷每户填写一份，请先在“加入社区”中填写您的住址');
    return answerId(s._id, keyed(s, addressKey(grant.building, grant.unit)), true);
  }
  return answerId(s._id, s.anonymous ? keyed(s, member._id) : member._id, false);
}

export function surveyView(s: Doc, now: Date, answered: boolean): SurveyView {
  return {
    _id: s._id,
    communityId: s.communityId,
    communityName: s.communityName,
    title: s.title,
    intro: s.intro,
    questions: s.questions,
    openAt: s.openAt,
    closeAt: s.closeAt,
    anonymous: s.anonymous,
    perHousehold: s.perHousehold,
    status: s.status,
    phase: phaseOf(s, now),
    version: s.version,
    answered,
  };
}

export const adminView = (s: Doc, now: Date): AdminSurveyView => ({
  ...surveyView(s, now, false),
  _rev: s._rev,
  households: s.households,
  locked: s.locked,
  previousId: s.previousId,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
  publishedAt: s.publishedAt,
  closedAt: s.closedAt,
});

export const summary = (s: Doc, now: Date, extra: Partial<SurveySummary> = {}): SurveySummary => ({
  _id: s._id,
  title: s.title,
  status: s.status,
  phase: phaseOf(s, now),
  openAt: s.openAt,
  closeAt: s.closeAt,
  version: s.version,
  questionCount: s.questions.length,
  ...extra,
});

export const sumShards = async (store: Store, ids: string[]) =>
  (await store.collection(surveyTallies).getMany(ids)).reduce<Record<string, unknown>>((acc, d: Stored<TallyRecord>) => addCounters(acc, d.c), {});

/** The main tally, summed over its shards: a fixed number of reads, whatever the answer count. */
export const readTally = (store: Store, surveyId: string): Promise<Record<string, unknown>> =>
  sumShards(store, Array.from({ length: TALLY_SHARDS }, (_, shard) => tallyId(surveyId, shard)));
