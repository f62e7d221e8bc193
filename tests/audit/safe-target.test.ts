/** Which written ids the audit log keeps in clear: table-driven, through the exported rule. */
import { safeTarget } from '../../src/server/audit/audit-hook';

describe('safeTarget', () => {
  it.each([
    ['sg31a89a38e45839de48130380f53378d1', true],
    ['meal:el-px-01:2025-03-03:lunch', true],
    ['roster:m-liufang:community_admin:comm-peixin', true],
    ['phone:13912345678', false],
    ['idh:61090219900101123X', false],
    ['13912345678', false],
    ['openid:demo-resident-peixin', false],
    ['李秀兰', false],
  ])('%s kept in clear: %s', (id, clear) => {
    const out = safeTarget({ collection: 'c', id }, 'demo-resident-peixin');
    expect(out.id === id).toBe(clear);
    if (!clear) expect(out.id).toMatch(/^sha256:[0-9a-f]{32}$/);
  });
});
