import { defineCollection } from '../../server/store/store';
import type { Member } from './members.schema';
import type { Invitation } from './members.schema';

export const members = defineCollection<Member>({ name: 'members', indexes: ['openid', 'createdAt'] });
export const invitations = defineCollection<Invitation>({ name: 'invitations', indexes: ['regionId', 'createdAt'] });
