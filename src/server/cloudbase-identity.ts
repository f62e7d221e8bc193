/**
 * The caller's OPENID in a CloudBase function: taken from the platform context (`WX_OPENID`,
 * with the WX_ prefix), never from the event a client controls. null when absent or malformed.
 *
 * The same reading as @cloudbase/node-sdk's `getCloudbaseContext(context).WX_OPENID` (3.18; the test
 * compares the two on every context shape), without loading the SDK: a function then pays for the SDK
 * when it first needs the database, not to answer a call that fails before it. Kept apart from
 * identity.ts so the local host never loads anything CloudBase.
 */

type Env = Record<string, unknown>;

/** `environment` (JSON, newer runtimes) or `environ` (`KEY=value;…`, a value with commas is a list). */
function contextEnv(context: object): Env | null {
  const { environment, environ } = context as { environment?: unknown; environ?: unknown };
  try {
    if (environment) {
      const parsed: unknown = JSON.parse(environment as string);
      return parsed && typeof parsed === 'object' ? (parsed as Env) : {};
    }
    const out: Env = {};
    for (const part of (environ as string).split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const value = part.slice(eq + 1);
      out[part.slice(0, eq)] = value.includes(',') ? value.split(',') : value;
    }
    return out;
  } catch {
    // INVALID_CONTEXT: not a function context (e.g. `{}`).
    return null;
  }
}

export function openidFromCloudbaseContext(context: unknown): string | null {
  if (!context || typeof context !== 'object') return null;
  const env = contextEnv(context);
  if (!env) return null;
  let openid = env.WX_OPENID;
  // As the SDK: a key listed in WX_CONTEXT_KEYS but absent from the context falls back to process.env.
  const keys = env.WX_CONTEXT_KEYS || process.env.WX_CONTEXT_KEYS;
  if (openid === undefined && typeof keys === 'string' && keys.split(',').includes('WX_OPENID')) openid = process.env.WX_OPENID;
  return typeof openid === 'string' && openid.length > 0 ? openid : null;
}
