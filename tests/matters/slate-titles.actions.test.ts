/** The slate names every demand its meetings voted on, also one voted down (it leaves the items, not the record). */
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { createHarness, dataOf } from '../support/harness';

const ADMIN = P.adminPeixin.openid;
const KEY = { communityId: R.peixin, year: 2025 }; // the harness clock: 2025-03-03 in Shanghai

test('a demand voted down at the 两委会商议 keeps its title in the meeting records', async () => {
  const h = await createHarness();
  try {
    const make = async (n: number, title: string) =>
      dataOf(await h.call('matters', 'createDemand', { requestId: `titles-${n}`, ...KEY, title, category: '公共设施', note: '居民议事会提出' }, ADMIN))._id as string;
    const [lift, square] = [await make(1, '老旧小区加装电梯'), await make(2, '社区广场健身器材更新')];
    const record = (step: string, date: string, votes: Record<string, { for: number; against: number; abstain: number }>) =>
      h.call('matters', 'recordStep', {
        ...KEY, step, date, expected: 9, present: 9, votes, minutes: '会议讨论并表决',
        ...(step === 'proposal' ? { reasons: { [lift]: '老人上下楼难', [square]: '器材老化' } } : {}),
      }, ADMIN);
    const yes = { for: 9, against: 0, abstain: 0 };
    dataOf(await record('proposal', '2025-02-20', { [lift]: yes, [square]: yes }));
    const v = dataOf(await record('consultation', '2025-02-22', { [lift]: yes, [square]: { for: 2, against: 6, abstain: 1 } }));
    expect(v.items.map((i: { demandId: string }) => i.demandId)).toEqual([lift]);
    expect(v.steps[1].failed).toEqual([square]);
    expect(v.titles).toEqual({ [lift]: '老旧小区加装电梯', [square]: '社区广场健身器材更新' });
    // Residents read the same slate.
    expect(dataOf(await h.call('matters', 'getSlate', KEY, P.residentPeixin.openid)).titles[square]).toBe('社区广场健身器材更新');
  } finally {
    await h.close();
  }
});
