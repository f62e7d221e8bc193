import { createHmac } from 'node:crypto';
import { createSessionVerifier, signSession, verifySession, SESSION_TTL_SECONDS } from '../../src/server/identity';

const SECRET = 'session-secret';
const NOW = new Date('2025-03-03T02:00:00.000Z');
const later = (s: number) => new Date(NOW.getTime() + s * 1000);

describe('the host’s memoizing session verifier', () => {
  const token = signSession('demo-resident-peixin', SECRET, NOW);

  it('answers as verifySession does, on first and later calls', () => {
    const verify = createSessionVerifier(SECRET);
    for (const at of [NOW, later(60), later(SESSION_TTL_SECONDS - 1)]) {
      expect(verify(token, at)).toEqual({ openid: 'demo-resident-peixin' });
      expect(verify(token, at)).toEqual(verifySession(token, SECRET, at));
    }
  });

  it('still checks expiry on every call for a remembered token', () => {
    const verify = createSessionVerifier(SECRET);
    const short = signSession('x', SECRET, NOW, 60);
    expect(verify(short, NOW)).toEqual({ openid: 'x' });
    expect(verify(short, later(60))).toBeNull();
    expect(verify(short, later(61))).toBeNull();
  });

  it('rejects forged, tampered, foreign and malformed tokens every time', () => {
    const verify = createSessionVerifier(SECRET);
    expect(verify(token, NOW)).not.toBeNull();
    const [body, sig] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ sub: 'demo-admin-peixin', exp: 9999999999 })).toString('base64url');
    const badShape = Buffer.from(JSON.stringify({ sub: 42, exp: 9999999999 })).toString('base64url');
    const bad = [
      `${forged}.${sig}`,
      `${body}.${sig}x`,
      signSession('demo-resident-peixin', 'other-secret', NOW),
      `${badShape}.${createHmac('sha256', SECRET).update(badShape).digest('base64url')}`,
      '',
      'a.b.c',
      'x'.repeat(5000),
    ];
    for (let round = 0; round < 2; round++) for (const t of bad) expect(verify(t, NOW)).toBeNull();
  });

  it('stays bounded', () => {
    const verify = createSessionVerifier(SECRET, 3);
    const tokens = Array.from({ length: 10 }, (_, i) => signSession(`p${i}`, SECRET, NOW));
    for (const [i, t] of tokens.entries()) expect(verify(t, NOW)).toEqual({ openid: `p${i}` });
    for (const [i, t] of tokens.entries()) expect(verify(t, NOW)).toEqual({ openid: `p${i}` });
  });
});
