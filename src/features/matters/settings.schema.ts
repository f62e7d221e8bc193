/**
 * A city's rules for 四议两公开 (quorum, majority, 公示 days, the yearly cap, the 微实事立办 limit): one stored
 * document per city (`settings:<cityId>`); cities that store none use the campaign's defaults.
 */
import { z } from 'zod';
import { STEP_LABELS, STEPS, type Step } from './matters.labels';
import { fractionRefusal, type ProcedureConfig, SETTINGS_BOUNDS as B } from './matters.rules';

/** num/den of those expected (quorum) or present (majority); `inclusive`: “以上（含）” rather than “超过”. */
const fraction = (what: string) =>
  z
    .object({ num: z.number().int(), den: z.number().int(), inclusive: z.boolean() })
    .superRefine((f, ctx) => {
      const r = fractionRefusal(f, what);
      if (r) ctx.addIssue({ code: 'custom', message: r.message });
    });

const range = (what: string, [lo, hi]: readonly [number, number], unit: string) =>
  z.number().int(`${what}应为整数`).min(lo, `${what}应为 ${lo}–${hi} ${unit}`).max(hi, `${what}应为 ${lo}–${hi} ${unit}`);

export const ProcedureSettings = z.object({
  quorum: z.object(Object.fromEntries(STEPS.map((s) => [s, fraction(`${STEP_LABELS[s]}的到会要求`)])) as Record<Step, ReturnType<typeof fraction>>),
  majority: fraction('表决通过的要求'),
  publicityDays: range('公示天数', B.publicityDays, '天'),
  maxMatters: range('每年实事件数上限', B.maxMatters, '件'),
  /** Yuan (not fen): a demand costing less may be done at once, outside the ten. */
  fastTrackMaxCost: range('微实事立办的费用上限', B.fastTrackMaxCost, '元'),
}) satisfies z.ZodType<ProcedureConfig>;
export type ProcedureSettings = z.infer<typeof ProcedureSettings>;

/** The stored document of one city. */
export const SettingsDoc = z.object({
  _id: z.string(),
  cityId: z.string(),
  config: ProcedureSettings,
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type SettingsDoc = z.infer<typeof SettingsDoc>;

export const SettingsView = z.object({
  cityId: z.string(),
  cityName: z.string(),
  /** What applies now: the stored settings, or the defaults when the city stored none. */
  settings: ProcedureSettings,
  isDefault: z.boolean(),
  defaults: ProcedureSettings,
  updatedAt: z.string().nullable(),
});
export type SettingsView = z.infer<typeof SettingsView>;

const Id = z.string().min(1).max(100);

export const settingsContract = {
  /** Any member with a role in the city (a community in it, a grid, the city itself) reads its rules. */
  getProcedureSettings: { input: z.object({ regionId: Id }), output: SettingsView },
  /** The city's administrator sets them (audited as a staff write). */
  setProcedureSettings: { input: z.object({ cityId: Id, settings: ProcedureSettings }), output: SettingsView },
};
