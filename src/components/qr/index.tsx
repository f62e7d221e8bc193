import { Image } from '@tarojs/components';
import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

/** Characters QR's alphanumeric mode holds (denser than byte mode). */
const ALNUM = /^[0-9A-Z $%*+\-./:]*$/;

export interface QrProps {
  text: string;
  /** Width and height in px. @default 240 */
  size?: number;
  /** What the code is, for screen readers. @default '二维码' */
  label?: string;
  id?: string;
  className?: string;
}

/**
 * A QR code as a GIF data URL (qrcode-generator, pure JS: no canvas, the same in WeChat and H5).
 * Level M: a printed card survives a fold or a smudge; 26 alphanumeric characters fit version 2.
 */
export function Qr({ text, size = 240, label = '二维码', id, className }: QrProps) {
  const src = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(text, ALNUM.test(text) ? 'Alphanumeric' : 'Byte');
    qr.make();
    return qr.createDataURL(8, 4);
  }, [text]);
  return <Image id={id} className={className} src={src} style={{ width: `${size}px`, height: `${size}px` }} mode="aspectFit" ariaLabel={label} />;
}
