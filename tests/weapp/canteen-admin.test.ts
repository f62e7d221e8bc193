/**
 * The community admin's canteen pages (sub-package packages/canteen-admin) under miniprogram-simulate:
 * elders list, an elder's page, roster import and price schedules. Cloud answers are canned here and
 * checked against the canteen contract (inputs the pages send, outputs the server could give).
 */
import { canteenContract, type ElderView } from '../../src/features/canteen/canteen.schema';
import { membersContract } from '../../src/features/members/members.schema';
import { CANTEEN_IDS, DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import { useWeapp, type Answers } from './suite';

const admin = DEMO_PEOPLE.adminPeixin;
const COMM = REGION_IDS.peixin;
const AT = '2025-11-20T03:00:00.000Z';
const CODE = 'AK1PX00000100ABCDEFGHJKMNP';

const elder = (id: string, status: ElderView['status'], name: string): ElderView => ({
  _id: id, name, gender: 'female', birthDate: '1945-03-02', age: 80, idMasked: '6124**********0021', communityId: COMM,
  categories: ['alone'], phoneMasked: '139****2001', guardian: { name: '王*', phoneMasked: '138****0001', relation: '儿子' },
  status, history: [{ status: 'applied', at: AT, day: '2025-11-20', reason: '本人申请', by: '本人' }],
  cardNo: status === 'approved' ? 'card-1' : null, createdAt: AT,
});

let statusNow: ElderView['status'] = 'applied';
let rosterGood = false;
const canteen = {
  _id: CANTEEN_IDS.peixin, name: '培新街社区孝义食堂', communityId: COMM, communityName: '培新街社区', districtId: REGION_IDS.hanbin, cityId: REGION_IDS.city,
  meals: ['lunch'], eligibility: { minAge: 60, categories: ['left_behind', 'alone', 'hardship', 'other'] }, absenceDays: 3,
  prices: [{ from: '2025-01-01', mealCost: 1200, tiers: [{ minAge: 75, price: 200 }, { minAge: 60, price: 500 }] }],
};
const answers: Answers = {
  'members.me': () => ({ openid: admin.openid, member: { _id: admin.memberId, name: admin.name, phoneMasked: '138****0004', grants: admin.grants } }),
  'canteen.myCanteens': () => ({ items: [canteen] }),
  'canteen.getCanteen': () => canteen,
  'canteen.setPrices': (i: { from: string; mealCost: number; tiers: unknown[] }) => ({ ...canteen, prices: [...canteen.prices, { from: i.from, mealCost: i.mealCost, tiers: i.tiers }] }),
  'canteen.listElders': (i: { status?: string }) => ({
    items: [elder('el-1', statusNow, '王*兰'), elder('el-2', 'approved', '李*福')].filter((e) => !i.status || e.status === i.status),
    nextCursor: null,
  }),
  'canteen.setElderStatus': (i: { elderId: string; status: ElderView['status']; reason: string }) => {
    statusNow = i.status;
    const e = elder(i.elderId, i.status, '王*兰');
    return { ...e, history: [...e.history, { status: i.status, at: AT, day: '2025-11-20', reason: i.reason, by: '社区管理员' }] };
  },
  'canteen.revokeCard': (i: { elderId: string; reissue: boolean }) => ({ card: i.reissue ? { elderId: i.elderId, name: '李*福', communityName: '培新街社区', code: CODE, generation: 1 } : null }),
  'canteen.importRoster': (i: { dryRun: boolean }) =>
    rosterGood
      ? { ok: true, imported: i.dryRun ? 0 : 2, rows: 2, errors: [] }
      : { ok: false, imported: 0, rows: 2, errors: [{ row: 3, field: '身份证号', message: '身份证号校验位不正确' }] },
};

const weapp = useWeapp({
  contracts: { canteen: canteenContract, members: membersContract },
  answers,
  where: 'tests/weapp/canteen-admin.test.ts',
  reset: () => {
    statusNow = 'applied';
    rosterGood = false;
  },
  limits: true,
});
const { open } = weapp;
const calls = (action: string) => weapp.env.cloudCalls.filter((c) => c.data.action === action);

test('the admin pages are their own sub-package, outside the independent canteen package', () => {
  const subs = [...(weapp.env.appJson.subPackages ?? []), ...(weapp.env.appJson.subpackages ?? [])] as { root: string; pages: string[]; independent?: boolean }[];
  const sub = subs.find((s) => s.root === 'packages/canteen-admin');
  expect(sub?.pages).toEqual(['elders/index', 'elder/index', 'import/index', 'prices/index']);
  expect(sub?.independent).toBeFalsy();
});

test('elders list: filter by status, open an elder', async () => {
  const pg = await open('packages/canteen-admin/elders/index', { communityId: COMM });
  await pg.until(() => pg.hasId('elders-item-1'), 'two elders');
  expect(pg.byId('elders-item-0').textContent).toContain('王*兰');
  expect(pg.byId('elders-item-0').textContent).toContain('139****2001');
  expect(pg.byId('elders-item-status-0').textContent).toBe('待审核');
  await pg.tap(pg.byId('elders-filter-applied'));
  await pg.until(() => !pg.hasId('elders-item-1') && pg.hasId('elders-item-0'), 'only the application');
  expect(calls('listElders').at(-1)!.data.input).toMatchObject({ communityId: COMM, status: 'applied' });
  await pg.tap(pg.byId('elders-item-0'));
  await pg.until(() => weapp.env.navigations.find((n) => n.url.startsWith('/packages/canteen-admin/elder/index?elderId=el-1')), 'navigation to the elder');
});

test('elder page: approve with a reason in the confirm dialog', async () => {
  const pg = await open('packages/canteen-admin/elder/index', { elderId: 'el-1', communityId: COMM });
  await pg.until(() => pg.hasId('elder-approve'), 'the approve button');
  expect(pg.byId('elder-status').textContent).toBe('待审核');
  expect(pg.text()).toContain('6124**********0021');
  await pg.tap(pg.byId('elder-approve'));
  await pg.until(() => pg.hasId('elder-dialog-confirm'), 'the confirm dialog');
  await pg.tap(pg.byId('elder-dialog-confirm'));
  await pg.until(() => pg.byId('elder-status').textContent === '已通过', 'approved');
  expect(calls('setElderStatus').at(-1)!.data.input).toEqual({ elderId: 'el-1', status: 'approved', reason: '符合助餐条件' });
});

test('elder page: a status change without a reason is not sent; re-issue shows the new code', async () => {
  const pg = await open('packages/canteen-admin/elder/index', { elderId: 'el-2', communityId: COMM });
  await pg.until(() => pg.hasId('elder-card-reissue'), 'the card buttons');
  const before = calls('setElderStatus').length;
  await pg.tap(pg.byId('elder-status-suspended'));
  await pg.until(() => pg.hasId('elder-dialog-confirm'), 'the confirm dialog');
  await pg.tap(pg.byId('elder-dialog-confirm'));
  await pg.settle();
  expect(calls('setElderStatus')).toHaveLength(before);
  await pg.tap(pg.byId('elder-dialog-cancel'));

  await pg.tap(pg.byId('elder-card-reissue'));
  await pg.until(() => pg.hasId('elder-reason'), 'the reason box');
  await pg.fire(pg.byId('elder-reason'), 'input', { value: '卡片丢失' });
  await pg.tap(pg.byId('elder-dialog-confirm'));
  await pg.until(() => pg.hasId('elder-new-card'), 'the new code');
  expect(pg.byId('elder-new-card').textContent).toContain('AK1P X000');
  expect(calls('revokeCard').at(-1)!.data.input).toEqual({ elderId: 'el-2', reason: '卡片丢失', reissue: true });
});

describe('roster import', () => {
  const wx = () => (globalThis as unknown as { wx: Record<string, unknown> }).wx;
  beforeEach(() => {
    wx().chooseMessageFile = (o: { success?: (r: unknown) => void; complete?: (r: unknown) => void }) => {
      const r = { errMsg: 'chooseMessageFile:ok', tempFiles: [{ path: 'wxfile://tmp/roster.xlsx', name: '名册.xlsx', size: 4, type: 'file', time: 0 }] };
      o.success?.(r);
      o.complete?.(r);
      return Promise.resolve(r); // WeChat returns a promise when called without callbacks
    };
  });

  test('a file with errors shows them row by row and imports nothing', async () => {
    const pg = await open('packages/canteen-admin/import/index', { communityId: COMM });
    await pg.tap(pg.byId('import-choose'));
    await pg.until(() => pg.hasId('import-error-0'), 'the error report');
    expect(pg.byId('import-error-0').textContent).toBe('第 3 行「身份证号」：身份证号校验位不正确');
    expect(pg.hasId('import-apply')).toBe(false);
    // Uploaded to storage first, imported by its file id (nothing inline in the call).
    const input = calls('importRoster').at(-1)!.data.input as { fileId: string };
    expect(input).toEqual({ communityId: COMM, fileId: expect.stringMatching(/^cloud:\/\/.+\/imports\/\d+\.xlsx$/), dryRun: true });
  });

  test('a good file is checked, then imported', async () => {
    rosterGood = true;
    const before = calls('importRoster').length;
    const pg = await open('packages/canteen-admin/import/index', { communityId: COMM });
    await pg.tap(pg.byId('import-choose'));
    await pg.until(() => pg.hasId('import-apply'), 'the import button');
    await pg.tap(pg.byId('import-apply'));
    await pg.until(() => pg.byId('import-summary').textContent?.includes('导入完成'), 'imported');
    expect(calls('importRoster').slice(before).map((c) => (c.data.input as { dryRun: boolean }).dryRun)).toEqual([true, false]);
  });
});

test('prices: the dated schedules, and a new one from a date', async () => {
  const pg = await open('packages/canteen-admin/prices/index', { canteenId: CANTEEN_IDS.peixin });
  await pg.until(() => pg.hasId('prices-schedule-0'), 'the schedules');
  expect(pg.byId('prices-schedule-0').textContent).toContain('2025-01-01');
  await pg.fire(pg.byId('prices-from'), 'input', { value: '2099-01-01' });
  await pg.fire(pg.byId('prices-tier-price-0'), 'input', { value: '3' });
  await pg.tap(pg.byId('prices-save'));
  await pg.until(() => pg.hasId('prices-schedule-1'), 'the new schedule listed');
  expect(calls('setPrices').at(-1)!.data.input).toEqual({
    canteenId: CANTEEN_IDS.peixin, from: '2099-01-01', mealCost: 1200, tiers: [{ minAge: 75, price: 300 }, { minAge: 60, price: 500 }],
  });
  expect(pg.byId('prices-schedule-0').textContent).toContain('2099-01-01');
});
