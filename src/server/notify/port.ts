/** The notifications port: WeChat subscription messages (订阅消息) in production, an outbox locally. */

export interface NotifyMessage {
  openid: string;
  /** A template key from the configuration, e.g. `suggestion_reply`; never a WeChat template id. */
  template: string;
  /** Values by field name (the configuration maps names to the template's keywords). */
  data: Record<string, string>;
  /** The mini-program page the message opens, e.g. `pages/suggestion/index?id=…`. */
  page?: string;
}

/** `no_consent` and `not_configured` are normal outcomes, not errors: nothing was sent. */
export type SendOutcome = 'sent' | 'no_consent' | 'not_configured' | 'failed';

export interface NotificationsPort {
  /** Configured WeChat template ids by key (only the keys asked for, when given). */
  templateIds(keys?: readonly string[]): Record<string, string>;
  /** The person accepted one message of each of these template keys (WeChat allows one send per acceptance). */
  recordConsent(openid: string, keys: readonly string[]): Promise<void>;
  /** Sends if a consent is left, using it up. Never throws: failures are logged and answered as `failed`. */
  send(msg: NotifyMessage): Promise<SendOutcome>;
}

/** What an adapter delivers: the template resolved and the data keyed by the template's keywords. */
export interface Delivery {
  openid: string;
  template: string;
  templateId: string;
  data: Record<string, string>;
  page?: string;
}

export type Deliver = (d: Delivery) => Promise<void>;
