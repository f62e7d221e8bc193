/**
 * Runs the Taro weapp build (dist/weapp) under miniprogram-simulate, without WeChat DevTools:
 * jsdom globals, a minimal `wx`, `App`/`getApp`, and a `Page` shim that registers each page as a
 * Component whose `attached` calls `onLoad`. See ../shared/TOOLCHAIN.md, "The weapp build without
 * WeChat DevTools". Layout, navigation and most `wx.*` APIs are not simulated.
 */
import fs from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import type * as Simulate from 'miniprogram-simulate';

export interface CloudCall {
  name: string;
  data: { action?: string; input?: unknown } & Record<string, unknown>;
}
/** Answers `wx.cloud.callFunction` with what the cloud function would return as `result`. */
export type CloudResponder = (call: CloudCall) => unknown;

export interface PageMetrics {
  page: string;
  /** Largest single setData payload, bytes of its JSON (UTF-8). */
  maxSetDataBytes: number;
  setDataCalls: number;
  /** Element nodes rendered for the page (the most seen at any check). */
  nodes: number;
  /** WXML templates the page asked for that the build lacks (the node renders blank in WeChat). */
  missingTemplates: string[];
}

export interface WeappEnv {
  simulate: typeof Simulate;
  dist: string;
  appJson: { pages: string[]; subPackages?: { root: string; pages: string[] }[]; subpackages?: { root: string; pages: string[] }[] };
  storage: Map<string, unknown>;
  cloudCalls: CloudCall[];
  /** navigateTo/redirectTo/reLaunch/… calls (navigation itself is not simulated). */
  navigations: { api: string; url: string }[];
  /** Mutable: per-test canned answers. */
  responder: { current: CloudResponder };
  /** Font scale that `wx.getAppBaseInfo` reports (1 = normal; WeChat's 长辈 setting gives > 1). */
  fontScale: { current: number };
  /** Every page of app.json, main package first, as paths without a leading slash. */
  allPages(): string[];
  /** Loads and renders a page; resolves once its first setData has landed. */
  openPage(page: string, query?: Record<string, string>): Promise<OpenedPage>;
  /** Errors the shim's console.error saw (Taro reports render failures there). */
  consoleErrors: string[];
  /** Nodes the WXML runtime could not render (`Template \`tmpl_0_x\` not found`): blank in WeChat too. */
  missingTemplates: Set<string>;
}

export interface OpenedPage {
  page: string;
  comp: Simulate.Component<any, any, any>;
  root: HTMLElement;
  metrics: PageMetrics;
  /** Visible text of the page, whitespace collapsed. */
  text(): string;
  /** Elements matching a CSS selector (tags are `wx-view`, `wx-button`, `wx-input`, …). */
  all(selector: string): HTMLElement[];
  /** The innermost element whose text contains `text` (optionally among `selector`); throws if none. */
  byText(text: string, selector?: string): HTMLElement;
  /** The element rendered for the node with this id (Taro's `id` prop); throws if none. */
  byId(id: string): HTMLElement;
  /** Whether a node with this id is rendered. */
  hasId(id: string): boolean;
  /** Fires a WeChat event (tap, input, change, …) at an element, as the renderer would, then settles. */
  fire(el: HTMLElement, type: string, detail?: Record<string, unknown>): Promise<void>;
  tap(el: HTMLElement): Promise<void>;
  /** Resolves once the page has stopped calling setData (renders are flushed); as a person's next tap would find it. */
  settle(): Promise<void>;
  /** Waits until `check()` is truthy, flushing timers/microtasks; fails with `what` after `timeoutMs`. */
  until<T>(check: () => T | null | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  detach(): void;
}

const jsonBytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v) ?? '', 'utf8');

let installed: WeappEnv | null = null;

/** Installs the globals once per jest worker (module registry is per test file) and requires app.js. */
export function installWeapp(dist: string): WeappEnv {
  if (installed) return installed;
  if (!fs.existsSync(path.join(dist, 'app.js'))) {
    throw new Error(`No weapp build at ${dist}: run \`npx taro build --type weapp\` first (npm test does).`);
  }
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
    url: 'https://servicewechat.com/shishi/page-frame.html',
    pretendToBeVisual: true,
  });
  const g = globalThis as any;
  const w = dom.window as any;
  // jsdom's own classes: j-component builds DOM nodes and miniprogram-simulate dispatches `new Event(...)`.
  for (const key of [
    'window', 'document', 'navigator', 'Node', 'Element', 'HTMLElement', 'Text', 'Comment', 'DocumentFragment',
    'Event', 'CustomEvent', 'MouseEvent', 'KeyboardEvent', 'TouchEvent', 'MutationObserver', 'getComputedStyle',
    'requestAnimationFrame', 'cancelAnimationFrame', 'HTMLInputElement', 'HTMLTextAreaElement', 'ShadowRoot',
  ]) {
    if (key === 'window') g.window = w;
    else if (w[key] !== undefined) g[key] = typeof w[key] === 'function' && /^[a-z]/.test(key) ? w[key].bind(w) : w[key];
  }

  const storage = new Map<string, unknown>();
  const cloudCalls: CloudCall[] = [];
  const navigations: { api: string; url: string }[] = [];
  const responder: { current: CloudResponder } = {
    current: (call) => ({ ok: false, error: { code: 'TEST.NO_CANNED_ANSWER', message: `测试未准备 ${call.name}.${String(call.data.action)} 的数据` } }),
  };
  const fontScale = { current: 1 };
  const consoleErrors: string[] = [];

  const ok = <T extends object>(name: string, extra?: T) => ({ errMsg: `${name}:ok`, ...(extra ?? {}) });
  /** wx-style async API: callbacks and a promise. */
  const asyncApi = <A extends Record<string, any>>(name: string, run: (opts: A) => object | Promise<object>) => (opts: A = {} as A) =>
    Promise.resolve()
      .then(() => run(opts))
      .then(
        (res) => {
          const r = ok(name, res);
          opts.success?.(r);
          opts.complete?.(r);
          return r;
        },
        (err: unknown) => {
          const e = { errMsg: `${name}:fail ${err instanceof Error ? err.message : String(err)}` };
          opts.fail?.(e);
          opts.complete?.(e);
          throw e;
        },
      );

  const systemInfo = () => ({
    brand: 'devtools', model: 'iPhone X', pixelRatio: 2, screenWidth: 375, screenHeight: 812, windowWidth: 375,
    windowHeight: 724, statusBarHeight: 44, language: 'zh_CN', version: '8.0.50', system: 'iOS 16.0', platform: 'devtools',
    fontSizeSetting: Math.round(16 * fontScale.current), fontSizeScaleFactor: fontScale.current, SDKVersion: '3.7.0',
    theme: 'light', safeArea: { left: 0, right: 375, top: 44, bottom: 778, width: 375, height: 734 },
  });

  // Merged over miniprogram-simulate's own mock `wx` when it is required below.
  g.wx = {
    getStorageSync: (k: string) => (storage.has(k) ? storage.get(k) : ''),
    setStorageSync: (k: string, v: unknown) => void storage.set(k, v),
    removeStorageSync: (k: string) => void storage.delete(k),
    clearStorageSync: () => storage.clear(),
    getStorage: asyncApi<{ key: string }>('getStorage', ({ key }) => {
      if (!storage.has(key)) throw new Error('data not found');
      return { data: storage.get(key) };
    }),
    setStorage: asyncApi<{ key: string; data: unknown }>('setStorage', ({ key, data }) => (storage.set(key, data), {})),
    removeStorage: asyncApi<{ key: string }>('removeStorage', ({ key }) => (storage.delete(key), {})),
    getSystemInfoSync: systemInfo,
    getSystemInfo: asyncApi('getSystemInfo', systemInfo),
    getWindowInfo: () => systemInfo(),
    getDeviceInfo: () => systemInfo(),
    getAppBaseInfo: () => systemInfo(),
    getSystemSetting: () => ({ deviceOrientation: 'portrait' }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'wx-test', envVersion: 'develop', version: '' } }),
    getLaunchOptionsSync: () => ({ path: 'pages/index/index', query: {}, scene: 1001 }),
    getEnterOptionsSync: () => ({ path: 'pages/index/index', query: {}, scene: 1001 }),
    showToast: asyncApi('showToast', () => ({})),
    showLoading: asyncApi('showLoading', () => ({})),
    hideLoading: asyncApi('hideLoading', () => ({})),
    showModal: asyncApi('showModal', () => ({ confirm: true, cancel: false })),
    navigateTo: asyncApi<{ url: string }>('navigateTo', ({ url }) => (navigations.push({ api: 'navigateTo', url }), {})),
    redirectTo: asyncApi<{ url: string }>('redirectTo', ({ url }) => (navigations.push({ api: 'redirectTo', url }), {})),
    switchTab: asyncApi<{ url: string }>('switchTab', ({ url }) => (navigations.push({ api: 'switchTab', url }), {})),
    reLaunch: asyncApi<{ url: string }>('reLaunch', ({ url }) => (navigations.push({ api: 'reLaunch', url }), {})),
    navigateBack: asyncApi('navigateBack', () => (navigations.push({ api: 'navigateBack', url: '' }), {})),
    makePhoneCall: asyncApi('makePhoneCall', () => ({})),
    // Present so Taro binds them (it binds the APIs `wx` has at start-up); a test replaces them to pick and read a file.
    chooseMessageFile: asyncApi('chooseMessageFile', () => {
      throw new Error('chooseMessageFile:fail cancel');
    }),
    scanCode: asyncApi('scanCode', () => {
      throw new Error('scanCode:fail cancel');
    }),
    getFileSystemManager: () => ({ readFile: (o: any) => o.fail?.({ errMsg: 'readFile:fail not simulated' }) }),
    setClipboardData: asyncApi('setClipboardData', () => ({})),
    stopPullDownRefresh: asyncApi('stopPullDownRefresh', () => ({})),
    setNavigationBarTitle: asyncApi('setNavigationBarTitle', () => ({})),
    chooseMedia: asyncApi('chooseMedia', () => ({
      type: 'image',
      tempFiles: [{ tempFilePath: 'wxfile://tmp/photo-1.jpg', size: 2048, fileType: 'image', width: 4, height: 4 }],
    })),
    chooseImage: asyncApi('chooseImage', () => ({
      tempFilePaths: ['wxfile://tmp/photo-1.jpg'],
      tempFiles: [{ path: 'wxfile://tmp/photo-1.jpg', size: 2048 }],
    })),
    compressImage: asyncApi<{ src: string }>('compressImage', ({ src }) => ({ tempFilePath: src })),
    getFileInfo: asyncApi<{ filePath: string }>('getFileInfo', () => ({ size: 1024, digest: '' })),
    getImageInfo: asyncApi<{ src: string }>('getImageInfo', ({ src }) => ({ width: 4, height: 4, path: src, type: 'jpeg' })),
    cloud: {
      init: () => undefined,
      callFunction: asyncApi<CloudCall>('cloud.callFunction', async ({ name, data }) => {
        const call = { name, data };
        cloudCalls.push(call);
        return { result: await responder.current(call), requestID: `req-${cloudCalls.length}` };
      }),
      uploadFile: (opts: any) => {
        const fileID = `cloud://test-env.7465-test-env-1/${opts.cloudPath ?? 'upload.jpg'}`;
        const p = asyncApi('cloud.uploadFile', () => ({ fileID, statusCode: 200 }))(opts);
        // An UploadTask-like object that is also awaitable, as wx's is.
        return Object.assign(p, { onProgressUpdate: (cb: (e: object) => void) => cb({ progress: 100, totalBytesSent: 2048, totalBytesExpectedToSend: 2048 }), abort() {} });
      },
      getTempFileURL: asyncApi<{ fileList: string[] }>('cloud.getTempFileURL', ({ fileList }) => ({
        fileList: fileList.map((fileID) => ({ fileID, tempFileURL: `https://example.invalid/${encodeURIComponent(fileID)}`, status: 0 })),
      })),
    },
  };

  const missingTemplates = new Set<string>();
  const origWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    const m = /Template `([^`]+)` not found/.exec(String(args[0]));
    if (m) {
      missingTemplates.add(m[1]!);
      if (!loading.metrics.missingTemplates.includes(m[1]!)) loading.metrics.missingTemplates.push(m[1]!);
      return;
    }
    origWarn(...args);
  };
  const origError = console.error;
  console.error = (...args: unknown[]) => {
    consoleErrors.push(args.map((a) => (a instanceof Error ? a.stack ?? a.message : String(a))).join(' '));
    origError(...args);
  };

  // Required after the globals: it registers global.Component and merges its mock wx under ours.
  // jest's require, not node's: the build must run in this test's sandbox, where the globals above live.
  const simulate = require('miniprogram-simulate') as typeof Simulate;
  const exparser = require('miniprogram-exparser');
  const simulateComponent = g.Component as (def: object) => void;

  let app: any = null;
  const pageStack: any[] = [];
  g.App = (config: any) => {
    app = config;
    config.onLaunch?.call(config, { path: 'pages/index/index', query: {}, scene: 1001 });
    config.onShow?.call(config, { path: 'pages/index/index', query: {}, scene: 1001 });
  };
  g.getApp = () => app;
  g.getCurrentPages = () => pageStack.slice();

  // What the next Page() call belongs to; set by openPage before simulate.load runs the page's js.
  const loading: { route: string; query: Record<string, string>; metrics: PageMetrics; onFirstData: () => void } = {
    route: '', query: {}, metrics: { page: '', maxSetDataBytes: 0, setDataCalls: 0, nodes: 0, missingTemplates: [] }, onFirstData: () => {},
  };

  g.Page = (config: Record<string, any>) => {
    const methods: Record<string, Function> = {};
    for (const [k, v] of Object.entries(config)) if (typeof v === 'function') methods[k] = v;
    simulateComponent({
      data: config.data ?? {},
      methods,
      lifetimes: {
        attached(this: any) {
          // Read at attach time: a page's js runs once (webpack chunks do not re-run), its component is reused.
          const { route, query, metrics, onFirstData } = loading;
          this.route = this.__route__ = route;
          this.options = query;
          const setData = this.setData.bind(this);
          this.setData = (data: Record<string, unknown>, cb?: () => void) => {
            metrics.setDataCalls += 1;
            metrics.maxSetDataBytes = Math.max(metrics.maxSetDataBytes, jsonBytes(data));
            setData(data, cb);
            onFirstData();
          };
          pageStack.push(this);
          this.onLoad?.(query);
          this.onShow?.();
        },
        ready(this: any) {
          this.onReady?.();
        },
        detached(this: any) {
          this.onHide?.();
          this.onUnload?.();
          const i = pageStack.indexOf(this);
          if (i >= 0) pageStack.splice(i, 1);
        },
      },
    });
  };

  const appJson = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8'));
  require(path.join(dist, 'app.js'));
  if (!app) throw new Error('dist/weapp/app.js ran but never called App(): the app entry did not start.');

  const allPages = () => {
    const subs = appJson.subPackages ?? appJson.subpackages ?? [];
    return [...appJson.pages, ...subs.flatMap((s: { root: string; pages: string[] }) => s.pages.map((p) => path.posix.join(s.root, p)))];
  };

  const flush = () => new Promise<void>((r) => setTimeout(r, 0));

  const componentIds = new Map<string, string>();

  async function openPage(page: string, query: Record<string, string> = {}): Promise<OpenedPage> {
    const metrics: PageMetrics = { page, maxSetDataBytes: 0, setDataCalls: 0, nodes: 0, missingTemplates: [] };
    let firstData!: () => void;
    const gotFirstData = new Promise<void>((r) => (firstData = r));
    Object.assign(loading, { route: page, query, metrics, onFirstData: firstData });
    if (!fs.existsSync(path.join(dist, `${page}.json`))) {
      throw new Error(`${page}: ${path.join(dist, page)}.json is missing from the weapp build (app.json lists it; was dist/weapp rebuilt while the tests ran?)`);
    }
    let id = componentIds.get(page);
    if (!id) {
      id = simulate.load(path.join(dist, page), { rootPath: dist });
      componentIds.set(page, id);
    }
    const comp = simulate.render(id) as Simulate.RootComponent<any, any, any>;
    const parent = document.createElement('div');
    document.body.appendChild(parent);
    comp.attach(parent);
    const root = comp.dom as HTMLElement;
    const countNodes = () => {
      metrics.nodes = Math.max(metrics.nodes, root.querySelectorAll('*').length + 1);
    };

    const until = async <T,>(check: () => T | null | undefined | false, what: string, timeoutMs = 3000): Promise<T> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = check();
        if (v) {
          countNodes();
          return v;
        }
        if (Date.now() > deadline) {
          throw new Error(`${page}: timed out after ${timeoutMs} ms waiting for ${what}.\nPage text: ${text().slice(0, 600)}\nconsole.error: ${consoleErrors.slice(-3).join('\n') || '(none)'}`);
        }
        await flush();
      }
    };
    const text = () => (root.textContent ?? '').replace(/\s+/g, ' ').trim();
    const all = (selector: string) => Array.from(root.querySelectorAll<HTMLElement>(selector));
    const byText = (needle: string, selector = '*') => {
      const hits = all(selector).filter((el) => (el.textContent ?? '').includes(needle));
      const innermost = hits.filter((el) => !hits.some((other) => other !== el && el.contains(other)));
      if (!innermost[0]) throw new Error(`${page}: no ${selector === '*' ? 'element' : selector} with text "${needle}".\nPage text: ${text().slice(0, 600)}`);
      return innermost[0];
    };
    const findId = (id: string) => all('*').find((el) => (el as any).__wxElement?.id === id) ?? null;
    const hasId = (id: string) => findId(id) !== null;
    const byId = (id: string) => {
      const el = findId(id);
      if (!el) throw new Error(`${page}: no node with id "${id}".\nPage text: ${text().slice(0, 600)}`);
      return el;
    };
    const settle = async () => {
      const deadline = Date.now() + 3000;
      let calls = -1;
      let quiet = 0;
      // Quiet for three macrotask turns: React's scheduler and Taro's setData batching have run.
      while (quiet < 3 && Date.now() < deadline) {
        await flush();
        if (metrics.setDataCalls === calls) quiet++;
        else {
          calls = metrics.setDataCalls;
          quiet = 0;
        }
      }
      countNodes();
    };
    const fire = async (el: HTMLElement, type: string, detail: Record<string, unknown> = {}) => {
      const node = (el as any).__wxElement;
      if (!node) throw new Error(`${page}: <${el.tagName.toLowerCase()}> is not a rendered WeChat node`);
      // What j-component's Component#dispatchEvent does, from any node (also inside nested comps).
      const original = new CustomEvent(type, { detail });
      el.dispatchEvent(original);
      exparser.Event.dispatchEvent(
        node,
        exparser.Event.create(type, detail, { originalEvent: original, bubbles: true, capturePhase: true, composed: true, extraFields: { touches: {}, changedTouches: {} } }),
      );
      await settle();
    };
    const tap = (el: HTMLElement) => fire(el, 'tap', { x: 0, y: 0 });

    await until(() => metrics.setDataCalls > 0 || null, 'the first setData (the page did not render)');
    await gotFirstData;
    countNodes();
    return {
      page,
      comp,
      root,
      metrics,
      text,
      until,
      all,
      byText,
      byId,
      hasId,
      fire,
      tap,
      settle,
      detach: () => {
        countNodes();
        comp.detach();
        parent.remove();
      },
    };
  }

  installed = { simulate, dist, appJson, storage, cloudCalls, navigations, responder, fontScale, allPages, openPage, consoleErrors, missingTemplates };
  return installed;
}
