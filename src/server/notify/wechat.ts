/**
 * The CloudBase adapter: subscribeMessage.send through the platform's openapi call
 * (`/cgi-bin/message/subscribe/send`; no access token to manage). Values are cut to WeChat's
 * per-keyword limits (thing ≤ 20 characters, phrase ≤ 5, …), since a longer one fails the whole send.
 */
import type { Deliver } from './port';

export type OpenApiCall = (apiName: string, requestData: unknown) => Promise<{ errcode?: number; errmsg?: string } | undefined>;

const LIMITS: [RegExp, number][] = [
  [/^thing\d+$/, 20],
  [/^phrase\d+$/, 5],
  [/^name\d+$/, 10],
  [/^character_string\d+$/, 32],
  [/^number\d+$/, 32],
  [/^letter\d+$/, 32],
  [/^symbol\d+$/, 5],
  [/^car_number\d+$/, 8],
];

export function fitValue(keyword: string, value: string): string {
  const limit = LIMITS.find(([re]) => re.test(keyword))?.[1];
  const chars = [...value];
  if (limit === undefined || chars.length <= limit) return value;
  // Free text gets an ellipsis; codes and phrases (Chinese characters only) are cut.
  return /^(thing|name)\d+$/.test(keyword) ? `${chars.slice(0, limit - 1).join('')}…` : chars.slice(0, limit).join('');
}

export class WechatSendError extends Error {
  constructor(readonly errcode: number) {
    super(`subscribeMessage.send errcode ${errcode}`);
    this.name = 'WechatSendError';
  }
}

export const wechatDeliver = (call: OpenApiCall, state: 'developer' | 'trial' | 'formal' = 'formal'): Deliver => async (d) => {
  const data: Record<string, { value: string }> = {};
  for (const [k, v] of Object.entries(d.data)) data[k] = { value: fitValue(k, v) };
  const res = await call('/cgi-bin/message/subscribe/send', {
    touser: d.openid,
    template_id: d.templateId,
    ...(d.page ? { page: d.page } : {}),
    data,
    miniprogram_state: state,
    lang: 'zh_CN',
  });
  if (res?.errcode) throw new WechatSendError(res.errcode);
};
