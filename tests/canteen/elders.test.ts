import { buildRoster } from '../../src/features/canteen/canteen.import';
import { idCheckDigit } from '../../src/features/canteen/canteen.rules';
import { elders, idKeys } from '../../src/features/canteen/canteen.collections';
import { ADMIN, ADMIN_XJB, DISTRICT, PEIXIN, RESIDENT, STAFF, STAFF_XJB, checkIn, rid, REGION_IDS } from './support';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const id18 = (first17: string) => first17 + idCheckDigit(first17);
const apply = (input: Record<string, unknown>, openid: string) =>
  h.call('canteen', 'apply', { communityId: REGION_IDS.peixin, applicant: 'family', requestId: rid(), name: '张奶奶', categories: ['alone'], ...input }, openid);

describe('applications and approval', () => {
  test('a family member applies with the ID number; only the community admin approves; the card then shows on the family phone', async () => {
    const idNumber = id18('61090219440505002');
    const e = dataOf(await apply({ idNumber, guardian: { name: '李秀兰', phone: '13800000001', relation: '女儿' } }, RESIDENT));
    expect(e).toMatchObject({ status: 'applied', birthDate: '1944-05-05', gender: 'female', idMasked: `610***********${idNumber.slice(-4)}`, guardian: { phoneMasked: '138****0001' } });
    // The full ID number is stored nowhere.
    const stored = await h.services.store.collection(elders).get(e._id);
    expect(JSON.stringify(stored)).not.toContain(idNumber);
    expect(JSON.stringify(stored)).not.toContain('19440505');

    for (const who of [STAFF, RESIDENT, ADMIN_XJB, DISTRICT]) {
      expect(codeOf(await h.call('canteen', 'setElderStatus', { elderId: e._id, status: 'approved', reason: '符合条件' }, who))).toBe('AUTH.FORBIDDEN');
    }
    const approved = dataOf(await h.call('canteen', 'setElderStatus', { elderId: e._id, status: 'approved', reason: '符合条件' }, ADMIN));
    expect(approved.cardNo).toMatch(/^[0-9A-Z]{8}$/);
    const mine = dataOf(await h.call('canteen', 'myCards', {}, RESIDENT));
    const card = mine.items.find((c: { elderId: string }) => c.elderId === e._id);
    expect(card).toMatchObject({ name: '张奶奶', communityName: '培新街社区', status: 'approved' });
    expect(card.code).toHaveLength(26);
    expect(dataOf(await checkIn(h, { code: card.code }))).toMatchObject({ name: '张奶奶', age: 80, price: 200 });
  });

  test('the same ID number cannot be registered twice, and nothing is written the second time', async () => {
    const idNumber = id18('61090219440505002');
    dataOf(await apply({ idNumber }, RESIDENT));
    const before = await h.services.store.collection(elders).count({ communityId: REGION_IDS.peixin });
    expect(codeOf(await apply({ idNumber }, STAFF))).toBe('CANTEEN.DUPLICATE_ELDER');
    expect(await h.services.store.collection(elders).count({ communityId: REGION_IDS.peixin })).toBe(before);
  });

  test('a retry of the same application returns the first one', async () => {
    const requestId = rid();
    const a = dataOf(await apply({ requestId, birthDate: '1950-01-01', gender: 'male' }, RESIDENT));
    const b = dataOf(await apply({ requestId, birthDate: '1950-01-01', gender: 'male' }, RESIDENT));
    expect(b._id).toBe(a._id);
  });

  test('bad input: no birth date or ID, a bad check digit, a mismatch; nothing written', async () => {
    const before = await h.services.store.collection(elders).count({ communityId: REGION_IDS.peixin });
    expect(codeOf(await apply({}, RESIDENT))).toBe('INPUT.INVALID');
    const bad = id18('61090219440505002').slice(0, 17) + '0';
    const r = await apply({ idNumber: bad === id18('61090219440505002') ? bad.slice(0, 17) + '1' : bad }, RESIDENT);
    expect(codeOf(r)).toBe('INPUT.INVALID');
    expect(!r.ok && r.error.issues?.[0]?.path).toEqual(['idNumber']);
    expect(codeOf(await apply({ idNumber: id18('61090219440505002'), birthDate: '1944-05-06' }, RESIDENT))).toBe('INPUT.INVALID');
    expect(codeOf(await apply({ birthDate: '1950-01-01' }, RESIDENT))).toBe('INPUT.INVALID'); // no gender
    expect(await h.services.store.collection(elders).count({ communityId: REGION_IDS.peixin })).toBe(before);
  });

  test('staff can apply on an elder’s behalf only in their own community', async () => {
    expect(codeOf(await apply({ applicant: 'staff', birthDate: '1950-01-01', gender: 'male' }, STAFF))).toBe('OK');
    expect(codeOf(await apply({ applicant: 'staff', birthDate: '1950-01-01', gender: 'male' }, STAFF_XJB))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await apply({ applicant: 'staff', birthDate: '1950-01-01', gender: 'male' }, RESIDENT))).toBe('AUTH.FORBIDDEN');
  });

  test('marking an elder moved flags meals served after the move date', async () => {
    dataOf(await checkIn(h, { elderId: 'el-px-02' }));
    dataOf(await h.call('canteen', 'setElderStatus', { elderId: 'el-px-02', status: 'moved', reason: '随子女迁居', day: '2025-03-01' }, ADMIN));
    const list = dataOf(await h.call('canteen', 'anomalies', { regionId: REGION_IDS.peixin }, ADMIN));
    expect(list.items).toEqual([expect.objectContaining({ kind: 'meal_after_status', elderId: 'el-px-02' })]);
    expect(codeOf(await h.call('canteen', 'setElderStatus', { elderId: 'el-px-02', status: 'deceased', reason: '家属告知', day: '2025-03-09' }, ADMIN))).toBe('INPUT.INVALID');
    expect(codeOf(await h.call('canteen', 'setElderStatus', { elderId: 'el-px-30', status: 'approved', reason: '误操作' }, ADMIN))).toBe('CANTEEN.BAD_TRANSITION');
  });

  test('lists show ID numbers and phones masked', async () => {
    const page = dataOf(await h.call('canteen', 'listElders', { communityId: REGION_IDS.peixin, status: 'approved' }, ADMIN));
    expect(page.items.length).toBeGreaterThan(20);
    const text = JSON.stringify(page);
    expect(text).not.toMatch(/1\d{10}/);
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(codeOf(await h.call('canteen', 'listElders', { communityId: REGION_IDS.peixin }, ADMIN_XJB))).toBe('AUTH.FORBIDDEN');
  });
});

describe('roster import (.xlsx)', () => {
  // The client uploads first (the files port), then imports by file id: the call stays small.
  const upload = async (b: Buffer, openid = ADMIN) =>
    (await h.services.files.put(b, { ownerOpenid: openid, contentType: 'application/zip', ext: 'xlsx', folder: 'imports' })).fileId;

  test('good rows import as approved with cards', async () => {
    const file = await buildRoster([
      { name: '导入甲', idNumber: id18('61090219450101001'), categories: '独居', phone: '13911112222' },
      { name: '导入乙', gender: '女', birthDate: '1952/3/9', categories: '留守、困难', guardianName: '家属乙', guardianPhone: '13911113333', guardianRelation: '儿子' },
    ]);
    const r = dataOf(await h.call('canteen', 'importRoster', { communityId: REGION_IDS.peixin, fileId: await upload(file) }, ADMIN));
    expect(r).toEqual({ ok: true, imported: 2, rows: 2, errors: [] });
    const page = dataOf(await h.call('canteen', 'listElders', { communityId: REGION_IDS.peixin, status: 'approved' }, ADMIN));
    const yi = page.items.find((e: { name: string }) => e.name === '导入乙');
    expect(yi).toMatchObject({ birthDate: '1952-03-09', categories: ['left_behind', 'hardship'] });
    expect(yi.cardNo).toBeTruthy();
  });

  test('a row-by-row error report, and nothing half-applied', async () => {
    const dup = id18('61090219450101001');
    const file = await buildRoster([
      { name: '好人', idNumber: dup, categories: '独居' },
      { name: '', birthDate: '1950-01-01', gender: '男' },
      { name: '重复', idNumber: dup, categories: '独居' },
      { name: '坏号', idNumber: '610902194501010010', categories: '独居' },
      { name: '怪类', gender: '男', birthDate: '1950-01-01', categories: '富裕' },
      { name: '坏电话', gender: '男', birthDate: '1950-01-01', phone: '12345' },
    ]);
    const before = await h.services.store.collection(elders).count({ communityId: REGION_IDS.peixin });
    const keysBefore = (await h.services.store.collection(idKeys).getMany([])).length;
    const r = dataOf(await h.call('canteen', 'importRoster', { communityId: REGION_IDS.peixin, fileId: await upload(file) }, ADMIN));
    expect(r.ok).toBe(false);
    expect(r.imported).toBe(0);
    expect(r.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [3, '姓名'],
      [4, '身份证号'],
      [5, '身份证号'],
      [6, '类别'],
      [7, '手机号'],
    ]);
    expect(await h.services.store.collection(elders).count({ communityId: REGION_IDS.peixin })).toBe(before);
    expect(keysBefore).toBe(0);
  });

  test('a file that is not a spreadsheet, and roles', async () => {
    expect(codeOf(await h.call('canteen', 'importRoster', { communityId: REGION_IDS.peixin, fileId: await upload(Buffer.from('hello')) }, ADMIN))).toBe('FILE.BAD_TYPE');
    const zipNotXlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 1)]);
    expect(codeOf(await h.call('canteen', 'importRoster', { communityId: REGION_IDS.peixin, fileId: await upload(zipNotXlsx) }, ADMIN))).toBe('CANTEEN.IMPORT_UNREADABLE');
    const file = await buildRoster([{ name: '甲', gender: '男', birthDate: '1950-01-01' }]);
    expect(codeOf(await h.call('canteen', 'importRoster', { communityId: REGION_IDS.peixin, fileId: await upload(file, STAFF) }, STAFF))).toBe('AUTH.FORBIDDEN');
    // Only the uploader may import a file, and a missing id is refused.
    expect(codeOf(await h.call('canteen', 'importRoster', { communityId: REGION_IDS.peixin, fileId: await upload(file, STAFF) }, ADMIN))).toBe('FILE.NOT_OWNER');
    expect(codeOf(await h.call('canteen', 'importRoster', { communityId: REGION_IDS.peixin, fileId: 'no-such-file' }, ADMIN))).toBe('FILE.NOT_FOUND');
    expect(codeOf(await h.call('canteen', 'importRoster', { communityId: REGION_IDS.peixin, fileId: await upload(file, ADMIN_XJB) }, ADMIN_XJB))).toBe('AUTH.FORBIDDEN');
  });
});

describe('canteens, staff invitations, prices', () => {
  test('an admin opens a canteen and invites staff; the new staff member can check in there only', async () => {
    const c = dataOf(await h.call('canteen', 'createCanteen', { communityId: REGION_IDS.peixin, name: '培新街第二食堂' }, ADMIN));
    expect(c).toMatchObject({ meals: ['lunch'], districtId: 'dist-hanbin', cityId: 'city-ankang', communityName: '培新街社区' });
    expect(codeOf(await h.call('canteen', 'createCanteen', { communityId: REGION_IDS.peixin, name: '越权食堂' }, ADMIN_XJB))).toBe('AUTH.FORBIDDEN');
    const inv = dataOf(await h.call('canteen', 'inviteStaff', { canteenId: c._id }, ADMIN));
    const me = dataOf(await h.call('members', 'redeemInvitation', { code: inv.code, name: '新厨师' }, 'demo-newcomer'));
    expect(me.member.grants).toEqual([{ role: 'canteen_staff', regionId: REGION_IDS.peixin, regionName: '培新街第二食堂', canteenId: c._id }]);
    expect(codeOf(await h.call('canteen', 'checkIn', { canteenId: c._id, elderId: 'el-px-01', requestId: rid() }, 'demo-newcomer'))).toBe('OK');
    expect(codeOf(await h.call('canteen', 'checkIn', { canteenId: PEIXIN, elderId: 'el-px-02', requestId: rid() }, 'demo-newcomer'))).toBe('AUTH.FORBIDDEN');
    const staff = dataOf(await h.call('members', 'listStaff', { communityId: REGION_IDS.peixin }, ADMIN));
    expect(staff.items.map((s: { role: string; regionName: string }) => `${s.role}:${s.regionName}`)).toEqual(
      expect.arrayContaining(['canteen_staff:培新街社区孝义食堂', 'canteen_staff:培新街第二食堂']),
    );
    const mine = dataOf(await h.call('canteen', 'myCanteens', {}, 'demo-newcomer'));
    expect(mine.items.map((x: { _id: string }) => x._id)).toEqual([c._id]);
  });
});
