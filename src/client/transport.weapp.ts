/** weapp transport: CloudBase functions and storage; the caller's identity comes from WeChat. */
import Taro from '@tarojs/taro';
import { ApiError, fromBody, networkError } from './api-error';
import { knownOpenid, rememberOpenid } from './session';
import type { Transport, UploadedFile } from './transport-types';

type Body = { ok: true; data: unknown } | { ok: false; error: Parameters<typeof fromBody>[0] };

const failure = (e: unknown): ApiError => {
  if (e instanceof ApiError) return e;
  const msg = String((e as { errMsg?: string } | null)?.errMsg ?? '');
  // Timeouts and lost connections are retryable; everything else is a service fault.
  if (/time ?out|timed out|network|offline|-50400[0-9]/i.test(msg)) return networkError();
  return new ApiError('INTERNAL', '服务暂时不可用，请稍后再试');
};

const call = async (area: string, action: string, input: unknown): Promise<unknown> => {
  let res: Taro.cloud.CallFunctionResult;
  try {
    res = await Taro.cloud.callFunction({ name: area, data: { action, input } });
  } catch (e) {
    throw failure(e);
  }
  const body = res.result as Body | undefined;
  if (!body || typeof body !== 'object' || !('ok' in body)) throw new ApiError('INTERNAL', '服务暂时不可用，请稍后再试');
  if (body.ok) return body.data;
  throw fromBody(body.error);
};

const ownOpenid = async (): Promise<string> => {
  const known = knownOpenid();
  if (known) return known;
  const me = (await call('members', 'me', {})) as { openid: string };
  rememberOpenid(me.openid);
  return me.openid;
};

const extOf = (path: string): string => {
  const m = /\.(jpe?g|png|webp)$/i.exec(path);
  return m ? m[1]!.toLowerCase().replace('jpeg', 'jpg') : 'jpg';
};

let seq = 0;

export const transport: Transport = {
  call,

  async chooseImages(count) {
    const res = await Taro.chooseImage({ count, sizeType: ['compressed'], sourceType: ['album', 'camera'] });
    return res.tempFiles.map((f) => ({ path: f.path, size: f.size }));
  },

  async compress(image) {
    try {
      const res = await Taro.compressImage({ src: image.path, quality: 80, compressedWidth: 1600 } as Taro.compressImage.Option);
      const info = await Taro.getFileInfo({ filePath: res.tempFilePath }).catch(() => null);
      const size = info && 'size' in info ? (info as { size: number }).size : image.size;
      return size < image.size ? { path: res.tempFilePath, size } : image;
    } catch {
      return image;
    }
  },

  async upload(image, folder, onProgress) {
    const openid = await ownOpenid();
    seq += 1;
    const cloudPath = `uploads/${openid}/${folder}/${Date.now()}-${seq}.${extOf(image.path)}`;
    return new Promise<UploadedFile>((resolve, reject) => {
      const task = Taro.cloud.uploadFile({
        cloudPath,
        filePath: image.path,
        success: (r) => {
          onProgress(100);
          resolve({ fileId: r.fileID, url: r.fileID });
        },
        fail: (e) => reject(failure(e)),
      });
      task?.onProgressUpdate?.((p) => onProgress(Math.min(99, p.progress)));
    });
  },

  async openFile(url, fileName) {
    const ext = (/\.(\w+)(?:\?|$)/.exec(fileName)?.[1] ?? 'xlsx') as Taro.openDocument.Option['fileType'];
    let filePath: string;
    try {
      if (url.startsWith('cloud://')) {
        filePath = (await Taro.cloud.downloadFile({ fileID: url })).tempFilePath;
      } else {
        const res = await Taro.downloadFile({ url });
        if (res.statusCode !== 200) throw new ApiError('FILE.DOWNLOAD_FAILED', '文件下载失败，请稍后再试');
        filePath = res.tempFilePath;
      }
    } catch (e) {
      throw failure(e);
    }
    await Taro.openDocument({ filePath, fileType: ext, showMenu: true });
  },

  signInPage: null,
};
