import {
  CODE_ALPHABET, CODE_LENGTH, INVITATION_TTL_MS, communityIdOf, generateCode, invitationExpiry, invitationState,
  isWellFormedCode, mergeGrant, normaliseCode,
} from '../../src/features/members/members.rules';
import type { Grant } from '../../src/features/members/members.schema';

describe('invitation codes', () => {
  it('uses no look-alike characters', () => {
    for (const c of '01ILO') expect(CODE_ALPHABET).not.toContain(c);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
  });

  it('generates well-formed codes from random bytes', () => {
    const crypto = globalThis.crypto;
    for (let i = 0; i < 200; i++) {
      const code = generateCode((n) => crypto.getRandomValues(new Uint8Array(n)));
      expect(code).toHaveLength(CODE_LENGTH);
      expect(isWellFormedCode(code)).toBe(true);
    }
  });

  it('skips bytes that would bias the alphabet', () => {
    // 248..255 are rejected (248 = 8 × 31); 0 → 'A', 30 → '9'.
    const bytes = [255, 248, 0, 30, 0, 30, 0, 30, 0, 30, 0, 30];
    let i = 0;
    const code = generateCode((n) => Uint8Array.from({ length: n }, () => bytes[i++ % bytes.length]!));
    expect(code).toBe('A9A9A9A9');
  });

  it.each([
    ['abcd efgh', 'ABCDEFGH'],
    [' ABCD-EFGH ', 'ABCDEFGH'],
    ['ＡＢＣＤＥＦＧＨ', 'ABCDEFGH'],
  ])('normalises %j → %j', (raw, code) => {
    expect(normaliseCode(raw)).toBe(code);
  });

  it.each([
    ['ABCDEFGH', true],
    ['ABCDEFG', false],
    ['ABCDEFGHJ', false],
    ['ABCDEFG0', false],
    ['ABCDEFGI', false],
    ['abcdefgh', false],
  ])('%s well-formed: %s', (code, ok) => {
    expect(isWellFormedCode(code)).toBe(ok);
  });
});

describe('invitation validity', () => {
  const created = new Date('2025-03-03T02:00:00.000Z');
  const inv = { usedBy: null, expiresAt: invitationExpiry(created) };
  const at = (ms: number) => new Date(created.getTime() + ms);

  it.each([
    [0, 'valid'],
    [INVITATION_TTL_MS - 1, 'valid'],
    [INVITATION_TTL_MS, 'expired'],
    [INVITATION_TTL_MS + 1, 'expired'],
  ])('at +%d ms it is %s', (ms, state) => {
    expect(invitationState(inv, at(ms))).toBe(state);
  });

  it('reports used before expired', () => {
    expect(invitationState({ ...inv, usedBy: 'm-1' }, at(0))).toBe('used');
    expect(invitationState({ ...inv, usedBy: 'm-1' }, at(INVITATION_TTL_MS * 2))).toBe('used');
  });

  it('expires seven days after creation', () => {
    expect(invitationExpiry(created)).toBe('2025-03-10T02:00:00.000Z');
  });
});

describe('mergeGrant', () => {
  const resident: Grant = { role: 'resident', regionId: 'comm-a', regionName: 'A', building: '1栋', unit: '1单元' };

  it('adds a new grant', () => {
    expect(mergeGrant([], resident)).toEqual([resident]);
  });

  it('keeps one resident grant per community, with the latest building and unit', () => {
    const moved: Grant = { role: 'resident', regionId: 'comm-a', regionName: 'A', building: '5栋' };
    expect(mergeGrant([resident], moved)).toEqual([moved]);
  });

  it('allows resident grants in several communities', () => {
    const other: Grant = { ...resident, regionId: 'comm-b' };
    expect(mergeGrant([resident], other)).toEqual([resident, other]);
  });

  it('does not duplicate a staff grant and keeps other grants in place', () => {
    const admin: Grant = { role: 'community_admin', regionId: 'comm-a', regionName: 'A' };
    expect(mergeGrant([admin, resident], { role: 'community_admin', regionId: 'comm-a' })).toEqual([admin, resident]);
  });

  it('treats the same role over another region as a new grant', () => {
    const g1: Grant = { role: 'grid_worker', regionId: 'grid-1' };
    const g2: Grant = { role: 'grid_worker', regionId: 'grid-2' };
    expect(mergeGrant([g1], g2)).toEqual([g1, g2]);
  });
});

describe('communityIdOf', () => {
  it.each([
    [{ _id: 'c', kind: 'community' as const, parentId: 's' }, 'c'],
    [{ _id: 'g', kind: 'grid' as const, parentId: 'c' }, 'c'],
    [{ _id: 'd', kind: 'district' as const, parentId: 'city' }, null],
    [{ _id: 'city', kind: 'city' as const, parentId: null }, null],
  ])('%j → %s', (region, id) => {
    expect(communityIdOf(region)).toBe(id);
  });
});
