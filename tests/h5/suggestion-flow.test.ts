/**
 * The suggestion box end to end in Chromium, against the H5 build served by a real local host
 * (demo mode, fresh SQLite): a resident signs in, submits a suggestion with a photo and finds it
 * in 我的建议; the community admin replies from the inbox; the resident sees the reply.
 * Screenshots of each step go to test-artifacts/h5/flow-*.png.
 */
import type { Page, Response } from 'playwright-core';
import { screenshot, type RunningHost } from '../support/chromium';
import { makePng } from './fixtures';
import { expectText, signIn, useH5, WAIT } from './session';

const TEXT = '小区东门的路灯坏了一个多月，晚上老人出行很不方便，请尽快修理';
const PLACE = '3栋东门';
const REPLY = '已联系物业，本周五前更换路灯，感谢您的反馈';
const h5 = useH5();
const { newPage } = h5;
let host: RunningHost;
beforeAll(() => {
  host = h5.host;
});

/** Waits for an action's answer and checks it succeeded; returns its data. */
async function actionResult(page: Page, area: string, action: string, trigger: () => Promise<void>): Promise<any> {
  const matches = (r: Response) => r.url().endsWith(`/fn/${area}`) && r.request().method() === 'POST' && r.request().postDataJSON()?.action === action;
  const [res] = await Promise.all([page.waitForResponse(matches, WAIT), trigger()]);
  const body = await res.json();
  if (!body.ok) {
    throw new Error(`${area}.${action} answered ${res.status()} ${JSON.stringify(body.error)}\nHost output (last lines):\n${host.output().slice(-3000)}`);
  }
  return body.data;
}

let resident: Page;
let admin: Page;
let suggestionId: string | undefined;
let replied = false;

/** Steps build on each other; say so instead of failing with an undefined page. */
const needs = (ok: unknown, step: string) => {
  if (!ok) throw new Error(`Not run: the earlier step "${step}" failed (see its error above).`);
};

test('a resident signs in and submits a suggestion with a photo', async () => {
  resident = await newPage('resident');
  await signIn(resident, host.url, 'demo-resident-peixin', { shot: 'flow-resident-login' });
  await expectText(resident, '#home-community', '培新街社区');
  await expectText(resident, '#home-community', '李秀兰');
  await screenshot(resident, 'h5', 'flow-resident-home');

  await resident.click('#home-suggest');
  await expectText(resident, '#page-suggest .title', '向培新街社区提建议');

  await resident.click('#suggest-category-7');
  await expectText(resident, '#suggest-category-7', '✓ 公共设施');
  await resident.fill('#suggest-text textarea', TEXT);
  await expectText(resident, '#suggest-counter', `${TEXT.length}/500`);
  await resident.fill('#suggest-place input', PLACE);

  // Taro's chooseImage opens an <input type=file>; Chromium reports it as a file chooser.
  const [chooser] = await Promise.all([resident.waitForEvent('filechooser', WAIT), resident.click('#suggest-photo-add')]);
  expect(chooser.isMultiple()).toBe(true);
  const [upload] = await Promise.all([
    resident.waitForResponse((r) => new URL(r.url()).pathname === '/files' && r.request().method() === 'POST', WAIT),
    chooser.setFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: makePng() }),
  ]);
  const uploaded = await upload.json();
  expect(uploaded).toMatchObject({ ok: true, data: { fileId: expect.any(String) } });
  await expectText(resident, '#suggest-photo-status-0', '已上传');
  await resident.locator('#suggest-photo-0 img').waitFor(WAIT);
  await screenshot(resident, 'h5', 'flow-resident-suggest-filled');

  // The demo simulates the WeChat consent prompt as accepted and reports it once the suggestion is in.
  const subscribed = resident.waitForResponse((r) => r.url().endsWith('/fn/notify') && r.request().postDataJSON()?.action === 'subscribe', WAIT);
  const created = await actionResult(resident, 'suggestions', 'submit', () => resident.click('#suggest-submit'));
  expect(created).toMatchObject({ category: '公共设施', text: TEXT, place: PLACE, status: 'received' });
  expect(await (await subscribed).json()).toEqual({ ok: true, data: { recorded: 1 } });
  expect(created.photoUrls).toHaveLength(1);
  suggestionId = created._id;

  await resident.locator('#page-suggestion #suggestion-created').waitFor(WAIT);
  await expectText(resident, '#suggestion-text', TEXT);
  await expectText(resident, '#suggestion-timeline', '已收到建议');
  // The photo is served back to its author (access-checked link) and decodes.
  await expectImagesLoaded(resident, '#suggestion-photos', 1);
  await screenshot(resident, 'h5', 'flow-resident-submitted');
}, 60_000);

test('the resident finds it in 我的建议 with its status in words', async () => {
  needs(suggestionId, 'submit a suggestion');
  await resident.goto(`${host.url}/#/pages/index/index`);
  await resident.click('#home-mine');
  const item = resident.locator('#mine-item-0');
  await item.waitFor(WAIT);
  await expect(item.getAttribute('data-id')).resolves.toBe(suggestionId);
  await expectText(resident, '#mine-item-0', TEXT.slice(0, 20));
  await expectText(resident, '#mine-item-0', '已收到');
  await screenshot(resident, 'h5', 'flow-resident-mine');
}, 60_000);

test('the community admin opens the inbox and replies', async () => {
  needs(suggestionId, 'submit a suggestion');
  admin = await newPage('admin');
  await signIn(admin, host.url, 'demo-admin-peixin', { shot: 'flow-admin-login' });
  // 刘芳 is admin and resident of 培新街社区; the admin role is the default.
  await admin.locator('#home-inbox').waitFor(WAIT);
  await screenshot(admin, 'h5', 'flow-admin-home');

  await admin.click('#home-inbox');
  const row = admin.locator(`#inbox-list [data-id="${suggestionId}"]`);
  await row.waitFor(WAIT);
  await expect(row.innerText()).resolves.toContain('已收到');
  await expect(row.innerText()).resolves.toContain('1 张照片');
  await screenshot(admin, 'h5', 'flow-admin-inbox');

  await row.click();
  await admin.locator('#page-admin-detail #reply-submit').waitFor(WAIT);
  await expectText(admin, '#detail-text', TEXT);
  await expectText(admin, '#detail-author', '李秀兰');
  await expectImagesLoaded(admin, '#detail-photos', 1);

  await admin.fill('#reply-text textarea', REPLY);
  const answer = await actionResult(admin, 'suggestions', 'reply', () => admin.click('#reply-submit'));
  expect(answer).toMatchObject({ _id: suggestionId, status: 'replied' });
  await expectText(admin, '#detail-timeline', REPLY);
  replied = true;
  await screenshot(admin, 'h5', 'flow-admin-replied');
}, 60_000);

test('the resident sees the official reply in the timeline', async () => {
  needs(replied, 'the admin replies');
  await resident.goto(`${host.url}/#/pages/index/index`);
  await resident.click('#home-mine');
  await expectText(resident, '#mine-item-0', '已答复');
  await screenshot(resident, 'h5', 'flow-resident-mine-replied');

  await resident.click('#mine-item-0');
  await expectText(resident, '#suggestion-timeline', REPLY);
  await expectText(resident, '#suggestion-timeline', '官方答复');
  await expectText(resident, '#page-suggestion', '已答复');
  // Staff are named by their role, never by their own name.
  await expect(resident.locator('#suggestion-timeline').innerText()).resolves.not.toContain('刘芳');
  await screenshot(resident, 'h5', 'flow-resident-sees-reply');
}, 60_000);

test('demo mode: the admin finds the reply notice sent to the author in the outbox', async () => {
  needs(replied, 'the admin replies');
  await admin.goto(`${host.url}/#/pages/index/index`);
  await admin.click('#home-demo-outbox');
  await expectText(admin, '#outbox-item-0', REPLY);
  await expectText(admin, '#outbox-item-0', '已答复');
  // One consent, one message.
  await expect(admin.locator('#outbox-item-1').count()).resolves.toBe(0);
  await screenshot(admin, 'h5', 'flow-admin-outbox');
}, 60_000);

async function expectImagesLoaded(page: Page, container: string, count: number) {
  try {
    await page.waitForFunction(
      ({ container, count }) => {
        const imgs = Array.from(document.querySelectorAll<HTMLImageElement>(`${container} img`));
        return imgs.length === count && imgs.every((i) => i.complete && i.naturalWidth > 0);
      },
      { container, count },
      WAIT,
    );
  } catch {
    const srcs = await page.$$eval(`${container} img`, (imgs) => imgs.map((i) => `${(i as HTMLImageElement).src} (${(i as HTMLImageElement).naturalWidth}px)`));
    throw new Error(`Expected ${count} loaded photo(s) in ${container}; found: ${srcs.join(', ') || 'none'}`);
  }
}
