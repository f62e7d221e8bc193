import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createReadStream, promises as fsp } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { AppError, ErrorCodes, isAppError, type ErrorBody, type Result } from '../lib/errors';
import type { Services } from './action';
import { areas } from './areas';
import { dispatch } from './dispatch';
import { newId } from './ids';
import { createSessionVerifier, signSession } from './identity';
import { verifyFileUrl } from './files/signed-url';
import { checkUploadBytes, FileErrors, MAX_PHOTO_BYTES } from './files/photos';
import { checkImportBytes, IMPORT_FOLDER } from './files/imports';
import { DEMO_NEWCOMER_OPENID, DEMO_PEOPLE, DEMO_STORY_PEOPLE } from './demo/demo-data';

/**
 * The local host: the cloud functions' transport on a laptop, in tests and in CI.
 * POST /fn/<area> takes the same `{ action, input }` event a cloud function receives.
 */
export interface HostOptions {
  services: Services;
  /** HMAC secret for session tokens and signed file URLs. */
  secret: string;
  demoMode: boolean;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The H5 build (dist/h5); static serving is off without it. */
  staticDir?: string;
}

export interface RunningHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const FN_BODY_LIMIT = 100 * 1024;
export const UPLOAD_LIMIT = MAX_PHOTO_BYTES;

const AREA_RE = /^[a-z][a-zA-Z0-9_-]{0,40}$/;
const FOLDER_RE = /^[a-z]{1,32}$/;
const DEMO_OPENID_RE = /^demo-[a-z0-9-]{1,40}$/;

/** HTTP status for an error code; the body always carries the code itself. */
export function statusFor(code: string): number {
  if (code.endsWith('.TOO_LARGE')) return 413;
  if (code === 'INPUT.CONTENT_TYPE') return 415;
  if (code.startsWith('INPUT.')) return 400;
  if (code === ErrorCodes.UNAUTHENTICATED) return 401;
  if (code === ErrorCodes.FORBIDDEN) return 403;
  if (code === ErrorCodes.UNKNOWN_ACTION || code === ErrorCodes.NOT_FOUND || code.endsWith('.NOT_FOUND')) return 404;
  if (code === 'HTTP.METHOD') return 405;
  if (code === ErrorCodes.CONFLICT || code === ErrorCodes.DUPLICATE || /\.ALREADY_/.test(code)) return 409;
  if (code === ErrorCodes.INTERNAL) return 500;
  return 422;
}

/** Per-request facts for the one log line; never bodies or personal data. */
interface Exchange {
  requestId: string;
  route: string;
  code?: string;
  action?: string;
}

const fail = (code: string, message: string): AppError => new AppError(code, message);

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Build output with a content hash in its name never changes: cache it for a year. */
const HASHED = /[.-][0-9a-f]{8,}\.[a-z0-9]+$/i;

export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const { services, secret, demoMode } = opts;
  const staticRoot = opts.staticDir ? resolve(opts.staticDir) : null;

  const sendJson = (res: ServerResponse, status: number, body: unknown, ex: Exchange) => {
    // A string body goes out in one write with the headers, encoded straight into the socket's
    // buffer (no intermediate Buffer).
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      'X-Request-Id': ex.requestId,
    });
    res.end(text);
  };

  const sendResult = (res: ServerResponse, result: Result<unknown>, ex: Exchange) => {
    if (result.ok) return sendJson(res, 200, result, ex);
    ex.code = result.error.code;
    return sendJson(res, statusFor(result.error.code), result, ex);
  };

  const sendError = (res: ServerResponse, err: AppError, ex: Exchange) => {
    const error: ErrorBody = { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) };
    sendResult(res, { ok: false, error }, ex);
  };

  const verifySession = createSessionVerifier(secret);
  const identityOf = (req: IncomingMessage): { openid: string } | null | 'invalid' => {
    const header = req.headers.authorization;
    if (!header) return null;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return 'invalid';
    return verifySession(m[1]!, services.now()) ?? 'invalid';
  };

  /** Reads the body, stopping as soon as it passes `limit` (the rest is never buffered). */
  const readBody = (req: IncomingMessage, limit: number, tooLarge: () => AppError): Promise<Buffer> =>
    new Promise((ok, ko) => {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) return ko(tooLarge());
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          req.off('data', onData);
          req.off('end', onEnd);
          ko(tooLarge());
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = () => ok(Buffer.concat(chunks, size));
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', ko);
    });

  const bodyTooLarge = () => fail('INPUT.TOO_LARGE', `请求内容过大（上限 ${FN_BODY_LIMIT / 1024} KB）`);
  const photoTooLarge = () => fail(FileErrors.TOO_LARGE, `图片不能超过 ${UPLOAD_LIMIT / 1024 / 1024} MB`);

  /**
   * After refusing a body we have not read, answer, then let the client finish sending a little
   * (so it can read the answer) before dropping the connection.
   */
  const refuseBody = (req: IncomingMessage, res: ServerResponse) => {
    res.shouldKeepAlive = false;
    res.setHeader('Connection', 'close');
    let drained = 0;
    req.on('data', (c: Buffer) => {
      drained += c.length;
      if (drained > UPLOAD_LIMIT) req.socket.destroy();
    });
    req.resume();
    const timer = setTimeout(() => req.socket.destroy(), 2000);
    timer.unref();
    req.socket.once('close', () => clearTimeout(timer));
  };

  const isJson = (req: IncomingMessage) => /^application\/json(\s*;.*)?$/i.test(req.headers['content-type'] ?? '');

  async function handleFn(req: IncomingMessage, res: ServerResponse, area: string, ex: Exchange) {
    ex.route = `/fn/${AREA_RE.test(area) ? area : ':area'}`;
    if (req.method !== 'POST') throw fail('HTTP.METHOD', '请使用 POST 方法');
    if (!isJson(req)) throw fail('INPUT.CONTENT_TYPE', '请求内容类型必须是 application/json');
    const who = identityOf(req);
    if (who === 'invalid') throw fail(ErrorCodes.UNAUTHENTICATED, '登录已失效，请重新登录');
    const raw = await readBody(req, FN_BODY_LIMIT, bodyTooLarge);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw fail(ErrorCodes.INPUT_INVALID, '请求内容不是有效的 JSON');
    }
    const action = (body as { action?: unknown } | null)?.action;
    if (typeof action === 'string' && AREA_RE.test(action)) ex.action = action;
    const result = await dispatch(areas, area, body, who, services, ex.requestId);
    sendResult(res, result, ex);
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL, ex: Exchange) {
    ex.route = '/files';
    const who = identityOf(req);
    if (!who || who === 'invalid') throw fail(ErrorCodes.UNAUTHENTICATED, '请先登录');
    const folder = url.searchParams.get('folder') ?? '';
    if (!FOLDER_RE.test(folder)) throw fail(ErrorCodes.INPUT_INVALID, '上传目录名称有误');
    const bytes = await readBody(req, UPLOAD_LIMIT, photoTooLarge);
    // Ledger spreadsheets go to their own folder; everything else must be a photo.
    const { contentType, ext } = folder === IMPORT_FOLDER ? checkImportBytes(bytes) : checkUploadBytes(bytes);
    const stored = await services.files.put(bytes, { ownerOpenid: who.openid, contentType, ext, folder });
    const urls = await services.files.urls([stored.fileId]);
    sendJson(res, 200, { ok: true, data: { fileId: stored.fileId, url: urls[stored.fileId] } }, ex);
  }

  async function handleDownload(req: IncomingMessage, res: ServerResponse, rawId: string, url: URL, ex: Exchange) {
    ex.route = '/files/:id';
    if (req.method !== 'GET' && req.method !== 'HEAD') throw fail('HTTP.METHOD', '请使用 GET 方法');
    let fileId: string;
    try {
      fileId = decodeURIComponent(rawId);
    } catch {
      throw fail(ErrorCodes.FORBIDDEN, '文件链接无效或已过期');
    }
    const exp = url.searchParams.get('exp') ?? '';
    const sig = url.searchParams.get('sig') ?? '';
    const now = services.now();
    if (!fileId || !exp || !sig || !verifyFileUrl(fileId, exp, sig, secret, now)) {
      throw fail(ErrorCodes.FORBIDDEN, '文件链接无效或已过期');
    }
    const meta = await services.files.stat(fileId);
    const bytes = meta ? await services.files.read(fileId) : null;
    if (!meta || !bytes) throw fail('FILE.NOT_FOUND', '文件不存在');
    // The URL expires; so does the cached copy.
    const maxAge = Math.max(0, Math.min(86400, Math.floor(Number(exp) - now.getTime() / 1000)));
    res.writeHead(200, {
      'Content-Type': meta.contentType,
      'Content-Length': bytes.length,
      'Cache-Control': `private, max-age=${maxAge}, immutable`,
      'X-Content-Type-Options': 'nosniff',
      // Photos display in place; anything else (exports) downloads.
      'Content-Disposition': meta.contentType.startsWith('image/') ? 'inline' : 'attachment',
      ETag: `"${fileId.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      'X-Request-Id': ex.requestId,
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  function handleDemoPeople(ex: Exchange, res: ServerResponse) {
    ex.route = '/auth/demo-people';
    const people = [...Object.values(DEMO_PEOPLE), ...Object.values(DEMO_STORY_PEOPLE)].map((p) => ({ openid: p.openid, name: p.name, label: p.label }));
    people.push({ openid: DEMO_NEWCOMER_OPENID, name: '新用户', label: '新用户 · 尚未加入社区' });
    sendJson(res, 200, { ok: true, data: { people } }, ex);
  }

  async function handleDemoLogin(req: IncomingMessage, res: ServerResponse, ex: Exchange) {
    ex.route = '/auth/demo';
    if (!isJson(req)) throw fail('INPUT.CONTENT_TYPE', '请求内容类型必须是 application/json');
    const raw = await readBody(req, 4 * 1024, bodyTooLarge);
    let openid: unknown;
    try {
      openid = (JSON.parse(raw.toString('utf8')) as { openid?: unknown } | null)?.openid;
    } catch {
      throw fail(ErrorCodes.INPUT_INVALID, '请求内容不是有效的 JSON');
    }
    // Demo sign-in can only become demo people, never an arbitrary (real) openid.
    if (typeof openid !== 'string' || !DEMO_OPENID_RE.test(openid)) throw fail(ErrorCodes.INPUT_INVALID, '请选择一位演示用户');
    sendJson(res, 200, { ok: true, data: { token: signSession(openid, secret, services.now()) } }, ex);
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, url: URL, ex: Exchange) {
    ex.route = 'static';
    if (!staticRoot) throw fail('ROUTE.NOT_FOUND', '页面不存在');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw fail('HTTP.METHOD', '请使用 GET 方法');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      throw fail('ROUTE.NOT_FOUND', '页面不存在');
    }
    if (path.includes('\0') || path.includes('\\')) throw fail('ROUTE.NOT_FOUND', '页面不存在');
    const target = resolve(staticRoot, '.' + path);
    if (target !== staticRoot && !target.startsWith(staticRoot + sep)) throw fail('ROUTE.NOT_FOUND', '页面不存在');

    let file = target;
    let stat = await fsp.stat(file).catch(() => null);
    if (stat?.isDirectory()) {
      file = resolve(file, 'index.html');
      stat = await fsp.stat(file).catch(() => null);
    }
    if (!stat?.isFile()) {
      // Client-side routes fall back to the app; a missing asset stays a 404.
      if (extname(path) && extname(path) !== '.html') throw fail('ROUTE.NOT_FOUND', '文件不存在');
      file = resolve(staticRoot, 'index.html');
      stat = await fsp.stat(file).catch(() => null);
      if (!stat?.isFile()) throw fail('ROUTE.NOT_FOUND', '页面不存在（H5 前端尚未构建：npm run build:h5）');
    }
    // Symlinks must not lead out of the build folder either.
    const real = await fsp.realpath(file);
    const realRoot = await fsp.realpath(staticRoot);
    if (!real.startsWith(realRoot + sep)) throw fail('ROUTE.NOT_FOUND', '页面不存在');

    const ext = extname(file).toLowerCase();
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const headers: Record<string, string | number> = {
      'Content-Type': MIME[ext] ?? 'application/octet-stream',
      'Cache-Control': ext === '.html' ? 'no-cache' : HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
      'X-Request-Id': ex.requestId,
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    headers['Content-Length'] = stat.size;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    await new Promise<void>((ok) => {
      const stream = createReadStream(file);
      stream.on('error', () => {
        res.destroy();
        ok();
      });
      stream.on('end', ok);
      stream.pipe(res);
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse, ex: Exchange) {
    // Origin-form only; concatenated (not resolved) so `//x/y` stays a path, not a host.
    const target = req.url ?? '/';
    if (!target.startsWith('/')) throw fail('ROUTE.NOT_FOUND', '接口不存在');
    const url = new URL(`http://host.invalid${target}`);
    const path = url.pathname;
    const api = path.startsWith('/fn/') || path === '/files' || path.startsWith('/files/') || path.startsWith('/auth/');

    // Bearer tokens, not cookies: letting a dev server on another port call us is safe.
    if (api) {
      res.setHeader('Access-Control-Allow-Origin', '*');
      if (req.method === 'OPTIONS') {
        ex.route = 'preflight';
        res.writeHead(204, {
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type',
          'Access-Control-Max-Age': '600',
        });
        return void res.end();
      }
    }

    if (path.startsWith('/fn/')) return handleFn(req, res, path.slice(4), ex);
    if (path === '/files') {
      ex.route = '/files';
      if (req.method !== 'POST') throw fail('HTTP.METHOD', '请使用 POST 方法上传');
      return handleUpload(req, res, url, ex);
    }
    if (path.startsWith('/files/')) return handleDownload(req, res, path.slice(7), url, ex);
    if (path === '/healthz') {
      ex.route = '/healthz';
      return sendJson(res, 200, { ok: true, data: { status: 'ok' } }, ex);
    }
    if (path === '/auth/demo-people' && demoMode && req.method === 'GET') return handleDemoPeople(ex, res);
    if (path === '/auth/demo' && demoMode && req.method === 'POST') return handleDemoLogin(req, res, ex);
    if (path.startsWith('/auth/')) {
      ex.route = '/auth/*';
      throw fail('ROUTE.NOT_FOUND', '接口不存在');
    }
    return handleStatic(req, res, url, ex);
  }

  const server = createServer({ keepAlive: true }, (req, res) => {
    const started = process.hrtime.bigint();
    const ex: Exchange = { requestId: newId(), route: 'unknown' };
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      services.log.info('request', {
        requestId: ex.requestId,
        method: req.method,
        route: ex.route,
        ...(ex.action ? { action: ex.action } : {}),
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        ...(ex.code ? { code: ex.code } : {}),
      });
    });
    route(req, res, ex).catch((e: unknown) => {
      const err = isAppError(e) ? e : null;
      if (!err) {
        services.log.error('host error', { requestId: ex.requestId, route: ex.route, error: e instanceof Error ? e.stack?.split('\n').slice(0, 6).join('\n') : String(e) });
      }
      if (res.headersSent) return void res.destroy();
      const appErr = err ?? new AppError(ErrorCodes.INTERNAL, `系统繁忙，请稍后重试（编号 ${ex.requestId}）`);
      // A refused large body may still be arriving; small leftovers are drained by node itself.
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (!req.complete && (appErr.code.endsWith('.TOO_LARGE') || !(declared <= FN_BODY_LIMIT))) refuseBody(req, res);
      sendError(res, appErr, ex);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;

  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(opts.port ?? 8787, host, () => {
      server.off('error', ko);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeIdleConnections();
        // Give in-flight requests a moment, then cut what is left.
        const t = setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 2000);
        t.unref();
      }),
  };
}
