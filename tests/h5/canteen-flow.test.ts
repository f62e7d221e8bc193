/**
 * The counter in Chromium, against the H5 build served by a real local host (demo mode, fresh SQLite):
 * canteen staff sign in, tap 助餐登记, enter an elder's card code, see the price; a second try shows
 * 已就餐; the day's report counts one meal. Screenshots go to test-artifacts/h5/canteen-*.png.
 */
import type { Page } from 'playwright-core';
import { screenshot, type RunningHost } from '../support/chromium';
import { callAction, demoToken } from './fixtures';
import { signIn, useH5, WAIT } from './session';
import { DEMO_PEOPLE, REGION_IDS, CANTEEN_IDS } from '../../src/server/demo/demo-data';

const h5 = useH5();
let host: RunningHost;
beforeAll(() => {
  host = h5.host;
});

test('staff check in an elder by code: price, then 已就餐, and the report counts one meal', async () => {
  // The code the community admin would print for 李德福 (78: the 2-yuan tier).
  const adminToken = await demoToken(host.url, DEMO_PEOPLE.adminPeixin.openid);
  const sheet = await callAction<{ items: { elderId: string; code: string }[] }>(host.url, adminToken, 'canteen', 'cardSheet', { communityId: REGION_IDS.peixin, elderIds: ['el-px-01'] });
  const code = sheet.items[0]!.code;

  const page: Page = await h5.newPage('staff');
  await signIn(page, host.url, DEMO_PEOPLE.canteenPeixin.openid, { ready: '#page-home #home-checkin' });
  await page.locator('#page-home #home-checkin').click();
  await page.locator('#page-checkin #checkin-totals-meals').waitFor(WAIT);
  await screenshot(page, 'h5', 'canteen-1-counter');

  await page.locator('#checkin-code input').fill(code);
  await page.locator('#checkin-submit').click();
  await page.locator('#checkin-result.is-ok #checkin-result-price').waitFor(WAIT);
  expect(await page.locator('#checkin-result-title').textContent()).toBe('可以就餐');
  expect(await page.locator('#checkin-result-name').textContent()).toContain('李德福');
  expect(await page.locator('#checkin-result-price').textContent()).toContain('2.00');
  await page.waitForFunction(() => document.querySelector('#checkin-totals-meals')?.textContent === '1', undefined, WAIT);
  await screenshot(page, 'h5', 'canteen-2-served');

  // A second scan of the same card (pasted, with spaces and lower case).
  await page.locator('#checkin-code input').fill(code.toLowerCase().replace(/(.{4})/g, '$1 '));
  await page.locator('#checkin-submit').click();
  await page.locator('#checkin-result.is-refused').waitFor(WAIT);
  expect(await page.locator('#checkin-result-title').textContent()).toBe('已就餐');
  expect(await page.locator('#checkin-result-reason').textContent()).toContain('李*福');
  await screenshot(page, 'h5', 'canteen-3-already');

  const staffToken = await demoToken(host.url, DEMO_PEOPLE.canteenPeixin.openid);
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const report = await callAction<{ totals: { meals: number; cash: number; subsidy: number } }>(host.url, staffToken, 'canteen', 'report', { scope: 'canteen', id: CANTEEN_IDS.peixin, period: 'day', value: day });
  expect(report.totals).toMatchObject({ meals: 1, cash: 200, subsidy: 1000 });

  await page.locator('#checkin-report').click();
  await page.waitForFunction(() => document.querySelector('#report-meals')?.textContent === '1', undefined, WAIT);
  await screenshot(page, 'h5', 'canteen-4-report');
}, 60_000);
