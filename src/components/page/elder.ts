/**
 * 长辈模式: on when WeChat's font setting is enlarged (fontSizeScaleFactor > 1) unless the person
 * switched it off by hand; a hand-set choice ('on' | 'off') is remembered and wins.
 */
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { KEYS, readStored, writeStored } from '../../client/storage';

const systemFontScale = (): number => {
  try {
    if (typeof Taro.getAppBaseInfo !== 'function') return 1;
    const f = Number((Taro.getAppBaseInfo() as { fontSizeScaleFactor?: number }).fontSizeScaleFactor);
    return Number.isFinite(f) && f > 0 ? f : 1;
  } catch {
    return 1;
  }
};

let manual: 'on' | 'off' | null | undefined;
let system: boolean | undefined;
const listeners = new Set<(on: boolean) => void>();

export const isElder = (): boolean => {
  if (manual === undefined) {
    const v = readStored<string>(KEYS.elder);
    manual = v === 'on' || v === 'off' ? v : null;
  }
  if (manual) return manual === 'on';
  if (system === undefined) system = systemFontScale() > 1;
  return system;
};

/** H5 toasts and modals are appended to <body>, outside every page root: the document carries elder mode for them. */
const markDocument = (on: boolean): void => {
  if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') document.documentElement.classList.toggle('elder-mode', on);
};

export const setElder = (on: boolean): void => {
  manual = on ? 'on' : 'off';
  markDocument(on);
  writeStored(KEYS.elder, manual);
  listeners.forEach((l) => l(on));
};

export const useElder = (): boolean => {
  const [on, setOn] = useState(isElder);
  useEffect(() => {
    listeners.add(setOn);
    setOn(isElder());
    markDocument(isElder());
    return () => {
      listeners.delete(setOn);
    };
  }, []);
  return on;
};
