/** H5 transport: HTTP to the local host (or a CloudBase HTTP access path at API_BASE). */
import Taro from '@tarojs/taro';
import { ApiError, fromBody, networkError } from './api-error';
import { getSession } from './session';
import type { LocalImage, Transport, UploadedFile } from './transport-types';

const TIMEOUT_MS = 20000;
const MAX_SIDE = 1600;
const JPEG_QUALITY = 0.82;

const authHeaders = (): Record<string, string> => {
  const s = getSession();
  return s ? { Authorization: `Bearer ${s.token}` } : {};
};

/** `{ ok, data } | { ok: false, error }` → data, or throw. */
const unwrap = (status: number, body: unknown): unknown => {
  if (body && typeof body === 'object' && 'ok' in body) {
    const b = body as { ok: boolean; data?: unknown; error?: Parameters<typeof fromBody>[0] };
    if (b.ok) return b.data;
    throw fromBody(b.error);
  }
  if (status === 401) throw new ApiError('AUTH.UNAUTHENTICATED', '请先登录');
  throw new ApiError('INTERNAL', '服务暂时不可用，请稍后再试');
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

export const postJson = async (path: string, payload: unknown, method: 'POST' | 'GET' = 'POST'): Promise<unknown> => {
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = ctl ? setTimeout(() => ctl.abort(), TIMEOUT_MS) : null;
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, {
      method,
      headers: method === 'POST' ? { 'Content-Type': 'application/json', ...authHeaders() } : authHeaders(),
      body: method === 'POST' ? JSON.stringify(payload) : undefined,
      signal: ctl?.signal,
    });
  } catch {
    throw networkError();
  } finally {
    if (timer) clearTimeout(timer);
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw networkError();
  }
  return unwrap(res.status, parseJson(text));
};

const loadImage = (src: string): Promise<HTMLImageElement> =>
  new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('decode'));
    img.src = src;
  });

const toJpeg = (canvas: HTMLCanvasElement): Promise<Blob | null> =>
  new Promise((resolve) => canvas.toBlob((b) => resolve(b), 'image/jpeg', JPEG_QUALITY));

const blobOf = async (image: LocalImage): Promise<Blob> => image.blob ?? (await (await fetch(image.path)).blob());

export const transport: Transport = {
  call: (area, action, input) => postJson(`/fn/${encodeURIComponent(area)}`, { action, input }),

  async chooseImages(count) {
    const res = await Taro.chooseImage({ count, sizeType: ['compressed'], sourceType: ['album', 'camera'] });
    return res.tempFiles.map((f) => ({
      path: f.path,
      size: f.size,
      blob: (f as { originalFileObj?: Blob }).originalFileObj,
    }));
  },

  async compress(image) {
    try {
      const original = await blobOf(image);
      const img = await loadImage(image.path);
      const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
      canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
      const ctx = canvas.getContext('2d');
      if (!ctx) return image;
      ctx.fillStyle = '#fff'; // transparent PNG areas become white, not black
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      const jpeg = await toJpeg(canvas);
      // Keep a small original JPEG rather than a larger re-encoding of it.
      if (!jpeg || (scale === 1 && original.type === 'image/jpeg' && jpeg.size >= original.size)) {
        return { ...image, blob: original, size: original.size };
      }
      return { path: URL.createObjectURL(jpeg), size: jpeg.size, blob: jpeg };
    } catch {
      return image;
    }
  },

  async upload(image, folder, onProgress) {
    const blob = await blobOf(image);
    return new Promise<UploadedFile>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${API_BASE}/files?folder=${encodeURIComponent(folder)}`);
      const headers = authHeaders();
      for (const k of Object.keys(headers)) xhr.setRequestHeader(k, headers[k] as string);
      xhr.setRequestHeader('Content-Type', blob.type || 'application/octet-stream');
      xhr.timeout = 60000;
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress(Math.min(99, Math.round((e.loaded / e.total) * 100)));
      };
      xhr.onload = () => {
        try {
          const data = unwrap(xhr.status, parseJson(xhr.responseText)) as UploadedFile;
          onProgress(100);
          resolve(data);
        } catch (e) {
          reject(e);
        }
      };
      xhr.onerror = () => reject(networkError());
      xhr.ontimeout = () => reject(networkError());
      xhr.send(blob);
    });
  },

  async openFile(url, fileName) {
    let res: Response;
    try {
      res = await fetch(url, { headers: authHeaders() });
    } catch {
      throw networkError();
    }
    if (!res.ok) throw new ApiError('FILE.DOWNLOAD_FAILED', '文件下载失败，请稍后再试');
    const href = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = href;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60000);
  },

  signInPage: '/pages/login/index',
};
