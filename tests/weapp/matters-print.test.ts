/**
 * The poster of the final ten and the 公示 sheet under miniprogram-simulate (packages/matters). The board
 * offers 生成海报 only once the list is fixed; the poster is drawn on the Canvas 2d node that
 * createSelectorQuery finds (WeChat's canvas and its image export are stood in for here: a recording
 * context, a temp path), shown as an image and saved to the album — a refused album permission is
 * explained and leads to the settings. The 公示 page in WeChat offers the .xlsx to staff instead of printing.
 */
import { mattersContract, type PrintSheet, type SlateView } from '../../src/features/matters/matters.schema';
import { POSTER } from '../../src/features/matters/poster.rules';
import { membersContract } from '../../src/features/members/members.schema';
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import { useWeapp, type Answers } from './suite';

const COMM = REGION_IDS.peixin;
const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const TITLES = Array.from({ length: 10 }, (_, i) => (i === 1 ? '老旧楼栋楼道照明改造，2栋3单元和5栋的楼道灯长期损坏' : `第${i + 1}件实事`));
const wx = () => (globalThis as any).wx;

let stage: 'proposal' | 'publicity' | 'fixed' = 'fixed';
const slate = (): SlateView => ({
  communityId: COMM,
  year: YEAR,
  stage,
  items: stage === 'proposal' ? [] : TITLES.map((title, i) => ({ demandId: `dm-${i}`, title, supporters: 20 - i, reason: '群众呼声高' })),
  steps: [],
  withdrawn: 0,
  publicity: stage === 'proposal' ? null : { start: `${YEAR}-03-11T02:00:00.000Z`, end: `${YEAR}-03-18T02:00:00.000Z`, daysLeft: stage === 'fixed' ? 0 : 4 },
  objections: 0,
  unanswered: 0,
  fixedAt: stage === 'fixed' ? `${YEAR}-03-19T02:00:00.000Z` : null,
});
const sheet = (): PrintSheet => ({
  communityName: '培新街社区',
  year: YEAR,
  stage,
  items: slate().items.map((it, i) => ({ title: it.title, reason: it.reason, supporters: it.supporters, anonymous: 0, cost: i % 3 ? 2_000_000 : null })),
  steps: [
    { step: 'proposal', date: `${YEAR}-03-01` },
    { step: 'consultation', date: `${YEAR}-03-05` },
    { step: 'review', date: `${YEAR}-03-08` },
    { step: 'resolution', date: `${YEAR}-03-10` },
  ],
  publicity: slate().publicity,
  fixedAt: slate().fixedAt,
  today: `${YEAR}-03-20`,
});

const answers: Answers = {
  // 刘芳 administers 培新街社区 and lives there: the board (her resident grant) and the staff-only .xlsx.
  // (The page's `me` is cached for the file, as for a session: the residents' view is in tests/h5/print-poster.test.ts.)
  'members.me': () => {
    const p = DEMO_PEOPLE.adminPeixin;
    return { openid: p.openid, member: { _id: p.memberId, name: p.name, phoneMasked: '138****0004', grants: p.grants } };
  },
  'matters.getSlate': () => slate(),
  'matters.publicNotes': () => ({ objections: [], leftOut: [] }),
  'matters.printSheet': () => sheet(),
  'matters.exportSlate': () => ({ fileId: 'exports/slate.xlsx', url: 'https://example.invalid/slate.xlsx' }),
};

const weapp = useWeapp({
  contracts: { matters: mattersContract, members: membersContract },
  answers,
  where: 'tests/weapp/matters-print.test.ts',
  reset: () => {
    stage = 'fixed';
  },
  limits: true,
});
const calls = (action: string) => weapp.env.cloudCalls.filter((c) => c.name === 'matters' && c.data.action === action);

/** WeChat's side of the poster, stood in for: the canvas node the query finds, the export, the album. */
function standInCanvas() {
  const drawn: string[] = [];
  const ctx = {
    fillStyle: '' as unknown,
    font: '',
    textBaseline: '',
    textAlign: '',
    scale: (x: number, y: number) => drawn.push(`scale ${x},${y}`),
    fillRect: () => drawn.push('rect'),
    fillText: (t: string) => drawn.push(t),
    // One em per character at the current font's size: enough for the layout's wrapping.
    measureText: (t: string) => ({ width: [...t].length * Number(/(\d+)px/.exec(ctx.font)?.[1] ?? 16) }),
  };
  const node = { width: 300, height: 150, getContext: () => ctx };
  const used = { query: [] as string[], export: [] as unknown[], save: [] as string[], modal: [] as unknown[], settings: [] as unknown[], toast: [] as string[] };
  const keep = { ...wx() };
  const query: any = {
    select: (sel: string) => (used.query.push(sel), query),
    fields: () => query,
    exec: (cb: (r: unknown[]) => void) => setTimeout(() => cb([{ node }])),
  };
  wx().createSelectorQuery = () => query;
  const reply = (name: string, o: any, r: object | null, err?: string) =>
    setTimeout(() => {
      if (err) {
        o.fail?.({ errMsg: `${name}:fail ${err}` });
        o.complete?.({ errMsg: `${name}:fail ${err}` });
      } else {
        o.success?.({ errMsg: `${name}:ok`, ...r });
        o.complete?.({ errMsg: `${name}:ok`, ...r });
      }
    });
  wx().canvasToTempFilePath = (o: any) => (used.export.push(o), reply('canvasToTempFilePath', o, { tempFilePath: 'wxfile://tmp/poster.png' }));
  let album: string | undefined = 'auth deny';
  wx().saveImageToPhotosAlbum = (o: any) => (used.save.push(o.filePath), reply('saveImageToPhotosAlbum', o, {}, album));
  wx().showModal = (o: any) => (used.modal.push(o), reply('showModal', o, { confirm: true, cancel: false }));
  wx().openSetting = (o: any) => (used.settings.push(o), reply('openSetting', o, { authSetting: { 'scope.writePhotosAlbum': true } }));
  wx().showToast = (o: any) => (used.toast.push(o.title), reply('showToast', o, {}));
  return {
    node,
    drawn,
    used,
    allowAlbum: () => (album = undefined),
    restore: () => Object.assign(wx(), keep),
  };
}

describe('生成海报 on the board', () => {
  test('offered only once the list is fixed; the 公示 sheet is linked from 公示 on', async () => {
    const pg = await weapp.open('packages/matters/board/index');
    await pg.until(() => pg.hasId('poster-make'), 'the poster button');
    expect(pg.byId('poster-make').textContent).toContain('生成海报');
    expect(pg.byId('board-notice').textContent).toContain('查看清单公告');
    await pg.tap(pg.byId('board-notice'));
    expect(weapp.env.navigations.at(-1)).toEqual({ api: 'navigateTo', url: `/packages/matters/notice/index?communityId=${COMM}&year=${YEAR}` });

    stage = 'publicity';
    const pub = await weapp.open('packages/matters/board/index');
    await pub.until(() => pub.hasId('board-item-9'), 'the items');
    expect(pub.hasId('poster-make')).toBe(false);
    expect(pub.byId('board-notice').textContent).toContain('查看公示公告');

    stage = 'proposal';
    const early = await weapp.open('packages/matters/board/index');
    await early.until(() => early.text().includes('敬请关注'), 'the waiting note');
    expect(early.hasId('poster-make')).toBe(false);
    expect(early.hasId('board-notice')).toBe(false);
  });

  test('drawn on the Canvas 2d node at the device pixel ratio, shown as an image; a refused album permission is explained, then saved', async () => {
    const wxSide = standInCanvas();
    try {
      const pg = await weapp.open('packages/matters/board/index');
      await pg.until(() => pg.hasId('poster-make'), 'the poster button');
      await pg.tap(pg.byId('poster-make'));
      await pg.until(() => pg.hasId('poster-image'), 'the poster image');
      expect(wxSide.used.query).toEqual(['#poster-canvas']);
      // 750 poster px at the simulated pixel ratio 2.
      expect(wxSide.node.width).toBe(POSTER.width * 2);
      expect(wxSide.node.height).toBeGreaterThan(1000 * 2);
      expect(wxSide.drawn[0]).toBe('scale 2,2');
      for (let i = 1; i <= 10; i++) expect(wxSide.drawn).toContain(`${i}.`);
      expect(wxSide.drawn.join('')).toContain(TITLES[1]);
      expect((wxSide.used.export[0] as { canvas: unknown; fileType: string }).canvas).toBe(wxSide.node);
      // The image's src is in the page's rendered data (wx-image does not reflect it as an attribute here).
      expect(JSON.stringify(pg.comp.data)).toContain('wxfile://tmp/poster.png');
      expect(pg.hasId('poster-canvas')).toBe(false);

      // Album permission refused: explained in Chinese, and the settings page offered.
      expect(pg.byId('poster-save').textContent).toContain('保存到相册');
      await pg.tap(pg.byId('poster-save'));
      await pg.until(() => wxSide.used.toast.length > 0, 'the refusal toast');
      expect(wxSide.used.save).toEqual(['wxfile://tmp/poster.png']);
      expect(wxSide.used.modal).toEqual([expect.objectContaining({ title: '需要相册权限', confirmText: '去设置' })]);
      expect(wxSide.used.settings).toHaveLength(1);
      expect(wxSide.used.toast).toEqual(['未获得相册权限，海报未保存']);

      // Allowed in the settings: the next tap saves.
      wxSide.allowAlbum();
      await pg.tap(pg.byId('poster-save'));
      await pg.until(() => wxSide.used.toast.length > 1, 'the saved toast');
      expect(wxSide.used.toast.at(-1)).toBe('海报已保存');
    } finally {
      wxSide.restore();
    }
  });
});

describe('实事公示 in WeChat', () => {
  test('the sheet with its items and dates; no print button; staff get the .xlsx instead', async () => {
    const downloads: string[] = [];
    const opened: string[] = [];
    const keep = { downloadFile: wx().downloadFile, openDocument: wx().openDocument };
    wx().downloadFile = (o: any) => {
      downloads.push(o.url);
      setTimeout(() => o.success?.({ errMsg: 'downloadFile:ok', statusCode: 200, tempFilePath: 'wxfile://tmp/slate.xlsx' }));
      return { onProgressUpdate() {}, abort() {} };
    };
    wx().openDocument = (o: any) => {
      opened.push(o.filePath);
      setTimeout(() => o.success?.({ errMsg: 'openDocument:ok' }));
    };
    try {
      const pg = await weapp.open('packages/matters/notice/index', { communityId: COMM, year: String(YEAR) });
      await pg.until(() => pg.hasId('notice-item-9'), 'the sheet');
      expect(pg.byId('notice-title').textContent).toBe(`培新街社区${YEAR}年十件实事清单`);
      expect(pg.byId('notice-item-1').textContent).toContain('2万元');
      expect(pg.byId('notice-item-0').textContent).toContain('待估算');
      expect(pg.byId('notice-sign').textContent).toContain('培新街社区居民委员会');
      expect(pg.hasId('notice-print')).toBe(false);
      expect(pg.text()).toContain('小程序内不能直接打印');
      await pg.tap(pg.byId('notice-xlsx'));
      await pg.until(() => opened.length > 0, 'the opened document');
      expect(calls('exportSlate').at(-1)!.data.input).toEqual({ communityId: COMM, year: YEAR });
      expect(downloads).toEqual(['https://example.invalid/slate.xlsx']);
      expect(calls('printSheet').at(-1)!.data.input).toEqual({ communityId: COMM, year: YEAR });
    } finally {
      Object.assign(wx(), keep);
    }
  });
});
