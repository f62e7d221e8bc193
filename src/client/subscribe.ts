/**
 * H5: browsers have no subscription messages. In the local host's demo (the only H5 sign-in) consent
 * is simulated as accepted, without a prompt, so the demo outbox shows what WeChat would deliver;
 * without a demo session it counts as declined.
 */
import { getSession } from './session';

/** Asks consent for the given templates (key → template id); resolves to the accepted keys. */
export async function askConsent(templates: Record<string, string>): Promise<string[]> {
  return getSession() ? Object.keys(templates) : [];
}
