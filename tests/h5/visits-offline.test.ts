/**
 * Offline-first visits in Chromium against the H5 build and a real local host: a grid worker records a
 * visit with two photos with the network cut, reloads the page, and when the network returns the visit
 * and both photos arrive exactly once. The cut is Chromium's offline mode (navigator.onLine, the
 * `online` event) plus aborted API routes, so the page itself can still be reloaded from the host.
 * Screenshots go to test-artifacts/h5/visits-*.png.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { addressKey, householdId } from '../../src/features/visits/visits.rules';
import { REGION_IDS } from '../../src/server/demo/demo-data';
import { phoneContext, screenshot, startHostAndBrowser, watchPage, type RunningHost } from '../support/chromium';
import { callAction, demoToken, makePng } from './fixtures';

const WAIT = { timeout: 20_000 };
const WANG = householdId(REGION_IDS.peixin, addressKey({ building: '3栋', unit: '2单元', room: '501' }));
const FINDINGS = '老人独居，身体状况尚可，冬季取暖正常，叮嘱注意用电安全';
const REQUEST = '希望楼道加装扶手，老人上下楼不方便';
const API = /\/(fn\/[a-z]+|files)(\?.*)?$/;

let host: RunningHost;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let watched: { errors: string[]; log: string[] };

beforeAll(async () => {
  ({ host, browser } = await startHostAndBrowser());
  ctx = await phoneContext(browser);
  page = await ctx.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  watched = watchPage(page);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

afterEach(() => {
  if (watched.errors.length) throw new Error(`Uncaught page errors:\n${watched.errors.join('\n')}\n${watched.log.slice(-20).join('\n')}`);
});

/** Hash navigation inside the running app (a same-document route change, no reload). */
const goHash = (route: string) => page.evaluate((r) => void (window.location.hash = r), route);

async function expectText(selector: string, text: string) {
  try {
    await page.waitForFunction(({ selector, text }) => document.querySelector(selector)?.textContent?.includes(text) ?? false, { selector, text }, WAIT);
  } catch {
    const seen = (await page.locator(selector).count()) ? await page.locator(selector).first().innerText() : '(no such element)';
    throw new Error(`Expected ${selector} to contain "${text}"; it shows: ${seen.slice(0, 300)}\n${watched.log.slice(-15).join('\n')}`);
  }
}

const visitPhotoFiles = () => {
  const dir = join(host.dataDir, 'files', 'visits');
  return existsSync(dir) ? readdirSync(dir).filter((f) => !f.endsWith('.json') && !f.includes('.tmp-')) : [];
};

test('record a visit with two photos offline, reload, restore the network: it arrives exactly once', async () => {
  // Requests that reached the host: photo uploads and record calls.
  const uploads: string[] = [];
  const records: string[] = [];
  page.on('requestfinished', (r) => {
    const path = new URL(r.url()).pathname;
    if (path === '/files' && r.method() === 'POST') uploads.push(r.url());
    if (path === '/fn/visits' && r.postDataJSON()?.action === 'record') records.push(r.url());
  });

  // Sign in as the grid worker; open the pages once while online (their code is fetched on first use).
  await page.goto(`${host.url}/`);
  await page.waitForURL(/#\/pages\/login\/index/, WAIT);
  await page.click('#login-demo-grid-peixin');
  await page.locator('#home-grid-day').waitFor(WAIT);
  await page.click('#home-grid-day');
  await page.locator('#page-grid-day #day-due').waitFor(WAIT);
  await screenshot(page, 'h5', 'visits-day');
  await goHash('/packages/grid/outbox/index');
  await page.locator('#page-outbox #outbox-back').waitFor(WAIT);
  await goHash(`/packages/grid/household/index?id=${WANG}`);
  await page.locator('#page-household #household-record').waitFor(WAIT);
  await page.click('#household-record');
  await page.locator('#page-visit-form #visit-submit').waitFor(WAIT);

  // --- the stairwell: no network -----------------------------------------------------------
  const abort = (r: Route) => r.abort('internetdisconnected');
  await ctx.route(API, abort);
  await ctx.setOffline(true);
  await page.click('#visit-kind-care');
  await page.fill('#visit-findings textarea', FINDINGS);
  await page.click('#visit-request-add');
  await page.fill('#visit-request-text-0 textarea', REQUEST);
  await page.click('#visit-request-0-category-7');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', WAIT), page.click('#visit-photo-add')]);
  await chooser.setFiles([
    { name: 'door.png', mimeType: 'image/png', buffer: makePng(120, 80) },
    { name: 'stairs.png', mimeType: 'image/png', buffer: makePng(80, 120) },
  ]);
  await page.locator('#visit-photo-1 img').waitFor(WAIT);
  await page.click('#visit-consent');
  await screenshot(page, 'h5', 'visits-form-offline');
  await page.click('#visit-submit');
  await page.locator('#page-outbox #outbox-item-0').waitFor(WAIT);
  await expectText('#outbox-status-0', '待上传');
  await expectText('#outbox-error-0', '网络不可用');
  await expectText('#outbox-photo-status-0-1', '等待上传');
  await screenshot(page, 'h5', 'visits-outbox-offline');
  expect(uploads).toEqual([]);

  // --- the app is closed and opened again, still without the API -----------------------------
  await ctx.setOffline(false); // the page itself must load; the API stays cut
  await page.reload();
  await page.locator('#page-outbox #outbox-item-0').waitFor(WAIT);
  await expectText('#outbox-status-0', '待上传');
  await page.locator('#outbox-photo-1-0 img, #outbox-photo-0-1 img').first().waitFor(WAIT);
  await screenshot(page, 'h5', 'visits-outbox-after-reload');
  expect(uploads).toEqual([]);

  // --- the network returns: the `online` event sends it ------------------------------------------
  await ctx.setOffline(true);
  await ctx.unroute(API, abort);
  await ctx.setOffline(false);
  await page.locator('#page-outbox #outbox-back').waitFor(WAIT);
  await screenshot(page, 'h5', 'visits-outbox-sent');

  // Exactly once: one visit with both photos, two photo files, one suggestion, one record call.
  const admin = await demoToken(host.url, 'demo-admin-peixin');
  const feed = await callAction<{ items: { _id: string; householdId: string; photoCount: number; requestCount: number }[] }>(
    host.url, admin, 'visits', 'feed', { communityId: REGION_IDS.peixin },
  );
  expect(feed.items.map((v) => [v.householdId, v.photoCount, v.requestCount])).toEqual([[WANG, 2, 1]]);
  const worker = await demoToken(host.url, 'demo-grid-peixin');
  const hh = await callAction<{ household: { visitCount: number }; visits: { findings: string; photoUrls: string[]; photoConsent: boolean }[] }>(
    host.url, worker, 'visits', 'household', { id: WANG },
  );
  expect(hh.household.visitCount).toBe(1);
  expect(hh.visits[0]).toMatchObject({ findings: FINDINGS, photoConsent: true });
  expect(hh.visits[0]!.photoUrls).toHaveLength(2);
  expect(visitPhotoFiles()).toHaveLength(2);
  expect(uploads).toHaveLength(2);
  expect(records).toHaveLength(1);
  const inbox = await callAction<{ items: { excerpt: string }[] }>(host.url, admin, 'suggestions', 'inbox', { communityId: REGION_IDS.peixin, q: '扶手' });
  expect(inbox.items.filter((i) => i.excerpt === REQUEST)).toHaveLength(1);
  // The local copies are gone with the note.
  expect(await page.evaluate(() => localStorage.getItem('shishi.visits.outbox'))).toBeNull();
}, 120_000);
