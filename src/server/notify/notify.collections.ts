import { defineCollection } from '../store/store';

/** `consent:<template key>:<openid>`: how many messages of that template the person has accepted and not yet received. */
export interface Consent {
  openid: string;
  template: string;
  count: number;
  updatedAt: string;
}

/** The local adapter's sent messages (the demo's admin page lists them, newest first). */
export interface OutboxMessage {
  openid: string;
  template: string;
  templateId: string;
  data: Record<string, string>;
  page: string | null;
  at: string;
}

export const notifyConsents = defineCollection<Consent>({ name: 'notifyConsents', indexes: [] });
export const notifyOutbox = defineCollection<OutboxMessage>({ name: 'notifyOutbox', indexes: ['at'] });
