import { AppError } from '../../lib/errors';
import type { ContentSafety } from '../action';

/**
 * Production content safety: WeChat msgSecCheck v2.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/msgSecCheck.html
 * Reached either through the cloud openapi (pass `call`) or HTTPS with an access token.
 */
export interface MsgSecCheckResponse {
  errcode?: number;
  errmsg?: string;
  result?: { suggest?: 'pass' | 'review' | 'risky'; label?: number };
}

export interface WechatSafetyOptions {
  /** Performs the call; defaults to HTTPS with `getAccessToken`. */
  call?: (body: MsgSecCheckBody) => Promise<MsgSecCheckResponse>;
  getAccessToken?: () => Promise<string>;
  /** 1 资料, 2 评论, 3 论坛, 4 社交日志. */
  scene?: 1 | 2 | 3 | 4;
  fetchFn?: typeof fetch;
}

export interface MsgSecCheckBody {
  content: string;
  version: 2;
  scene: number;
  openid: string;
}

const LABELS: Record<number, string> = {
  10001: '广告', 20001: '时政', 20002: '色情', 20003: '辱骂', 20006: '违法犯罪', 20008: '欺诈', 20012: '低俗', 20013: '版权', 21000: '其他',
};
const ENDPOINT = 'https://api.weixin.qq.com/wxa/msg_sec_check';
const MAX_CONTENT = 2500;

export function openWechatSafety(opts: WechatSafetyOptions): ContentSafety {
  const call =
    opts.call ??
    (async (body: MsgSecCheckBody) => {
      if (!opts.getAccessToken) throw new Error('msgSecCheck needs call or getAccessToken');
      const token = await opts.getAccessToken();
      const res = await (opts.fetchFn ?? fetch)(`${ENDPOINT}?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await res.json()) as MsgSecCheckResponse;
    });
  return {
    async check(text, openid) {
      const res = await call({ content: text.slice(0, MAX_CONTENT), version: 2, scene: opts.scene ?? 2, openid });
      if (res.errcode) throw new AppError('SAFETY.UNAVAILABLE', '内容安全检查暂时不可用，请稍后重试');
      // 'review' passes: every suggestion is read by community staff anyway.
      if (res.result?.suggest !== 'risky') return { ok: true };
      const label = LABELS[res.result.label ?? 21000] ?? '其他';
      return { ok: false, reason: `内容含有不适宜发布的信息（${label}），请修改后再提交` };
    },
  };
}
