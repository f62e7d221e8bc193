import { randomFillSync } from 'node:crypto';

/** Time-ordered, URL-safe ids: 10 chars of millisecond time + 12 random chars (base32hex, lower case). */
const ALPHABET = '0123456789abcdefghijklmnopqrstuv';

/** Random bytes drawn from the CSPRNG a pool at a time: one call per id costs more than the id itself. */
const POOL = Buffer.alloc(4096);
let poolAt = POOL.length;

export function newId(now: Date = new Date()): string {
  let t = now.getTime();
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  if (poolAt + 12 > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  let rand = '';
  for (let i = poolAt; i < poolAt + 12; i++) rand += ALPHABET[POOL[i]! % 32];
  // Each byte is used once.
  poolAt += 12;
  return time + rand;
}
