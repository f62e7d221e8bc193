/** The port's behaviour shared by both adapters: template lookup, consent counting; delivery is the adapter's. */
import { ErrorCodes, isAppError } from '../../lib/errors';
import type { Logger } from '../action';
import { withRetry } from '../conflict-retry';
import type { Store } from '../store/store';
import { notifyConsents } from './notify.collections';
import type { Deliver, NotificationsPort, NotifyMessage, SendOutcome } from './port';
import type { Templates } from './templates';

export const consentId = (template: string, openid: string): string => `consent:${template}:${openid}`;

export interface NotificationsOptions {
  store: Store;
  templates: Templates;
  deliver: Deliver;
  log: Logger;
  now: () => Date;
}

export function createNotifications(o: NotificationsOptions): NotificationsPort {
  const consents = () => o.store.collection(notifyConsents);

  async function addConsent(openid: string, template: string): Promise<void> {
    const id = consentId(template, openid);
    if (!(await consents().get(id))) {
      try {
        await consents().insert({ openid, template, count: 1, updatedAt: o.now().toISOString() }, { id });
        return;
      } catch (e) {
        // Created in between by a parallel call: count this one on top.
        if (!isAppError(e) || e.code !== ErrorCodes.DUPLICATE) throw e;
      }
    }
    await consents().increment(id, { count: 1 });
  }

  /** Takes one consent if there is one; false when none is left. */
  function useConsent(openid: string, template: string): Promise<boolean> {
    const id = consentId(template, openid);
    return withRetry(async () => {
      const c = await consents().get(id);
      if (!c || c.count <= 0) return false;
      await consents().update(id, c._rev, { count: c.count - 1, updatedAt: o.now().toISOString() });
      return true;
    });
  }

  return {
    templateIds(keys) {
      const out: Record<string, string> = {};
      for (const [k, t] of Object.entries(o.templates)) if (!keys || keys.includes(k)) out[k] = t.id;
      return out;
    },
    async recordConsent(openid, keys) {
      for (const k of new Set(keys)) if (o.templates[k]) await addConsent(openid, k);
    },
    async send(msg: NotifyMessage): Promise<SendOutcome> {
      const t = o.templates[msg.template];
      if (!t) {
        o.log.info('notify: template not configured', { template: msg.template });
        return 'not_configured';
      }
      try {
        if (!(await useConsent(msg.openid, msg.template))) return 'no_consent';
        const data: Record<string, string> = {};
        for (const [name, value] of Object.entries(msg.data)) data[t.fields[name] ?? name] = value;
        await o.deliver({ openid: msg.openid, template: msg.template, templateId: t.id, data, ...(msg.page ? { page: msg.page } : {}) });
        return 'sent';
      } catch (e) {
        // The consent stays used: WeChat may have taken it (e.g. 43101, the person unsubscribed).
        o.log.warn('notify: send failed', { template: msg.template, code: isAppError(e) ? e.code : 'DELIVERY', error: e instanceof Error ? (e.stack ?? e.name) : typeof e });
        return 'failed';
      }
    },
  };
}
