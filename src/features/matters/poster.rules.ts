/**
 * The poster of a community's final ten: pure layout (what text goes where, wrapped by measured width)
 * and drawing against a minimal 2D context, so the weapp's Canvas 2d and the browser's HTMLCanvasElement
 * draw the same picture. Units are the poster's own pixels; the caller scales for the device.
 */

/** Measures `text` in `font` (a CSS font string), as CanvasRenderingContext2D.measureText does. */
export type Measure = (text: string, font: string) => number;

export interface PosterInput {
  communityName: string;
  year: number;
  /** In list order; numbered from 1. */
  titles: string[];
  /** The last line, e.g. the day the list was fixed. */
  footer: string;
}

export interface TextOp {
  kind: 'text';
  text: string;
  x: number;
  /** Baseline-independent: the top of the line box (drawn with textBaseline 'top'). */
  y: number;
  font: string;
  color: string;
  /** Measured width, kept so tests (and nothing else) can check the right edge. */
  width: number;
}
export interface RectOp {
  kind: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  color: string;
}
export type PosterOp = TextOp | RectOp;

export interface PosterLayout {
  width: number;
  height: number;
  ops: PosterOp[];
}

export const POSTER = {
  width: 750,
  pad: 48,
  red: '#c8161d',
  text: '#1f2329',
  muted: '#4e5969',
  paper: '#fffdf8',
  headFont: 'bold 34px sans-serif',
  titleFont: 'bold 60px sans-serif',
  itemFont: '34px sans-serif',
  numberFont: 'bold 34px sans-serif',
  footFont: '26px sans-serif',
  lineHeight: 1.5,
  itemGap: 22,
} as const;

const px = (font: string): number => Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 16);

/** Punctuation that must not start a line (避头) and that must not end one (避尾). */
const NO_START = new Set('，。、；：？！）》」』】〕…—·,.;:?!)]}%'.split(''));
const NO_END = new Set('（《「『【〔([{“‘'.split(''));

/** Runs of Latin letters and digits stay together (“2栋3单元” breaks between characters, “LED” does not). */
const tokens = (text: string): string[] => text.match(/[A-Za-z0-9.%-]+|./gsu) ?? [];

/**
 * Greedy line breaking by measured width: never wider than `max` (a single token wider than `max` is cut
 * by character), closing punctuation pulled onto the line before, opening punctuation pushed to the next.
 */
export function wrapText(text: string, font: string, max: number, measure: Measure): string[] {
  const lines: string[][] = [];
  let line: string[] = [];
  const fits = (parts: string[]) => measure(parts.join(''), font) <= max;
  for (const tok of tokens(text.replace(/\s+/g, ' ').trim())) {
    if (fits([...line, tok])) {
      line.push(tok);
      continue;
    }
    const last = line[line.length - 1];
    // 避头: a closing mark takes the previous token along; 避尾: an opening mark moves down with what it opens.
    if (last !== undefined && line.length > 1 && (NO_START.has(tok) || NO_END.has(last)) && fits([last, tok])) {
      line.pop();
      lines.push(line);
      line = [last, tok];
      continue;
    }
    if (line.length) lines.push(line);
    line = [];
    if (fits([tok])) {
      line = [tok];
      continue;
    }
    // One token too wide on its own: cut it by character.
    let part = '';
    for (const ch of tok) {
      if (part && !fits([part + ch])) {
        lines.push([part]);
        part = '';
      }
      part += ch;
    }
    line = [part];
  }
  if (line.length) lines.push(line);
  return lines.map((l) => l.join(''));
}

/** Where everything goes: a red head band, the numbered titles wrapped beside their numbers, a footer. */
export function layoutPoster(input: PosterInput, measure: Measure): PosterLayout {
  const P = POSTER;
  const ops: PosterOp[] = [];
  const inner = P.width - 2 * P.pad;
  const lh = (font: string) => Math.round(px(font) * P.lineHeight);
  const text = (t: string, x: number, y: number, font: string, color: string) => ops.push({ kind: 'text', text: t, x, y, font, color, width: measure(t, font) });
  const block = (t: string, x: number, y: number, font: string, color: string, max: number): number => {
    const lines = wrapText(t, font, max, measure);
    lines.forEach((l, i) => text(l, x, y + i * lh(font), font, color));
    return lines.length * lh(font);
  };

  ops.push({ kind: 'rect', x: 0, y: 0, w: P.width, h: 0, color: P.paper }); // height set at the end
  const band: RectOp = { kind: 'rect', x: 0, y: 0, w: P.width, h: 0, color: P.red };
  ops.push(band);
  let y = P.pad;
  y += block(input.communityName, P.pad, y, P.headFont, '#ffffff', inner);
  y += 8;
  y += block(`${input.year}年十件实事`, P.pad, y, P.titleFont, '#ffffff', inner);
  y += 8;
  y += block('一社区一年10件实事 · 清单已确定', P.pad, y, P.footFont, '#ffffff', inner);
  y += P.pad - 8;
  band.h = y;
  y += P.pad - 8;

  // Numbers right-aligned in a column as wide as the widest one; titles wrap beside them.
  const numbers = input.titles.map((_, i) => `${i + 1}.`);
  const numCol = Math.ceil(Math.max(0, ...numbers.map((n) => measure(n, P.numberFont)))) + 16;
  input.titles.forEach((title, i) => {
    const n = numbers[i]!;
    text(n, P.pad + numCol - 16 - measure(n, P.numberFont), y, P.numberFont, P.red);
    y += block(title, P.pad + numCol, y, P.itemFont, P.text, inner - numCol);
    y += P.itemGap;
  });
  if (!input.titles.length) y += block('清单尚未确定', P.pad, y, P.itemFont, P.muted, inner) + P.itemGap;

  y += 12;
  ops.push({ kind: 'rect', x: P.pad, y, w: inner, h: 2, color: '#dcdfe6' });
  y += 24;
  y += block(input.footer, P.pad, y, P.footFont, P.muted, inner);
  y += P.pad;
  (ops[0] as RectOp).h = y;
  return { width: P.width, height: y, ops };
}

/** The part of CanvasRenderingContext2D that drawing needs (weapp Canvas 2d and the browser both have it). */
export interface Ctx2D {
  fillStyle: unknown;
  font: string;
  textBaseline: string;
  textAlign: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
}

export function drawPoster(ctx: Ctx2D, layout: PosterLayout): void {
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  for (const op of layout.ops) {
    ctx.fillStyle = op.color;
    if (op.kind === 'rect') ctx.fillRect(op.x, op.y, op.w, op.h);
    else {
      ctx.font = op.font;
      ctx.fillText(op.text, op.x, op.y);
    }
  }
}
