/** A city's rules of 四议两公开 in the words the pages use (the procedure page and the settings page). */
import { STEP_LABELS, STEPS, type Step } from '../../features/matters/matters.labels';
import { fractionText, type ProcedureConfig } from '../../features/matters/matters.rules';

/** “党组织提议、两委会商议须应到人员超过半数到会；居民代表会议决议须3分之2以上（含）到会” — steps with the same rule share a clause. */
export function quorumText(c: ProcedureConfig): string {
  const groups = new Map<string, Step[]>();
  for (const s of STEPS) {
    const t = fractionText(c.quorum[s]);
    groups.set(t, [...(groups.get(t) ?? []), s]);
  }
  return [...groups].map(([t, steps]) => `${steps.map((s) => STEP_LABELS[s]).join('、')}须应到人员${t}到会`).join('；');
}

export const majorityText = (c: ProcedureConfig): string => `每个事项须获实到人员${fractionText(c.majority)}赞成才算通过`;

/** The whole of it, one sentence each. */
export const rulesLines = (c: ProcedureConfig): string[] => [
  `${quorumText(c)}。`,
  `${majorityText(c)}。`,
  `决议公示 ${c.publicityDays} 天，期间居民可提出异议。`,
  `每个社区每年最多 ${c.maxMatters} 件实事。`,
  `花费 ${c.fastTrackMaxCost} 元以下的小事可“微实事立办”，不占年度名额。`,
];
