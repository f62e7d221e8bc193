/** The poster's pure layout: wrapping by measured width, ten items fit, long titles wrap, nothing runs past the right margin. */
import { drawPoster, layoutPoster, POSTER, wrapText, type Ctx2D, type Measure, type TextOp } from '../../src/features/matters/poster.rules';

/** A stand-in for measureText: CJK and full-width marks one em, Latin letters and digits 0.55 em. */
const measure: Measure = (text, font) => {
  const size = Number(/(\d+)px/.exec(font)![1]);
  return [...text].reduce((w, ch) => w + (/[\x20-\x7e]/.test(ch) ? 0.55 : 1) * size, 0);
};
const F = '20px sans-serif';

describe('wrapText', () => {
  test.each([
    ['fits on one line', '楼道照明', 100, ['楼道照明']],
    ['breaks between characters at the width', '一二三四五六七', 100, ['一二三四五', '六七']],
    ['exactly the width stays on one line', '一二三四五', 100, ['一二三四五']],
    ['a closing mark never starts a line: it takes the character before along', '一二三四五，六', 100, ['一二三四', '五，六']],
    ['an opening mark never ends a line', '一二三四（五六', 100, ['一二三四', '（五六']],
    ['Latin and digit runs stay whole', '更换LED灯12盏', 100, ['更换LED灯', '12盏']],
    ['a run wider than the line is cut by character', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 100, ['ABCDEFGHI', 'JKLMNOPQR', 'STUVWXYZ']],
    ['spaces collapse', '  加装   电梯 ', 200, ['加装 电梯']],
    ['empty text: no lines', '', 100, []],
  ])('%s', (_name, text, max, lines) => {
    const got = wrapText(text, F, max, measure);
    expect(got).toEqual(lines);
    for (const l of got) expect(measure(l, F)).toBeLessThanOrEqual(max);
    expect(got.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });

  test('any text, any width ≥ one character: no line too wide and nothing lost', () => {
    const pool = '老旧楼栋道照明改造，（加装电梯）、“助餐”点LED12345。！';
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: 1 + Math.floor(rnd() * 60) }, () => pool[Math.floor(rnd() * pool.length)]).join('');
      const max = 20 + Math.floor(rnd() * 300);
      const lines = wrapText(text, F, max, measure);
      for (const l of lines) expect(measure(l, F)).toBeLessThanOrEqual(max);
      expect(lines.join('')).toBe(text);
    }
  });
});

const TEN = [
  '孝义食堂（老年助餐点）',
  '老旧楼栋楼道照明改造，2栋3单元和5栋的楼道灯长期损坏，晚上上楼只能打手电',
  '巷口积水改造',
  '社区广场健身器材更新',
  '加装电梯',
  '汉江步道增设垃圾桶和路灯',
  '富民市场改造提升',
  '小区充电桩建设（电动自行车集中充电棚）',
  '背街小巷路面硬化',
  '社区卫生服务站延时服务',
];
const input = { communityName: '培新街社区', year: 2026, titles: TEN, footer: '清单于 2026-12-02 确定 · 培新街社区居民委员会' };
const texts = (ops: ReturnType<typeof layoutPoster>['ops']) => ops.filter((o): o is TextOp => o.kind === 'text');

describe('layoutPoster', () => {
  const layout = layoutPoster(input, measure);

  test('ten items numbered 1–10 in order, each title whole across its lines', () => {
    const t = texts(layout.ops);
    const numbers = t.filter((o) => /^\d+\.$/.test(o.text)).map((o) => o.text);
    expect(numbers).toEqual(TEN.map((_, i) => `${i + 1}.`));
    const body = t.filter((o) => o.font === POSTER.itemFont).map((o) => o.text).join('');
    expect(body).toBe(TEN.join(''));
    expect(t.map((o) => o.text)).toEqual(expect.arrayContaining(['培新街社区', '2026年十件实事']));
    expect(t.at(-1)!.text).toContain('培新街社区居民委员会');
  });

  test('nothing crosses the margins; lines never overlap; the height holds everything', () => {
    for (const o of texts(layout.ops)) {
      expect(o.x).toBeGreaterThanOrEqual(POSTER.pad);
      expect(o.x + o.width).toBeLessThanOrEqual(POSTER.width - POSTER.pad + 0.001);
      expect(o.y + 34 * POSTER.lineHeight).toBeLessThanOrEqual(layout.height);
    }
    const items = texts(layout.ops).filter((o) => o.font === POSTER.itemFont).map((o) => o.y);
    for (let i = 1; i < items.length; i++) expect(items[i]! - items[i - 1]!).toBeGreaterThanOrEqual(34 * POSTER.lineHeight);
    expect(layout.width).toBe(750);
    // A phone-screen poster: ten short items fit in about two screens.
    expect(layout.height).toBeGreaterThan(900);
    expect(layout.height).toBeLessThan(2000);
  });

  test('a long title wraps (its lines align beside the number); a short one does not', () => {
    const t = texts(layout.ops).filter((o) => o.font === POSTER.itemFont);
    const long = t.filter((o) => TEN[1]!.includes(o.text));
    expect(long.length).toBeGreaterThanOrEqual(2);
    expect(new Set(long.map((o) => o.x)).size).toBe(1);
    expect(t.filter((o) => o.text === '巷口积水改造')).toHaveLength(1);
  });

  test('taller with longer titles, and with 40-character titles ten still fit the width', () => {
    const worst = layoutPoster({ ...input, titles: TEN.map(() => '老'.repeat(40)) }, measure);
    expect(worst.height).toBeGreaterThan(layout.height);
    for (const o of texts(worst.ops)) expect(o.x + o.width).toBeLessThanOrEqual(POSTER.width - POSTER.pad + 0.001);
  });

  test('drawPoster paints the background first, then every text with its font', () => {
    const calls: string[] = [];
    const ctx: Ctx2D = {
      fillStyle: '', font: '', textBaseline: '', textAlign: '',
      fillRect: (x, y, w, h) => calls.push(`rect ${x},${y},${w},${h} ${String(ctx.fillStyle)}`),
      fillText: (t, x, y) => calls.push(`text ${t} @${x},${y} ${ctx.font}`),
    };
    drawPoster(ctx, layout);
    expect(calls[0]).toBe(`rect 0,0,750,${layout.height} ${POSTER.paper}`);
    expect(calls.filter((c) => c.startsWith('text'))).toHaveLength(texts(layout.ops).length);
    expect(ctx.textBaseline).toBe('top');
  });
});
