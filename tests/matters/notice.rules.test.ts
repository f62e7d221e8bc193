/** The wording of the printed 公示 sheet: title by stage, costs as people read them, dates in Shanghai, how to object. */
import { cnDate, cnDateTime, costText, noticeText, type NoticeInput } from '../../src/features/matters/notice.rules';

test.each([
  [null, '待估算'],
  [0, '0元'],
  [800_000, '8000元'],
  [1_234_56, '1234.56元'],
  [1_000_000, '1万元'],
  [12_500_000, '12.5万元'],
  [123_456_789, '123.46万元'],
])('costText(%p) = %s', (fen, text) => expect(costText(fen)).toBe(text));

test('dates are read in Asia/Shanghai', () => {
  expect(cnDate('2026-11-30T16:30:00.000Z')).toBe('2026年12月1日');
  expect(cnDate('2026-03-05')).toBe('2026年3月5日');
  expect(cnDateTime('2026-12-02T02:00:00.000Z')).toBe('2026年12月2日10时');
  expect(cnDateTime('2026-12-02T02:30:00.000Z')).toBe('2026年12月2日10时30分');
});

const steps = [
  { step: 'proposal', date: '2026-11-10' },
  { step: 'consultation', date: '2026-11-12' },
  { step: 'review', date: '2026-11-15' },
  { step: 'resolution', date: '2026-11-18' },
] as const;
const base: NoticeInput = {
  communityName: '培新街社区',
  year: 2026,
  stage: 'publicity',
  items: [
    { title: '孝义食堂', reason: '居民呼声最高', supporters: 30, anonymous: 3, cost: 12_500_000 },
    { title: '楼道照明', reason: '', supporters: 12, anonymous: 0, cost: null },
  ],
  steps: [...steps],
  publicity: { start: '2026-11-19T02:00:00.000Z', end: '2026-11-26T02:00:00.000Z', daysLeft: 3 },
  fixedAt: null,
  today: '2026-11-23',
};

test('in 公示: the 拟定 title, the four meetings with dates, the window and how to object until when', () => {
  const t = noticeText(base);
  expect(t.title).toBe('培新街社区2026年十件实事（拟定）公示');
  expect(t.draftWarning).toBeNull();
  expect(t.intro).toContain('经党组织提议、两委会商议、党员大会审议、居民代表会议决议');
  expect(t.items).toEqual([
    { n: 1, title: '孝义食堂', reason: '居民呼声最高', supporters: '30人（另有匿名3份）', cost: '12.5万元' },
    { n: 2, title: '楼道照明', reason: '—', supporters: '12人', cost: '待估算' },
  ]);
  expect(t.total).toBe('共2项，预估费用合计12.5万元（另有1项待估算）。');
  expect(t.steps).toEqual(['党组织提议：2026年11月10日', '两委会商议：2026年11月12日', '党员大会审议：2026年11月15日', '居民代表会议决议：2026年11月18日']);
  expect(t.publicity).toBe('公示期：2026年11月19日至2026年11月26日');
  expect(t.objection).toContain('请于2026年11月26日10时前');
  expect(t.objection).toContain('社区党群服务中心');
  expect(t.signature).toBe('培新街社区居民委员会');
  expect(t.date).toBe('2026年11月23日');
});

test('fixed: the 清单 title, no objection line', () => {
  const t = noticeText({ ...base, stage: 'fixed', fixedAt: '2026-11-27T02:00:00.000Z' });
  expect(t.title).toBe('培新街社区2026年十件实事清单');
  expect(t.intro).toContain('并经公示');
  expect(t.objection).toBeNull();
  expect(t.draftWarning).toBeNull();
});

test('before 公示 the sheet says it is a draft', () => {
  expect(noticeText({ ...base, publicity: null }).draftWarning).toBe('尚未开始公示，本页为草稿，请勿张贴');
  expect(noticeText({ ...base, stage: 'review', steps: steps.slice(0, 2), publicity: null }).draftWarning).toBe('四议尚未完成，本页为草稿，请勿张贴');
  expect(noticeText({ ...base, stage: 'proposal', steps: [], items: [], publicity: null }).total).toBe('共0项。');
  expect(noticeText({ ...base, items: base.items.map((i) => ({ ...i, cost: null })) }).total).toBe('共2项，预估费用待估算。');
});
