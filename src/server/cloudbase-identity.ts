import { getCloudbaseContext } from '@cloudbase/node-sdk';

/**
 * The caller's OPENID in a CloudBase function: taken from the platform context (`WX_OPENID`,
 * with the WX_ prefix), never from the event a client controls. null when absent or malformed.
 * Kept apart from identity.ts so the local host never loads the SDK.
 */
export function openidFromCloudbaseContext(context: unknown): string | null {
  if (!context || typeof context !== 'object') return null;
  try {
    const openid = getCloudbaseContext(context as Parameters<typeof getCloudbaseContext>[0]).WX_OPENID;
    return typeof openid === 'string' && openid.length > 0 ? openid : null;
  } catch {
    // INVALID_CONTEXT: not a function context (e.g. `{}`).
    return null;
  }
}
