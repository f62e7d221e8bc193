import ExcelJS from 'exceljs';
import { careAlerts } from '../../src/features/canteen/canteen.collections';
import { ADMIN, CITY, DISTRICT, PEIXIN, STAFF, STAFF_XJB, XJB, checkIn, rid, REGION_IDS } from './support';
import { codeOf, createHarness, dataOf, type Harness } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const DAY = 24 * 3600_000;

describe('today at the counter', () => {
  test('roster and running totals: meals, by tier, cash, subsidy', async () => {
    dataOf(await checkIn(h, { elderId: 'el-px-01' })); // 78 → 2 yuan
    dataOf(await checkIn(h, { elderId: 'el-px-06' })); // 69 → 5 yuan
    dataOf(await checkIn(h, { elderId: 'el-px-03' })); // 75 → 2 yuan
    const t = dataOf(await h.call('canteen', 'today', { canteenId: PEIXIN }, STAFF));
    expect(t.totals).toEqual({
      meals: 3, elders: 3, cash: 900, subsidy: 2700,
      tiers: [{ tierKey: 't75', label: '75岁及以上', meals: 2, cash: 400 }, { tierKey: 't60', label: '60-74岁', meals: 1, cash: 500 }],
    });
    expect(t.items.map((i: { name: string }) => i.name).sort()).toEqual(['张守义', '李德福', '杨玉梅'].sort());
    expect(codeOf(await h.call('canteen', 'today', { canteenId: PEIXIN }, STAFF_XJB))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('canteen', 'today', { canteenId: PEIXIN }, ADMIN))).toBe('OK');
  });
});

describe('daily and monthly reports', () => {
  test('a canteen month, a district month (distinct elders across canteens), exported as .xlsx', async () => {
    // 3 days at 培新街; on day 2 one elder eats at 肖家坝 instead.
    for (let d = 0; d < 3; d++) {
      dataOf(await checkIn(h, { elderId: 'el-px-01' }));
      if (d === 1) dataOf(await h.call('canteen', 'checkIn', { canteenId: XJB, elderId: 'el-px-06', requestId: rid() }, STAFF_XJB));
      else dataOf(await checkIn(h, { elderId: 'el-px-06' }));
      h.advance(DAY);
    }
    const month = dataOf(await h.call('canteen', 'report', { scope: 'canteen', id: PEIXIN, period: 'month', value: '2025-03' }, STAFF));
    expect(month.rows.map((r: { label: string; meals: number }) => [r.label, r.meals])).toEqual([['2025-03-03', 2], ['2025-03-04', 1], ['2025-03-05', 2]]);
    expect(month.totals).toMatchObject({ meals: 5, elders: 2, cash: 3 * 200 + 2 * 500, subsidy: 3 * 1000 + 2 * 700 });

    const day = dataOf(await h.call('canteen', 'report', { scope: 'canteen', id: PEIXIN, period: 'day', value: '2025-03-04' }, ADMIN));
    expect(day.totals).toMatchObject({ meals: 1, elders: 1, cash: 200, subsidy: 1000 });

    const district = dataOf(await h.call('canteen', 'report', { scope: 'district', id: REGION_IDS.hanbin, period: 'month', value: '2025-03' }, DISTRICT));
    expect(district.rows.map((r: { label: string; meals: number; elders: number }) => [r.label, r.meals, r.elders])).toEqual([
      ['培新街社区孝义食堂', 5, 2],
      ['肖家坝社区孝义食堂', 1, 1],
    ]);
    // Two people in the district, not three: distinct across canteens.
    expect(district.totals).toMatchObject({ meals: 6, elders: 2, cash: 3 * 200 + 3 * 500 });
    const districtDay = dataOf(await h.call('canteen', 'report', { scope: 'district', id: REGION_IDS.hanbin, period: 'day', value: '2025-03-04' }, CITY));
    expect(districtDay.totals).toMatchObject({ meals: 2, elders: 2 });

    expect(codeOf(await h.call('canteen', 'report', { scope: 'district', id: REGION_IDS.hanbin, period: 'month', value: '2025-03' }, ADMIN))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('canteen', 'report', { scope: 'canteen', id: PEIXIN, period: 'month', value: '2025-03' }, STAFF_XJB))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(await h.call('canteen', 'report', { scope: 'canteen', id: PEIXIN, period: 'day', value: '2025-02-30' }, STAFF))).toBe('INPUT.INVALID');

    const file = dataOf(await h.call('canteen', 'exportReport', { scope: 'district', id: REGION_IDS.hanbin, period: 'month', value: '2025-03' }, DISTRICT));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await h.services.files.read(file.fileId))! as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('汉滨区 2025年03月 助餐统计');
    expect(ws.getRow(3).values).toEqual([, '培新街社区孝义食堂', 5, 2, '16.00', '44.00']);
    expect(JSON.stringify(ws.getSheetValues())).not.toMatch(/1\d{10}|李德福/);
  });
});

describe('care alerts for regulars who stop coming', () => {
  test('14 days of lunches then 3 missed days → one care alert for the grid worker', async () => {
    h.setNow(new Date('2025-02-10T03:00:00.000Z'));
    for (let d = 0; d < 14; d++) {
      dataOf(await checkIn(h, { elderId: 'el-px-01' }));
      h.advance(DAY);
    }
    // Last lunch on 23 Feb; now 24, 25, 26 Feb pass without one.
    h.setNow(new Date('2025-02-27T03:00:00.000Z'));
    const r = dataOf(await h.call('canteen', 'detectAbsences', { canteenId: PEIXIN }, STAFF));
    expect(r.alerts).toBe(1);
    const alerts = await h.services.store.collection(careAlerts).find({ where: { communityId: REGION_IDS.peixin } });
    expect(alerts.items).toEqual([
      expect.objectContaining({ communityId: REGION_IDS.peixin, householdOrElderRef: 'elder:el-px-01', kind: 'canteen_absence', createdAt: '2025-02-27T03:00:00.000Z' }),
    ]);
    expect(alerts.items[0]!.reason).toContain('连续 3 天');
    // Running it again does not repeat the alert.
    expect(dataOf(await h.call('canteen', 'detectAbsences', { canteenId: PEIXIN }, STAFF)).alerts).toBe(0);
  });
});
