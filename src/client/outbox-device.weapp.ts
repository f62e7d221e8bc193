/**
 * weapp: the outbox's photos are saved from their temp paths into the mini-program's user data folder
 * (temp files may be cleared when the app closes), and the network coming back is onNetworkStatusChange.
 */
import Taro from '@tarojs/taro';
import type { LocalImage } from './transport-types';

declare const wx: { env: { USER_DATA_PATH: string } };

const fs = () => Taro.getFileSystemManager();
const dir = () => `${wx.env.USER_DATA_PATH}/outbox`;

export const photoStore = {
  async keep(image: LocalImage, key: string): Promise<string> {
    try {
      fs().mkdirSync(dir(), true);
    } catch {
      // exists
    }
    const filePath = `${dir()}/${key}.jpg`;
    await new Promise<void>((resolve, reject) =>
      fs().saveFile({ tempFilePath: image.path, filePath, success: () => resolve(), fail: (e) => reject(e) }),
    );
    return filePath;
  },
  async image(ref: string): Promise<LocalImage> {
    const size = await new Promise<number>((resolve) =>
      fs().getFileInfo({ filePath: ref, success: (r) => resolve(r.size), fail: () => resolve(0) }),
    );
    return { path: ref, size };
  },
  async preview(ref: string): Promise<string> {
    return ref;
  },
  async drop(ref: string): Promise<void> {
    await new Promise<void>((resolve) => fs().unlink({ filePath: ref, success: () => resolve(), fail: () => resolve() }));
  },
};

export function onNetworkBack(fn: () => void): () => void {
  const cb = (r: { isConnected: boolean }) => {
    if (r.isConnected) fn();
  };
  try {
    Taro.onNetworkStatusChange(cb);
  } catch {
    // Not available (old base library): the outbox still sends on app open and by hand.
    return () => undefined;
  }
  return () => Taro.offNetworkStatusChange?.(cb);
}
