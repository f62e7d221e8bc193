import { z } from 'zod';
import { defineContract } from '../../src/lib/contract';
import { AppError } from '../../src/lib/errors';
import { defineArea, type Area } from '../../src/server/action';
import { areas } from '../../src/server/areas';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { dispatch } from '../../src/server/dispatch';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

/** A throwaway area that exercises dispatch's failure paths. */
const probeContract = defineContract({
  boom: { input: z.object({}), output: z.object({}) },
  appError: { input: z.object({}), output: z.object({}) },
  badOutput: { input: z.object({}), output: z.object({ n: z.number() }) },
  echo: { input: z.object({ n: z.number().int() }), output: z.object({ n: z.number(), grants: z.number() }) },
  scoped: { input: z.object({ regionId: z.string() }), output: z.object({ grants: z.array(z.string()) }) },
});
const SECRET_TEXT = '李秀兰 13800000001 身份证 610902199001011234';
const probe = defineArea('probe', probeContract, {
  boom: {
    roles: 'public',
    run: async () => {
      throw new Error(SECRET_TEXT);
    },
  },
  appError: {
    roles: 'signed-in',
    run: async () => {
      throw new AppError('PROBE.NOPE', '不行');
    },
  },
  badOutput: { roles: 'public', run: async () => ({ n: 'x' as unknown as number }) },
  echo: { roles: ['resident'], run: async (input, ctx) => ({ n: input.n, grants: ctx.grants.length }) },
  scoped: {
    roles: ['community_admin', 'resident'],
    scope: (input) => input.regionId,
    run: async (_input, ctx) => ({ grants: ctx.grants.map((g) => `${g.role}@${g.regionId}`) }),
  },
});
const probeAreas = { ...areas, probe } as unknown as Record<string, Area>;

describe('dispatch', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  const run = (area: string, event: unknown, openid: string | null = P.residentPeixin.openid, requestId = 'req-1') =>
    dispatch(probeAreas, area, event, openid === null ? null : { openid }, h.services, requestId);

  it.each([
    ['an unknown area', 'nope', { action: 'me' }],
    ['an unknown action', 'members', { action: 'nope' }],
    ['an inherited property name', 'members', { action: 'constructor' }],
    ['__proto__', 'members', { action: '__proto__' }],
    ['toString', 'regions', { action: 'toString' }],
  ])('%s → ACTION.UNKNOWN', async (_what, area, event) => {
    expect(codeOf(await run(area, event))).toBe('ACTION.UNKNOWN');
  });

  it.each([
    [null], [undefined], ['me'], [42], [[]], [{}], [{ action: '' }], [{ action: 7 }], [{ action: 'x'.repeat(65) }], [{ input: {} }],
  ])('a malformed event %j → INPUT.INVALID', async (event) => {
    const res = await run('members', event);
    expect(codeOf(res)).toBe('INPUT.INVALID');
  });

  it('an action that needs identity, called without one → AUTH.UNAUTHENTICATED', async () => {
    expect(codeOf(await run('members', { action: 'me', input: {} }, null))).toBe('AUTH.UNAUTHENTICATED');
    expect(codeOf(await run('probe', { action: 'echo', input: { n: 1 } }, null))).toBe('AUTH.UNAUTHENTICATED');
    expect(codeOf(await run('regions', { action: 'children', input: { regionId: R.city } }, null))).toBe('AUTH.UNAUTHENTICATED');
  });

  it('identity is checked before input: no shape hints to strangers', async () => {
    expect(codeOf(await run('members', { action: 'joinCommunity', input: { bad: true } }, null))).toBe('AUTH.UNAUTHENTICATED');
  });

  it('a public action works without identity; a missing input is taken as {}', async () => {
    expect(codeOf(await run('regions', { action: 'listCommunities' }, null))).toBe('OK');
  });

  it('a plain Error → INTERNAL with the request id, no stack and no message leaked', async () => {
    const before = h.logs.length;
    const res = await run('probe', { action: 'boom' }, null, 'req-boom-1');
    expect(res).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('req-boom-1'), requestId: 'req-boom-1' } });
    const text = JSON.stringify(res);
    expect(text).not.toMatch(/\bat\s|\.ts:|Error:/);
    expect(text).not.toContain('13800000001');
    // Logged once, with the request id, and without the personal data in the error's message.
    const lines = h.logs.slice(before);
    expect(lines).toEqual([expect.objectContaining({ level: 'error', requestId: 'req-boom-1', area: 'probe' })]);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain('13800000001');
    expect(logged).not.toContain('李秀兰');
    expect(logged).not.toContain('610902199001011234');
    expect(logged).toContain('at '); // frames are kept for debugging
  });

  it('an AppError keeps its code and message', async () => {
    expect(await run('probe', { action: 'appError' })).toEqual({ ok: false, error: { code: 'PROBE.NOPE', message: '不行' } });
  });

  it('an output that breaks the contract → INTERNAL', async () => {
    const res = await run('probe', { action: 'badOutput' }, null, 'req-out');
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL', requestId: 'req-out' } });
  });

  it('bad input → INPUT.INVALID with per-field issues', async () => {
    const res = await run('probe', { action: 'echo', input: { n: 1.5 } });
    expect(res).toMatchObject({ ok: false, error: { code: 'INPUT.INVALID', issues: [{ path: ['n'] }] } });
  });

  it('role check: a grid worker is not a resident; the resident gets only the grants of the allowed roles', async () => {
    expect(codeOf(await run('probe', { action: 'echo', input: { n: 1 } }, P.gridPeixin.openid))).toBe('AUTH.FORBIDDEN');
    expect(dataOf(await run('probe', { action: 'echo', input: { n: 2 } }, P.adminPeixin.openid))).toEqual({ n: 2, grants: 1 });
  });

  it('scope check: only grants covering the region reach the action', async () => {
    expect(dataOf(await run('probe', { action: 'scoped', input: { regionId: R.peixinGrid1 } }, P.adminPeixin.openid))).toEqual({
      grants: [`community_admin@${R.peixin}`, `resident@${R.peixin}`],
    });
    expect(codeOf(await run('probe', { action: 'scoped', input: { regionId: R.xiaojiaba } }, P.adminPeixin.openid))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await run('probe', { action: 'scoped', input: { regionId: 'nowhere' } }, P.adminPeixin.openid))).toBe('AUTH.FORBIDDEN');
  });
});
