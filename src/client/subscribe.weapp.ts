/**
 * weapp: wx.requestSubscribeMessage. WeChat allows it only in a tap handler, so callers start it in
 * the tap itself (before any network wait); each accepted template allows one message.
 */
import Taro from '@tarojs/taro';

/** Asks consent for the given templates (key → template id); resolves to the accepted keys. */
export async function askConsent(templates: Record<string, string>): Promise<string[]> {
  const entries = Object.entries(templates);
  if (entries.length === 0) return [];
  try {
    const res = (await Taro.requestSubscribeMessage({ tmplIds: entries.map(([, id]) => id) } as Parameters<typeof Taro.requestSubscribeMessage>[0])) as unknown as Record<string, string>;
    return entries.filter(([, id]) => res[id] === 'accept').map(([key]) => key);
  } catch {
    // Declined for good, or the setting is off: the suggestion still goes in.
    return [];
  }
}
