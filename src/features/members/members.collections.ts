import { defineCollection } from '../../server/store/store';
import type { Invitation, Member, OpenidLink, RosterEntry } from './members.schema';

export const members = defineCollection<Member>({ name: 'members', indexes: ['openid', 'createdAt'] });
export const openidLinks = defineCollection<OpenidLink>({ name: 'openids', indexes: [] });
export const roster = defineCollection<RosterEntry>({ name: 'roster', indexes: ['memberId', ['communityId', 'role']] });
export const invitations = defineCollection<Invitation>({ name: 'invitations', indexes: ['communityId', 'createdAt'] });
