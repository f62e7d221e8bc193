/** Pure rules of units and leaders: name keys, a matter's units, leaders' coverage, the wall's order. */
import { assignmentRefusal, insideHome, normaliseUnitName, unitNameId } from '../../src/features/units/units.rules';
import { claimId, leaderCovers, wallOrder } from '../../src/features/leaders/leaders.rules';

describe('unit names', () => {
  test.each([
    ['安康 银行', '安康银行'],
    ['ＡＢＣ公司', 'abc公司'],
    ['  培新物业 ', '培新物业'],
  ])('%s and %s are one name', (a, b) => expect(normaliseUnitName(a)).toBe(normaliseUnitName(b)));
  test('names are unique per home region, not across regions', () => {
    expect(unitNameId('dist-a', '安康银行')).not.toBe(unitNameId('dist-b', '安康银行'));
    expect(normaliseUnitName('安康银行')).not.toBe(normaliseUnitName('安康农行'));
  });
  test('a community is inside a home region when the region is on its path', () => {
    expect(insideHome(['city', 'dist', 'street', 'comm'], 'dist')).toBe(true);
    expect(insideHome(['city', 'dist2', 'street', 'comm'], 'dist')).toBe(false);
  });
});

describe("a matter's units", () => {
  const units: Record<string, { linked: boolean; name: string }> = { a: { linked: true, name: 'A' }, b: { linked: true, name: 'B' }, far: { linked: false, name: '远方单位' } };
  const linked = (id: string) => units[id] ?? null;
  test.each([
    [null, [], null],
    ['a', ['b'], null],
    ['a', ['a'], 'UNITS.LEAD_ALSO_SUPPORT'],
    [null, ['b', 'b'], 'UNITS.DUPLICATE_SUPPORT'],
    ['far', [], 'UNITS.NOT_LINKED'],
    ['a', ['far'], 'UNITS.NOT_LINKED'],
    ['ghost', [], 'UNITS.NOT_LINKED'],
  ] as const)('lead %s, supports %j → %s', (lead, supports, code) => {
    expect(assignmentRefusal(lead, [...supports], linked)?.code ?? null).toBe(code);
  });
  test('the refusal names the unit that is not linked', () => {
    expect(assignmentRefusal('far', [], linked)?.message).toContain('远方单位');
  });
});

describe('leaders', () => {
  test('a leader covers matters below their region only', () => {
    expect(leaderCovers(['dist-a'], ['city', 'dist-a', 's', 'c'])).toBe(true);
    expect(leaderCovers(['city'], ['city', 'dist-b', 's', 'c'])).toBe(true);
    expect(leaderCovers(['dist-a'], ['city', 'dist-b', 's', 'c'])).toBe(false);
    expect(leaderCovers([], ['city'])).toBe(false);
  });
  test('one claim id per matter and leader', () => expect(claimId('matter:x', 'm1')).toBe('claim:matter:x:m1'));
  test('the wall reads by leader, community, then matter', () => {
    const rows = [
      { leaderName: '王', communityName: '乙', title: '2' },
      { leaderName: '王', communityName: '乙', title: '1' },
      { leaderName: '王', communityName: '甲', title: '9' },
      { leaderName: '李', communityName: '丙', title: '5' },
    ];
    expect([...rows].sort(wallOrder).map((r) => `${r.leaderName}${r.communityName}${r.title}`)).toEqual(['李丙5', '王甲9', '王乙1', '王乙2']);
  });
});
