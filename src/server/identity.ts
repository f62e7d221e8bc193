import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Session tokens of the local host: base64url(JSON payload) + '.' + base64url(HMAC-SHA256).
 * CloudBase needs none (the platform tells us the caller); see cloudbase-identity.ts.
 */
interface SessionPayload {
  /** openid */
  sub: string;
  /** expiry, seconds since the epoch */
  exp: number;
}

export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

const mac = (payload: string, secret: string): Buffer => createHmac('sha256', secret).update(payload).digest();

export function signSession(openid: string, secret: string, now: Date, ttlSeconds = SESSION_TTL_SECONDS): string {
  if (!openid) throw new Error('openid required');
  if (!secret) throw new Error('secret required');
  const payload: SessionPayload = { sub: openid, exp: Math.floor(now.getTime() / 1000) + ttlSeconds };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(body, secret).toString('base64url')}`;
}

/** The payload of a token signed with `secret` and of the right shape, expired or not; null for anything else. */
function signedPayload(token: string, secret: string): SessionPayload | null {
  if (typeof token !== 'string' || !secret || token.length > 2048) return null;
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [body, sig] = parts as [string, string];
  const expected = mac(body, secret);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const p = payload as Partial<SessionPayload> | null;
  if (!p || typeof p.sub !== 'string' || !p.sub || typeof p.exp !== 'number') return null;
  return { sub: p.sub, exp: p.exp };
}

const unexpired = (p: SessionPayload, now: Date): boolean => Math.floor(now.getTime() / 1000) < p.exp;

/** The openid of a valid, unexpired token signed with `secret`; null for anything else. */
export function verifySession(token: string, secret: string, now: Date): { openid: string } | null {
  const p = signedPayload(token, secret);
  return p && unexpired(p, now) ? { openid: p.sub } : null;
}

/**
 * verifySession for one secret, remembering the tokens whose signature checked out (a client sends
 * the same token with every request): the HMAC runs once per token, the expiry check on every call.
 * Only correctly signed tokens are remembered, at most `max` of them.
 */
export function createSessionVerifier(secret: string, max = 10_000): (token: string, now: Date) => { openid: string } | null {
  const known = new Map<string, SessionPayload>();
  return (token, now) => {
    let p = known.get(token) ?? null;
    if (!p) {
      p = signedPayload(token, secret);
      if (!p) return null;
      if (known.size >= max) known.clear();
      known.set(token, p);
    }
    if (unexpired(p, now)) return { openid: p.sub };
    known.delete(token);
    return null;
  };
}
