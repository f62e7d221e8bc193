/**
 * Resource scopes: an action names the canteen (or grid, region) it touches and dispatch checks it once.
 * A canteen's staff hold their grant on that canteen only, not on its neighbours in the same community.
 */
import { resolvers } from '../../src/server/access';
import { grantsCovering } from '../../src/server/scope';
import { regionPath } from '../../src/features/regions/regions.service';
import { units } from '../../src/features/units/units.collections';
import { meals } from '../../src/features/canteen/canteen.collections';
import { ADMIN, ADMIN_XJB, CITY, DISTRICT, PEIXIN, REGION_IDS, STAFF, codeOf as code0, rid } from '../canteen/support';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

let h: Harness;
let canteenB: string;
beforeEach(async () => {
  h = await createHarness();
  // A second canteen in 培新街社区: staff of the first (王淑芬) hold no grant on it.
  canteenB = dataOf(await h.call('canteen', 'createCanteen', { communityId: REGION_IDS.peixin, name: '培新街第二食堂', meals: ['lunch'] }, ADMIN))._id;
});
afterEach(() => h.close());

describe('a canteen is its own resource', () => {
  test('staff of canteen A cannot touch canteen B of the same community, and write nothing there', async () => {
    const code = await code0(h, 'el-px-01');
    const b = { canteenId: canteenB };
    expect(codeOf(await h.call('canteen', 'checkIn', { ...b, code, meal: 'lunch', requestId: rid() }, STAFF))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('canteen', 'searchElders', { ...b, q: '李德福' }, STAFF))).toBe('AUTH.FORBIDDEN');
    const refused = await h.call('canteen', 'getCanteen', b, STAFF);
    expect(!refused.ok && refused.error).toMatchObject({ code: 'AUTH.FORBIDDEN', message: '您不是该食堂的工作人员，也不管理它所在的社区' });
    expect(codeOf(await h.call('canteen', 'today', b, STAFF))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('canteen', 'detectAbsences', b, STAFF))).toBe('AUTH.FORBIDDEN');
    const report = { scope: 'canteen', id: canteenB, period: 'day', value: '2025-03-03' };
    expect(codeOf(await h.call('canteen', 'report', report, STAFF))).toBe('AUTH.FORBIDDEN');
    expect(await h.services.store.collection(meals).count({ canteenId: canteenB })).toBe(0);
    // Their own canteen still works.
    expect(codeOf(await h.call('canteen', 'getCanteen', { canteenId: PEIXIN }, STAFF))).toBe('OK');
    expect(codeOf(await h.call('canteen', 'checkIn', { canteenId: PEIXIN, code, meal: 'lunch', requestId: rid() }, STAFF))).toBe('OK');
  });

  test('staff cannot undo a meal served at another canteen of their community', async () => {
    const code = await code0(h, 'el-px-01');
    const meal = dataOf(await h.call('canteen', 'checkIn', { canteenId: PEIXIN, code, meal: 'lunch', requestId: rid() }, STAFF));
    // Move the meal to canteen B (as if B's staff had served it): A's staff may no longer undo it.
    const m = (await h.services.store.collection(meals).get(meal.mealId))!;
    await h.services.store.collection(meals).update(m._id, m._rev, { canteenId: canteenB });
    expect(codeOf(await h.call('canteen', 'undoCheckIn', { mealId: meal.mealId, reason: '扫错了' }, STAFF))).toBe('AUTH.FORBIDDEN');
  });

  test('the community admin can; an admin of another community cannot; the district admin can read', async () => {
    const report = { scope: 'canteen', id: canteenB, period: 'day', value: '2025-03-03' };
    expect(codeOf(await h.call('canteen', 'getCanteen', { canteenId: canteenB }, ADMIN))).toBe('OK');
    expect(codeOf(await h.call('canteen', 'today', { canteenId: canteenB }, ADMIN))).toBe('OK');
    for (const action of ['getCanteen', 'today', 'detectAbsences', 'inviteStaff'] as const) {
      expect(codeOf(await h.call('canteen', action, { canteenId: canteenB }, ADMIN_XJB))).toBe('AUTH.FORBIDDEN');
    }
    expect(codeOf(await h.call('canteen', 'report', report, ADMIN_XJB))).toBe('AUTH.FORBIDDEN');
    for (const who of [DISTRICT, CITY]) {
      expect(codeOf(await h.call('canteen', 'report', report, who))).toBe('OK');
      expect(codeOf(await h.call('canteen', 'getCanteen', { canteenId: canteenB }, who))).toBe('OK');
    }
    // Reading is not writing: the district admin may not invite the canteen's staff.
    expect(codeOf(await h.call('canteen', 'inviteStaff', { canteenId: canteenB }, DISTRICT))).toBe('AUTH.FORBIDDEN');
  });

  test('the district report is for district and city admins only', async () => {
    const report = { scope: 'district', id: REGION_IDS.hanbin, period: 'day', value: '2025-03-03' };
    expect(codeOf(await h.call('canteen', 'report', report, DISTRICT))).toBe('OK');
    expect(codeOf(await h.call('canteen', 'report', report, CITY))).toBe('OK');
    for (const who of [ADMIN, STAFF]) expect(codeOf(await h.call('canteen', 'report', report, who))).toBe('AUTH.FORBIDDEN');
  });

  test('a staff member invited to canteen B checks in there and only there', async () => {
    const { code: invite } = dataOf(await h.call('canteen', 'inviteStaff', { canteenId: canteenB }, ADMIN));
    const newcomer = 'openid-new-canteen-b-staff';
    dataOf(await h.call('members', 'redeemInvitation', { code: invite, name: '新员工', phone: '13900000099' }, newcomer));
    const code = await code0(h, 'el-px-02');
    expect(codeOf(await h.call('canteen', 'checkIn', { canteenId: canteenB, code, meal: 'lunch', requestId: rid() }, newcomer))).toBe('OK');
    expect(codeOf(await h.call('canteen', 'checkIn', { canteenId: PEIXIN, code, meal: 'lunch', requestId: rid() }, newcomer))).toBe('AUTH.FORBIDDEN');
  });
});

describe('the scope core', () => {
  test('a kind without a resolver is an unknown resource, not a silent pass', async () => {
    const grants = [{ role: 'community_admin' as const, regionId: REGION_IDS.peixin }];
    await expect(grantsCovering(resolvers, h.services.store, grants, { event: 'e-1' })).rejects.toMatchObject({ code: 'SCOPE.UNKNOWN_RESOURCE' });
  });

  test('a missing unit or matter is said to be missing', async () => {
    const grants = [{ role: 'community_admin' as const, regionId: REGION_IDS.peixin }];
    await expect(grantsCovering(resolvers, h.services.store, grants, { unit: 'u-1' })).rejects.toMatchObject({ code: 'UNITS.NOT_FOUND' });
    await expect(grantsCovering(resolvers, h.services.store, grants, { matter: 'm-1' })).rejects.toMatchObject({ code: 'MATTERS.MATTER_NOT_FOUND' });
  });

  test("a unit's contact holds that unit only; the admins of its home region cover it", async () => {
    const store = h.services.store;
    const path = (await regionPath(store, REGION_IDS.peixin))!;
    const unit = { name: '农行培新支行', type: 'bank' as const, homeRegionId: REGION_IDS.peixin, path, communityIds: [REGION_IDS.peixin], partyHead: null, createdBy: 'm', createdAt: '2026-01-01T00:00:00Z' };
    await store.collection(units).insert(unit, { id: 'unit-a' });
    await store.collection(units).insert({ ...unit, name: '培新小学' }, { id: 'unit-b' });
    const contactA = { role: 'unit_contact' as const, regionId: REGION_IDS.peixin, unitId: 'unit-a' };
    const admin = { role: 'community_admin' as const, regionId: REGION_IDS.peixin };
    const otherAdmin = { role: 'community_admin' as const, regionId: REGION_IDS.xiaojiaba };
    expect(await grantsCovering(resolvers, store, [contactA, admin, otherAdmin], { unit: 'unit-a' })).toEqual([contactA, admin]);
    expect(await grantsCovering(resolvers, store, [contactA, admin, otherAdmin], { unit: 'unit-b' })).toEqual([admin]);
  });

  test('a bare string stays a region id; a missing region covers nobody', async () => {
    const grants = [{ role: 'community_admin' as const, regionId: REGION_IDS.peixin }];
    expect(await grantsCovering(resolvers, h.services.store, grants, REGION_IDS.peixin)).toEqual(grants);
    expect(await grantsCovering(resolvers, h.services.store, grants, { region: REGION_IDS.xiaojiaba })).toEqual([]);
    expect(await grantsCovering(resolvers, h.services.store, grants, { grid: REGION_IDS.peixinGrid1 })).toEqual(grants);
    expect(await grantsCovering(resolvers, h.services.store, grants, 'no-such-region')).toEqual([]);
  });
});
