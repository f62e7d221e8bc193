/** The demand list's pure rules: distinct supporters across sources, and merges/splits/undo that lose nothing. */
import fc from 'fast-check';
import {
  addSupport,
  DemandErrors as E,
  type DemandNode,
  mergeRefusal,
  noSupport,
  recount,
  type SourceBacking,
  splitRefusal,
  subtractSupport,
  type Support,
  supportOf,
  supporterCount,
  undoMergeRefusal,
} from '../../src/features/matters/demands.rules';

const node = (id: string, over: Partial<DemandNode> = {}): DemandNode => ({ id, communityId: 'c-peixin', year: 2026, mergedInto: null, open: true, ...over });

describe('supporters are counted once per person across sources', () => {
  test('a resident who wrote a suggestion and ticked the same item in a questionnaire counts once; anonymous answers are apart', () => {
    const suggestion: SourceBacking = { backers: ['p-li'], anonymous: 0 };
    const survey: SourceBacking = { backers: ['p-li', 'p-chen', 'p-wang', 'p-chen'], anonymous: 4 };
    const s = recount([suggestion, survey]);
    expect(supporterCount(s)).toBe(3);
    expect(s.anonymous).toBe(4);
    expect(s.backers['p-li']).toBe(2);
  });

  test('taking a source away leaves those who back it through another source', () => {
    const a = supportOf({ backers: ['p-li', 'p-chen'], anonymous: 1 });
    const b = supportOf({ backers: ['p-li'], anonymous: 0 });
    const both = addSupport(a, b);
    expect(supporterCount(subtractSupport(both, b))).toBe(2);
    expect(supporterCount(subtractSupport(both, a))).toBe(1);
    expect(subtractSupport(both, a)).toEqual(b);
    expect(() => subtractSupport(b, a)).toThrow(/below zero/);
  });
});

describe('merge, undo and split refuse what would lose or mix sources', () => {
  test('merge', () => {
    expect(mergeRefusal(node('a'), node('b'))).toBeNull();
    expect(mergeRefusal(node('a'), node('a'))?.code).toBe(E.SAME_DEMAND);
    expect(mergeRefusal(node('a'), node('b', { communityId: 'c-xiaojiaba' }))?.code).toBe(E.OTHER_COMMUNITY);
    expect(mergeRefusal(node('a'), node('b', { year: 2025 }))?.code).toBe(E.OTHER_YEAR);
    expect(mergeRefusal(node('a', { mergedInto: 'x' }), node('b'))?.code).toBe(E.NOT_OPEN);
    expect(mergeRefusal(node('a'), node('b', { open: false }))?.code).toBe(E.NOT_OPEN);
  });

  test('undo merge: only where it was merged, outer merges first', () => {
    expect(undoMergeRefusal(node('b', { mergedInto: 'a' }), node('a'))).toBeNull();
    expect(undoMergeRefusal(node('b'), node('a'))?.code).toBe(E.NOT_MERGED);
    expect(undoMergeRefusal(node('b', { mergedInto: 'a' }), node('a', { mergedInto: 'z' }))?.code).toBe(E.UNDO_OUTER_FIRST);
    expect(undoMergeRefusal(node('b', { mergedInto: 'a' }), node('a', { open: false }))?.code).toBe(E.NOT_OPEN);
  });

  test('split: some of its own sources, never all, never none', () => {
    expect(splitRefusal(node('a'), ['s1', 's2'], ['s2'])).toBeNull();
    expect(splitRefusal(node('a'), ['s1', 's2'], [])?.code).toBe(E.SPLIT_NOTHING);
    expect(splitRefusal(node('a'), ['s1', 's2'], ['s1', 's2'])?.code).toBe(E.SPLIT_EVERYTHING);
    expect(splitRefusal(node('a'), ['s1', 's2'], ['s3'])?.code).toBe(E.SPLIT_FOREIGN);
    expect(splitRefusal(node('a', { mergedInto: 'z' }), ['s1', 's2'], ['s1'])?.code).toBe(E.NOT_OPEN);
  });
});

/**
 * A model of the demand list driven by random operations, keeping tallies the way the actions do (on
 * write, by adding and subtracting) and checking them against a recount after every step.
 */
describe('property: tallies kept on write equal a recount, and no source is ever lost', () => {
  type Op =
    | { kind: 'add'; demand: number; backers: number[]; anonymous: number }
    | { kind: 'merge'; into: number; from: number }
    | { kind: 'undo'; demand: number }
    | { kind: 'split'; demand: number; take: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), demand: fc.nat(5), backers: fc.array(fc.nat(12), { maxLength: 6 }), anonymous: fc.nat(3) }),
    fc.record({ kind: fc.constant('merge' as const), into: fc.nat(5), from: fc.nat(5) }),
    fc.record({ kind: fc.constant('undo' as const), demand: fc.nat(5) }),
    fc.record({ kind: fc.constant('split' as const), demand: fc.nat(5), take: fc.nat(3) }),
  );

  test('over any sequence of adds, merges, undos and splits', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const demands = new Map<string, DemandNode>();
        const tally = new Map<string, Support>();
        /** source id → { demand it belongs to, its backing }. */
        const sources = new Map<string, { demand: string; backing: SourceBacking }>();
        const ensure = (i: number) => {
          const id = `d${i}`;
          if (!demands.has(id)) {
            demands.set(id, node(id));
            tally.set(id, noSupport());
          }
          return demands.get(id)!;
        };
        let added = 0;
        let splits = 0;
        for (const o of ops) {
          if (o.kind === 'add') {
            // Sources are added to a demand on the list in its own right (adopting into a merged one goes to its root).
            let d = ensure(o.demand);
            while (d.mergedInto) d = demands.get(d.mergedInto)!;
            const backing = { backers: o.backers.map((b) => `p${b}`), anonymous: o.anonymous };
            sources.set(`s${added++}`, { demand: d.id, backing });
            tally.set(d.id, addSupport(tally.get(d.id)!, supportOf(backing)));
          } else if (o.kind === 'merge') {
            const into = ensure(o.into);
            const from = ensure(o.from);
            if (mergeRefusal(into, from)) continue;
            from.mergedInto = into.id;
            tally.set(into.id, addSupport(tally.get(into.id)!, tally.get(from.id)!));
          } else if (o.kind === 'undo') {
            const d = ensure(o.demand);
            const into = d.mergedInto ? demands.get(d.mergedInto)! : null;
            if (undoMergeRefusal(d, into)) continue;
            tally.set(into!.id, subtractSupport(tally.get(into!.id)!, tally.get(d.id)!));
            d.mergedInto = null;
          } else {
            const d = ensure(o.demand);
            const own = [...sources].filter(([, s]) => s.demand === d.id).map(([id]) => id);
            const moving = own.slice(0, o.take);
            if (splitRefusal(d, own, moving)) continue;
            const fresh = node(`split${splits++}`);
            demands.set(fresh.id, fresh);
            let moved = noSupport();
            for (const id of moving) {
              sources.get(id)!.demand = fresh.id;
              moved = addSupport(moved, supportOf(sources.get(id)!.backing));
            }
            tally.set(d.id, subtractSupport(tally.get(d.id)!, moved));
            tally.set(fresh.id, moved);
          }

          // Every demand's tally is the recount of its own sources and of everything merged into it.
          const members = (id: string): string[] => [id, ...[...demands.values()].filter((x) => x.mergedInto === id).flatMap((x) => members(x.id))];
          for (const d of demands.values()) {
            const mine = new Set(members(d.id));
            const expected = recount([...sources.values()].filter((s) => mine.has(s.demand)).map((s) => s.backing));
            expect(tally.get(d.id)).toEqual(expected);
          }
          // No source lost: each belongs to exactly one existing demand, and the roots hold them all.
          expect(sources.size).toBe(added);
          for (const s of sources.values()) expect(demands.has(s.demand)).toBe(true);
          const roots = [...demands.values()].filter((d) => !d.mergedInto);
          const rootSum = roots.reduce((n, r) => n + [...sources.values()].filter((s) => new Set(members(r.id)).has(s.demand)).length, 0);
          expect(rootSum).toBe(added);
        }
      }),
      { numRuns: 200 },
    );
  });
});
