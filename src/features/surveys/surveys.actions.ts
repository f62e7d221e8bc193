/**
 * Questionnaires (调查问卷): a community admin builds and publishes; residents answer once (per
 * person or household); staff enter paper answers (代录); results come from tallies kept in the same
 * transaction as each answer, so opening them costs the same at 50 or 100,000 answers.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { AppError, ErrorCodes, forbidden, isAppError } from '../../lib/errors';
import { defineArea, type ActionContext } from '../../server/action';
import { withRetry } from '../../server/conflict-retry';
import { regionPath } from '../../server/dispatch';
import type { Collection, Fields, Store, Stored, TxCollection, TxStore } from '../../server/store/store';
import type { Grant, Member } from '../members/members.schema';
import { regions } from '../regions/regions.collections';
import type { Region } from '../regions/regions.schema';
import { suggestions } from '../suggestions/suggestions.collections';
import { newSuggestionRecord } from '../suggestions/suggestions.record';
import { suggestionId } from '../suggestions/suggestions.rules';
import { surveyAnswers, surveys, surveyTallies, surveyTexts } from './surveys.collections';
import {
  addCounters, addressKey, answerId, checkAnswers, counterTotal, definitionProblems, dimensionsOf, groupsOf, NO_ANSWER,
  phaseOf, resultsOf, scheduleProblems, shardOf, tallyDeltas, tallyId, TALLY_SHARDS, type CleanAnswers, type Problem,
} from './surveys.rules';
import {
  DEFINITION_FORMAT, Definition, surveysContract,
  type AdminSurveyView, type AnswerRecord, type Question, type Settings, type Survey, type SurveySummary, type SurveyView, type TallyRecord,
} from './surveys.schema';

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

type Doc = Stored<Survey>;
const LIST_PAGE = 20;
const TEXT_PAGE = 20;
const EXPORT_PAGE = 100;
export const SURVEY_EXPORT_MAX = 100_000;

function col(store: Store): Collection<Survey>;
function col(store: TxStore): TxCollection<Survey>;
function col(store: TxStore) {
  return store.collection(surveys);
}
const notFound = () => new AppError(SurveyErrors.NOT_FOUND, '问卷不存在或已被删除');
const hasCode = (e: unknown, code: string) => isAppError(e) && e.code === code;
const asIssues = (problems: Problem[]) => problems.map((p) => ({ path: p.path, message: p.message }));

async function load(store: TxStore, id: string): Promise<Doc> {
  const s = await col(store).get(id);
  if (!s) throw notFound();
  return s;
}

function me(ctx: ActionContext): Stored<Member> {
  if (!ctx.caller.member) throw forbidden('请先加入社区');
  return ctx.caller.member;
}

/** Admin actions on one questionnaire: dispatch checks the caller's grant against its community. */
const surveyScope = async (input: { id?: string; surveyId?: string }, ctx: ActionContext) =>
  (await col(ctx.store).get(input.id ?? input.surveyId ?? ''))?.communityId ?? null;

/** A grant covers the community if it is the community, an ancestor, or (grid workers) one of its grids. */
async function covers(ctx: ActionContext, g: Grant, communityId: string): Promise<boolean> {
  if (g.regionId === communityId) return true;
  const [up, down] = await Promise.all([regionPath(ctx, communityId), regionPath(ctx, g.regionId)]);
  return !!up?.includes(g.regionId) || (g.role === 'grid_worker' && !!down?.includes(communityId));
}

async function staffGrant(ctx: ActionContext, communityId: string): Promise<Grant | null> {
  for (const g of me(ctx).grants) {
    if ((g.role === 'community_admin' || g.role === 'grid_worker') && (await covers(ctx, g, communityId))) return g;
  }
  return null;
}

const residentGrant = (ctx: ActionContext, communityId: string): Grant | undefined =>
  me(ctx).grants.find((g) => g.role === 'resident' && g.regionId === communityId);

// ---------------------------------------------------------------- who answered

/** A keyed hash: stands for a person or household without saying who (the key never leaves the server). */
const keyed = (s: Survey, value: string) => createHmac('sha256', s.answerKey).update(value).digest('base64url').slice(0, 24);

/** The deterministic answer id of a resident: per person (member id, hashed when anonymous) or per household. */
function residentAnswerId(s: Doc, member: Stored<Member>, grant: Grant | undefined): string {
  if (s.perHousehold) {
    if (!grant?.building) throw new AppError(SurveyErrors.NO_ADDRESS, '本问卷每户填写一份，请先在“加入社区”中填写您的住址');
    return answerId(s._id, keyed(s, addressKey(grant.building, grant.unit)), true);
  }
  return answerId(s._id, s.anonymous ? keyed(s, member._id) : member._id, false);
}

// ---------------------------------------------------------------- views

function surveyView(s: Doc, now: Date, answered: boolean): SurveyView {
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

const adminView = (s: Doc, now: Date): AdminSurveyView => ({
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

const summary = (s: Doc, now: Date, extra: Partial<SurveySummary> = {}): SurveySummary => ({
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

// ---------------------------------------------------------------- definitions

/** Parses and checks a definition; refuses with every problem (path + Chinese message). */
function validDefinition(def: Definition): Definition {
  const problems = definitionProblems(def);
  if (problems.length) throw new AppError(SurveyErrors.INVALID_DEFINITION, problems[0]!.message, asIssues(problems));
  return def;
}

function checkSchedule(s: Pick<Settings, 'openAt' | 'closeAt'>, now: Date): void {
  const problems = scheduleProblems(s, now);
  if (problems.length) throw new AppError(SurveyErrors.INVALID_DEFINITION, problems[0]!.message, asIssues(problems));
}

const normInstant = (iso: string) => new Date(iso).toISOString();

async function newDraft(ctx: ActionContext, communityId: string, def: Definition, settings: Settings, extra: Partial<Fields<Survey>> = {}): Promise<Doc> {
  const community = await ctx.store.collection(regions).get(communityId);
  if (!community || community.kind !== 'community') throw new AppError('REGION.NOT_FOUND', '社区不存在');
  const now = ctx.now().toISOString();
  return col(ctx.store).insert(
    {
      communityId,
      communityName: community.name,
      title: def.title,
      intro: def.intro,
      questions: def.questions,
      openAt: normInstant(settings.openAt),
      closeAt: normInstant(settings.closeAt),
      anonymous: settings.anonymous,
      perHousehold: settings.perHousehold,
      households: settings.households,
      status: 'draft',
      version: 1,
      previousId: null,
      locked: false,
      answerKey: randomBytes(32).toString('base64url'),
      createdBy: me(ctx)._id,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
      closedAt: null,
      ...extra,
    },
    { id: ctx.newId() },
  );
}

/** Zeroed tally documents for every shard and dimension (missing ones only). */
async function ensureTallies(tx: TxStore, s: Survey & { _id: string }): Promise<void> {
  const kinds = [{ by: null as string | null, group: null as string | null }, ...dimensionsOf(s).flatMap((d) => groupsOf(d).map((group) => ({ by: d.id, group })))];
  const want = kinds.flatMap(({ by, group }) => Array.from({ length: TALLY_SHARDS }, (_, shard) => ({ id: tallyId(s._id, shard, by, group), by, shard })));
  const have = new Set((await tx.collection(surveyTallies).getMany(want.map((w) => w.id))).map((t) => t._id));
  for (const w of want) {
    if (!have.has(w.id)) await tx.collection(surveyTallies).insert({ surveyId: s._id, by: w.by, shard: w.shard, c: {} }, { id: w.id });
  }
}

const sumShards = async (store: Store, ids: string[]) =>
  (await store.collection(surveyTallies).getMany(ids)).reduce<Record<string, unknown>>((acc, d: Stored<TallyRecord>) => addCounters(acc, d.c), {});

/** The main tally, summed over its shards: a fixed number of reads, whatever the answer count. */
const readTally = (store: Store, surveyId: string): Promise<Record<string, unknown>> =>
  sumShards(store, Array.from({ length: TALLY_SHARDS }, (_, shard) => tallyId(surveyId, shard)));

/** One cross-tab: group → its counters (shards summed). */
async function readCross(store: Store, surveyId: string, dim: Question): Promise<Record<string, Record<string, unknown>>> {
  const groups = groupsOf(dim);
  const sums = await Promise.all(groups.map((g) => sumShards(store, Array.from({ length: TALLY_SHARDS }, (_, shard) => tallyId(surveyId, shard, dim.id, g)))));
  return Object.fromEntries(groups.map((g, i) => [g, sums[i]!]));
}

// ---------------------------------------------------------------- answering

interface Submission {
  id: string;
  answers: CleanAnswers;
  staffEntered: boolean;
  enteredBy: string | null;
  respondentName: string | null;
  respondentAddress: string | null;
}

const prefixed = (deltas: Record<string, number>) => Object.fromEntries(Object.entries(deltas).map(([k, v]) => [`c.${k}`, v]));

function assertOpen(s: Doc, now: Date, version: number): void {
  const phase = phaseOf(s, now);
  if (phase === 'closed') throw new AppError(SurveyErrors.CLOSED, '问卷已结束，感谢关注');
  if (phase === 'not_open') throw new AppError(SurveyErrors.NOT_OPEN, `问卷尚未开始，开始时间：${new Date(Date.parse(s.openAt) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')}`);
  if (phase === 'draft') throw notFound();
  if (s.version !== version) throw new AppError(SurveyErrors.VERSION_CHANGED, '问卷内容已更新，请刷新后重新填写');
}

function checked(s: Doc, raw: Record<string, unknown>): CleanAnswers {
  const r = checkAnswers(s, raw);
  if (!r.ok) throw new AppError(SurveyErrors.INVALID_ANSWER, r.problems[0]!.message, asIssues(r.problems));
  return r.answers;
}

/** Texts of an answer to list and search in results (never with who wrote them). */
function textsOf(s: Survey, answers: CleanAnswers): { questionId: string; text: string; other: boolean }[] {
  const out: { questionId: string; text: string; other: boolean }[] = [];
  for (const q of s.questions) {
    const v = answers[q.id];
    if (v === undefined) continue;
    if (q.type === 'text' || q.type === 'textarea') out.push({ questionId: q.id, text: v as string, other: false });
    else if ((q.type === 'single' || q.type === 'multiple') && (v as { other?: string }).other) {
      out.push({ questionId: q.id, text: (v as { other: string }).other, other: true });
    }
  }
  return out;
}

/**
 * The answer, its tallies, its texts and the question lock in one store transaction: the insert of the
 * deterministic id fails for a second answer and takes the tally increments down with it.
 */
async function record(ctx: ActionContext, surveyId: string, version: number, sub: Submission): Promise<Stored<AnswerRecord>> {
  return withRetry(() =>
    ctx.store.transaction(async (tx) => {
      const now = ctx.now();
      const s = await load(tx, surveyId);
      assertOpen(s, now, version);
      const shard = shardOf(sub.id);
      const at = now.toISOString();
      const doc = await tx.collection(surveyAnswers).insert(
        {
          surveyId: s._id,
          communityId: s.communityId,
          answers: sub.answers,
          staffEntered: sub.staffEntered,
          enteredBy: sub.enteredBy,
          respondentName: s.anonymous ? null : sub.respondentName,
          respondentAddress: s.anonymous ? null : sub.respondentAddress,
          shard,
          createdAt: at,
        },
        { id: sub.id },
      );
      const deltas = tallyDeltas(s, sub.answers, sub.staffEntered);
      await tx.collection(surveyTallies).increment(tallyId(s._id, shard), prefixed(deltas.main));
      for (const [by, x] of Object.entries(deltas.cross)) await tx.collection(surveyTallies).increment(tallyId(s._id, shard, by, x.group), prefixed(x.deltas));
      for (const t of textsOf(s, sub.answers)) {
        await tx.collection(surveyTexts).insert({ surveyId: s._id, ...t, staffEntered: sub.staffEntered, createdAt: at }, { id: `${sub.id}:${t.questionId}` });
      }
      if (!s.locked) await col(tx).update(s._id, s._rev, { locked: true });
      return doc;
    }),
  );
}

const alreadyAnswered = (perHousehold: boolean) =>
  new AppError(SurveyErrors.ALREADY_ANSWERED, perHousehold ? '您家已经填写过这份问卷，感谢参与' : '您已经填写过这份问卷，感谢参与');

// ---------------------------------------------------------------- suggestions from results

async function ancestry(ctx: ActionContext, communityId: string): Promise<{ districtId: string; cityId: string }> {
  const path = (await regionPath(ctx, communityId)) ?? [];
  const found = await ctx.store.collection(regions).getMany(path);
  const idOf = (kind: Region['kind']) => found.find((r) => r.kind === kind)?._id ?? '';
  return { districtId: idOf('district'), cityId: idOf('city') };
}

// ---------------------------------------------------------------- the area

export const surveysArea = defineArea('surveys', surveysContract, {
  create: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const s = await newDraft(ctx, input.communityId, validDefinition(input.definition), input.settings);
      return adminView(s, ctx.now());
    },
  },

  update: {
    roles: ['community_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const def = validDefinition(input.definition);
      const s = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const cur = await load(tx, input.id);
          if (cur.status === 'closed') throw new AppError(SurveyErrors.BAD_STATE, '问卷已结束，不能修改');
          if (cur.locked) throw new AppError(SurveyErrors.LOCKED, '问卷已有人填写，题目已锁定；如需修改请创建新版本');
          if (cur.status === 'published') checkSchedule(input.settings, ctx.now());
          const next = await col(tx).update(cur._id, cur._rev, {
            title: def.title,
            intro: def.intro,
            questions: def.questions,
            openAt: normInstant(input.settings.openAt),
            closeAt: normInstant(input.settings.closeAt),
            anonymous: input.settings.anonymous,
            perHousehold: input.settings.perHousehold,
            households: input.settings.households,
            updatedAt: ctx.now().toISOString(),
          });
          if (next.status === 'published') await ensureTallies(tx, next);
          return next;
        }),
      );
      return adminView(s, ctx.now());
    },
  },

  publish: {
    roles: ['community_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const s = await withRetry(() =>
        ctx.store.transaction(async (tx) => {
          const cur = await load(tx, input.id);
          if (cur.status !== 'draft') throw new AppError(SurveyErrors.BAD_STATE, '只有草稿可以发布');
          validDefinition(cur);
          checkSchedule(cur, ctx.now());
          await ensureTallies(tx, cur);
          const now = ctx.now().toISOString();
          return col(tx).update(cur._id, cur._rev, { status: 'published', publishedAt: now, updatedAt: now });
        }),
      );
      return adminView(s, ctx.now());
    },
  },

  close: {
    roles: ['community_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const s = await withRetry(async () => {
        const cur = await load(ctx.store, input.id);
        if (cur.status !== 'published') throw new AppError(SurveyErrors.BAD_STATE, cur.status === 'closed' ? '问卷已结束' : '草稿无需结束');
        const now = ctx.now().toISOString();
        return col(ctx.store).update(cur._id, cur._rev, { status: 'closed', closedAt: now, updatedAt: now });
      });
      return adminView(s, ctx.now());
    },
  },

  newVersion: {
    roles: ['community_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const cur = await load(ctx.store, input.id);
      const s = await newDraft(
        ctx,
        cur.communityId,
        { title: cur.title, intro: cur.intro, questions: cur.questions },
        { openAt: cur.openAt, closeAt: cur.closeAt, anonymous: cur.anonymous, perHousehold: cur.perHousehold, households: cur.households },
        { version: cur.version + 1, previousId: cur._id },
      );
      return adminView(s, ctx.now());
    },
  },

  adminList: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const page = await col(ctx.store).find({
        where: { communityId: input.communityId },
        orderBy: { field: 'createdAt', direction: 'desc' },
        limit: LIST_PAGE,
        cursor: input.cursor,
      });
      const now = ctx.now();
      const items = await Promise.all(
        page.items.map(async (s) => summary(s, now, { answers: s.status === 'draft' ? 0 : counterTotal(await readTally(ctx.store, s._id)) })),
      );
      return { items, nextCursor: page.nextCursor };
    },
  },

  adminGet: {
    roles: ['community_admin'],
    scope: surveyScope,
    run: async (input, ctx) => adminView(await load(ctx.store, input.id), ctx.now()),
  },

  /** Published questionnaires of the caller's community, open ones first; whether they answered each. */
  list: {
    roles: ['resident'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const member = me(ctx);
      const grant = residentGrant(ctx, input.communityId);
      const page = await col(ctx.store).find({
        where: { communityId: input.communityId, status: 'published' },
        orderBy: { field: 'openAt', direction: 'desc' },
        limit: LIST_PAGE,
      });
      const now = ctx.now();
      const ids = page.items.map((s) => {
        try {
          return residentAnswerId(s, member, grant);
        } catch {
          return null;
        }
      });
      const done = new Set((await ctx.store.collection(surveyAnswers).getMany(ids.filter((x): x is string => !!x))).map((a) => a._id));
      const items = page.items.map((s, i) => summary(s, now, { answered: !!ids[i] && done.has(ids[i]!) }));
      const rank = { open: 0, not_open: 1, closed: 2, draft: 3 } as const;
      items.sort((a, b) => rank[a.phase] - rank[b.phase]);
      return { items };
    },
  },

  /** The questionnaire to fill in: residents of its community and its staff (for paper entry and preview). */
  get: {
    roles: ['resident', 'grid_worker', 'community_admin'],
    async run(input, ctx) {
      const member = me(ctx);
      const s = await load(ctx.store, input.id);
      const grant = residentGrant(ctx, s.communityId);
      const staff = await staffGrant(ctx, s.communityId);
      if (!grant && !staff) throw forbidden('这份问卷只面向本社区居民');
      if (s.status === 'draft' && !staff) throw notFound();
      let answered = false;
      if (grant) {
        try {
          answered = !!(await ctx.store.collection(surveyAnswers).get(residentAnswerId(s, member, grant)));
        } catch (e) {
          if (!hasCode(e, SurveyErrors.NO_ADDRESS)) throw e;
        }
      }
      return surveyView(s, ctx.now(), answered);
    },
  },

  submit: {
    roles: ['resident'],
    scope: surveyScope,
    async run(input, ctx) {
      const member = me(ctx);
      const s0 = await load(ctx.store, input.surveyId);
      const grant = residentGrant(ctx, s0.communityId);
      if (!grant) throw forbidden('这份问卷只面向本社区居民');
      assertOpen(s0, ctx.now(), input.version);
      const answers = checked(s0, input.answers);
      const id = residentAnswerId(s0, member, grant);
      try {
        const doc = await record(ctx, s0._id, input.version, {
          id, answers, staffEntered: false, enteredBy: null,
          respondentName: member.name, respondentAddress: `${grant.building ?? ''}${grant.unit ?? ''}` || null,
        });
        return { surveyId: s0._id, createdAt: doc.createdAt };
      } catch (e) {
        if (hasCode(e, ErrorCodes.DUPLICATE)) throw alreadyAnswered(s0.perHousehold);
        throw e;
      }
    },
  },

  /** 代录: grid workers and admins of the community enter a paper questionnaire; marked and counted as such. */
  staffSubmit: {
    roles: ['grid_worker', 'community_admin'],
    async run(input, ctx) {
      const member = me(ctx);
      const s0 = await load(ctx.store, input.surveyId);
      if (!(await staffGrant(ctx, s0.communityId))) throw forbidden('您无权为其他社区代录问卷');
      assertOpen(s0, ctx.now(), input.version);
      const answers = checked(s0, input.answers);
      const r = input.respondent;
      // Per household: the paper counts for that address. Per person: each paper sheet is its own answer,
      // and the client's request id makes a retry land on the same one.
      const id = s0.perHousehold
        ? answerId(s0._id, keyed(s0, addressKey(r.building, r.unit)), true)
        : answerId(s0._id, `paper-${keyed(s0, `${member._id}:${input.requestId}`)}`, false);
      try {
        const doc = await record(ctx, s0._id, input.version, {
          id, answers, staffEntered: true, enteredBy: member._id,
          respondentName: r.name || null, respondentAddress: `${r.building}${r.unit ?? ''}`,
        });
        return { surveyId: s0._id, createdAt: doc.createdAt };
      } catch (e) {
        if (!hasCode(e, ErrorCodes.DUPLICATE)) throw e;
        const prior = await ctx.store.collection(surveyAnswers).get(id);
        if (!s0.perHousehold && prior?.enteredBy === member._id) return { surveyId: s0._id, createdAt: prior.createdAt };
        throw new AppError(SurveyErrors.ALREADY_ANSWERED, '该户已经填写过这份问卷');
      }
    },
  },

  results: {
    roles: ['community_admin', 'district_admin', 'city_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const s = await load(ctx.store, input.surveyId);
      const body = await readTally(ctx.store, s._id);
      const total = counterTotal(body);
      return {
        surveyId: s._id,
        title: s.title,
        anonymous: s.anonymous,
        total,
        staffEntered: counterTotal(body, 'staff'),
        households: s.households,
        responseRate: s.households ? Math.round((total / s.households) * 1000) / 1000 : null,
        questions: resultsOf(s, body),
        dimensions: dimensionsOf(s).map((d) => ({ id: d.id, title: d.title })),
      };
    },
  },

  crossTab: {
    roles: ['community_admin', 'district_admin', 'city_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const s = await load(ctx.store, input.surveyId);
      const by = dimensionsOf(s).find((d) => d.id === input.by);
      if (!by) throw new AppError(SurveyErrors.NOT_FOUND, '该题不能用于交叉分析（需为设置了交叉分析的单选题）');
      const cross = await readCross(ctx.store, s._id, by);
      const groups = [...(by.options ?? []).map((o) => ({ id: o.id, label: o.label })), { id: NO_ANSWER, label: '未作答' }];
      return {
        by: { id: by.id, title: by.title },
        groups: groups
          .map((g) => {
            const c = cross[g.id] ?? {};
            return { ...g, total: counterTotal(c), questions: resultsOf(s, c).filter((q) => q.id !== by.id) };
          })
          .filter((g) => g.id !== NO_ANSWER || g.total > 0),
      };
    },
  },

  texts: {
    roles: ['community_admin', 'district_admin', 'city_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const page = await ctx.store.collection(surveyTexts).find({
        where: { surveyId: input.surveyId, questionId: input.questionId, ...(input.q ? { text: { contains: input.q } } : {}) },
        orderBy: { field: 'createdAt', direction: 'desc' },
        limit: TEXT_PAGE,
        cursor: input.cursor,
      });
      return {
        items: page.items.map((t) => ({ _id: t._id, text: t.text, other: t.other, staffEntered: t.staffEntered, createdAt: t.createdAt })),
        nextCursor: page.nextCursor,
      };
    },
  },

  /** Every answer as .xlsx (one row each, one column per question) plus a summary sheet from the tallies. */
  exportXlsx: {
    roles: ['community_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const s = await load(ctx.store, input.surveyId);
      const { buildSurveyWorkbook, XLSX_TYPE } = await import('./surveys.export');
      let count = 0;
      let truncated = false;
      const store = ctx.store;
      async function* pages() {
        let cursor: string | null = null;
        do {
          const page = await store.collection(surveyAnswers).find({
            where: { surveyId: s._id },
            orderBy: { field: 'createdAt', direction: 'asc' },
            limit: Math.min(EXPORT_PAGE, SURVEY_EXPORT_MAX - count),
            cursor,
          });
          count += page.items.length;
          cursor = page.nextCursor;
          yield page.items;
        } while (cursor && count < SURVEY_EXPORT_MAX);
        truncated = cursor !== null;
      }
      const body = await readTally(ctx.store, s._id);
      const bytes = await buildSurveyWorkbook(s, pages(), {
        results: resultsOf(s, body),
        total: counterTotal(body),
        staffEntered: counterTotal(body, 'staff'),
        exportedAt: ctx.now().toISOString(),
        isTruncated: () => truncated,
      });
      const file = await ctx.files.put(bytes, { ownerOpenid: ctx.caller.openid, contentType: XLSX_TYPE, ext: 'xlsx', folder: 'exports' });
      const url = (await ctx.files.urls([file.fileId]))[file.fileId];
      if (!url) throw new Error('export saved without a URL');
      return { fileId: file.fileId, url, count, truncated };
    },
  },

  exportDefinition: {
    roles: ['community_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const s = await load(ctx.store, input.id);
      return { format: DEFINITION_FORMAT as typeof DEFINITION_FORMAT, title: s.title, intro: s.intro, questions: s.questions };
    },
  },

  /** Another community's exported definition (JSON) as a new draft here. */
  importDefinition: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const raw = input.definition;
      if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== DEFINITION_FORMAT) {
        throw new AppError(SurveyErrors.INVALID_DEFINITION, '不是本系统导出的问卷文件');
      }
      const parsed = Definition.safeParse(raw);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message }));
        throw new AppError(SurveyErrors.INVALID_DEFINITION, `问卷文件有误：${issues[0]?.message ?? ''}`, issues);
      }
      const s = await newDraft(ctx, input.communityId, validDefinition(parsed.data), input.settings);
      return adminView(s, ctx.now());
    },
  },

  /** An option or a text answer of the results becomes a suggestion (source 'survey'); once per option or text. */
  toSuggestion: {
    roles: ['community_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const s = await load(ctx.store, input.surveyId);
      const q = s.questions.find((x) => x.id === input.questionId);
      if (!q) throw new AppError(SurveyErrors.NOT_FOUND, '问卷中没有这道题');
      if (input.optionId && !q.options?.some((o) => o.id === input.optionId)) throw new AppError(SurveyErrors.NOT_FOUND, '这道题没有该选项');
      if (input.textId) {
        const t = await ctx.store.collection(surveyTexts).get(input.textId);
        if (!t || t.surveyId !== s._id || t.questionId !== q.id) throw new AppError(SurveyErrors.NOT_FOUND, '找不到这条文字答案');
      }
      const verdict = await ctx.safety.check(input.text, ctx.caller.openid);
      if (!verdict.ok) throw new AppError(SurveyErrors.UNSAFE_CONTENT, verdict.reason);
      const source = input.optionId ? `o:${input.optionId}` : `t:${input.textId}`;
      const authorId = `survey:${s._id}`;
      const id = suggestionId(authorId, `${q.id}:${source}`);
      if (await ctx.store.collection(suggestions).get(id)) return { suggestionId: id, created: false };
      const doc = newSuggestionRecord({
        communityId: s.communityId,
        ...(await ancestry(ctx, s.communityId)),
        // Not a person: the questionnaire speaks for those who answered (anonymous ones stay anonymous).
        author: { id: authorId, openid: '', name: `问卷：${s.title}`.slice(0, 30), phone: null, address: null },
        showName: false,
        source: 'survey',
        category: input.category,
        text: input.text,
        origin: {
          kind: 'survey', id: s._id, questionId: q.id,
          ...(input.optionId ? { optionId: input.optionId } : {}), ...(input.textId ? { textId: input.textId } : {}),
        },
        now: ctx.now().toISOString(),
      });
      try {
        await ctx.store.collection(suggestions).insert(doc, { id });
        return { suggestionId: id, created: true };
      } catch (e) {
        if (hasCode(e, ErrorCodes.DUPLICATE)) return { suggestionId: id, created: false };
        throw e;
      }
    },
  },
});

