/** Export (.xlsx answers, JSON definitions) and import of definitions. */
import { AppError } from '../../../lib/errors';
import type { AreaActions } from '../../../server/action';
import { saveExport } from '../../../server/files/exports';
import { pagesOf } from '../../../server/read-all';
import { surveyAnswers } from '../surveys.collections';
import { counterTotal, resultsOf } from '../surveys.tally.rules';
import { Definition, DEFINITION_FORMAT, surveysContract } from '../surveys.schema';
import { newDraft, validDefinition } from './build';
import { adminView, load, readTally, SurveyErrors, surveyScope } from './shared';


export const SURVEY_EXPORT_MAX = 100_000;

export const transferActions = {
  /** Every answer as .xlsx (one row each, one column per question) plus a summary sheet from the tallies. */
  exportXlsx: {
    roles: ['community_admin'],
    scope: surveyScope,
    async run(input, ctx) {
      const s = await load(ctx.store, input.surveyId);
      const { buildSurveyWorkbook } = await import('../surveys.export');
      const answers = pagesOf(ctx.store.collection(surveyAnswers), { where: { surveyId: s._id }, orderBy: { field: 'createdAt', direction: 'asc' } }, SURVEY_EXPORT_MAX);
      const body = await readTally(ctx.store, s._id);
      const bytes = await buildSurveyWorkbook(s, answers.pages, {
        results: resultsOf(s, body),
        total: counterTotal(body),
        staffEntered: counterTotal(body, 'staff'),
        exportedAt: ctx.now().toISOString(),
        isTruncated: answers.truncated,
      });
      return { ...(await saveExport(ctx.files, ctx.caller.openid, bytes)), count: answers.count(), truncated: answers.truncated() };
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
} satisfies Partial<AreaActions<typeof surveysContract>>;
