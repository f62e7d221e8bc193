/** Building questionnaires: drafts, edits, new versions, the admin's list. */
import { AppError } from '../../../lib/errors';
import type { ActionContext, AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import type { Fields, TxStore } from '../../../server/store/store';
import { getRegion } from '../../regions/regions.service';
import { surveyTallies } from '../surveys.collections';
import { definitionProblems, dimensionsOf, scheduleProblems } from '../surveys.rules';
import { counterTotal, groupsOf, TALLY_SHARDS, tallyId } from '../surveys.tally.rules';
import { Definition, type Settings, type Survey, surveysContract } from '../surveys.schema';
import { adminView, asIssues, col, type Doc, LIST_PAGE, load, me, readTally, summary, SurveyErrors, surveyScope } from './shared';
import { randomBytes } from 'node:crypto';

/** Parses and checks a definition; refuses with every problem (path + Chinese message). */
export function validDefinition(def: Definition): Definition {
  const problems = definitionProblems(def);
  if (problems.length) throw new AppError(SurveyErrors.INVALID_DEFINITION, problems[0]!.message, asIssues(problems));
  return def;
}

export function checkSchedule(s: Pick<Settings, 'openAt' | 'closeAt'>, now: Date): void {
  const problems = scheduleProblems(s, now);
  if (problems.length) throw new AppError(SurveyErrors.INVALID_DEFINITION, problems[0]!.message, asIssues(problems));
}

const normInstant = (iso: string) => new Date(iso).toISOString();

export async function newDraft(ctx: ActionContext, communityId: string, def: Definition, settings: Settings, extra: Partial<Fields<Survey>> = {}): Promise<Doc> {
  const community = await getRegion(ctx.store, communityId);
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
export async function ensureTallies(tx: TxStore, s: Survey & { _id: string }): Promise<void> {
  const kinds = [{ by: null as string | null, group: null as string | null }, ...dimensionsOf(s).flatMap((d) => groupsOf(d).map((group) => ({ by: d.id, group })))];
  const want = kinds.flatMap(({ by, group }) => Array.from({ length: TALLY_SHARDS }, (_, shard) => ({ id: tallyId(s._id, shard, by, group), by, shard })));
  const have = new Set((await tx.collection(surveyTallies).getMany(want.map((w) => w.id))).map((t) => t._id));
  for (const w of want) {
    if (!have.has(w.id)) await tx.collection(surveyTallies).insert({ surveyId: s._id, by: w.by, shard: w.shard, c: {} }, { id: w.id });
  }
}

export const buildActions = {
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
} satisfies Partial<AreaActions<typeof surveysContract>>;
