/** The words a resident reads for their adopted suggestion, one per state the demand can be in. */
import { followText, type Followed } from '../../src/features/matters/follow.labels';

const open = (stage: Followed['stage'], onSlate: boolean): Followed => ({ demand: { status: 'open', leftOutText: null }, stage, onSlate });

test('not adopted: nothing to say', () => {
  expect(followText({ demand: null, stage: null, onSlate: false })).toBeNull();
});

test('on the list, waiting, on the slate at a deliberation, in 公示', () => {
  expect(followText(open(null, false))).toBe('在需求清单中，等待社区议定年度实事');
  expect(followText(open('review', false))).toBe('在需求清单中，等待社区议定年度实事');
  expect(followText(open('consultation', true))).toBe('已列入提议事项，当前：两委会商议');
  expect(followText(open('publicity', true))).toBe('已列入实事草案，正在公示，欢迎提出意见');
});

test('once the list is fixed: 已列入, or 未列入 with the published reason; a fast-tracked one is done', () => {
  expect(followText({ demand: { status: 'selected', leftOutText: null }, stage: 'fixed', onSlate: true })).toBe('已列入年度实事清单');
  expect(followText({ demand: { status: 'left_out', leftOutText: '转交职能部门：区住建局' }, stage: 'fixed', onSlate: false })).toBe('未列入年度实事：转交职能部门：区住建局');
  expect(followText({ demand: { status: 'fast_track', leftOutText: null }, stage: null, onSlate: false })).toBe('已作为微实事办结');
});
