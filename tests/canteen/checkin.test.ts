import { canteenKeyring, macFor } from '../../src/features/canteen/canteen.keys';
import { formatCode } from '../../src/features/canteen/canteen.token';
import { anomalies, dayCounters, mealUndos, meals } from '../../src/features/canteen/canteen.collections';
import { MAX_FAILURES } from '../../src/features/canteen/canteen.actions';
import { codeOf as code0, checkIn, newElder, rid, yearsBefore, ADMIN, GRID, PEIXIN, RESIDENT, STAFF, STAFF_XJB, XJB } from './support';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const TODAY = '2025-03-03';

describe('check-in at the counter', () => {
  test('a 78-year-old pays 2 yuan; a second scan is 已就餐; the day counter has one meal', async () => {
    const code = await code0(h, 'el-px-01');
    const first = dataOf(await checkIn(h, { code }));
    expect(first).toMatchObject({ name: '李德福', age: 78, tierKey: 't75', tierLabel: '75岁及以上', price: 200, subsidy: 1000, meal: 'lunch', day: TODAY, replayed: false });
    const again = await checkIn(h, { code });
    expect(codeOf(again)).toBe('CANTEEN.ALREADY_CHECKED_IN');
    expect(!again.ok && again.error.message).toMatch(/^已就餐：李\*福 今天 10:00 已在本食堂用过午餐$/);
    const counter = await h.services.store.collection(dayCounters).get(`cday:${PEIXIN}:${TODAY}`);
    expect(counter).toMatchObject({ meals: 1, cash: 200, subsidy: 1000, elders: 1, tiers: { t75: { meals: 1, cash: 200 } } });
  });

  test('a retry with the same requestId (answer lost) returns the same meal, not a second one', async () => {
    const code = await code0(h, 'el-px-06');
    const requestId = rid();
    const a = dataOf(await checkIn(h, { code, requestId }));
    h.advance(5000);
    const b = dataOf(await checkIn(h, { code, requestId }));
    expect(a).toMatchObject({ name: '杨玉梅', price: 500, tierKey: 't60', replayed: false });
    expect(b).toEqual({ ...a, replayed: true });
    expect(await h.services.store.collection(meals).count({ canteenId: PEIXIN, day: TODAY })).toBe(1);
  });

  test('a 75th birthday today means 2 yuan today; the day before it is 5 yuan', async () => {
    const { code } = await newElder(h, { name: '生日老人', birthDate: yearsBefore(TODAY, 75) });
    expect(dataOf(await checkIn(h, { code }))).toMatchObject({ age: 75, price: 200 });
    const { code: code2 } = await newElder(h, { name: '明天生日', birthDate: yearsBefore('2025-03-04', 75) });
    expect(dataOf(await checkIn(h, { code: code2 }))).toMatchObject({ age: 74, price: 500 });
  });

  test('the day turns at midnight in Shanghai: 23:59 and 00:00 are two meal days', async () => {
    const code = await code0(h, 'el-px-02');
    h.setNow(new Date('2025-03-03T15:59:00.000Z')); // 23:59 on the 3rd
    expect(dataOf(await checkIn(h, { code })).day).toBe('2025-03-03');
    h.setNow(new Date('2025-03-03T16:00:00.000Z')); // 00:00 on the 4th
    expect(dataOf(await checkIn(h, { code })).day).toBe('2025-03-04');
  });

  test('a price change on a date applies from that date; earlier meals keep their price', async () => {
    const code = await code0(h, 'el-px-01');
    expect(dataOf(await checkIn(h, { code })).price).toBe(200);
    dataOf(await h.call('canteen', 'setPrices', { canteenId: PEIXIN, from: '2025-03-04', mealCost: 1500, tiers: [{ minAge: 75, price: 300 }, { minAge: 60, price: 600 }] }, ADMIN));
    expect(codeOf(await h.call('canteen', 'setPrices', { canteenId: PEIXIN, from: '2025-03-02', mealCost: 1500, tiers: [{ minAge: 60, price: 600 }] }, ADMIN))).toBe('CANTEEN.BAD_PRICES');
    h.advance(24 * 3600_000);
    expect(dataOf(await checkIn(h, { code }))).toMatchObject({ price: 300, subsidy: 1200 });
    const old = await h.services.store.collection(meals).get(`meal:el-px-01:${TODAY}:lunch`);
    expect(old).toMatchObject({ price: 200, subsidy: 1000, mealCost: 1200 });
  });

  test('two staff scanning the same card at once: exactly one meal, the others see 已就餐', async () => {
    // A second staff member of the same canteen, by invitation.
    const inv = dataOf(await h.call('canteen', 'inviteStaff', { canteenId: PEIXIN }, ADMIN));
    dataOf(await h.call('members', 'redeemInvitation', { code: inv.code, name: '新同事' }, 'demo-newcomer'));
    const code = await code0(h, 'el-px-03');
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => checkIn(h, { code }, i % 2 ? STAFF : 'demo-newcomer')));
    const codes = results.map(codeOf);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CANTEEN.ALREADY_CHECKED_IN')).toHaveLength(15);
    expect(await h.services.store.collection(meals).count({ canteenId: PEIXIN, day: TODAY })).toBe(1);
    expect(await h.services.store.collection(dayCounters).get(`cday:${PEIXIN}:${TODAY}`)).toMatchObject({ meals: 1, elders: 1 });
  });

  test('check-ins arriving together are written together; a duplicate in the batch does not disturb the others', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `el-px-${String(i + 1).padStart(2, '0')}`);
    const results = await Promise.all([...ids, ...ids].map((elderId) => checkIn(h, { elderId })));
    const codes = results.map(codeOf);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(12);
    expect(codes.filter((c) => c === 'CANTEEN.ALREADY_CHECKED_IN')).toHaveLength(12);
    expect(await h.services.store.collection(meals).count({ canteenId: PEIXIN, day: TODAY })).toBe(12);
    expect(await h.services.store.collection(dayCounters).get(`cday:${PEIXIN}:${TODAY}`)).toMatchObject({ meals: 12, elders: 12 });
  });

  test('one meal a day city-wide: the same card at a second canteen is refused and flagged', async () => {
    const code = await code0(h, 'el-px-01');
    dataOf(await checkIn(h, { code }));
    h.advance(60_000);
    const other = await h.call('canteen', 'checkIn', { canteenId: XJB, code, requestId: rid() }, STAFF_XJB);
    expect(codeOf(other)).toBe('CANTEEN.ALREADY_CHECKED_IN');
    expect(!other.ok && other.error.message).toContain('培新街社区孝义食堂');
    const flagged = await h.services.store.collection(anomalies).find({ where: { districtId: 'dist-hanbin' } });
    expect(flagged.items).toEqual([expect.objectContaining({ kind: 'two_canteens', elderId: 'el-px-01', canteenId: XJB })]);
    const listed = dataOf(await h.call('canteen', 'anomalies', { regionId: 'comm-xiaojiaba' }, 'demo-admin-xiaojiaba'));
    expect(listed.items[0]).toMatchObject({ label: '同一张卡在两个食堂使用', elderName: '李*福' });
  });

  test('not eligible, not approved, suspended, moved and deceased are refused with their codes', async () => {
    const { code: young } = await newElder(h, { name: '年轻人', birthDate: '1970-01-01' });
    expect(codeOf(await checkIn(h, { code: young }))).toBe('CANTEEN.NOT_ELIGIBLE');
    const { code: noCat } = await newElder(h, { name: '无类别', birthDate: '1950-01-01', categories: [] });
    expect(codeOf(await checkIn(h, { code: noCat }))).toBe('CANTEEN.NOT_ELIGIBLE');
    expect(codeOf(await checkIn(h, { elderId: 'el-px-26' }))).toBe('CANTEEN.NOT_APPROVED');
    expect(codeOf(await checkIn(h, { elderId: 'el-px-28' }))).toBe('CANTEEN.SUSPENDED');
    expect(codeOf(await checkIn(h, { elderId: 'el-px-29' }))).toBe('CANTEEN.INACTIVE');
    expect(codeOf(await checkIn(h, { elderId: 'el-px-30' }))).toBe('CANTEEN.INACTIVE');
    const flagged = await h.services.store.collection(anomalies).count({ communityId: 'comm-peixin' });
    expect(flagged).toBe(3);
    expect(await h.services.store.collection(meals).count({ canteenId: PEIXIN, day: TODAY })).toBe(0);
  });

  test('a meal type the canteen does not serve is refused', async () => {
    expect(codeOf(await checkIn(h, { elderId: 'el-px-01', meal: 'dinner' }))).toBe('CANTEEN.MEAL_NOT_SERVED');
  });
});

describe('bad codes: each kind has its own error code, and is logged without personal data', () => {
  const ring = canteenKeyring(true);
  const ankang = ring.cities.get('city-ankang')!;
  const sign = (issuer: string, key: Buffer, cardNo: string, generation = 0, keyVersion = 1) => {
    const parts = { issuer, keyVersion, cardNo, generation };
    return formatCode(parts, macFor(key, parts));
  };

  test.each([
    ['malformed', () => 'https://example.com/?id=1', 'CANTEEN.CARD_MALFORMED'],
    ['truncated', (c: string) => c.slice(0, 20), 'CANTEEN.CARD_TRUNCATED'],
    ['forged (made-up card number and MAC)', () => 'AK1ZZZZZZZZ00ABCDEFGHJKMNP', 'CANTEEN.CARD_FORGED'],
    ['tampered (a real card, one MAC character changed)', (c: string) => c.slice(0, -1) + (c.endsWith('A') ? 'B' : 'A'), 'CANTEEN.CARD_TAMPERED'],
    ['tampered (a real card, generation bumped)', (c: string) => `${c.slice(0, 11)}01${c.slice(13)}`, 'CANTEEN.CARD_TAMPERED'],
    ['another city’s key', () => sign('HZ', Buffer.alloc(32, 9), 'PX000001'), 'CANTEEN.CARD_OTHER_KEY'],
    ['our issuer, a key version we do not hold', () => sign('AK', Buffer.alloc(32, 9), 'PX000001', 0, 7), 'CANTEEN.CARD_OTHER_KEY'],
    ['our key, a card that does not exist', () => sign('AK', ankang.keys.get(1)!, 'QQQQQQQQ'), 'CANTEEN.CARD_UNKNOWN'],
  ])('%s', async (_name, make, expected) => {
    const real = await code0(h, 'el-px-01');
    const bad = make(real);
    const r = await checkIn(h, { code: bad });
    expect(codeOf(r)).toBe(expected);
    expect(await h.services.store.collection(meals).count({ canteenId: PEIXIN, day: TODAY })).toBe(0);
    const line = h.logs.find((l) => l.msg === 'card refused');
    expect(line).toMatchObject({ code: expected, canteenId: PEIXIN });
    expect(JSON.stringify(h.logs)).not.toMatch(/李德福|13800000001|PX000001/);
  });

  test('revoked: a lost card stops working at once, the re-issued one works', async () => {
    const old = await code0(h, 'el-px-02');
    const re = dataOf(await h.call('canteen', 'revokeCard', { elderId: 'el-px-02', reason: '老人反映卡丢失', reissue: true }, ADMIN));
    expect(re.card.generation).toBe(1);
    expect(re.card.code).not.toBe(old);
    expect(codeOf(await checkIn(h, { code: old }))).toBe('CANTEEN.CARD_REVOKED');
    expect(dataOf(await checkIn(h, { code: re.card.code })).name).toBe('王桂兰');
    // Revoked without re-issue: no code works.
    dataOf(await h.call('canteen', 'revokeCard', { elderId: 'el-px-03', reason: '停止使用', reissue: false }, ADMIN));
    expect(codeOf(await checkIn(h, { code: sign('AK', ankang.keys.get(1)!, 'PX000003') }))).toBe('CANTEEN.CARD_REVOKED');
  });

  test(`after ${MAX_FAILURES} bad codes in 10 minutes, code check-ins pause for that staff member`, async () => {
    for (let i = 0; i < MAX_FAILURES; i++) expect(codeOf(await checkIn(h, { code: `AK1ZZZZZZZZ00ABCDEFGHJKM${String(i).padStart(2, '0')}` }))).toBe('CANTEEN.CARD_FORGED');
    const real = await code0(h, 'el-px-01');
    expect(codeOf(await checkIn(h, { code: real }))).toBe('CANTEEN.TOO_MANY_FAILURES');
    // The name search still works meanwhile, and the next window starts afresh.
    expect(codeOf(await checkIn(h, { elderId: 'el-px-02' }))).toBe('OK');
    h.advance(10 * 60_000);
    expect(codeOf(await checkIn(h, { code: real }))).toBe('OK');
  });
});

describe('who may check in', () => {
  test('only staff of that canteen', async () => {
    const code = await code0(h, 'el-px-01');
    const input = { canteenId: PEIXIN, code };
    expect(codeOf(await h.call('canteen', 'checkIn', { ...input, requestId: rid() }, STAFF_XJB))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('canteen', 'checkIn', { ...input, requestId: rid() }, ADMIN))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('canteen', 'checkIn', { ...input, requestId: rid() }, RESIDENT))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('canteen', 'checkIn', { ...input, requestId: rid() }, GRID))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('canteen', 'checkIn', { ...input, requestId: rid() }, null))).toBe('AUTH.UNAUTHENTICATED');
    expect(codeOf(await h.call('canteen', 'checkIn', { canteenId: 'nope', code, requestId: rid() }, STAFF))).toBe('CANTEEN.NOT_FOUND');
    expect(await h.services.store.collection(meals).count({ canteenId: PEIXIN, day: TODAY })).toBe(0);
  });

  test('bad input writes nothing', async () => {
    expect(codeOf(await h.call('canteen', 'checkIn', { canteenId: PEIXIN, requestId: 'short' }, STAFF))).toBe('INPUT.INVALID');
    expect(codeOf(await h.call('canteen', 'checkIn', { canteenId: PEIXIN, code: 'x', elderId: 'el-px-01', requestId: rid() }, STAFF))).toBe('INPUT.INVALID');
    expect(await h.services.store.collection(meals).count({ canteenId: PEIXIN, day: TODAY })).toBe(0);
  });
});

describe('undo and search', () => {
  test('undo within 10 minutes records who and why, frees the meal and the counters', async () => {
    const code = await code0(h, 'el-px-01');
    const m = dataOf(await checkIn(h, { code }));
    h.advance(3 * 60_000);
    expect(codeOf(await h.call('canteen', 'undoCheckIn', { mealId: m.mealId, reason: '扫错了人' }, STAFF_XJB))).toBe('AUTH.FORBIDDEN');
    dataOf(await h.call('canteen', 'undoCheckIn', { mealId: m.mealId, reason: '扫错了人' }, STAFF));
    const undo = (await h.services.store.collection(mealUndos).find({ where: { canteenId: PEIXIN, day: TODAY } })).items[0];
    expect(undo).toMatchObject({ undoneBy: 'm-wangshufen', undoReason: '扫错了人', price: 200 });
    expect(await h.services.store.collection(dayCounters).get(`cday:${PEIXIN}:${TODAY}`)).toMatchObject({ meals: 0, cash: 0, subsidy: 0, elders: 0, tiers: { t75: { meals: 0, cash: 0 } } });
    const again = dataOf(await checkIn(h, { code }));
    expect(again.replayed).toBe(false);
    h.advance(11 * 60_000);
    expect(codeOf(await h.call('canteen', 'undoCheckIn', { mealId: again.mealId, reason: '扫错了人' }, STAFF))).toBe('CANTEEN.UNDO_TOO_LATE');
  });

  test('search by full name or the last 4 digits of the elder’s or guardian’s phone', async () => {
    const byName = dataOf(await h.call('canteen', 'searchElders', { canteenId: PEIXIN, q: '王桂兰' }, STAFF));
    expect(byName.items).toEqual([expect.objectContaining({ elderId: 'el-px-02', communityName: '培新街社区', phoneMasked: '139****2001' })]);
    const byPhone = dataOf(await h.call('canteen', 'searchElders', { canteenId: PEIXIN, q: '2001' }, STAFF));
    expect(byPhone.items.map((i: { elderId: string }) => i.elderId)).toEqual(['el-px-02']);
    const byGuardian = dataOf(await h.call('canteen', 'searchElders', { canteenId: PEIXIN, q: '0001' }, STAFF));
    expect(byGuardian.items.map((i: { elderId: string }) => i.elderId)).toContain('el-px-01');
    // Found elders check in through the same rules.
    expect(dataOf(await checkIn(h, { elderId: 'el-px-02' }))).toMatchObject({ name: '王桂兰' });
    expect(codeOf(await h.call('canteen', 'searchElders', { canteenId: PEIXIN, q: '王桂兰' }, ADMIN))).toBe('AUTH.FORBIDDEN');
  });
});
