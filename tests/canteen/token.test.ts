import { randomBytes } from 'node:crypto';
import { macFor, macMatches, parseKeyring } from '../../src/features/canteen/canteen.keys';
import {
  CARD_ALPHABET, CODE_LEN, MAC_BITS, codeBody, formatCode, groupCode, macChars, newCardNo, normaliseCode, parseCode, type CardParts,
} from '../../src/features/canteen/canteen.token';

const KEY = Buffer.alloc(32, 7);
const PARTS: CardParts = { issuer: 'AK', keyVersion: 1, cardNo: '7Q2M9XKD', generation: 3 };
const code = formatCode(PARTS, macFor(KEY, PARTS));

// Every scene character of wxacode.getUnlimited.
const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

describe('card code format', () => {
  test('26 characters, inside the mini-program scene alphabet, and it round-trips', () => {
    expect(code).toHaveLength(CODE_LEN);
    expect(CODE_LEN).toBeLessThanOrEqual(32);
    expect(code).toMatch(SCENE);
    expect(MAC_BITS).toBe(65);
    const p = parseCode(code);
    expect(p).toEqual({ ok: true, parts: PARTS, mac: code.slice(13), code });
    expect(p.ok && macMatches(KEY, p.parts, p.mac)).toBe(true);
  });

  test('typing is forgiving: lower case, spaces, dashes, full-width, O for 0 and I/L for 1', () => {
    expect(parseCode(groupCode(code).toLowerCase())).toMatchObject({ ok: true, code });
    expect(parseCode(code.replace(/0/g, 'O').replace(/1/g, 'l'))).toMatchObject({ ok: true, code });
    expect(parseCode(code.split('').map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join(''))).toMatchObject({ ok: true, code });
    expect(normaliseCode(' ak1-7q ')).toBe('AK17Q');
  });

  test('malformed and truncated are told apart', () => {
    expect(parseCode('https://example.com/x')).toEqual({ ok: false, failure: 'malformed' });
    expect(parseCode('')).toEqual({ ok: false, failure: 'malformed' });
    expect(parseCode(`${code}Z`)).toEqual({ ok: false, failure: 'malformed' });
    expect(parseCode(code.slice(0, 20))).toEqual({ ok: false, failure: 'truncated' });
    expect(parseCode(code.slice(0, -1))).toEqual({ ok: false, failure: 'truncated' });
  });

  test('the MAC covers every field: any change fails verification', () => {
    const p = parseCode(code);
    if (!p.ok) throw new Error('parse');
    for (const changed of [
      { ...p.parts, generation: 4 },
      { ...p.parts, cardNo: '7Q2M9XKE' },
      { ...p.parts, keyVersion: 2 },
      { ...p.parts, issuer: 'HZ' },
    ]) expect(macMatches(KEY, changed, p.mac)).toBe(false);
    expect(macMatches(Buffer.alloc(32, 8), p.parts, p.mac)).toBe(false);
    // Every single-character change of the MAC fails.
    for (let i = 0; i < 13; i++) {
      const c = p.mac[i] === 'A' ? 'B' : 'A';
      expect(macMatches(KEY, p.parts, p.mac.slice(0, i) + c + p.mac.slice(i + 1))).toBe(false);
    }
  });

  test('macChars takes the first 65 bits of the digest', () => {
    const digest = new Uint8Array(32).fill(0xff);
    expect(macChars(digest)).toBe('Z'.repeat(13));
    expect(macChars(new Uint8Array(32))).toBe('0'.repeat(13));
    expect(() => macChars(new Uint8Array(8))).toThrow('digest too short'); // 64 bits < 65
  });

  test('card numbers are 8 alphabet characters; bodies refuse bad parts', () => {
    const no = newCardNo((n) => new Uint8Array(randomBytes(n)));
    expect(no).toHaveLength(8);
    expect([...no].every((c) => CARD_ALPHABET.includes(c))).toBe(true);
    expect(() => codeBody({ ...PARTS, generation: 1024 })).toThrow('bad generation');
    expect(() => codeBody({ ...PARTS, issuer: 'ak' })).toThrow('bad issuer');
  });
});

describe('CANTEEN_KEYS', () => {
  test('parses cities, versions and the ID-hash key; refuses short keys and a missing current key', () => {
    const hex = 'ab'.repeat(32);
    const ring = parseKeyring(JSON.stringify({ cities: { 'city-x': { issuer: 'HZ', current: 2, keys: { 1: hex, 2: hex } } }, idHashKey: hex }));
    expect(ring.cities.get('city-x')).toMatchObject({ issuer: 'HZ', current: 2 });
    expect(() => parseKeyring(JSON.stringify({ cities: { c: { issuer: 'HZ', current: 1, keys: { 1: 'abcd' } } }, idHashKey: hex }))).toThrow('at least 64 hex');
    expect(() => parseKeyring(JSON.stringify({ cities: { c: { issuer: 'HZ', current: 3, keys: { 1: hex } } }, idHashKey: hex }))).toThrow('current key');
    expect(() => parseKeyring(JSON.stringify({ cities: { c: { issuer: 'IO', current: 1, keys: { 1: hex } } }, idHashKey: hex }))).toThrow('bad issuer');
  });
});
