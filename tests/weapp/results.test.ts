/**
 * How a matter ends, under miniprogram-simulate: the residents' result page (packages/matters/result) with six
 * before/after pairs, the rating form and comments, and the admin's 验收与回访 page (packages/matters-admin/closing).
 * Answers are canned and checked against the contracts; setData sizes and node counts are checked (limits) and
 * recorded in test-artifacts/weapp-results-metrics.json. Pages run in elder mode (WeChat's large font).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mattersContract } from '../../src/features/matters/matters.schema';
import type { BoardItem, ClosingView, ResultView } from '../../src/features/matters/results.schema';
import { membersContract } from '../../src/features/members/members.schema';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import type { OpenedPage, PageMetrics } from './simulate-env';
import { useWeapp, type Answers } from './suite';

const COMM = REGION_IDS.peixin;
const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const AT = `${YEAR}-03-02T02:00:00.000Z`;
const MATTER = 'matter:dm-1';
const photo = (i: number) => `cloud://env.bucket/photos/p${i}.jpg`;

let mine: ResultView['mine'] = null;
const result = (): ResultView => ({
  matterId: MATTER, title: '老旧楼栋楼道照明改造', year: YEAR, state: 'accepted', progress: 100,
  acceptance: { date: `${YEAR}-03-02`, representatives: ['王*华', '李*兰'], notes: '楼道灯全部点亮，验收合格', photos: [photo(20), photo(21)] },
  result: {
    summary: '更换楼道声控灯 120 盏，夜间全部点亮', budget: 3_000_000, spent: 2_650_000, spendingNote: '财政资金', publishedAt: AT,
    pairs: Array.from({ length: 6 }, (_, i) => ({ before: photo(2 * i), after: photo(2 * i + 1), caption: `${i + 1}栋` })),
  },
  units: [{ name: '安康市供电公司', lead: true }, { name: '培新街物业公司', lead: false }],
  leaders: ['李书记'],
  satisfaction: mine ? { satisfied: 40, basic: 11, dissatisfied: 3, total: 54, rate: 0.944 } : { satisfied: 40, basic: 10, dissatisfied: 3, total: 53, rate: 0.943 },
  followUp: { dueDay: `${YEAR}-03-30`, state: 'scheduled', outcome: null },
  mine,
  canRate: !mine,
  urls: Object.fromEntries(Array.from({ length: 22 }, (_, i) => [photo(i), `https://files.example/p${i}.jpg`])),
});

const closing = (over: Partial<ClosingView> = {}): ClosingView => ({
  _id: MATTER, title: '老旧楼栋楼道照明改造', communityId: COMM, state: 'completed', progress: 100,
  completion: { at: AT, day: `${YEAR}-03-02`, by: 'm-liufang' }, acceptance: null, result: null,
  satisfaction: { satisfied: 0, basic: 0, dissatisfied: 0, total: 0 }, closingRules: { followUpDays: 28, attention: { share: 0.3, minRatings: 5 } },
  followUp: null, attention: { open: false, reasons: [], since: null, responses: [] }, reopenings: [], ...over,
});
const noRatings = { satisfied: 0, basic: 0, dissatisfied: 0, total: 0, rate: null };
const board = (): { items: BoardItem[] } => ({
  items: [
    { matterId: 'matter:dm-2', title: '巷口积水改造', year: YEAR, state: 'accepted', progress: 100, satisfaction: { satisfied: 2, basic: 1, dissatisfied: 3, total: 6, rate: 0.5 }, followUp: { dueDay: `${YEAR}-03-01`, state: 'scheduled', due: true }, attention: ['ratings'] },
    { matterId: MATTER, title: '老旧楼栋楼道照明改造', year: YEAR, state: 'completed', progress: 100, satisfaction: noRatings, followUp: null, attention: null },
    { matterId: 'matter:dm-3', title: '社区广场健身器材更新', year: YEAR, state: 'in_progress', progress: 100, satisfaction: noRatings, followUp: null, attention: null },
  ],
});

const answers: Answers = {
  'members.me': () => {
    const p = DEMO_PEOPLE.adminPeixin;
    return { openid: p.openid, member: { _id: p.memberId, name: p.name, phoneMasked: '138****0004', grants: p.grants } };
  },
  'matters.getResult': () => result(),
  'matters.rateMatter': (i: { level: 'basic' }) => {
    mine = i.level;
    return { mine: i.level, satisfaction: result().satisfaction };
  },
  'matters.listRatingComments': () => ({
    items: Array.from({ length: 20 }, (_, i) => ({ _id: `c${i}`, level: i % 3 ? 'satisfied' : 'basic', comment: `楼道亮堂了，晚上回家安心（${i}）`.repeat(3), at: AT })),
    nextCursor: 'more',
  }),
  'matters.closingBoard': () => board(),
  'matters.completeMatter': () => closing(),
  'matters.respondToAttention': () => closing({ _id: 'matter:dm-2', state: 'accepted' }),
  'matters.startFollowUp': () => closing({ _id: 'matter:dm-2', state: 'accepted' }),
};

const weapp = useWeapp({
  contracts: { matters: mattersContract, members: membersContract },
  answers,
  where: 'tests/weapp/results.test.ts',
  reset: () => {
    mine = null;
  },
  limits: true,
});
const metrics = new Map<string, PageMetrics>();
beforeAll(() => {
  weapp.env.fontScale.current = 1.25;
});
afterAll(() => {
  if (!metrics.size) return;
  const dir = path.resolve(__dirname, '../../test-artifacts');
  mkdirSync(dir, { recursive: true });
  const rows = [...metrics.values()].map(({ page, maxSetDataBytes, setDataCalls, nodes }) => ({ page, maxSetDataBytes, setDataCalls, nodes }));
  writeFileSync(path.join(dir, 'weapp-results-metrics.json'), JSON.stringify({ pages: rows }, null, 2) + '\n');
  // eslint-disable-next-line no-console
  console.log(`result pages (largest setData, calls, nodes)\n${rows.map((m) => `  ${m.page.padEnd(36)} ${String(m.maxSetDataBytes).padStart(8)} B ${String(m.setDataCalls).padStart(4)} ${String(m.nodes).padStart(5)} nodes`).join('\n')}`);
});
async function open(page: string, query: Record<string, string> = {}): Promise<OpenedPage> {
  const pg = await weapp.open(page, query);
  const keep = pg.detach;
  pg.detach = () => {
    keep();
    metrics.set(pg.metrics.page, { ...pg.metrics });
  };
  return pg;
}
const calls = (action: string) => weapp.env.cloudCalls.filter((c) => c.name === 'matters' && c.data.action === action);
async function type(pg: OpenedPage, id: string, value: string) {
  const el = pg.byId(id);
  await pg.fire((el.querySelector('wx-textarea') as HTMLElement | null) ?? (el.querySelector('wx-input') as HTMLElement | null) ?? el, 'input', { value, cursor: 0 });
}

test('the result page: six before/after pairs, money, masked representatives; a rating goes out and the form turns into “您的评价”', async () => {
  const pg = await open('packages/matters/result/index', { id: encodeURIComponent(MATTER) });
  await pg.until(() => pg.hasId('result-pair-5'), 'six pairs');
  expect(pg.byId('page-result').getAttribute('class')).toContain('elder');
  expect(pg.byId('result-pair-0').querySelectorAll('wx-image')).toHaveLength(2);
  expect(pg.byId('result-money').textContent).toContain('预算 30,000 元');
  expect(pg.byId('result-money').textContent).toContain('结余 3,500 元');
  expect(pg.byId('result-acceptance').textContent).toContain('王*华、李*兰');
  expect(pg.text()).toContain('安康市供电公司（牵头）');
  expect(pg.byId('result-satisfaction').textContent).toContain('满意率 94.3%（53 人评价');
  await pg.until(() => pg.hasId('result-comment-19'), 'twenty comments');

  await pg.tap(pg.byId('result-level-basic'));
  await type(pg, 'result-comment', '楼道亮堂了');
  await pg.tap(pg.byId('result-submit'));
  await pg.until(() => calls('rateMatter').length === 1, 'the rating sent');
  expect(calls('rateMatter')[0]!.data.input).toEqual({ matterId: MATTER, level: 'basic', comment: '楼道亮堂了' });
  await pg.until(() => pg.hasId('result-mine'), 'the form replaced by the rating');
  expect(pg.byId('result-mine').textContent).toContain('基本满意');
  expect(pg.byId('result-satisfaction').textContent).toContain('54 人评价');
});

test('the 验收与回访 page: the flagged matter first; complete at 100 %; 验收 needs photos before it is sent; a response goes out', async () => {
  const pg = await open('packages/matters-admin/closing/index', { communityId: COMM, year: String(YEAR) });
  await pg.until(() => pg.hasId('closing-item-2'), 'three matters');
  expect(pg.byId('closing-attention-0').textContent).toContain('不满意评价偏多');
  expect(pg.hasId('closing-start-0')).toBe(true);
  expect(pg.hasId('closing-complete-2')).toBe(true);

  await pg.tap(pg.byId('closing-complete-2'));
  await pg.until(() => calls('completeMatter').length === 1, 'completeMatter');
  expect(calls('completeMatter')[0]!.data.input).toEqual({ matterId: 'matter:dm-3' });

  await pg.tap(pg.byId('closing-accept-1'));
  await pg.until(() => pg.hasId('closing-accept-form-1'), 'the 验收 form');
  await type(pg, 'closing-reps-1', '王建华、李秀兰');
  await type(pg, 'closing-notes-1', '楼道灯全部点亮，验收合格');
  await pg.tap(pg.byId('closing-accept-submit-1'));
  await pg.until(() => pg.hasId('closing-accept-error-1'), 'the photo reminder');
  expect(pg.byId('closing-accept-error-1').textContent).toBe('请上传至少一张验收照片');
  expect(calls('acceptMatter')).toHaveLength(0);

  await pg.tap(pg.byId('closing-respond-0'));
  await pg.until(() => pg.hasId('closing-respond-form-0'), 'the response form');
  await type(pg, 'closing-respond-text-0', '已约物业本周内疏通排水');
  await pg.tap(pg.byId('closing-respond-submit-0'));
  await pg.until(() => calls('respondToAttention').length === 1, 'respondToAttention');
  expect(calls('respondToAttention')[0]!.data.input).toEqual({ matterId: 'matter:dm-2', response: '已约物业本周内疏通排水' });
});
