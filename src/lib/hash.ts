/**
 * A 128-bit hash (32 hex chars) for deterministic ids: a retry lands on the same id while the id reveals
 * nothing about its input. Four 32-bit multiply–xorshift lanes with a final avalanche. Not cryptographic.
 */
export function hash128(input: string): string {
  const lanes = [0x9e3779b9, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f];
  const primes = [0x01000193, 0x5bd1e995, 0x1b873593, 0xcc9e2d51];
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    for (let l = 0; l < 4; l++) {
      let h = Math.imul(lanes[l]! ^ c, primes[l]!);
      h ^= h >>> 15;
      lanes[l] = h;
    }
  }
  let out = '';
  for (let l = 0; l < 4; l++) {
    // Fold in the other lanes and the length, then avalanche (murmur3's finaliser constants).
    let h = (lanes[l]! ^ lanes[(l + 1) % 4]! ^ input.length) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h = (h ^ (h >>> 16)) >>> 0;
    lanes[l] = lanes[l]! ^ h;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}
