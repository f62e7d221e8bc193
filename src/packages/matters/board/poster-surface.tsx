/** H5: the poster is drawn on a detached HTMLCanvasElement and offered as a PNG download. */
import { drawPoster, layoutPoster, type PosterInput } from '../../../features/matters/poster.rules';

export const SAVE_LABEL = '下载海报图片';

/** WeChat needs a Canvas in the page; the browser draws off-document. */
export function PosterCanvas(_props: { height: number }) {
  return null;
}

/** Draws the poster and returns its PNG as a data URL (an Image src). */
export async function renderPoster(input: PosterInput): Promise<{ src: string; height: number }> {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas 2d unavailable');
  const layout = layoutPoster(input, (text, font) => {
    ctx.font = font;
    return ctx.measureText(text).width;
  });
  // Sharp on phones, bounded in memory.
  const dpr = Math.min(2, Math.max(1, Math.round(window.devicePixelRatio || 1)));
  canvas.width = layout.width * dpr;
  canvas.height = layout.height * dpr;
  ctx.scale(dpr, dpr);
  drawPoster(ctx, layout);
  return { src: canvas.toDataURL('image/png'), height: layout.height };
}

/** A download of the PNG; the browser has nothing to refuse. */
export async function savePoster(src: string, fileName: string): Promise<'saved' | 'denied' | 'cancelled'> {
  const a = document.createElement('a');
  a.href = src;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  return 'saved';
}
