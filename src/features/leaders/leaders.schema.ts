/**
 * Leaders' claims (领导认领): county- and city-level leaders claim matters of their region, keep coordination
 * notes (协调记录) on each claim, and every district and the city has a claim wall.
 */
import { z } from 'zod';
import { defineContract } from '../../lib/contract';
import { Matter } from '../matters/matters.schema';

const Id = z.string().min(1).max(100);
const Cursor = z.string().max(500).nullable().default(null);
const Year = z.number().int().min(2000).max(2100);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const MatterState = Matter.shape.state;

/** `claim:<matter>:<leader>`: one claim per leader and matter; placed like the matter for the walls. */
export const Claim = z.object({
  _id: z.string(),
  matterId: z.string(),
  leaderId: z.string(),
  leaderName: z.string(),
  communityId: z.string(),
  districtId: z.string(),
  cityId: z.string(),
  year: z.number().int(),
  claimedAt: z.string(),
  /** Member id of who recorded it: the leader, or a district admin for the leader. */
  recordedBy: z.string(),
  notes: z.number().int().nonnegative(),
  lastNoteAt: z.string().nullable(),
});
export type Claim = z.infer<typeof Claim>;

/** A coordination note (协调记录) on a claim. */
export const ClaimNote = z.object({
  _id: z.string(),
  claimId: z.string(),
  matterId: z.string(),
  leaderId: z.string(),
  leaderName: z.string(),
  date: z.string(),
  text: z.string(),
  photos: z.array(z.string()),
  at: z.string(),
});
export type ClaimNote = z.infer<typeof ClaimNote>;

/** A matter as the leaders' pages show it. */
export const ClaimedMatter = z.object({
  matterId: z.string(),
  title: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  state: MatterState,
  progress: z.number().int(),
  leadUnitName: z.string().nullable(),
  claimedBy: z.array(z.string()),
});

export const WallRow = ClaimedMatter.extend({ leaderId: z.string(), leaderName: z.string(), claimedAt: z.string(), notes: z.number().int() });
export type WallRow = z.infer<typeof WallRow>;

export const NoteView = ClaimNote.omit({ photos: true }).extend({ photos: z.array(z.object({ fileId: z.string(), url: z.string() })) });

export const leadersContract = defineContract({
  /** A one-time code for a leader of a district (by its admin or the city's) or of the city (by the city's admin). */
  inviteLeader: { input: z.object({ regionId: Id }), output: z.object({ code: z.string(), expiresAt: z.string() }) },
  /** The leaders of a district (and of its city), for a district admin recording a claim. */
  listLeaders: {
    input: z.object({ regionId: Id }),
    output: z.object({ items: z.array(z.object({ memberId: z.string(), name: z.string(), regionId: z.string(), regionName: z.string() })) }),
  },
  /** A region's matters of a year to claim from (a district's or the city's), optionally one community's. */
  claimableMatters: {
    input: z.object({ regionId: Id, year: Year, cursor: Cursor }),
    output: z.object({ items: z.array(ClaimedMatter.extend({ mine: z.boolean() })), nextCursor: z.string().nullable() }),
  },
  /** A leader claims a matter of their region; a district admin may record the claim for a leader (`leaderId`). */
  claimMatter: { input: z.object({ matterId: Id, leaderId: Id.optional() }), output: z.object({ claimId: z.string(), claimedBy: z.array(z.string()) }) },
  unclaimMatter: { input: z.object({ matterId: Id, leaderId: Id.optional() }), output: z.object({ claimedBy: z.array(z.string()) }) },
  /** A leader's claimed matters across communities, with progress and state. */
  myClaims: { input: z.object({}).default({}), output: z.object({ items: z.array(WallRow) }) },
  /** A coordination note on the caller's own claim. */
  addNote: {
    input: z.object({
      matterId: Id,
      date: Day,
      text: z.string().trim().min(5, '协调记录至少 5 个字').max(1000, '最多 1000 字'),
      photos: z.array(Id).max(9, '最多 9 张照片').default([]),
    }),
    output: z.object({ _id: z.string(), notes: z.number().int() }),
  },
  /** The notes of a matter's claims, newest first. */
  listNotes: {
    input: z.object({ matterId: Id, cursor: Cursor }),
    output: z.object({ items: z.array(NoteView), nextCursor: z.string().nullable() }),
  },
  /** The claim wall of a district or the city: who claimed what, with progress. */
  claimWall: {
    input: z.object({ regionId: Id, year: Year }),
    output: z.object({ regionName: z.string(), leaders: z.number().int(), claims: z.number().int(), items: z.array(WallRow), truncated: z.boolean() }),
  },
});
