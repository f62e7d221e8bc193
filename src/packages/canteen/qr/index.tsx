import { Image } from '@tarojs/components';
import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

/**
 * A QR code as a GIF data URL (qrcode-generator, pure JS: no canvas, the same in WeChat and H5).
 * Level M: a printed card survives a fold or a smudge; 26 alphanumeric characters fit version 2.
 */
export function Qr({ text, size = 240, id, className }: { text: string; size?: number; id?: string; className?: string }) {
  const src = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(text, 'Alphanumeric');
    qr.make();
    return qr.createDataURL(8, 4);
  }, [text]);
  return <Image id={id} className={className} src={src} style={{ width: `${size}px`, height: `${size}px` }} mode="aspectFit" ariaLabel="助餐码二维码" />;
}
