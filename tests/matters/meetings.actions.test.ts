/** Council meetings through dispatch, on SQLite and the stand-in: agenda, QR attendance, outcomes feeding demands. */
import { demands } from '../../src/features/matters/matters.collections';
import { DEFAULT_NOW, codeOf, createHarness, dataOf, type Harness } from '../support/harness';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';

const ADMIN = P.adminPeixin.openid;
const RESIDENT = P.residentPeixin.openid;
const HOUR = 3600_000;

let h: Harness;
let existing: string;
let meeting: { _id: string; token: string };
beforeAll(async () => {
  h = await createHarness();
  existing = dataOf(await h.call('matters', 'createDemand', { requestId: 'mt-d1', communityId: R.peixin, title: '巷口积水改造', category: '道路交通', note: '意见箱' }, ADMIN))._id;
  meeting = dataOf(await h.call('matters', 'scheduleMeeting', {
    requestId: 'mt-1', communityId: R.peixin, title: '2025年第一次居民议事会', place: '社区党群服务中心二楼',
    startsAt: new Date(DEFAULT_NOW.getTime() + HOUR).toISOString(),
    agenda: [{ title: '巷口积水改造', demandId: existing }, { title: '增设电动车充电桩' }],
  }, ADMIN));
});
afterAll(() => h.close());

test('scheduled with its agenda; the QR secret is shown to staff only', async () => {
  expect(meeting.token).toMatch(/^[\w-]{16}$/);
  const seen = dataOf(await h.call('matters', 'getMeeting', { id: meeting._id }, RESIDENT));
  expect(seen).toMatchObject({ title: '2025年第一次居民议事会', status: 'scheduled', attendees: 0 });
  expect(seen).not.toHaveProperty('token');
  expect(dataOf(await h.call('matters', 'getMeeting', { id: meeting._id }, P.districtHanbin.openid))).not.toHaveProperty('token');
  expect(codeOf(await h.call('matters', 'getMeeting', { id: meeting._id }, P.residentXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
  expect(codeOf(await h.call('matters', 'scheduleMeeting', { requestId: 'mt-x', communityId: R.peixin, title: '议事会', place: '社区', startsAt: DEFAULT_NOW.toISOString(), agenda: [{ title: '别处的需求', demandId: 'dm-elsewhere' }] }, ADMIN))).toBe('MATTERS.DEMAND_NOT_FOUND');
});

test('attendance: a forged code is refused; a resident counts once; staff add those without the app', async () => {
  const attend = (token: string, openid = RESIDENT) => h.call('matters', 'attendMeeting', { id: meeting._id, token }, openid);
  expect(codeOf(await attend('forged-code-0000'))).toBe('MATTERS.BAD_ATTENDANCE_CODE');
  expect(codeOf(await attend(meeting.token.slice(0, -1) + (meeting.token.endsWith('A') ? 'B' : 'A')))).toBe('MATTERS.BAD_ATTENDANCE_CODE');
  expect(codeOf(await attend(meeting.token, P.residentXiaojiaba.openid))).toBe('AUTH.FORBIDDEN');
  expect(dataOf(await attend(meeting.token))).toEqual({ attendees: 1 });
  expect(dataOf(await attend(meeting.token))).toEqual({ attendees: 1 });
  expect(dataOf(await attend(meeting.token, P.adminPeixin.openid))).toEqual({ attendees: 2 }); // 刘芳 is a resident too
  expect(dataOf(await h.call('matters', 'countAttendees', { id: meeting._id, countedByHand: 18 }, ADMIN))).toEqual({ attendees: 20 });
});

test('outcomes: not before the start, not more votes than attendees, once each; adopted items feed the demand list', async () => {
  const record = (item: number, outcome: string, support: number, oppose = 0) =>
    h.call('matters', 'recordOutcome', { id: meeting._id, item, outcome, votes: { support, oppose, abstain: 0 }, category: '公共设施' }, ADMIN);
  expect(codeOf(await record(0, 'adopted', 15))).toBe('MATTERS.MEETING_NOT_STARTED');
  h.advance(HOUR);
  expect(codeOf(await record(0, 'adopted', 15, 6))).toBe('MATTERS.VOTES_EXCEED_PRESENT');
  expect(codeOf(await record(7, 'adopted', 15))).toBe('MATTERS.NO_SUCH_AGENDA_ITEM');

  const before = (await h.services.store.collection(demands).get(existing))!;
  expect(dataOf(await record(0, 'adopted', 15, 3))).toEqual({ demandId: existing });
  expect(await h.services.store.collection(demands).get(existing)).toMatchObject({ anonymous: before.anonymous + 15, supporters: before.supporters, kinds: { admin: 1, council: 1 } });
  expect(codeOf(await record(0, 'rejected', 1))).toBe('MATTERS.OUTCOME_RECORDED');

  const created = dataOf(await record(1, 'adopted', 12, 5)).demandId as string;
  expect(await h.services.store.collection(demands).get(created)).toMatchObject({ title: '增设电动车充电桩', communityId: R.peixin, status: 'open', anonymous: 12, supporters: 0, kinds: { council: 1 } });
  const detail = dataOf(await h.call('matters', 'getDemand', { id: created }, ADMIN));
  expect(detail.sources).toEqual([expect.objectContaining({ kind: 'council', anonymous: 12, ref: meeting._id })]);
});

test('closed with minutes and the admin’s own photos', async () => {
  const photo = await h.uploadPhoto(ADMIN);
  expect(codeOf(await h.call('matters', 'closeMeeting', { id: meeting._id, minutes: '到会 20 人，表决两项议题', photos: [await h.uploadPhoto(RESIDENT)] }, ADMIN))).toBe('FILE.NOT_OWNER');
  const held = dataOf(await h.call('matters', 'closeMeeting', { id: meeting._id, minutes: '到会 20 人，表决两项议题，均获通过', photos: [photo] }, ADMIN));
  expect(held).toMatchObject({ status: 'held', photos: [photo], agenda: [{ outcome: 'adopted' }, { outcome: 'adopted' }] });
  const list = dataOf(await h.call('matters', 'listMeetings', { communityId: R.peixin, year: 2025 }, RESIDENT)).items;
  expect(list.map((m: { _id: string }) => m._id)).toEqual([meeting._id]);
});
