/** A city's procedure settings: the bounds (rules and the schema the action parses with), boundaries first. */
import { configRefusal, DEFAULT_CONFIG, type Fraction, fractionRefusal, fractionText, meets, type ProcedureConfig } from '../../src/features/matters/matters.rules';
import { ProcedureSettings } from '../../src/features/matters/settings.schema';

const f = (num: number, den: number, inclusive = true): Fraction => ({ num, den, inclusive });
const codeOf = (r: { code: string } | null) => r?.code ?? 'OK';
const withConfig = (patch: Partial<ProcedureConfig>): ProcedureConfig => ({ ...structuredClone(DEFAULT_CONFIG), ...patch });

describe('a quorum or majority lies between one half and all', () => {
  test.each([
    [f(1, 2, false), 'OK'],
    [f(1, 2, true), 'OK'],
    [f(2, 3), 'OK'],
    [f(3, 4), 'OK'],
    [f(1, 1, true), 'OK'],
    [f(50, 100), 'OK'],
    [f(49, 100), 'MATTERS.BAD_SETTINGS'],
    [f(1, 3), 'MATTERS.BAD_SETTINGS'],
    [f(0, 2), 'MATTERS.BAD_SETTINGS'],
    [f(5, 4), 'MATTERS.BAD_SETTINGS'],
    [f(1, 1, false), 'MATTERS.BAD_SETTINGS'],
    [f(1, 0), 'MATTERS.BAD_SETTINGS'],
    [f(60, 101), 'MATTERS.BAD_SETTINGS'],
    [f(1.5, 2), 'MATTERS.BAD_SETTINGS'],
  ])('%j → %s', (fraction, code) => {
    expect(codeOf(fractionRefusal(fraction, '到会要求'))).toBe(code);
  });

  test('below half is refused with a reason in Chinese that names what was refused', () => {
    expect(fractionRefusal(f(1, 3), '居民代表会议决议的到会要求')?.message).toBe('居民代表会议决议的到会要求不能低于半数：3分之1不到一半，少数人就能替会议作决定');
  });

  test('the wording the pages show', () => {
    expect(fractionText(f(1, 2, false))).toBe('超过半数');
    expect(fractionText(f(2, 3, true))).toBe('3分之2以上（含）');
    expect(fractionText(f(3, 4, false))).toBe('超过4分之3');
  });
});

describe('the whole settings', () => {
  test('the campaign defaults are valid', () => {
    expect(configRefusal(DEFAULT_CONFIG)).toBeNull();
    expect(ProcedureSettings.safeParse(DEFAULT_CONFIG).success).toBe(true);
  });

  test.each([
    ['publicityDays', 5, 'OK'],
    ['publicityDays', 30, 'OK'],
    ['publicityDays', 4, 'MATTERS.BAD_SETTINGS'],
    ['publicityDays', 31, 'MATTERS.BAD_SETTINGS'],
    ['maxMatters', 1, 'OK'],
    ['maxMatters', 10, 'OK'],
    ['maxMatters', 0, 'MATTERS.BAD_SETTINGS'],
    ['maxMatters', 11, 'MATTERS.BAD_SETTINGS'],
    ['fastTrackMaxCost', 0, 'OK'],
    ['fastTrackMaxCost', 100_000, 'OK'],
    ['fastTrackMaxCost', 100_001, 'MATTERS.BAD_SETTINGS'],
    ['fastTrackMaxCost', -1, 'MATTERS.BAD_SETTINGS'],
    ['fastTrackMaxCost', 2.5, 'MATTERS.BAD_SETTINGS'],
  ] as const)('%s = %d → %s (the schema agrees)', (field, value, code) => {
    const c = withConfig({ [field]: value });
    expect(codeOf(configRefusal(c))).toBe(code);
    expect(ProcedureSettings.safeParse(c).success).toBe(code === 'OK');
  });

  test('a quorum below half on one step is refused by the schema with the reason at that step', () => {
    const c = withConfig({ quorum: { ...DEFAULT_CONFIG.quorum, resolution: f(2, 5) } });
    expect(configRefusal(c)?.message).toContain('居民代表会议决议的到会要求不能低于半数');
    const parsed = ProcedureSettings.safeParse(c);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['quorum.resolution', expect.stringContaining('不能低于半数')]]);
  });

  test('a majority below half is refused too', () => {
    expect(configRefusal(withConfig({ majority: f(2, 5, false) }))?.message).toContain('表决通过的要求不能低于半数');
  });

  test('a stricter setting decides as the issue says: 3/4 of 30 is 23 present, 2/3 only 20', () => {
    expect(meets(20, 30, f(2, 3))).toBe(true);
    expect(meets(20, 30, f(3, 4))).toBe(false);
    expect(meets(23, 30, f(3, 4))).toBe(true);
  });
});
