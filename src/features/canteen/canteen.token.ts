/**
 * Meal-card codes (pure format; the MAC itself is computed on the server with node:crypto).
 *
 * 26 characters of Crockford base32 — all inside the mini-program code's 32-character `scene`
 * alphabet, upper case only, so staff can also type them from a printed card:
 *
 *   AK 1 7Q2M9XKD 01 ABCDEFGHJKMNP
 *   │  │ │        │  └ MAC: the first 65 bits of HMAC-SHA256(city key, signing input)
 *   │  │ │        └ generation (0–1023): a re-issued card has the next one; older codes are revoked
 *   │  │ └ card number (40 random bits)
 *   │  └ key version (0–31), so keys can rotate
 *   └ issuer: the city whose key signed it (another city's code is refused before any MAC check)
 *
 * Why 65 bits of MAC: the key never leaves the server, so a forger can only guess online, one
 * check-in call per guess, as signed-in canteen staff. Failed codes are rate-limited (20 per staff
 * member per 10 minutes) and logged. Even 100 staff accounts guessing at that limit for 100 years
 * make ≈ 1.05·10^10 ≈ 2^33.3 guesses, so one forged code for a chosen card succeeds with probability
 * ≤ 2^-31.7 (for any of 10^6 cards it is the same: the MAC covers the card number). Without the rate
 * limit, at the whole host's ~7,000 requests/s for a year (2^37.7) it is still ≤ 2^-27. 65 bits is 13
 * characters; the whole code stays at 26 of the 32 allowed.
 */

export const CARD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ISSUER_LEN = 2;
export const CARD_NO_LEN = 8;
export const GEN_LEN = 2;
export const MAC_LEN = 13;
export const MAC_BITS = MAC_LEN * 5;
export const CODE_LEN = ISSUER_LEN + 1 + CARD_NO_LEN + GEN_LEN + MAC_LEN;
export const MAX_GENERATION = 32 ** GEN_LEN - 1;
export const MAX_KEY_VERSION = 31;

export interface CardParts {
  issuer: string;
  keyVersion: number;
  cardNo: string;
  generation: number;
}

export type ParseFailure = 'malformed' | 'truncated';

/**
 * What a person typed or a scanner read → the canonical code: full-width folded, upper case, spaces
 * and dashes dropped, and Crockford's look-alikes read as digits (O → 0, I/L → 1).
 */
export function normaliseCode(raw: string): string {
  return raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

const isCardChars = (s: string): boolean => [...s].every((c) => CARD_ALPHABET.includes(c));

function encodeInt(n: number, len: number): string {
  let out = '';
  for (let i = 0; i < len; i++) {
    out = CARD_ALPHABET[n % 32] + out;
    n = Math.floor(n / 32);
  }
  return out;
}

function decodeInt(s: string): number {
  let n = 0;
  for (const c of s) n = n * 32 + CARD_ALPHABET.indexOf(c);
  return n;
}

/** The bytes the MAC signs: every field, with a domain prefix so no other HMAC of the key can pass as a card. */
export const signingInput = (p: CardParts): string => `shishi-card/1|${p.issuer}|${p.keyVersion}|${p.cardNo}|${p.generation}`;

/** The first MAC_BITS bits of a digest as MAC_LEN characters. */
export function macChars(digest: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of digest) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < MAC_LEN) {
      out += CARD_ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
    if (out.length === MAC_LEN) break;
  }
  if (out.length < MAC_LEN) throw new Error('digest too short');
  return out;
}

export function assertParts(p: CardParts): void {
  if (p.issuer.length !== ISSUER_LEN || !isCardChars(p.issuer)) throw new Error('bad issuer');
  if (!Number.isInteger(p.keyVersion) || p.keyVersion < 0 || p.keyVersion > MAX_KEY_VERSION) throw new Error('bad key version');
  if (p.cardNo.length !== CARD_NO_LEN || !isCardChars(p.cardNo)) throw new Error('bad card number');
  if (!Number.isInteger(p.generation) || p.generation < 0 || p.generation > MAX_GENERATION) throw new Error('bad generation');
}

/** The code without its MAC (what is signed is `signingInput`, not this string). */
export function codeBody(p: CardParts): string {
  assertParts(p);
  return `${p.issuer}${encodeInt(p.keyVersion, 1)}${p.cardNo}${encodeInt(p.generation, GEN_LEN)}`;
}

export const formatCode = (p: CardParts, mac: string): string => `${codeBody(p)}${mac}`;

/**
 * Splits a code. `truncated`: card characters only, but too short (a code cut off by a scanner or a
 * half-typed one); `malformed`: anything else that is not a card code (other characters, too long).
 */
export function parseCode(raw: string): { ok: true; parts: CardParts; mac: string; code: string } | { ok: false; failure: ParseFailure } {
  const code = normaliseCode(raw);
  if (code.length === 0 || !isCardChars(code) || code.length > CODE_LEN) return { ok: false, failure: 'malformed' };
  if (code.length < CODE_LEN) return { ok: false, failure: 'truncated' };
  let at = 0;
  const take = (n: number) => code.slice(at, (at += n));
  const issuer = take(ISSUER_LEN);
  const keyVersion = decodeInt(take(1));
  const cardNo = take(CARD_NO_LEN);
  const generation = decodeInt(take(GEN_LEN));
  const mac = take(MAC_LEN);
  return { ok: true, parts: { issuer, keyVersion, cardNo, generation }, mac, code };
}

/** A fresh card number from random bytes (40 bits, uniform: 256 is a multiple of 32). */
export function newCardNo(randomBytes: (n: number) => Uint8Array): string {
  return [...randomBytes(CARD_NO_LEN)].map((b) => CARD_ALPHABET[b % 32]).join('');
}

/** '7Q2M 9XKD …' groups of four for printing and reading aloud. */
export const groupCode = (code: string): string => code.replace(/(.{4})(?=.)/g, '$1 ');
