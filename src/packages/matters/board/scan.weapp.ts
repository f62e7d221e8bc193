import Taro from '@tarojs/taro';

/** WeChat: scan the meeting's attendance QR code with the camera. */
export const canScan = true;

/** The scanned text, or null when cancelled. */
export async function scanText(): Promise<string | null> {
  try {
    const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
    return r.result || null;
  } catch {
    return null;
  }
}
