/**
 * The audit log and the demo outbox pages of the weapp build under miniprogram-simulate, with canned
 * answers checked against the contracts.
 */
import { auditContract, type AuditEntryView } from '../../src/features/audit/audit.schema';
import { membersContract } from '../../src/features/members/members.schema';
import { notifyContract } from '../../src/features/notify/notify.schema';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import { useWeapp, type Answers } from './suite';

const AT = '2025-11-20T02:00:00.000Z';
const person = DEMO_PEOPLE.districtHanbin;
const HASH = 'a'.repeat(64);

const entry = (seq: number): AuditEntryView => ({
  _id: `audit:${REGION_IDS.peixin}:${String(seq).padStart(10, '0')}`,
  chain: REGION_IDS.peixin,
  seq,
  at: AT,
  actor: 'm-liufang',
  role: 'community_admin',
  action: seq % 2 ? 'suggestions.reply' : 'members.createInvitation',
  targets: [{ collection: 'suggestions', id: `sug-${seq}` }],
  targetCount: 1,
  requestId: `req-${seq}`,
  inputDigest: HASH,
  outcome: 'ok',
  prevHash: HASH,
  hash: HASH,
});

const answers: Answers = {
  'members.me': () => ({ openid: person.openid, member: { _id: person.memberId, name: person.name, phoneMasked: '138****0006', grants: person.grants } }),
  'audit.list': () => ({ items: [3, 2, 1].map(entry), nextCursor: null }),
  'audit.verify': () => ({
    ok: false,
    chains: [{ chain: REGION_IDS.peixin, ok: false, checked: 1, headSeq: 3, broken: { seq: 2, entryId: entry(2)._id, reason: 'missing' } }],
  }),
  'notify.outbox': () => ({
    items: [{ _id: 'ob-1', openidMasked: 'dem***xin', template: 'suggestion_reply', templateId: 'demo-suggestion-reply', data: { phrase2: '已答复', thing3: '已联系物业' }, page: 'pages/suggestion/index?id=s1', at: AT }],
    nextCursor: null,
  }),
};
const weapp = useWeapp({ contracts: { audit: auditContract, members: membersContract, notify: notifyContract }, answers, where: 'tests/weapp/audit.test.ts', limits: true });
const { open } = weapp;

test('audit log: entries of the region, and a broken chain named by verify', async () => {
  const pg = await open('packages/admin/audit/index', { regionId: REGION_IDS.hanbin });
  await pg.until(() => pg.hasId('audit-item-2'), 'three entries');
  expect(pg.byId('audit-item-0').textContent).toContain('suggestions.reply');
  expect(pg.byId('audit-item-0').textContent).toContain('第 3 条');
  await pg.tap(pg.byId('audit-verify'));
  await pg.until(() => pg.hasId('audit-verify-result'), 'the verify result');
  expect(pg.byId('audit-verify-result').textContent).toContain('第 2 条：记录缺失');
  const listCall = weapp.env.cloudCalls.find((c) => c.name === 'audit' && c.data.action === 'list')!;
  expect(listCall.data.input).toMatchObject({ regionId: REGION_IDS.hanbin });
});

test('demo outbox: the messages, newest first', async () => {
  const pg = await open('packages/admin/outbox/index');
  await pg.until(() => pg.hasId('outbox-item-0'), 'the message');
  expect(pg.byId('outbox-item-0').textContent).toContain('已联系物业');
  expect(pg.byId('outbox-item-0').textContent).toContain('dem***xin');
});
