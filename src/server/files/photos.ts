/** Photo checks: type by magic bytes (never by name or declared type), size, and ownership of file ids. */
import { AppError } from '../../lib/errors';
import type { FilesPort } from './files';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';
export const PHOTO_TYPES: readonly PhotoType[] = ['image/jpeg', 'image/png', 'image/webp'];

export const FileErrors = {
  EMPTY: 'FILE.EMPTY',
  TOO_LARGE: 'FILE.TOO_LARGE',
  BAD_TYPE: 'FILE.BAD_TYPE',
  NOT_FOUND: 'FILE.NOT_FOUND',
  NOT_OWNER: 'FILE.NOT_OWNER',
} as const;

const badType = () => new AppError(FileErrors.BAD_TYPE, '仅支持 JPG、PNG、WebP 格式的图片');

const startsWith = (b: Buffer, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

/** The image type of `bytes`, or null. */
export function sniffImage(bytes: Buffer): { contentType: PhotoType; ext: string } | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { contentType: 'image/jpeg', ext: 'jpg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { contentType: 'image/png', ext: 'png' };
  // RIFF <size> WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) {
    return { contentType: 'image/webp', ext: 'webp' };
  }
  return null;
}

export function checkUploadBytes(bytes: Buffer): { contentType: PhotoType; ext: string } {
  if (bytes.length === 0) throw new AppError(FileErrors.EMPTY, '文件为空，请重新选择图片');
  if (bytes.length > MAX_PHOTO_BYTES) throw new AppError(FileErrors.TOO_LARGE, '图片不能超过 5 MB');
  const kind = sniffImage(bytes);
  if (!kind) throw badType();
  return kind;
}

/**
 * Every id must be a stored photo uploaded by `openid`. Stat reports the type found in the bytes
 * (checked at upload on the local host, sniffed from storage on CloudBase). Errors follow the order of `fileIds`.
 */
export async function assertOwnPhotos(files: FilesPort, fileIds: string[], openid: string): Promise<void> {
  const stats = await Promise.all(fileIds.map((id) => files.stat(id)));
  stats.forEach((meta) => {
    if (!meta) throw new AppError(FileErrors.NOT_FOUND, '图片不存在或已失效，请重新上传');
    if (meta.ownerOpenid !== openid) throw new AppError(FileErrors.NOT_OWNER, '只能使用自己上传的图片');
    if (!(PHOTO_TYPES as readonly string[]).includes(meta.contentType)) throw badType();
    if (meta.size > MAX_PHOTO_BYTES) throw new AppError(FileErrors.TOO_LARGE, '图片不能超过 5 MB');
  });
}
