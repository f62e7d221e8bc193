/** A result (an option or a text answer) becomes a suggestion. */
import { AppError } from '../../../lib/errors';
import type { AreaActions } from '../../../server/action';
import { ancestry } from '../../regions/regions.service';
import { fileSuggestion, suggestionIdFor } from '../../suggestions/suggestions.service';
import { surveyTexts } from '../surveys.collections';
import { surveysContract } from '../surveys.schema';
import { load, SurveyErrors, surveyScope } from './shared';

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
      const id = suggestionIdFor(authorId, `${q.id}:${source}`);
      const { idOf } = await ancestry(ctx.store, s.communityId);
      const created = await fileSuggestion(ctx.store, id, {
        communityId: s.communityId,
        districtId: idOf('district'),
        cityId: idOf('city'),
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
      return { suggestionId: id, created };
    },
  },
} satisfies Partial<AreaActions<typeof surveysContract>>;
