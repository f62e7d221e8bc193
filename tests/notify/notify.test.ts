/** Subscription messages through dispatch on a real SQLite store: consent, the author-only rule, the outbox. */
import { auditEntries } from '../../src/server/audit/audit.collections';
import { notifyConsents, notifyOutbox, type OutboxMessage } from '../../src/server/notify/notify.collections';
import { consentId } from '../../src/server/notify/notifications';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import type { Stored } from '../../src/server/store/store';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

const TEMPLATE_ID = 'tmpl-Reply-From-Config-42';
const CONFIG = JSON.stringify({ suggestion_reply: { id: TEMPLATE_ID, fields: { status: 'phrase2', reply: 'thing3' } } });

/** NOTIFY_TEMPLATES is read when the services start, as on the host and in a function. */
async function harnessWith(templates: string | undefined): Promise<Harness> {
  const saved = process.env.NOTIFY_TEMPLATES;
  if (templates === undefined) delete process.env.NOTIFY_TEMPLATES;
  else process.env.NOTIFY_TEMPLATES = templates;
  try {
    return await createHarness();
  } finally {
    if (saved === undefined) delete process.env.NOTIFY_TEMPLATES;
    else process.env.NOTIFY_TEMPLATES = saved;
  }
}

let seq = 0;
function helpers(h: Harness) {
  return {
    submit: async (openid: string) =>
      dataOf(await h.call('suggestions', 'submit', { requestId: `notify-${++seq}`, communityId: R.peixin, category: '环境卫生', text: '楼下垃圾桶满了没人清理' }, openid))._id as string,
    subscribe: (openid: string) => h.call('notify', 'subscribe', { keys: ['suggestion_reply'] }, openid),
    reply: (id: string, text = '已安排保洁今天清理') => h.call('suggestions', 'reply', { id, text }, P.adminPeixin.openid),
    setStatus: (id: string, status: string) => h.call('suggestions', 'setStatus', { id, status, reason: '已转交物业处理' }, P.adminPeixin.openid),
    async outbox(): Promise<Stored<OutboxMessage>[]> {
      return (await h.services.store.collection(notifyOutbox).find({ orderBy: { field: 'at', direction: 'asc' }, limit: 100 })).items;
    },
    consents: async (openid: string) => (await h.services.store.collection(notifyConsents).get(consentId('suggestion_reply', openid)))?.count ?? 0,
  };
}

describe('notifications: the author of a suggestion is told of a reply or status change', () => {
  let h: Harness;
  let x: ReturnType<typeof helpers>;
  beforeAll(async () => {
    h = await harnessWith(CONFIG);
    x = helpers(h);
  });
  afterAll(() => h.close());

  it('template ids come from the configuration', async () => {
    expect(dataOf(await h.call('notify', 'templates', { keys: ['suggestion_reply'] }, P.residentPeixin.openid))).toEqual({ templates: { suggestion_reply: TEMPLATE_ID } });
    expect(codeOf(await h.call('notify', 'templates', { keys: ['suggestion_reply'] }, null))).toBe('AUTH.UNAUTHENTICATED');
  });

  it('no consent: the reply succeeds and nothing is sent', async () => {
    const id = await x.submit(P.residentPeixin.openid);
    expect(codeOf(await x.reply(id))).toBe('OK');
    expect(await x.outbox()).toEqual([]);
  });

  it('with consent: exactly one message, to the author only, and the consent is used up', async () => {
    const mine = await x.submit(P.residentPeixin.openid);
    const theirs = await x.submit(P.adminPeixin.openid); // 刘芳 is also a resident of 培新街
    expect(dataOf(await x.subscribe(P.residentPeixin.openid))).toEqual({ recorded: 1 });
    expect(dataOf(await x.subscribe(P.adminPeixin.openid))).toEqual({ recorded: 1 });
    expect(await x.consents(P.residentPeixin.openid)).toBe(1);

    expect(codeOf(await x.reply(mine, '已安排保洁今天下午清理'))).toBe('OK');
    const out = await x.outbox();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      openid: P.residentPeixin.openid,
      template: 'suggestion_reply',
      templateId: TEMPLATE_ID,
      page: `pages/suggestion/index?id=${mine}`,
      data: expect.objectContaining({ phrase2: '已答复', thing3: '已安排保洁今天下午清理' }),
    });
    expect(await x.consents(P.residentPeixin.openid)).toBe(0);
    // The audit entry names what the admin changed, not the port's bookkeeping (consent, outbox).
    const audited = (await h.services.store.collection(auditEntries).find({ where: { chain: R.peixin }, orderBy: { field: 'seq', direction: 'desc' }, limit: 1 })).items[0];
    expect(audited?.targets).toEqual([{ collection: 'suggestions', id: mine }]);
    // The other resident's consent is untouched: nothing of theirs changed.
    expect(await x.consents(P.adminPeixin.openid)).toBe(1);

    // Consent used up: the next change sends nothing.
    expect(codeOf(await x.setStatus(mine, 'adopted'))).toBe('OK');
    expect(await x.outbox()).toHaveLength(1);

    // The other author's own suggestion: their message, to them.
    expect(codeOf(await x.setStatus(theirs, 'under_review'))).toBe('OK');
    const after = await x.outbox();
    expect(after.map((m) => m.openid)).toEqual([P.residentPeixin.openid, P.adminPeixin.openid]);
    expect(after[1]!.data).toMatchObject({ phrase2: '处理中', thing3: '已转交物业处理' });
  });

  it('each acceptance allows one message', async () => {
    const id = await x.submit(P.residentPeixin.openid);
    dataOf(await x.subscribe(P.residentPeixin.openid));
    dataOf(await x.subscribe(P.residentPeixin.openid));
    const before = (await x.outbox()).length;
    expect(codeOf(await x.setStatus(id, 'under_review'))).toBe('OK');
    expect(codeOf(await x.reply(id))).toBe('OK');
    expect(codeOf(await x.setStatus(id, 'closed'))).toBe('OK');
    expect((await x.outbox()).length - before).toBe(2);
    expect(await x.consents(P.residentPeixin.openid)).toBe(0);
  });

  it('a failed change tells no one', async () => {
    const id = await x.submit(P.residentPeixin.openid);
    dataOf(await x.subscribe(P.residentPeixin.openid));
    const before = (await x.outbox()).length;
    expect(codeOf(await x.setStatus(id, 'received'))).not.toBe('OK');
    expect((await x.outbox()).length).toBe(before);
    expect(await x.consents(P.residentPeixin.openid)).toBe(1);
  });

  it('the demo outbox: newest first, admins only, openids masked', async () => {
    const r = dataOf(await h.call('notify', 'outbox', {}, P.adminPeixin.openid));
    const all = await x.outbox();
    expect(r.items.map((m: { _id: string }) => m._id)).toEqual([...all].reverse().map((m) => m._id));
    expect(JSON.stringify(r)).not.toContain(P.residentPeixin.openid);
    expect(codeOf(await h.call('notify', 'outbox', {}, P.residentPeixin.openid))).toBe('AUTH.FORBIDDEN');
  });
});

describe('notifications: no template configured', () => {
  it('nothing is offered, recorded or sent, and nothing fails', async () => {
    const h = await harnessWith('{}');
    try {
      const x = helpers(h);
      expect(dataOf(await h.call('notify', 'templates', { keys: ['suggestion_reply'] }, P.residentPeixin.openid))).toEqual({ templates: {} });
      expect(dataOf(await x.subscribe(P.residentPeixin.openid))).toEqual({ recorded: 0 });
      const id = await x.submit(P.residentPeixin.openid);
      expect(codeOf(await x.reply(id))).toBe('OK');
      expect(await x.outbox()).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('a malformed configuration stops the services from starting rather than sending nowhere', async () => {
    await expect(harnessWith('{"suggestion_reply": 42}')).rejects.toThrow(/NOTIFY_TEMPLATES is malformed at suggestion_reply/);
  });
});
