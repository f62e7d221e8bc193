/**
 * 共建单位 and 领导认领 in Chromium, against the H5 build on a real local host whose data dir holds the demo data
 * plus two of this year's matters of 培新街社区 (written as fixList writes them): the district admin registers a
 * unit, links it to 培新街社区 and invites its contact; the community admin makes it the lead unit of a matter;
 * the unit's contact sees the matter on their home; the demo leader claims it, records a coordination note, and
 * the district's claim wall shows the claim. Screenshots go to test-artifacts/h5/units-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { matters } from '../../src/features/matters/matters.collections';
import { seedDemo } from '../../src/server/demo/seed';
import { REGION_IDS as R } from '../../src/server/demo/demo-data';
import { createLocalServices } from '../../src/server/local-services';
import { phoneContext, screenshot, startHostAndBrowser, watchPage, type RunningHost } from '../support/chromium';
import { expectText, signIn, WAIT } from './session';

const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const MATTER = 'matter:dm-h5-lights';

let host: RunningHost;
let browser: Browser;
let dataDir: string;
const contexts: BrowserContext[] = [];
const watched: { name: string; errors: string[] }[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'shishi-h5-units-'));
  const services = createLocalServices({ dataDir, secret: 'h5-units-prepare', demoMode: true, log: { info: () => {}, warn: () => {}, error: () => {} } });
  await seedDemo(services);
  const at = new Date().toISOString();
  const place = { communityId: R.peixin, districtId: R.hanbin, cityId: R.city, year: YEAR, category: '公共设施' as const, path: [R.city, R.hanbin, R.laocheng, R.peixin] };
  const base = { state: 'in_progress' as const, leadUnitId: null, supportUnitIds: [], claimedBy: [], createdAt: at, updatedAt: at };
  await services.store.collection(matters).insert({ ...place, ...base, demandId: 'dm-h5-lights', title: '老旧楼栋楼道照明改造', progress: 30 }, { id: MATTER });
  await services.store.collection(matters).insert({ ...place, ...base, demandId: 'dm-h5-canteen', title: '孝义食堂（老年助餐点）', progress: 0 }, { id: 'matter:dm-h5-canteen' });
  await services.store.close();
  ({ host, browser } = await startHostAndBrowser({ dataDir }));
}, 90_000);

afterAll(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  await browser?.close();
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  for (const w of watched) if (w.errors.length) throw new Error(`Uncaught errors in the ${w.name} page:\n${w.errors.join('\n')}`);
});

async function newPage(name: string): Promise<Page> {
  const ctx = await phoneContext(browser);
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  watched.push({ name, ...watchPage(page) });
  return page;
}

async function actionResult(page: Page, area: string, action: string, trigger: () => Promise<void>): Promise<any> {
  const matches = (r: Response) => r.url().endsWith(`/fn/${area}`) && r.request().method() === 'POST' && r.request().postDataJSON()?.action === action;
  const [res] = await Promise.all([page.waitForResponse(matches, WAIT), trigger()]);
  const body = await res.json();
  if (!body.ok) throw new Error(`${area}.${action} answered ${JSON.stringify(body.error)}\n${host.output().slice(-2000)}`);
  return body.data;
}

const still = (page: Page, root: string) =>
  page.waitForFunction((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return !!r && Math.abs(r.left) < 1 && r.width > 0;
  }, root, WAIT);

test('register and link a unit, make it a lead unit, its contact sees the matter, a leader claims it with a note, the wall shows it', async () => {
  // The district admin: registry → form → the unit's page; link 培新街社区; an invitation code.
  const district = await newPage('district');
  await signIn(district, host.url, 'demo-district-hanbin');
  await district.click('#home-units');
  await district.locator('#page-units #units-row-0').waitFor(WAIT);
  await district.click('#page-units #units-new');
  await district.fill('#unit-form-name input', '汉滨区供电分公司');
  await district.click('#unit-form-type-enterprise');
  await district.fill('#unit-form-head input', '杜建军');
  await still(district, '#page-unit-form');
  await screenshot(district, 'h5', 'units-form');
  const unit = await actionResult(district, 'units', 'registerUnit', () => district.click('#unit-form-submit'));
  expect(unit).toMatchObject({ name: '汉滨区供电分公司', type: 'enterprise', partyHead: { name: '杜建军' }, communityIds: [] });
  await expectText(district, '#page-unit #unit-name', '汉滨区供电分公司');
  await district.locator(`#unit-link-${R.peixin}`).waitFor(WAIT);
  const linked = await actionResult(district, 'units', 'linkCommunity', () => district.click(`#unit-link-${R.peixin}`));
  expect(linked.communityIds).toEqual([R.peixin]);
  await expectText(district, '#unit-community-0', '培新街社区');
  const invite = await actionResult(district, 'units', 'inviteContact', () => district.click('#unit-invite'));
  await expectText(district, '#unit-invite-code', invite.code);
  await still(district, '#page-unit');
  await screenshot(district, 'h5', 'units-unit');

  // The contact redeems the code (a newcomer on the demo sign-in page).
  const contact = await newPage('contact');
  await signIn(contact, host.url, 'demo-newcomer', { ready: '#page-home #home-redeem' });
  await contact.click('#home-redeem');
  await contact.fill('#redeem-code input', invite.code);
  await contact.fill('#redeem-name input', '吴小军');
  const me = await actionResult(contact, 'members', 'redeemInvitation', () => contact.click('#page-redeem #redeem-submit'));
  expect(me.member.grants).toEqual([expect.objectContaining({ role: 'unit_contact', unitId: unit._id })]);

  // The community admin makes it the lead unit of the lights matter.
  const admin = await newPage('community');
  await signIn(admin, host.url, 'demo-admin-peixin');
  await admin.click('#home-units');
  await admin.click('#page-units #units-matters');
  await admin.locator('#page-matter-units #matter-units-row-0').waitFor(WAIT);
  await admin.locator('[id^="matter-units-row-"]', { hasText: '楼道照明' }).click();
  const row = admin.locator('#page-assign-units .un-row', { hasText: '汉滨区供电分公司' });
  await row.locator('[id^="assign-lead-"]').click();
  await admin.locator('#page-assign-units .un-row', { hasText: '培新物业服务有限公司' }).locator('[id^="assign-support-"]').click();
  await still(admin, '#page-assign-units');
  await screenshot(admin, 'h5', 'units-assign');
  const assigned = await actionResult(admin, 'units', 'assignMatterUnits', () => admin.click('#assign-submit'));
  expect(assigned).toEqual({ matterId: MATTER, leadUnitId: unit._id, supportUnitIds: ['unit-demo-property'] });
  await expectText(admin, '#page-matter-units', '牵头：汉滨区供电分公司');

  // The contact's home: the unit and its matter.
  await contact.goto(`${host.url}/?again=1#/pages/index/index`);
  await contact.click('#home-unit');
  await expectText(contact, '#page-unit-home #unit-home-name', '汉滨区供电分公司');
  await expectText(contact, '#unit-home-matter-0', '老旧楼栋楼道照明改造');
  await expectText(contact, '#unit-home-matter-0', '进度 30%');
  await still(contact, '#page-unit-home');
  await screenshot(contact, 'h5', 'units-contact-home');

  // The leader claims it and records a note; the district's wall shows the claim.
  const leader = await newPage('leader');
  await signIn(leader, host.url, 'demo-leader-hanbin');
  await leader.click('#home-claims');
  await leader.click('#page-leader #leader-tab-claim');
  const open = leader.locator('#page-leader .un-row', { hasText: '楼道照明' });
  const claimed = await actionResult(leader, 'leaders', 'claimMatter', () => open.locator('[id^="leader-claim-"]').click());
  expect(claimed.claimedBy).toEqual(['何志远']);
  await leader.click('#page-leader #leader-tab-mine');
  await expectText(leader, '#leader-mine-0', '汉滨区供电分公司');
  await still(leader, '#page-leader');
  await screenshot(leader, 'h5', 'units-leader-claims');
  await leader.click('#leader-mine-0');
  await leader.fill('#note-text textarea', '召集供电公司和物业现场协调线路改造');
  const note = await actionResult(leader, 'leaders', 'addNote', () => leader.click('#note-submit'));
  expect(note.notes).toBe(1);
  await expectText(leader, '#claim-note-0', '召集供电公司和物业现场协调线路改造');
  await still(leader, '#page-claim');
  await screenshot(leader, 'h5', 'units-leader-note');

  await district.goto(`${host.url}/?again=1#/pages/index/index`);
  await district.click('#home-claim-wall');
  // This claim and the demo's own (老城社区's 小游园, seeded by the demo host: seed-progress.ts).
  await expectText(district, '#page-claim-wall #wall-summary', '1 位领导认领 2 件实事');
  await expectText(district, '#wall-leader-0', '何志远');
  const rows = [await district.locator('#wall-row-0-0').innerText(), await district.locator('#wall-row-0-1').innerText()].join('\n');
  expect(rows).toContain('培新街社区');
  expect(rows).toContain('老城社区');
  await still(district, '#page-claim-wall');
  await screenshot(district, 'h5', 'units-wall');
}, 180_000);
