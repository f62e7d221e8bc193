/**
 * Questionnaire answers join the demand list: an option brings every respondent who chose it (each a supporter,
 * counted once across all sources, as suggestions are); an anonymous questionnaire's respondents and a text
 * answer's author cannot be linked to anyone and are counted as anonymous.
 */
import { AppError } from '../../../lib/errors';
import { hash128 } from '../../../lib/hash';
import type { ActionContext, AreaActions } from '../../../server/action';
import { withRetry } from '../../../server/conflict-retry';
import { ancestry } from '../../regions/regions.service';
import { optionBacking, surveyCommunity, surveyTextBrief } from '../../surveys/surveys.service';
import { demands, demandSources } from '../matters.collections';
import { mattersContract, type SourceKind } from '../matters.schema';
import { attachSource, insertDemand, MattersErrors, newDemand, personKey, yearOf } from './demands';

const EXCERPT = 60;

interface Backing {
  communityId: string;
  kind: SourceKind;
  sourceId: string;
  ref: string;
  excerpt: string;
  title: string;
  backers: string[];
  anonymous: number;
}

async function backingOf(ctx: ActionContext, from: { kind: 'option'; surveyId: string; questionId: string; optionId: string } | { kind: 'text'; textId: string }): Promise<Backing> {
  if (from.kind === 'option') {
    const b = await optionBacking(ctx.store, from.surveyId, from.questionId, from.optionId);
    if (!b) throw new AppError('MATTERS.SURVEY_ANSWER_NOT_FOUND', '找不到这份问卷的这道题或选项');
    return {
      communityId: b.communityId, kind: 'survey_option', sourceId: `dsrc:survey_option:${from.surveyId}:${from.questionId}:${from.optionId}`, ref: from.surveyId,
      excerpt: `${b.surveyTitle}：${b.questionTitle} → ${b.optionLabel}`.slice(0, EXCERPT), title: b.optionLabel.slice(0, 40),
      backers: [...new Set(b.respondents)].map(personKey), anonymous: b.anonymous,
    };
  }
  const t = await surveyTextBrief(ctx.store, from.textId);
  if (!t) throw new AppError('MATTERS.SURVEY_ANSWER_NOT_FOUND', '找不到这条问卷文字回答');
  return { communityId: t.communityId, kind: 'survey_text', sourceId: `dsrc:survey_text:${from.textId}`, ref: from.textId, excerpt: t.text.slice(0, EXCERPT), title: t.text.slice(0, 20), backers: [], anonymous: 1 };
}

export const surveySourceActions = {
  adoptSurveyAnswer: {
    roles: ['community_admin'],
    scope: async (input, ctx) => (input.from.kind === 'option' ? await surveyCommunity(ctx.store, input.from.surveyId) : (await surveyTextBrief(ctx.store, input.from.textId))?.communityId ?? null),
    async run(input, ctx) {
      const b = await backingOf(ctx, input.from);
      const by = ctx.caller.member!._id;
      const { idOf } = await ancestry(ctx.store, b.communityId);
      const newId = `dm${hash128(`survey:${b.sourceId}`)}`;
      return withRetry(() =>
        ctx.store.transaction(async (tx) => {
          if (await tx.collection(demandSources).get(b.sourceId)) throw new AppError(MattersErrors.ALREADY_ADOPTED, '这条问卷结果已在需求清单中');
          const now = ctx.now().toISOString();
          let target = input.into ? await tx.collection(demands).get(input.into) : null;
          if (input.into && !target) throw new AppError(MattersErrors.DEMAND_NOT_FOUND, '找不到这条需求');
          if (target && target.communityId !== b.communityId) throw new AppError('MATTERS.MERGE_OTHER_COMMUNITY', '只能纳入本社区的需求');
          if (target && target.status !== 'open') throw new AppError('MATTERS.DEMAND_NOT_OPEN', '这条需求已并入其他需求或已确定');
          const created = !target;
          if (!target) {
            target = await insertDemand(tx, newId, newDemand({
              communityId: b.communityId, districtId: idOf('district'), cityId: idOf('city'), year: yearOf(ctx.now()),
              title: input.title ?? b.title, description: b.excerpt, category: input.category, by, now,
            }));
          }
          const d = await attachSource(tx, target, b.sourceId, { demandId: target._id, communityId: b.communityId, kind: b.kind, ref: b.ref, excerpt: b.excerpt, backers: b.backers, anonymous: b.anonymous, note: null, at: now, by, movedFrom: null }, now);
          return { demandId: d._id, created, supporters: d.supporters, anonymous: d.anonymous };
        }),
        { duplicates: true },
      );
    },
  },
} satisfies Partial<AreaActions<typeof mattersContract>>;
