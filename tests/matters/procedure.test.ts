/** 四议两公开 as pure rules: order, dates, quorum and majority at their boundaries, 公示, the cap of ten. */
import fc from 'fast-check';
import { STEPS, type Step } from '../../src/features/matters/matters.labels';
import {
  DEFAULT_CONFIG as C,
  daysLeft,
  emptySlate,
  fixRefusal,
  leftOutRefusal,
  leftOutText,
  meets,
  objectionRefusal,
  type ProcedureConfig,
  ProcedureErrors as E,
  recordStep,
  type Refusal,
  type Slate,
  slateItems,
  stageOf,
  startPublicity,
  stepBack,
  type StepInput,
  type StepRecord,
  type Vote,
} from '../../src/features/matters/matters.rules';

const yes = (n: number): Vote => ({ for: n, against: 0, abstain: 0 });
const votes = (ids: string[], v: Vote) => Object.fromEntries(ids.map((id) => [id, v]));
const isRefusal = (r: unknown): r is Refusal => typeof (r as Refusal).code === 'string';

function record(s: Slate, input: StepInput, config: ProcedureConfig = C, fixed = 0): Slate {
  const r = recordStep(s, input, config, fixed);
  if (isRefusal(r)) throw new Error(`${r.code}: ${r.message}`);
  return { ...s, steps: [...s.steps, r.record] };
}
const codeOf = (r: unknown): string => (isRefusal(r) ? r.code : 'OK');

const A = ['d1', 'd2', 'd3'];
const meeting = (step: Step, date: string, v: Record<string, Vote>, expected = 9, present = 9): StepInput => ({ step, date, expected, present, votes: v });
/** A slate through all four steps, every item passing. */
function resolved(items = A): Slate {
  let s = emptySlate();
  STEPS.forEach((step, i) => (s = record(s, meeting(step, `2026-03-0${i + 1}`, votes(items, yes(9))))));
  return s;
}

describe('the four deliberations go in order', () => {
  test('each step only after the one before; none skipped, none twice', () => {
    let s = emptySlate();
    expect(stageOf(s)).toBe('proposal');
    expect(codeOf(recordStep(s, meeting('consultation', '2026-03-01', votes(A, yes(9))), C))).toBe(E.OUT_OF_ORDER);
    s = record(s, meeting('proposal', '2026-03-01', votes(A, yes(9))));
    expect(stageOf(s)).toBe('consultation');
    expect(codeOf(recordStep(s, meeting('proposal', '2026-03-02', votes(A, yes(9))), C))).toBe(E.STEP_RECORDED);
    expect(codeOf(recordStep(s, meeting('review', '2026-03-02', votes(A, yes(9))), C))).toBe(E.OUT_OF_ORDER);
    s = record(s, meeting('consultation', '2026-03-02', votes(A, yes(9))));
    s = record(s, meeting('review', '2026-03-02', votes(A, yes(9)))); // the same day is allowed
    s = record(s, meeting('resolution', '2026-03-05', votes(A, yes(9))));
    expect(stageOf(s)).toBe('publicity');
    expect(codeOf(recordStep(s, meeting('resolution', '2026-03-06', votes(A, yes(9))), C))).toBe(E.STEP_RECORDED);
  });

  test('a date before the previous step is refused, naming that step', () => {
    const s = record(emptySlate(), meeting('proposal', '2026-03-10', votes(A, yes(9))));
    const r = recordStep(s, meeting('consultation', '2026-03-09', votes(A, yes(9))), C);
    expect(codeOf(r)).toBe(E.BAD_DATE);
    expect((r as Refusal).message).toContain('党组织提议');
    expect((r as Refusal).message).toContain('2026-03-10');
  });

  test('attendance and votes that cannot be: more present than expected, more votes than present, a missing or stray vote', () => {
    const s = record(emptySlate(), meeting('proposal', '2026-03-01', votes(A, yes(9))));
    expect(codeOf(recordStep(s, meeting('consultation', '2026-03-02', votes(A, yes(5)), 9, 10), C))).toBe(E.BAD_COUNT);
    expect(codeOf(recordStep(s, meeting('consultation', '2026-03-02', votes(A, yes(5)), 0, 0), C))).toBe(E.BAD_COUNT);
    expect(codeOf(recordStep(s, meeting('consultation', '2026-03-02', votes(A, { for: 5, against: 3, abstain: 2 }), 9, 9), C))).toBe(E.VOTES_EXCEED_PRESENT);
    expect(codeOf(recordStep(s, meeting('consultation', '2026-03-02', votes(A, { for: 4, against: 3, abstain: 2 }), 9, 9), C))).toBe('OK');
    expect(codeOf(recordStep(s, meeting('consultation', '2026-03-02', votes(['d1', 'd2'], yes(9))), C))).toBe(E.VOTE_MISSING);
    expect(codeOf(recordStep(s, meeting('consultation', '2026-03-02', votes([...A, 'd9'], yes(9))), C))).toBe(E.VOTE_MISSING);
    expect(codeOf(recordStep(s, meeting('consultation', '2026-03-02', votes(A, { for: 2.5, against: 0, abstain: 0 })), C))).toBe(E.BAD_COUNT);
  });

  test('an empty proposal is refused; a proposal past the year’s cap is refused, counting matters already fixed', () => {
    expect(codeOf(recordStep(emptySlate(), meeting('proposal', '2026-03-01', {}), C))).toBe(E.EMPTY_SLATE);
    const ten = Array.from({ length: 10 }, (_, i) => `d${i}`);
    expect(codeOf(recordStep(emptySlate(), meeting('proposal', '2026-03-01', votes(ten, yes(9))), C))).toBe('OK');
    expect(codeOf(recordStep(emptySlate(), meeting('proposal', '2026-03-01', votes([...ten, 'd10'], yes(9))), C))).toBe(E.TOO_MANY);
    const r = recordStep(emptySlate(), meeting('proposal', '2026-03-01', votes(ten.slice(0, 3), yes(9))), C, 8);
    expect(codeOf(r)).toBe(E.TOO_MANY);
    expect((r as Refusal).message).toContain('最多还能提议 2 件');
  });
});

describe('quorum and majority at the boundaries', () => {
  test('more than half present: 5 of 9 and 6 of 10 meet it, 4 of 9 and 5 of 10 do not', () => {
    const at = (expected: number, present: number) => codeOf(recordStep(emptySlate(), meeting('proposal', '2026-03-01', votes(A, yes(present)), expected, present), C));
    expect(at(9, 5)).toBe('OK');
    expect(at(9, 4)).toBe(E.NO_QUORUM);
    expect(at(10, 6)).toBe('OK');
    expect(at(10, 5)).toBe(E.NO_QUORUM);
  });

  test('the representatives’ meeting needs two thirds (inclusive): 6 of 9 meets it, 5 of 9 and 19 of 30 do not', () => {
    let s = emptySlate();
    for (const step of STEPS.slice(0, 3)) s = record(s, meeting(step, '2026-03-01', votes(A, yes(9))));
    const at = (expected: number, present: number) => codeOf(recordStep(s, meeting('resolution', '2026-03-02', votes(A, yes(present)), expected, present), C));
    expect(at(9, 6)).toBe('OK');
    expect(at(9, 5)).toBe(E.NO_QUORUM);
    expect(at(30, 20)).toBe('OK');
    expect(at(30, 19)).toBe(E.NO_QUORUM);
  });

  test('an item passes with more than half of those present; a tie fails and leaves the slate', () => {
    const r = recordStep(emptySlate(), meeting('proposal', '2026-03-01', { d1: { for: 5, against: 3, abstain: 0 }, d2: { for: 4, against: 4, abstain: 0 }, d3: { for: 4, against: 0, abstain: 4 } }, 9, 8), C);
    if (isRefusal(r)) throw new Error(r.message);
    expect(r.record.passed).toEqual(['d1']); // 5 of 8 present
    expect(r.record.failed).toEqual(['d2', 'd3']); // 4 of 8 is not more than half, abstentions count as present
  });

  test('meets() agrees with the plain arithmetic for every count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 500 }), (total, raw) => {
        const count = raw % (total + 1);
        expect(meets(count, total, { num: 1, den: 2, inclusive: false })).toBe(count > total / 2);
        expect(meets(count, total, { num: 2, den: 3, inclusive: true })).toBe(3 * count >= 2 * total);
      }),
    );
  });

  test('quorum and majority are configuration', () => {
    const lenient: ProcedureConfig = { ...C, quorum: { ...C.quorum, proposal: { num: 1, den: 3, inclusive: true } }, majority: { num: 1, den: 2, inclusive: true } };
    const r = recordStep(emptySlate(), meeting('proposal', '2026-03-01', { d1: { for: 2, against: 1, abstain: 0 }, d2: { for: 1, against: 2, abstain: 0 } }, 9, 3), lenient);
    if (isRefusal(r)) throw new Error(r.message);
    expect(r.record.passed).toEqual(['d1']);
  });
});

describe('failed items and going back', () => {
  test('an item that fails a step leaves the slate; later steps vote on the rest only', () => {
    let s = record(emptySlate(), meeting('proposal', '2026-03-01', votes(A, yes(9))));
    s = record(s, meeting('consultation', '2026-03-02', { d1: yes(9), d2: { for: 1, against: 8, abstain: 0 }, d3: yes(9) }));
    expect(slateItems(s)).toEqual(['d1', 'd3']);
    expect(codeOf(recordStep(s, meeting('review', '2026-03-03', votes(A, yes(9))), C))).toBe(E.VOTE_MISSING);
    expect(codeOf(recordStep(s, meeting('review', '2026-03-03', votes(['d1', 'd3'], yes(9))), C))).toBe('OK');
  });

  test('back one step restores the slate before it; not before the proposal, not once 公示 began', () => {
    let s = record(emptySlate(), meeting('proposal', '2026-03-01', votes(A, yes(9))));
    s = record(s, meeting('consultation', '2026-03-02', { d1: yes(9), d2: yes(0), d3: yes(9) }));
    const back = stepBack(s);
    if (isRefusal(back)) throw new Error(back.message);
    expect(back.removed.step).toBe('consultation');
    expect(slateItems(back.slate)).toEqual(A);
    expect(stageOf(back.slate)).toBe('consultation');
    expect(codeOf(stepBack(emptySlate()))).toBe(E.CANNOT_GO_BACK);
    const pub = resolved();
    const started = startPublicity(pub, new Date('2026-03-06T02:00:00Z'), C);
    expect(codeOf(stepBack({ ...pub, publicity: started as { start: string; end: string } }))).toBe(E.CANNOT_GO_BACK);
  });

  test('property: whatever is attempted, the recorded steps are the first k of the four, in order, dates never going back, and the slate only shrinks', () => {
    const attempt = fc.record({
      step: fc.constantFrom(...STEPS),
      day: fc.integer({ min: 1, max: 28 }),
      expected: fc.integer({ min: 0, max: 12 }),
      present: fc.integer({ min: 0, max: 13 }),
      forShare: fc.array(fc.integer({ min: 0, max: 13 }), { minLength: 3, maxLength: 3 }),
      back: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 30 }), (attempts) => {
        let s = emptySlate();
        for (const a of attempts) {
          if (a.back) {
            const b = stepBack(s);
            if (!isRefusal(b)) s = b.slate;
            continue;
          }
          const items = a.step === 'proposal' ? A : slateItems(s);
          const v = Object.fromEntries(items.map((id, i) => [id, yes(a.forShare[i % 3]!)]));
          const r = recordStep(s, { step: a.step, date: `2026-03-${String(a.day).padStart(2, '0')}`, expected: a.expected, present: a.present, votes: v }, C);
          if (!isRefusal(r)) s = { ...s, steps: [...s.steps, r.record] };
        }
        expect(s.steps.map((r) => r.step)).toEqual(STEPS.slice(0, s.steps.length));
        s.steps.forEach((r: StepRecord, i) => {
          if (i > 0) expect(r.date >= s.steps[i - 1]!.date).toBe(true);
          const before = i === 0 ? A : s.steps[i - 1]!.passed;
          expect(r.passed.every((id) => before.includes(id))).toBe(true);
          expect([...r.passed, ...r.failed].sort()).toEqual([...before].sort());
          expect(r.present <= r.expected && meets(r.present, r.expected, C.quorum[r.step])).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('两公开: 公示, objections and fixing the list', () => {
  const t0 = new Date('2026-03-06T02:00:00.000Z');
  const later = (days: number) => new Date(t0.getTime() + days * 24 * 3600_000);

  test('公示 only after the representatives’ resolution, for the configured days', () => {
    const three = record(record(record(emptySlate(), meeting('proposal', '2026-03-01', votes(A, yes(9)))), meeting('consultation', '2026-03-02', votes(A, yes(9)))), meeting('review', '2026-03-03', votes(A, yes(9))));
    expect(codeOf(startPublicity(three, t0, C))).toBe(E.NOT_RESOLVED);
    const p = startPublicity(resolved(), t0, C);
    expect(p).toEqual({ start: '2026-03-06T02:00:00.000Z', end: '2026-03-13T02:00:00.000Z' });
    expect(startPublicity(resolved(), t0, { ...C, publicityDays: 5 })).toMatchObject({ end: '2026-03-11T02:00:00.000Z' });
    const allFailed = record(record(record(record(emptySlate(), meeting('proposal', '2026-03-01', votes(A, yes(9)))), meeting('consultation', '2026-03-02', votes(A, yes(9)))), meeting('review', '2026-03-03', votes(A, yes(9)))), meeting('resolution', '2026-03-04', votes(A, yes(1))));
    expect(codeOf(startPublicity(allFailed, t0, C))).toBe(E.EMPTY_SLATE);
  });

  test('objections only inside the window; the countdown counts whole days left', () => {
    const s: Slate = { ...resolved(), publicity: startPublicity(resolved(), t0, C) as { start: string; end: string } };
    expect(objectionRefusal(s, later(0))).toBeNull();
    expect(objectionRefusal(s, new Date(later(7).getTime() - 1))).toBeNull();
    expect(objectionRefusal(s, later(7))?.code).toBe(E.PUBLICITY_CLOSED);
    expect(objectionRefusal(resolved(), t0)?.code).toBe(E.PUBLICITY_CLOSED);
    expect(daysLeft(s, t0)).toBe(7);
    expect(daysLeft(s, later(6.5))).toBe(1);
    expect(daysLeft(s, later(8))).toBe(0);
  });

  test('the list is fixed only after 公示 ended with every objection answered, and never past ten', () => {
    const s: Slate = { ...resolved(), publicity: startPublicity(resolved(), t0, C) as { start: string; end: string } };
    expect(fixRefusal(resolved(), later(8), 0, 0, C)?.code).toBe(E.NOT_RESOLVED);
    expect(fixRefusal(s, later(6), 0, 0, C)?.code).toBe(E.PUBLICITY_RUNNING);
    expect(fixRefusal(s, later(7), 1, 0, C)?.code).toBe(E.OBJECTIONS_OPEN);
    expect(fixRefusal(s, later(7), 0, 7, C)).toBeNull(); // 7 + 3 = 10
    expect(fixRefusal(s, later(7), 0, 8, C)?.code).toBe(E.TOO_MANY);
    expect(fixRefusal({ ...s, fixedAt: later(7).toISOString() }, later(8), 0, 0, C)?.code).toBe(E.ALREADY_FIXED);
    expect(stageOf({ ...s, fixedAt: later(7).toISOString() })).toBe('fixed');
  });
});

describe('demands left out carry a published reason', () => {
  test('referred names the department; not feasible says why', () => {
    expect(leftOutRefusal({ reason: 'referred' })?.code).toBe(E.REASON_INCOMPLETE);
    expect(leftOutRefusal({ reason: 'referred', department: '  ' })?.code).toBe(E.REASON_INCOMPLETE);
    expect(leftOutText({ reason: 'referred', department: '汉滨区住建局' })).toBe('转交职能部门：汉滨区住建局');
    expect(leftOutRefusal({ reason: 'not_feasible' })?.code).toBe(E.REASON_INCOMPLETE);
    expect(leftOutText({ reason: 'not_feasible', note: '涉及产权，需先完成确权' })).toBe('暂不具备实施条件：涉及产权，需先完成确权');
    expect(leftOutRefusal({ reason: 'next_year' })).toBeNull();
    expect(leftOutText({ reason: 'next_year' })).toBe('纳入下一年度');
    expect(leftOutText({ reason: 'small_matter', note: '本月内由社区办结' })).toBe('作为微实事办理：本月内由社区办结');
  });
});
