import { randomBytes } from 'node:crypto';

/** Time-ordered, URL-safe ids: 10 chars of millisecond time + 12 random chars (base32hex, lower case). */
const ALPHABET = '0123456789abcdefghijklmnopqrstuv';

export function newId(now: Date = new Date()): string {
  let t = now.getTime();
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(12);
  let rand = '';
  for (const b of bytes) rand += ALPHABET[b % 32];
  return time + rand;
}
