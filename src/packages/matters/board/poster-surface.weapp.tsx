/**
 * WeChat: the poster is drawn on a Canvas type="2d" node placed off-screen in the page, exported with
 * canvasToTempFilePath and saved with saveImageToPhotosAlbum (asking for the album permission when refused).
 */
import Taro from '@tarojs/taro';
import { Canvas } from '@tarojs/components';
import { drawPoster, layoutPoster, POSTER, type Ctx2D, type PosterInput } from '../../../features/matters/poster.rules';

export const SAVE_LABEL = '保存到相册';
const ID = 'poster-canvas';

/** Off-screen: drawn into, never shown (the exported image is). */
export function PosterCanvas({ height }: { height: number }) {
  return <Canvas type="2d" id={ID} className="poster-canvas" style={{ width: `${POSTER.width / 2}px`, height: `${Math.max(1, height) / 2}px` }} />;
}

interface CanvasNode {
  width: number;
  height: number;
  getContext(kind: '2d'): Ctx2D & { measureText(t: string): { width: number }; scale(x: number, y: number): void };
}

const queryNode = (): Promise<CanvasNode | null> =>
  new Promise((ok) => {
    Taro.createSelectorQuery()
      .select(`#${ID}`)
      .fields({ node: true, size: true })
      .exec((res: { node?: CanvasNode }[] | null) => ok(res?.[0]?.node ?? null));
  });

/** The canvas appears with the render after the tap: asked again until it is there (about a second at most). */
async function canvasNode(): Promise<CanvasNode> {
  for (let i = 0; i < 20; i++) {
    const node = await queryNode();
    if (node) return node;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('poster canvas not found');
}

export async function renderPoster(input: PosterInput): Promise<{ src: string; height: number }> {
  const canvas = await canvasNode();
  const ctx = canvas.getContext('2d');
  const layout = layoutPoster(input, (text, font) => {
    ctx.font = font;
    return ctx.measureText(text).width;
  });
  const dpr = Math.min(2, Taro.getWindowInfo?.().pixelRatio ?? 2);
  canvas.width = layout.width * dpr;
  canvas.height = layout.height * dpr;
  ctx.scale(dpr, dpr);
  drawPoster(ctx, layout);
  const out = await Taro.canvasToTempFilePath({ canvas, fileType: 'png' } as unknown as Taro.canvasToTempFilePath.Option);
  return { src: out.tempFilePath, height: layout.height };
}

const errMsg = (e: unknown): string => String((e as { errMsg?: string })?.errMsg ?? (e as Error)?.message ?? '');

/** Saves to the album; a refused permission is explained and can be turned on in the settings. */
export async function savePoster(src: string, _fileName: string): Promise<'saved' | 'denied' | 'cancelled'> {
  try {
    await Taro.saveImageToPhotosAlbum({ filePath: src });
    return 'saved';
  } catch (e) {
    const msg = errMsg(e);
    if (/auth|deny|denied|author/i.test(msg)) {
      const r = await Taro.showModal({
        title: '需要相册权限',
        content: '保存海报需要您允许“添加到相册”。是否前往设置开启？',
        confirmText: '去设置',
        cancelText: '暂不',
      });
      if (r.confirm) await Taro.openSetting();
      return 'denied';
    }
    if (/cancel/i.test(msg)) return 'cancelled';
    throw e;
  }
}
