import { signFileUrl, verifyFileUrl } from '../../src/server/files/signed-url';

const SECRET = 'test-secret';
const now = new Date('2024-05-01T00:00:00.000Z');
const fileId = 'local:suggestions/01hx0000000000000000ab.png';

const parts = (url: string) => {
  const u = new URL(url, 'http://h');
  return { id: decodeURIComponent(u.pathname.slice('/files/'.length)), exp: u.searchParams.get('exp')!, sig: u.searchParams.get('sig')! };
};

test('shape: /files/<encoded id>?exp=<unix>&sig=<hex>', () => {
  const url = signFileUrl(fileId, SECRET, now, 600);
  expect(url).toBe(`/files/${encodeURIComponent(fileId)}?exp=${now.getTime() / 1000 + 600}&sig=${parts(url).sig}`);
  expect(parts(url).sig).toMatch(/^[0-9a-f]{64}$/);
  expect(parts(signFileUrl(fileId, SECRET, now)).exp).toBe(String(now.getTime() / 1000 + 3600));
});

test('valid until exp, not at or after it', () => {
  const { id, exp, sig } = parts(signFileUrl(fileId, SECRET, now, 60));
  expect(id).toBe(fileId);
  expect(verifyFileUrl(id, exp, sig, SECRET, now)).toBe(true);
  expect(verifyFileUrl(id, Number(exp), sig, SECRET, new Date(now.getTime() + 59_999))).toBe(true);
  expect(verifyFileUrl(id, exp, sig, SECRET, new Date(now.getTime() + 60_000))).toBe(false);
  expect(verifyFileUrl(id, exp, sig, SECRET, new Date(now.getTime() + 86_400_000))).toBe(false);
});

test('tampering with id, exp, sig or secret fails', () => {
  const { id, exp, sig } = parts(signFileUrl(fileId, SECRET, now));
  const flip = (s: string) => (s[0] === 'a' ? 'b' : 'a') + s.slice(1);
  expect(verifyFileUrl(`${id}x`, exp, sig, SECRET, now)).toBe(false);
  expect(verifyFileUrl('local:suggestions/01hx0000000000000000ac.png', exp, sig, SECRET, now)).toBe(false);
  expect(verifyFileUrl(id, String(Number(exp) + 3600), sig, SECRET, now)).toBe(false);
  expect(verifyFileUrl(id, exp, flip(sig), SECRET, now)).toBe(false);
  expect(verifyFileUrl(id, exp, sig.toUpperCase(), SECRET, now)).toBe(false);
  expect(verifyFileUrl(id, exp, sig.slice(0, 63), SECRET, now)).toBe(false);
  expect(verifyFileUrl(id, exp, '', SECRET, now)).toBe(false);
  expect(verifyFileUrl(id, exp, sig, 'other-secret', now)).toBe(false);
  expect(verifyFileUrl(id, exp, sig, '', now)).toBe(false);
  for (const bad of ['', '1e12', '-1', ' 1', '0x10', `${exp}.0`]) expect(verifyFileUrl(id, bad, sig, SECRET, now)).toBe(false);
});
