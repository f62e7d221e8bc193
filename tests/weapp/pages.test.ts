/**
 * The weapp build (dist/weapp) under miniprogram-simulate: every page of app.json renders its key
 * text and answers taps, and each page's largest setData payload and node count stay within
 * WeChat's audit limits. Cloud functions answer with canned, contract-checked data (canned.ts):
 * this layer tests rendering, not the server.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cannedBackend, REPLY_TEXT, SUGGESTION_TEXT, type Canned, type Persona } from './canned';
import { installWeapp, type OpenedPage, type PageMetrics, type WeappEnv } from './simulate-env';

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist/weapp');
const SET_DATA_LIMIT = 256 * 1024;
const NODE_LIMIT = 1000;

let env: WeappEnv;
let canned: Canned;
const metrics = new Map<string, PageMetrics>();
const open = new Set<OpenedPage>();

const as = (persona: Persona) => {
  canned = cannedBackend(persona);
  env.responder.current = canned.responder;
};

const callsTo = (key: string) => env.cloudCalls.filter((c) => `${c.name}.${String(c.data.action)}` === key);

async function openPage(page: string, query: Record<string, string> = {}): Promise<OpenedPage> {
  const pg = await env.openPage(page, query);
  open.add(pg);
  return pg;
}

/** Detaches, then checks the page's figures: within budget, nothing unrenderable, no stray calls. */
function finish(pg: OpenedPage) {
  pg.detach();
  open.delete(pg);
  const m = pg.metrics;
  const prev = metrics.get(m.page);
  metrics.set(m.page, prev ? { ...m, maxSetDataBytes: Math.max(m.maxSetDataBytes, prev.maxSetDataBytes), nodes: Math.max(m.nodes, prev.nodes) } : { ...m });
  if (m.missingTemplates.length) {
    // e.g. NutUI icons render <i>, which a weapp build without @tarojs/plugin-html has no template for.
    throw new Error(`${m.page} renders nodes the weapp build has no WXML template for (${m.missingTemplates.join(', ')}); they are blank in WeChat`);
  }
  expect({ page: m.page, cloudProblems: canned.problems }).toEqual({ page: m.page, cloudProblems: [] });
  if (m.maxSetDataBytes > SET_DATA_LIMIT) throw new Error(`${m.page}: a setData of ${m.maxSetDataBytes} bytes exceeds WeChat's 256 KB limit`);
  if (m.nodes >= NODE_LIMIT) throw new Error(`${m.page}: ${m.nodes} nodes, WeChat's audit wants fewer than ${NODE_LIMIT}`);
}

const hasClass = (el: HTMLElement, cls: string) => (el.getAttribute('class') ?? '').split(/\s+/).some((c) => c === cls || c.endsWith(`--${cls}`));

beforeAll(() => {
  env = installWeapp(DIST);
  // WeChat's “large font” setting: elder mode starts on without being switched by hand.
  env.fontScale.current = 1.25;
});

afterEach(() => {
  for (const pg of open) pg.detach();
  open.clear();
});

afterAll(() => {
  if (metrics.size === 0) return;
  const rows = [...metrics.values()].sort((a, b) => a.page.localeCompare(b.page));
  mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
  const out = path.join(ROOT, 'test-artifacts/weapp-metrics.json');
  writeFileSync(
    out,
    JSON.stringify({ limits: { setDataBytes: SET_DATA_LIMIT, nodesBelow: NODE_LIMIT }, pages: rows.map(({ page, maxSetDataBytes, setDataCalls, nodes }) => ({ page, maxSetDataBytes, setDataCalls, nodes })) }, null, 2) + '\n',
  );
  const lines = rows.map((m) => `  ${m.page.padEnd(30)} ${String(m.maxSetDataBytes).padStart(8)} B ${String(m.setDataCalls).padStart(4)} setData ${String(m.nodes).padStart(5)} nodes`);
  // eslint-disable-next-line no-console
  console.log(`weapp pages (largest setData, calls, nodes; limits 256 KB and < 1000 nodes) → ${path.relative(ROOT, out)}\n${lines.join('\n')}`);
});

describe('resident pages', () => {
  test('home: community, actions, elder mode from WeChat font setting and the switch', async () => {
    as('resident');
    const pg = await openPage('pages/index/index');
    await pg.until(() => pg.text().includes('我要提建议'), 'the resident home actions');
    expect(pg.text()).toContain('培新街社区');
    expect(pg.text()).toContain('李秀兰，您好');
    expect(pg.text()).toContain('我的建议');

    const root = pg.byId('page-home');
    expect(hasClass(root, 'elder')).toBe(true); // fontSizeScaleFactor 1.25
    expect(pg.byId('elder-switch').textContent).toContain('已开启');

    await pg.tap(pg.byId('elder-switch'));
    await pg.until(() => !hasClass(pg.byId('page-home'), 'elder'), 'elder mode to turn off after tapping the switch');
    expect(pg.byId('elder-switch').textContent).toContain('已关闭');
    expect(env.storage.get('shishi.elder')).toBe('off');

    await pg.tap(pg.byId('elder-switch'));
    await pg.until(() => hasClass(pg.byId('page-home'), 'elder'), 'elder mode to turn back on');
    expect(env.storage.get('shishi.elder')).toBe('on');

    await pg.tap(pg.byId('home-suggest'));
    await pg.until(() => env.navigations.find((n) => n.url.startsWith('/pages/suggest/index')), 'navigation to the suggest page');
    expect(env.navigations.at(-1)!.url).toContain('communityId=comm-peixin');
    finish(pg);
  });

  test('suggest: category, text, a photo with upload, submit sends one contract-valid request', async () => {
    as('resident');
    const pg = await openPage('pages/suggest/index', { communityId: 'comm-peixin' });
    await pg.until(() => pg.text().includes('向培新街社区提建议'), 'the suggest form');
    for (const c of ['环境卫生', '养老助餐', '公共设施', '其他']) expect(pg.text()).toContain(c);

    // Submitting empty shows what is missing and sends nothing.
    await pg.tap(pg.byId('suggest-submit'));
    await pg.until(() => pg.text().includes('请选择建议类别'), 'the missing-category message');
    expect(pg.text()).toContain('内容至少 5 个字');
    expect(callsTo('suggestions.submit')).toHaveLength(0);

    await pg.tap(pg.byId('suggest-category-7')); // 公共设施
    await pg.until(() => pg.byId('suggest-category-7').textContent?.includes('✓'), 'the chosen category to show a tick');

    await pg.fire(pg.byId('suggest-text').querySelector('wx-textarea') ?? pg.byId('suggest-text'), 'input', { value: SUGGESTION_TEXT, cursor: 0 });
    await pg.until(() => pg.byId('suggest-counter').textContent?.includes(`${SUGGESTION_TEXT.length}/500`), 'the character counter');

    await pg.tap(pg.byId('suggest-photo-add'));
    await pg.until(() => pg.hasId('suggest-photo-status-0') && pg.byId('suggest-photo-status-0').textContent?.includes('已上传'), 'the photo to upload');
    expect(pg.byId('suggest-photo-add').textContent).toContain('1/6');

    await pg.tap(pg.byId('suggest-submit'));
    await pg.until(() => env.navigations.find((n) => n.url.includes('/pages/suggestion/index')), 'the redirect to the new suggestion');
    const submits = callsTo('suggestions.submit');
    expect(submits).toHaveLength(1);
    expect(submits[0]!.data.input).toMatchObject({
      communityId: 'comm-peixin',
      category: '公共设施',
      text: SUGGESTION_TEXT,
      photos: [expect.stringMatching(/^cloud:\/\/.+\.jpg$/)],
      showName: false,
    });
    expect(env.navigations.at(-1)!.url).toContain('id=sug-canned-2');
    finish(pg);
  });

  test('mine: a full page of my suggestions with statuses in words; tapping one opens it', async () => {
    as('resident');
    const pg = await openPage('pages/mine/index');
    await pg.until(() => pg.hasId('mine-item-19'), 'twenty list items');
    expect(pg.byId('mine-item-0').textContent).toContain(SUGGESTION_TEXT);
    expect(pg.byId('mine-item-0').textContent).toContain('已答复');
    expect(pg.text()).toContain('加载更多');
    await pg.tap(pg.byId('mine-item-0'));
    await pg.until(() => env.navigations.find((n) => n.url === '/pages/suggestion/index?id=sug-canned-1'), 'navigation to the suggestion');
    finish(pg);
  });

  test('suggestion: text, status and the official reply timeline', async () => {
    as('resident');
    const pg = await openPage('pages/suggestion/index', { id: 'sug-canned-1' });
    await pg.until(() => pg.hasId('suggestion-timeline'), 'the timeline');
    expect(pg.byId('suggestion-text').textContent).toContain(SUGGESTION_TEXT);
    expect(pg.text()).toContain('已答复');
    expect(pg.byId('suggestion-timeline').textContent).toContain('官方答复');
    expect(pg.byId('suggestion-timeline').textContent).toContain(REPLY_TEXT);
    finish(pg);
  });

  test('join: a newcomer picks a community, fills the form and joins', async () => {
    as('newcomer');
    const pg = await openPage('pages/join/index');
    await pg.until(() => pg.hasId('join-community-comm-peixin'), 'the community list');
    expect(pg.text()).toContain('肖家坝社区');
    await pg.tap(pg.byId('join-community-comm-peixin'));
    expect(pg.byId('join-community-comm-peixin').textContent).toContain('✓');
    await pg.fire(pg.byId('join-name'), 'input', { value: '王小明', cursor: 0 });
    await pg.fire(pg.byId('join-building'), 'input', { value: '5栋', cursor: 0 });
    await pg.tap(pg.byId('join-submit'));
    await pg.until(() => callsTo('members.joinCommunity').length > 0, 'the joinCommunity call');
    expect(callsTo('members.joinCommunity')[0]!.data.input).toMatchObject({ communityId: 'comm-peixin', name: '王小明', building: '5栋' });
    finish(pg);
  });

  test('redeem: staff redeem an invitation code', async () => {
    as('newcomer');
    const pg = await openPage('pages/redeem/index');
    await pg.until(() => pg.hasId('redeem-submit'), 'the redeem form');
    await pg.fire(pg.byId('redeem-code'), 'input', { value: 'ABC12345', cursor: 0 });
    await pg.fire(pg.byId('redeem-name'), 'input', { value: '张明', cursor: 0 });
    await pg.tap(pg.byId('redeem-submit'));
    await pg.until(() => callsTo('members.redeemInvitation').length > 0, 'the redeemInvitation call');
    expect(callsTo('members.redeemInvitation')[0]!.data.input).toMatchObject({ code: 'ABC12345', name: '张明' });
    finish(pg);
  });
});

describe('staff pages (admin sub-package)', () => {
  test('home as a community admin who is also a resident: the role switcher changes the actions', async () => {
    as('admin');
    const pg = await openPage('pages/index/index');
    await pg.until(() => pg.hasId('role-switcher'), 'the role switcher');
    // Earlier tests chose nothing for this person: the senior role (admin) is active.
    await pg.until(() => pg.hasId('home-inbox'), 'the admin actions');
    await pg.tap(pg.byId('role-resident-comm-peixin'));
    await pg.until(() => pg.hasId('home-suggest'), 'the resident actions after switching role');
    expect(pg.hasId('home-inbox')).toBe(false);
    await pg.tap(pg.byId('role-community_admin-comm-peixin'));
    await pg.until(() => pg.hasId('home-inbox'), 'the admin actions after switching back');
    finish(pg);
  });

  test('inbox: a full page, filters send a new query, an item opens', async () => {
    as('admin');
    const pg = await openPage('packages/admin/inbox/index', { communityId: 'comm-peixin' });
    await pg.until(() => pg.hasId('inbox-item-19'), 'twenty inbox items');
    expect(pg.byId('inbox-item-0').textContent).toContain(SUGGESTION_TEXT);
    expect(pg.byId('inbox-item-0').textContent).toContain('已收到');
    const before = callsTo('suggestions.inbox').length;
    await pg.tap(pg.byId('inbox-status-replied'));
    await pg.until(() => callsTo('suggestions.inbox').length > before, 'a filtered inbox query');
    expect(callsTo('suggestions.inbox').at(-1)!.data.input).toMatchObject({ communityId: 'comm-peixin', status: 'replied' });
    await pg.until(() => pg.byId('inbox-item-0').textContent?.includes('已答复'), 'the filtered list');
    await pg.tap(pg.byId('inbox-item-0'));
    await pg.until(() => env.navigations.find((n) => n.url.startsWith('/packages/admin/detail/index?id=sug-canned-1')), 'navigation to the detail page');
    finish(pg);
  });

  test('detail: author, photos, timeline; a reply is sent and shows in the timeline', async () => {
    as('admin');
    const pg = await openPage('packages/admin/detail/index', { id: 'sug-canned-1', communityId: 'comm-peixin' });
    await pg.until(() => pg.hasId('reply-submit'), 'the reply form');
    expect(pg.byId('detail-author').textContent).toContain('李秀兰');
    expect(pg.text()).toContain('已收到');
    await pg.fire(pg.byId('reply-text').querySelector('wx-textarea') ?? pg.byId('reply-text'), 'input', { value: REPLY_TEXT, cursor: 0 });
    await pg.tap(pg.byId('reply-submit'));
    await pg.until(() => pg.byId('detail-timeline').textContent?.includes(REPLY_TEXT), 'the reply in the timeline');
    expect(callsTo('suggestions.reply').at(-1)!.data.input).toEqual({ id: 'sug-canned-1', text: REPLY_TEXT });
    expect(pg.text()).toContain('已答复');
    finish(pg);
  });

  test('invite: creating an invitation shows the code', async () => {
    as('admin');
    const pg = await openPage('packages/admin/invite/index', { communityId: 'comm-peixin' });
    await pg.until(() => pg.hasId('invite-create'), 'the invite form');
    await pg.tap(pg.byId('invite-create'));
    await pg.until(() => pg.hasId('invite-code'), 'the invitation code');
    expect(pg.byId('invite-code').textContent).toContain('ABC12345');
    finish(pg);
  });

  test('stats: a district admin sees counts per community, no personal data', async () => {
    as('district');
    const pg = await openPage('packages/admin/stats/index', { regionId: 'dist-hanbin' });
    await pg.until(() => pg.hasId('stats-table'), 'the stats table');
    expect(pg.byId('stats-row-0').textContent).toContain('培新街社区');
    expect(pg.byId('stats-row-0').textContent).toContain('12');
    expect(pg.byId('stats-row-1').textContent).toContain('暂无');
    expect(pg.byId('stats-total').textContent).toContain('22');
    expect(pg.text()).not.toContain('李秀兰');
    finish(pg);
  });
});

/** Pages an area's own weapp test file opens (tests/weapp/<area>.test.ts), which checks their limits too. */
function pagesOpenedElsewhere(): Set<string> {
  const opened = new Set<string>();
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.ts') && f !== path.basename(__filename))) {
    const src = readFileSync(path.join(__dirname, file), 'utf8');
    for (const m of src.matchAll(/open(?:Page)?\(\s*'([\w/-]+\/index)'/g)) opened.add(m[1]!);
  }
  return opened;
}

test('every page of app.json is rendered by a weapp test, within the setData and node limits', () => {
  const elsewhere = pagesOpenedElsewhere();
  const missing = env.allPages().filter((p) => !metrics.has(p) && !elsewhere.has(p));
  expect({ pagesWithoutATest: missing }).toEqual({ pagesWithoutATest: [] });
  for (const m of metrics.values()) {
    expect(m.setDataCalls).toBeGreaterThan(0);
    expect(m.maxSetDataBytes).toBeLessThanOrEqual(SET_DATA_LIMIT);
    expect(m.nodes).toBeLessThan(NODE_LIMIT);
  }
});
