import { signSession, verifySession, SESSION_TTL_SECONDS } from '../../src/server/identity';

const SECRET = 'session-secret';
const NOW = new Date('2025-03-03T02:00:00.000Z');
const later = (s: number) => new Date(NOW.getTime() + s * 1000);

describe('session tokens', () => {
  const token = signSession('demo-resident-peixin', SECRET, NOW);

  it('verifies a fresh token', () => {
    expect(verifySession(token, SECRET, NOW)).toEqual({ openid: 'demo-resident-peixin' });
    expect(verifySession(token, SECRET, later(SESSION_TTL_SECONDS - 1))).toEqual({ openid: 'demo-resident-peixin' });
  });

  it('rejects an expired token, at the boundary and after', () => {
    expect(verifySession(token, SECRET, later(SESSION_TTL_SECONDS))).toBeNull();
    expect(verifySession(signSession('x', SECRET, NOW, 60), SECRET, later(61))).toBeNull();
  });

  it('rejects a token signed with another secret', () => {
    expect(verifySession(token, 'other-secret', NOW)).toBeNull();
  });

  it('rejects a tampered payload or signature', () => {
    const [body, sig] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ sub: 'demo-admin-peixin', exp: 9999999999 })).toString('base64url');
    expect(verifySession(`${forged}.${sig}`, SECRET, NOW)).toBeNull();
    const flipped = sig.slice(0, -2) + (sig.endsWith('A') ? 'B' : 'A') + sig.slice(-1);
    expect(verifySession(`${body}.${flipped}`, SECRET, NOW)).toBeNull();
    expect(verifySession(`${body}.${sig}x`, SECRET, NOW)).toBeNull();
  });

  it.each([['', 'empty'], ['abc', 'no dot'], ['a.b.c', 'three parts'], ['.', 'empty parts'], ['x'.repeat(5000), 'huge']])(
    'rejects a malformed token (%#: %s)',
    (t) => {
      expect(verifySession(t, SECRET, NOW)).toBeNull();
    },
  );

  it('rejects a correctly signed payload of the wrong shape', () => {
    const { createHmac } = require('node:crypto') as typeof import('node:crypto');
    const body = Buffer.from(JSON.stringify({ sub: 42, exp: 9999999999 })).toString('base64url');
    const sig = createHmac('sha256', SECRET).update(body).digest('base64url');
    expect(verifySession(`${body}.${sig}`, SECRET, NOW)).toBeNull();
  });

  it('refuses to sign without an openid or a secret', () => {
    expect(() => signSession('', SECRET, NOW)).toThrow();
    expect(() => signSession('x', '', NOW)).toThrow();
  });
});
