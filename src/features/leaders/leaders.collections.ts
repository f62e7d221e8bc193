import { defineCollection } from '../../server/store/store';
import type { Claim, ClaimNote } from './leaders.schema';

/** `claim:<matter>:<leader>`: a district's and the city's walls by year, a leader's own claims. */
export const claims = defineCollection<Claim>({
  name: 'leaders_claims',
  indexes: [['districtId', 'year'], ['cityId', 'year'], ['leaderId', 'claimedAt'], 'matterId'],
});

/** Coordination notes of a matter's claims, newest first. */
export const claimNotes = defineCollection<ClaimNote>({ name: 'leaders_notes', indexes: [['matterId', 'at']] });
