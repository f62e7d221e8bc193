/** A result (an option or a text answer) becomes a suggestion. */
import { AppError, ErrorCodes } from '../../../lib/errors';
import type { ActionContext, AreaActions } from '../../../server/action';
import { regionPath } from '../../../server/dispatch';
import { regions } from '../../regions/regions.collections';
import type { Region } from '../../regions/regions.schema';
import { suggestions } from '../../suggestions/suggestions.collections';
import { newSuggestionRecord } from '../../suggestions/suggestions.record';
import { suggestionId } from '../../suggestions/suggestions.rules';
import { surveyTexts } from '../surveys.collections';
import { surveysContract } from '../surveys.schema';
import { hasCode, load, SurveyErrors, surveyScope } from './shared';

async function ancestry(ctx: ActionContext, communityId: string): Promise<{ districtId: string; cityId: string }> {
  const path = (await regionPath(ctx, communityId)) ?? [];
  const found = await ctx.store.collection(regions).getMany(path);
  const idOf = (kind: Region['kind']) => found.find((r) => r.kind === kind)?._id ?? '';
  return { districtId: idOf('district'), cityId: idOf('city') };
}

export const toSuggestionActions = {
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
} satisfies Partial<AreaActions<typeof surveysContract>>;
