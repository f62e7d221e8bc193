/** The daily timer through the cloud-function transport (cloud-main-core): a Timer event without a caller runs the reminders, idempotently. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mattersArea } from '../../src/features/matters/matters.actions';
import { makeCloudMainWith } from '../../src/server/cloud-main-core';
import { notifyOutbox } from '../../src/server/notify/notify.collections';
import { readAll } from '../../src/server/read-all';
import { createHarness, dataOf, type Harness } from '../support/harness';
import { ADMIN, CONTACTS, newPlannedMatter, seedUnits, UNITS } from './plan-fixture';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await seedUnits(h);
});
afterAll(() => h.close());

const timerEvent = { Type: 'Timer', TriggerName: 'dueReminders', Time: '2025-03-03T01:00:00Z', Message: '' };

test('the timer reminds owners once a day, starts matters whose first milestone has begun, and is declared in cloudbaserc.json', async () => {
  const { matterId } = await newPlannedMatter(h, '社区广场健身器材更新');
  dataOf(await h.call('matters', 'addMilestone', { matterId, title: '器材采购', weight: 60, owner: { kind: 'unit', unitId: UNITS.lead }, start: '2025-03-04', due: '2025-03-06' }, ADMIN));
  dataOf(await h.call('notify', 'subscribe', { keys: ['milestone_due', 'milestone_due'] }, CONTACTS.lead.openid));
  const main = makeCloudMainWith(mattersArea, () => h.services, h.services.log);
  const outbox = async () => (await readAll(h.services.store.collection(notifyOutbox), {})).items.filter((m) => m.template === 'milestone_due');

  expect(await main(timerEvent, {})).toEqual({ ok: true, data: { due: 1, reminded: 1, sent: 1, started: 0 } });
  expect(await main(timerEvent, {})).toEqual({ ok: true, data: { due: 1, reminded: 0, sent: 0, started: 0 } });
  expect(await outbox()).toHaveLength(1);
  h.setNow(new Date('2025-03-04T09:00:00+08:00'));
  expect(await main(timerEvent, {})).toMatchObject({ ok: true, data: { started: 1 } });
  // An unknown trigger, and a timer-shaped event from a signed-in caller, run nothing.
  expect(await main({ ...timerEvent, TriggerName: 'dropTables' }, {})).toMatchObject({ ok: false, error: { code: 'ACTION.UNKNOWN' } });
  expect(await main(timerEvent, { environment: JSON.stringify({ WX_OPENID: CONTACTS.lead.openid }) })).toMatchObject({ ok: false, error: { code: 'INPUT.INVALID' } });

  const rc = JSON.parse(readFileSync(join(__dirname, '../../cloudbaserc.json'), 'utf8')) as { functions: { name: string; triggers?: { name: string; type: string }[] }[] };
  const triggers = rc.functions.find((f) => f.name === 'matters')?.triggers ?? [];
  expect(triggers.map((t) => [t.name, t.type])).toEqual([['dueReminders', 'timer']]);
  for (const t of triggers) expect(Object.keys(mattersArea.timers)).toContain(t.name);
});
