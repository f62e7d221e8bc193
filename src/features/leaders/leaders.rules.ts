/** Pure rules of leaders' claims: ids, who a claim is for, the wall's order. */

export const claimId = (matterId: string, leaderId: string): string => `claim:${matterId}:${leaderId}`;

/** The region levels a leader serves at: a district (县区领导) or the city. */
export const LEADER_REGION_KINDS = ['district', 'city'] as const;

/** A leader covers a matter when their grant's region lies on the matter's region path. */
export const leaderCovers = (leaderRegionIds: readonly string[], matterPath: readonly string[]): boolean =>
  leaderRegionIds.some((r) => matterPath.includes(r));

export interface WallSortable {
  leaderName: string;
  communityName: string;
  title: string;
}

/** The wall reads by leader, then community, then matter (Chinese collation). */
export const wallOrder = (a: WallSortable, b: WallSortable): number =>
  a.leaderName.localeCompare(b.leaderName, 'zh') || a.communityName.localeCompare(b.communityName, 'zh') || a.title.localeCompare(b.title, 'zh');
