/**
 * The city's 议事规则 and the committee's grid worker in Chromium, against the H5 build on a real local host:
 * the city admin opens the rules from her home, sets a 10-day 公示 and confirms; the procedure page of a
 * community then states it. A grid worker on this year's committee follows his home's link to the demand list,
 * opens a demand (the resident's phone number masked, no admin tools) and scores it.
 * Screenshots go to test-artifacts/h5/matters-settings-*.png.
 */
import { screenshot } from '../support/chromium';
import { callAction, demoToken } from './fixtures';
import { expectText, signIn, useH5, WAIT } from './session';

const h5 = useH5();
const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const TITLE = '3栋楼道扶手加装';

test('the city admin sets a 10-day 公示; the procedure page says so', async () => {
  const { host } = h5;
  const city = await h5.newPage('city');
  await signIn(city, host.url, 'demo-city-ankang', { ready: '#page-home #home-matters-settings' });
  await city.click('#home-matters-settings');
  await expectText(city, '#page-matters-settings #settings-state', '尚未设置');
  await city.fill('#settings-publicity-days input', '10');
  await city.click('#settings-submit');
  await expectText(city, '#settings-confirm-text', '决议公示 10 天');
  await screenshot(city, 'h5', 'matters-settings-confirm');
  await city.click('#settings-confirm');
  await expectText(city, '#page-matters-settings #settings-state', '本市已设置');
  const token = await demoToken(host.url, 'demo-resident-peixin');
  expect((await callAction<{ settings: { publicityDays: number } }>(host.url, token, 'matters', 'getProcedureSettings', { regionId: 'comm-peixin' })).settings.publicityDays).toBe(10);

  const admin = await h5.newPage('admin');
  await signIn(admin, host.url, 'demo-admin-peixin');
  await admin.goto(`${host.url}/?load=1#/packages/matters-admin/procedure/index?communityId=comm-peixin`);
  await expectText(admin, '#page-procedure #proc-rules', '决议公示 10 天');
});

test('a grid worker on the committee reaches the list from his home, reads a demand masked and scores it', async () => {
  const { host } = h5;
  const adminToken = await demoToken(host.url, 'demo-admin-peixin');
  await callAction(host.url, adminToken, 'matters', 'createDemand', {
    requestId: 'h5-settings-flow-1', communityId: 'comm-peixin', year: YEAR, title: TITLE, category: '公共设施', note: '居民王大爷来电反映，电话13912345678',
  });
  await callAction(host.url, adminToken, 'matters', 'setCommittee', { communityId: 'comm-peixin', year: YEAR, memberIds: ['m-liufang', 'm-zhangming'] });

  const grid = await h5.newPage('grid');
  await signIn(grid, host.url, 'demo-grid-peixin', { ready: '#page-home #home-grid-committee-0' });
  await grid.click('#home-grid-committee-0');
  await grid.locator('#page-demands #demands-committee-note').waitFor(WAIT);
  expect(await grid.locator('#page-demands #demands-new').count()).toBe(0);
  await grid.click('#page-demands #demands-sort-newest');
  const row = grid.locator('#page-demands [id^="demands-item-"]', { hasText: TITLE }).first();
  await row.waitFor(WAIT);
  await row.click();
  await expectText(grid, '#page-demand #demand-heading', TITLE);
  await grid.locator('#page-demand #demand-masked').waitFor(WAIT);
  await expectText(grid, '#page-demand', '139****5678');
  expect(await grid.locator('#page-demand').innerText()).not.toContain('13912345678');
  for (const id of ['demand-merge-open', 'fast-open', 'assess-edit']) expect(await grid.locator(`#page-demand #${id}`).count()).toBe(0);

  for (const [p, n] of [['small', 4], ['impact', 3], ['feasible', 5], ['benefit', 4]] as const) await grid.click(`#page-demand #score-${p}-${n}`);
  await grid.click('#page-demand #score-submit');
  await expectText(grid, '#page-demand #score-progress', '已评 1/2');
  await screenshot(grid, 'h5', 'matters-settings-grid-scores');
});
