/**
 * Pure rules of 四议两公开 (no I/O; client and server): the four deliberations in order, quorum and
 * majority, the 公示 window with its objections, the cap on the year's list, and the published reason
 * for a demand left out. Actions turn a Refusal into an AppError; the client shows the same message
 * before it asks.
 */
import { shanghaiMinute } from '../../lib/time';
import { LEFT_OUT_LABELS, type LeftOutReason, type Stage, STEP_BODIES, STEP_LABELS, STEPS, type Step } from './matters.labels';

export const ProcedureErrors = {
  EMPTY_SLATE: 'MATTERS.EMPTY_SLATE',
  TOO_MANY: 'MATTERS.TOO_MANY',
  OUT_OF_ORDER: 'MATTERS.STEP_OUT_OF_ORDER',
  STEP_RECORDED: 'MATTERS.STEP_RECORDED',
  BAD_DATE: 'MATTERS.STEP_DATE_BEFORE_PREVIOUS',
  BAD_COUNT: 'MATTERS.BAD_ATTENDANCE',
  NO_QUORUM: 'MATTERS.NO_QUORUM',
  VOTES_EXCEED_PRESENT: 'MATTERS.VOTES_EXCEED_PRESENT',
  VOTE_MISSING: 'MATTERS.VOTE_MISSING',
  CANNOT_GO_BACK: 'MATTERS.CANNOT_GO_BACK',
  NOT_RESOLVED: 'MATTERS.NOT_RESOLVED',
  PUBLICITY_RUNNING: 'MATTERS.PUBLICITY_RUNNING',
  PUBLICITY_CLOSED: 'MATTERS.PUBLICITY_CLOSED',
  OBJECTIONS_OPEN: 'MATTERS.OBJECTIONS_UNANSWERED',
  ALREADY_FIXED: 'MATTERS.ALREADY_FIXED',
  REASON_INCOMPLETE: 'MATTERS.REASON_INCOMPLETE',
} as const;

export interface Refusal {
  code: string;
  message: string;
}
const refuse = (code: string, message: string): Refusal => ({ code, message });

// ---------------------------------------------------------------- configuration

/** `count` out of `total` meets num/den: at least (inclusive, “以上”) or more than (“过半数”). */
export interface Fraction {
  num: number;
  den: number;
  inclusive: boolean;
}

/** Integer arithmetic: 2/3 of 9 is exactly 6, with no rounding to argue about at the boundary. */
export const meets = (count: number, total: number, f: Fraction): boolean =>
  f.inclusive ? count * f.den >= f.num * total : count * f.den > f.num * total;

/** Per city; the defaults are the campaign's. */
export interface ProcedureConfig {
  /** Who must be present for a meeting to decide anything, of those expected. */
  quorum: Record<Step, Fraction>;
  /** Votes for an item, of those present, for it to pass. */
  majority: Fraction;
  publicityDays: number;
  maxMatters: number;
  /** 微实事立办: a demand costing less than this (yuan) may be done at once, outside the ten. */
  fastTrackMaxCost: number;
}

const HALF: Fraction = { num: 1, den: 2, inclusive: false };

export const DEFAULT_CONFIG: ProcedureConfig = {
  quorum: { proposal: HALF, consultation: HALF, review: HALF, resolution: { num: 2, den: 3, inclusive: true } },
  majority: HALF,
  publicityDays: 7,
  maxMatters: 10,
  fastTrackMaxCost: 5000,
};

export const fractionText = (f: Fraction): string => {
  const share = f.num === 1 && f.den === 2 ? '半数' : `${f.den}分之${f.num}`;
  return f.inclusive ? `${share}以上（含）` : `超过${share}`;
};

/** Bounds of a city's settings: the campaign's ten is a ceiling, a 公示 shorter than 5 days is no 公示. */
export const SETTINGS_BOUNDS = { publicityDays: [5, 30], maxMatters: [1, 10], fastTrackMaxCost: [0, 100_000], den: [1, 100] } as const;

/**
 * A quorum or majority must lie between one half and all: below half a minority could decide for the
 * meeting, and “more than all” can never be met. `what` names it in the message (e.g. “居民代表会议的到会要求”).
 */
export function fractionRefusal(f: Fraction, what: string): Refusal | null {
  const bad = (why: string) => refuse('MATTERS.BAD_SETTINGS', `${what}${why}`);
  if (!Number.isInteger(f.num) || !Number.isInteger(f.den) || f.den < SETTINGS_BOUNDS.den[0] || f.den > SETTINGS_BOUNDS.den[1] || f.num < 1) {
    return bad(`应为分数（分母 ${SETTINGS_BOUNDS.den[0]}–${SETTINGS_BOUNDS.den[1]}）`);
  }
  if (2 * f.num < f.den) return bad(`不能低于半数：${f.den}分之${f.num}不到一半，少数人就能替会议作决定`);
  if (f.num > f.den) return bad('不能超过全部人数');
  if (f.num === f.den && !f.inclusive) return bad('不能是“超过全部”，那样永远达不到；如要求全部同意，请选“以上（含）”');
  return null;
}

/** Every bound of a city's settings, first problem first (the form and the server say the same). */
export function configRefusal(c: ProcedureConfig): Refusal | null {
  for (const step of STEPS) {
    const r = fractionRefusal(c.quorum[step], `${STEP_LABELS[step]}的到会要求`);
    if (r) return r;
  }
  const r = fractionRefusal(c.majority, '表决通过的要求');
  if (r) return r;
  const range = (n: number, [lo, hi]: readonly [number, number], what: string, unit: string) =>
    Number.isInteger(n) && n >= lo && n <= hi ? null : refuse('MATTERS.BAD_SETTINGS', `${what}应为 ${lo}–${hi} ${unit}的整数`);
  return (
    range(c.publicityDays, SETTINGS_BOUNDS.publicityDays, '公示天数', '天') ??
    range(c.maxMatters, SETTINGS_BOUNDS.maxMatters, '每年实事件数上限', '件') ??
    range(c.fastTrackMaxCost, SETTINGS_BOUNDS.fastTrackMaxCost, '微实事立办的费用上限', '元')
  );
}

// ---------------------------------------------------------------- the four deliberations

export interface Vote {
  for: number;
  against: number;
  abstain: number;
}

/** One meeting of the four, as the secretary records it. */
export interface StepInput {
  step: Step;
  /** Asia/Shanghai day, YYYY-MM-DD. */
  date: string;
  expected: number;
  present: number;
  /** One vote per item on the slate (at the proposal: the items proposed). */
  votes: Record<string, Vote>;
}

/** A recorded step: what it decided is kept with it, so going back one step restores the slate before it. */
export interface StepRecord extends StepInput {
  passed: string[];
  failed: string[];
}

export interface Slate {
  steps: StepRecord[];
  /** Set when 公示 starts (ISO instants). */
  publicity: { start: string; end: string } | null;
  fixedAt: string | null;
}

export const emptySlate = (): Slate => ({ steps: [], publicity: null, fixedAt: null });

/** The items still on the slate: what the last step passed (none before the proposal). */
export const slateItems = (s: Slate): string[] => s.steps.at(-1)?.passed ?? [];

export function stageOf(s: Slate): Stage {
  if (s.fixedAt) return 'fixed';
  if (s.publicity) return 'publicity';
  return STEPS[s.steps.length] ?? 'publicity';
}

const isCount = (n: number) => Number.isInteger(n) && n >= 0;

/**
 * Checks one meeting against the slate and says what it decided. `alreadyFixed` is how many matters the
 * community's list already holds this year (the cap counts them).
 */
export function recordStep(s: Slate, input: StepInput, config: ProcedureConfig, alreadyFixed = 0): { record: StepRecord } | Refusal {
  const label = STEP_LABELS[input.step];
  if (s.fixedAt) return refuse(ProcedureErrors.ALREADY_FIXED, '本年度实事清单已确定，不能再记录会议');
  if (s.steps.some((r) => r.step === input.step)) return refuse(ProcedureErrors.STEP_RECORDED, `“${label}”已记录，不能重复记录；如需重开，请先退回一步并说明原因`);
  const next = STEPS[s.steps.length];
  if (s.publicity || input.step !== next) {
    return refuse(ProcedureErrors.OUT_OF_ORDER, next && !s.publicity ? `下一步应为“${STEP_LABELS[next]}”，不能跳过或颠倒顺序` : '四议已完成，不能再记录会议');
  }
  const previous = s.steps.at(-1);
  if (previous && input.date < previous.date) return refuse(ProcedureErrors.BAD_DATE, `${label}的日期不能早于上一步“${STEP_LABELS[previous.step]}”（${previous.date}）`);
  if (!isCount(input.expected) || !isCount(input.present) || input.expected < 1 || input.present > input.expected) {
    return refuse(ProcedureErrors.BAD_COUNT, `应到和实到人数有误：实到不能多于应到（${STEP_BODIES[input.step]}）`);
  }
  const q = config.quorum[input.step];
  if (!meets(input.present, input.expected, q)) {
    return refuse(ProcedureErrors.NO_QUORUM, `${label}应到 ${input.expected} 人、实到 ${input.present} 人，未达到${fractionText(q)}，会议不能作出决定`);
  }

  const items = input.step === 'proposal' ? Object.keys(input.votes) : slateItems(s);
  if (items.length === 0) return refuse(ProcedureErrors.EMPTY_SLATE, '提议的清单是空的，请先选入候选需求');
  if (input.step === 'proposal' && alreadyFixed + items.length > config.maxMatters) {
    return refuse(ProcedureErrors.TOO_MANY, `每个社区每年最多 ${config.maxMatters} 件实事，本次最多还能提议 ${Math.max(0, config.maxMatters - alreadyFixed)} 件`);
  }
  const missing = items.filter((id) => !input.votes[id]);
  const stray = Object.keys(input.votes).filter((id) => !items.includes(id));
  if (missing.length || stray.length) return refuse(ProcedureErrors.VOTE_MISSING, '每个事项都要有表决结果，且只能表决清单上的事项');
  for (const id of items) {
    const v = input.votes[id]!;
    if (![v.for, v.against, v.abstain].every(isCount)) return refuse(ProcedureErrors.BAD_COUNT, '表决票数应为不小于 0 的整数');
    if (v.for + v.against + v.abstain > input.present) {
      return refuse(ProcedureErrors.VOTES_EXCEED_PRESENT, `赞成、反对、弃权合计 ${v.for + v.against + v.abstain} 票，多于实到的 ${input.present} 人`);
    }
  }
  const passed = items.filter((id) => meets(input.votes[id]!.for, input.present, config.majority));
  return { record: { ...input, passed, failed: items.filter((id) => !passed.includes(id)) } };
}

/** Back one step with a reason (the action keeps the removed record in the history). Not once 公示 began. */
export function stepBack(s: Slate): { slate: Slate; removed: StepRecord } | Refusal {
  if (s.fixedAt || s.publicity) return refuse(ProcedureErrors.CANNOT_GO_BACK, '公示已开始，不能退回');
  const removed = s.steps.at(-1);
  if (!removed) return refuse(ProcedureErrors.CANNOT_GO_BACK, '还没有记录任何一步，无可退回');
  return { slate: { ...s, steps: s.steps.slice(0, -1) }, removed };
}

// ---------------------------------------------------------------- 两公开: 公示 and fixing the list

const DAY_MS = 24 * 3600_000;

export function startPublicity(s: Slate, now: Date, config: ProcedureConfig): { start: string; end: string } | Refusal {
  if (s.fixedAt) return refuse(ProcedureErrors.ALREADY_FIXED, '本年度实事清单已确定');
  if (s.publicity) return refuse(ProcedureErrors.PUBLICITY_RUNNING, '公示已经开始');
  if (stageOf(s) !== 'publicity') return refuse(ProcedureErrors.NOT_RESOLVED, '四议尚未完成，不能公示');
  if (slateItems(s).length === 0) return refuse(ProcedureErrors.EMPTY_SLATE, '居民代表会议没有通过任何事项，不能公示；请退回重新提议');
  return { start: now.toISOString(), end: new Date(now.getTime() + config.publicityDays * DAY_MS).toISOString() };
}

export const objectionsOpen = (s: Slate, now: Date): boolean =>
  !!s.publicity && !s.fixedAt && now.toISOString() >= s.publicity.start && now.toISOString() < s.publicity.end;

export function objectionRefusal(s: Slate, now: Date): Refusal | null {
  if (objectionsOpen(s, now)) return null;
  return refuse(ProcedureErrors.PUBLICITY_CLOSED, s.publicity && now.toISOString() >= s.publicity.end ? '公示期已结束，不能再提出异议' : '现在不在公示期内');
}

/** Whole days left in the 公示 (rounded up), for the residents' countdown; 0 when it has ended. */
export const daysLeft = (s: Slate, now: Date): number =>
  s.publicity ? Math.max(0, Math.ceil((Date.parse(s.publicity.end) - now.getTime()) / DAY_MS)) : 0;

/** The list may be fixed once 公示 has ended and every objection has a public answer. */
export function fixRefusal(s: Slate, now: Date, unanswered: number, alreadyFixed: number, config: ProcedureConfig): Refusal | null {
  if (s.fixedAt) return refuse(ProcedureErrors.ALREADY_FIXED, '本年度实事清单已确定');
  if (!s.publicity) return refuse(ProcedureErrors.NOT_RESOLVED, '清单尚未公示，不能确定');
  if (now.toISOString() < s.publicity.end) return refuse(ProcedureErrors.PUBLICITY_RUNNING, `公示期到 ${shanghaiMinute(new Date(s.publicity.end))} 结束，结束后才能确定清单`);
  if (unanswered > 0) return refuse(ProcedureErrors.OBJECTIONS_OPEN, `还有 ${unanswered} 条异议未公开答复`);
  if (alreadyFixed + slateItems(s).length > config.maxMatters) return refuse(ProcedureErrors.TOO_MANY, `每个社区每年最多 ${config.maxMatters} 件实事`);
  return null;
}

// ---------------------------------------------------------------- demands left out

export interface LeftOut {
  reason: LeftOutReason;
  /** Required for 'referred': the department it went to. */
  department?: string;
  /** Required for 'not_feasible': because… */
  note?: string;
}

export function leftOutRefusal(l: LeftOut): Refusal | null {
  if (l.reason === 'referred' && !l.department?.trim()) return refuse(ProcedureErrors.REASON_INCOMPLETE, '请写明转交的职能部门');
  if (l.reason === 'not_feasible' && !l.note?.trim()) return refuse(ProcedureErrors.REASON_INCOMPLETE, '请写明暂不具备实施条件的原因');
  return null;
}

/** The sentence residents read next to a demand left out. */
export function leftOutText(l: LeftOut): string {
  if (l.reason === 'referred') return `${LEFT_OUT_LABELS.referred}：${l.department!.trim()}`;
  if (l.reason === 'not_feasible') return `${LEFT_OUT_LABELS.not_feasible}：${l.note!.trim()}`;
  return l.note?.trim() ? `${LEFT_OUT_LABELS[l.reason]}：${l.note.trim()}` : LEFT_OUT_LABELS[l.reason];
}

// ---------------------------------------------------------------- 微实事立办

export function fastTrackRefusal(cost: number, config: ProcedureConfig): Refusal | null {
  if (cost >= config.fastTrackMaxCost) return refuse('MATTERS.TOO_COSTLY_FOR_FAST_TRACK', `微实事立办限 ${config.fastTrackMaxCost} 元以下，这件事请走“四议两公开”`);
  return null;
}
