/**
 * Demo questionnaire: one published 培新街社区 survey (with a skip rule and a cross-tab by age band),
 * open for a year from the first seeding. Fixed id: seeding again writes nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Services } from '../action';
import { surveys, surveyTallies } from '../../features/surveys/surveys.collections';
import { definitionProblems, dimensionsOf } from '../../features/surveys/surveys.rules';
import { groupsOf, tallyId, TALLY_SHARDS } from '../../features/surveys/surveys.tally.rules';
import type { Definition } from '../../features/surveys/surveys.schema';
import { DEMO_PEOPLE, REGION_IDS as R } from './demo-data';

export const DEMO_SURVEY_ID = 'survey-demo-peixin';

const o = (...labels: string[]) => labels.map((label, i) => ({ id: String.fromCharCode(97 + i), label }));

export const DEMO_SURVEY: Definition = {
  title: '2025年培新街社区“十件实事”需求调查',
  intro: '为办好今年的十件民生实事，请您花两分钟填写本问卷。问卷实名填写，每人一份。',
  questions: [
    { id: 'age', type: 'single', title: '您的年龄段', required: true, options: o('40岁以下', '40–59岁', '60–69岁', '70岁及以上'), crossTab: true },
    { id: 'need', type: 'multiple', title: '您最希望社区今年办好哪些事？（最多选3项）', required: true, minPicks: 1, maxPicks: 3,
      options: [...o('老旧小区加装电梯', '老年助餐点', '停车位改造', '路灯和道路维修', '社区卫生服务'), { id: 'x', label: '其他（请注明）', other: true }] },
    { id: 'meal', type: 'single', title: '您或家人需要老年助餐服务吗？', required: true, options: o('需要', '不需要') },
    { id: 'price', type: 'number', title: '每餐能接受的价格（元）', required: true, min: 0, max: 50, integer: true,
      showIf: { questionId: 'meal', op: 'equals', values: ['a'] } },
    { id: 'stars', type: 'rating', title: '您对社区工作的总体满意度', required: true },
    { id: 'idea', type: 'textarea', title: '其他意见和建议（选填）', required: false },
  ],
};

export async function seedDemoSurveys(services: Services): Promise<void> {
  if (definitionProblems(DEMO_SURVEY).length) throw new Error('demo survey definition is invalid');
  const now = services.now();
  await services.store.transaction(async (tx) => {
    if (await tx.collection(surveys).get(DEMO_SURVEY_ID)) return;
    const at = now.toISOString();
    await tx.collection(surveys).insert(
      {
        ...DEMO_SURVEY,
        communityId: R.peixin,
        communityName: '培新街社区',
        openAt: at,
        closeAt: new Date(now.getTime() + 365 * 86400_000).toISOString(),
        anonymous: false,
        perHousehold: false,
        households: 1200,
        status: 'published',
        version: 1,
        previousId: null,
        locked: false,
        answerKey: randomBytes(32).toString('base64url'),
        createdBy: DEMO_PEOPLE.adminPeixin.memberId,
        createdAt: at,
        updatedAt: at,
        publishedAt: at,
        closedAt: null,
      },
      { id: DEMO_SURVEY_ID },
    );
    const kinds = [{ by: null as string | null, group: null as string | null }, ...dimensionsOf(DEMO_SURVEY).flatMap((d) => groupsOf(d).map((group) => ({ by: d.id, group })))];
    for (const { by, group } of kinds) {
      for (let shard = 0; shard < TALLY_SHARDS; shard++) {
        await tx.collection(surveyTallies).insert({ surveyId: DEMO_SURVEY_ID, by, shard, c: {} }, { id: tallyId(DEMO_SURVEY_ID, shard, by, group) });
      }
    }
  });
}
