/** Reused file links: the same link for five minutes (so a page of photos signs each once), then a fresh one. */
import { reusingSigner, signFileUrl, verifyFileUrl } from '../../src/server/files/signed-url';

const SECRET = 'reuse-secret';

test('a link is reused for five minutes, stays valid, and is signed anew after', () => {
  let now = new Date('2025-03-03T02:00:00.000Z');
  let signed = 0;
  const sign = reusingSigner((id) => (signed++, signFileUrl(id, SECRET, now)), () => now);
  const first = sign('local:photos/a.jpg');
  now = new Date(now.getTime() + 4 * 60_000 + 59_000);
  expect(sign('local:photos/a.jpg')).toBe(first);
  expect(signed).toBe(1);
  const exp = /exp=(\d+)&sig=([0-9a-f]+)/.exec(first)!;
  expect(verifyFileUrl('local:photos/a.jpg', exp[1]!, exp[2]!, SECRET, now)).toBe(true);
  now = new Date(now.getTime() + 1_000);
  expect(sign('local:photos/a.jpg')).not.toBe(first);
  expect(sign('local:photos/b.jpg')).toMatch(/^\/files\/local%3Aphotos%2Fb\.jpg\?/);
  expect(signed).toBe(3);
});

test('a clock that went back signs again rather than trusting the cache', () => {
  let now = new Date('2025-03-03T02:00:00.000Z');
  const sign = reusingSigner((id) => signFileUrl(id, SECRET, now), () => now);
  const first = sign('x');
  now = new Date(now.getTime() - 60_000);
  expect(sign('x')).not.toBe(first);
});
