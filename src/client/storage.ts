import Taro from '@tarojs/taro';

/** Storage keys the app owns (tests read and write some of them; see tests/h5/UI-MAP.md). */
export const KEYS = {
  session: 'shishi.session',
  elder: 'shishi.elder',
  role: 'shishi.role',
} as const;

export const readStored = <T>(key: string): T | null => {
  try {
    const v = Taro.getStorageSync(key) as T | '' | undefined;
    return v === '' || v === undefined ? null : (v as T);
  } catch {
    return null;
  }
};

export const writeStored = (key: string, value: unknown): void => {
  try {
    if (value === null || value === undefined) Taro.removeStorageSync(key);
    else Taro.setStorageSync(key, value);
  } catch {
    // Storage full or unavailable: preferences are best effort.
  }
};
