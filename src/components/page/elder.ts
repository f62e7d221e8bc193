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

export const setElder = (on: boolean): void => {
  manual = on ? 'on' : 'off';
  writeStored(KEYS.elder, manual);
  listeners.forEach((l) => l(on));
};

export const useElder = (): boolean => {
  const [on, setOn] = useState(isElder);
  useEffect(() => {
    listeners.add(setOn);
    setOn(isElder());
    return () => {
      listeners.delete(setOn);
    };
  }, []);
  return on;
};
