import type { ContentSafety } from '../action';

/**
 * The local content-safety adapter: a small built-in list, matched on normalised text.
 * Production uses WeChat msgSecCheck (wechat.ts); this list only has to catch the obvious.
 */
interface Rule {
  /** Shown to the person, e.g. “赌博”. */
  category: string;
  /** Plain words are matched as substrings of the normalised text; patterns as written. */
  words?: string[];
  patterns?: RegExp[];
}

/**
 * Words are written already normalised (half-width, lower case, no spaces). The list aims at
 * ads and abuse rather than at mentions: “小区里有人聚众赌博” is a report residents must be able to send.
 */
export const RULES: Rule[] = [
  { category: '赌博', words: ['网赌', '博彩', '百家乐', '六合彩', '时时彩', '赌博网站', '线上赌场', '澳门赌场', '赌球'] },
  { category: '毒品', words: ['冰毒', '海洛因', '摇头丸', 'k粉', '麻古', '卖毒品', '出售毒品'], patterns: [/大麻(?!烦)/] },
  { category: '枪支弹药', words: ['卖枪', '出售枪支', '枪支弹药', '手枪', '仿真枪', '猎枪', '炸药', '雷管'] },
  { category: '虚假发票', words: ['代开发票', '发票代开', '代开票', '假发票', '代开增值税', '出售发票'] },
  {
    category: '广告引流',
    words: ['刷单', '兼职日结', '无抵押贷款', '秒批贷款', '信用卡套现', '裸聊'],
    // “加微信” followed by an account id is an ad; “请大家加微信群” is not.
    patterns: [/(加|\+|扫码加|联系)(微信|薇信|威信|v信|vx|wx|v|qq|扣扣)[:：]?[a-z0-9_-]{5,}/],
  },
  { category: '辱骂', words: ['傻逼', '傻b', '煞笔', '王八蛋', '狗日的', '操你', '草泥马', '他妈的', '贱人', '脑残', '滚你妈'] },
];

const SEPARATORS = /[\s\u200b-\u200d\u2060\ufeff*·•.,，。、_\-—~|\\/'"“”‘’!！?？]+/g;

/** Full-width → half-width (NFKC), lower case, spaces and filler punctuation removed: 代 开 发 票 → 代开发票. */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(SEPARATORS, '');
}

/** The first rule hit in `text`, or null. */
export function findHit(text: string): { category: string; fragment: string } | null {
  const n = normalise(text);
  for (const rule of RULES) {
    for (const w of rule.words ?? []) if (n.includes(w)) return { category: rule.category, fragment: w };
    for (const p of rule.patterns ?? []) {
      const m = p.exec(n);
      if (m) return { category: rule.category, fragment: m[0] };
    }
  }
  return null;
}

export const reasonFor = (hit: { category: string; fragment: string }): string =>
  `内容含有不适宜发布的信息（${hit.category}：“${hit.fragment}”），请修改后再提交`;

export function openWordListSafety(): ContentSafety {
  return {
    async check(text) {
      const hit = findHit(text);
      return hit ? { ok: false, reason: reasonFor(hit) } : { ok: true };
    },
  };
}
