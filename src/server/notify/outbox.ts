/** The local adapter: a message is “sent” by writing it to the outbox collection. */
import type { Store } from '../store/store';
import { notifyOutbox } from './notify.collections';
import type { Deliver } from './port';

export const outboxDeliver = (store: Store, now: () => Date): Deliver => async (d) => {
  await store.collection(notifyOutbox).insert({ openid: d.openid, template: d.template, templateId: d.templateId, data: d.data, page: d.page ?? null, at: now().toISOString() });
};
