/** Uploads to the `imports` folder: spreadsheets (.xlsx is a zip), checked by their bytes like photos. */
import { AppError } from '../../lib/errors';
import type { FilesPort } from './files';
import { FileErrors, MAX_PHOTO_BYTES } from './photos';

export const IMPORT_FOLDER = 'imports';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function checkImportBytes(bytes: Buffer): { contentType: string; ext: string } {
  if (bytes.length === 0) throw new AppError(FileErrors.EMPTY, '文件为空，请重新选择');
  // Local file header of a zip: PK\x03\x04.
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) {
    throw new AppError(FileErrors.BAD_TYPE, '仅支持 Excel（.xlsx）文件，请用模板填写后上传');
  }
  return { contentType: XLSX_TYPE, ext: 'xlsx' };
}

/** A spreadsheet the caller uploaded, read for an import: the caller's own file, a real .xlsx, at most 5 MB. */
export async function readOwnImport(files: FilesPort, fileId: string, openid: string): Promise<Buffer> {
  const meta = await files.stat(fileId);
  if (!meta) throw new AppError(FileErrors.NOT_FOUND, '文件不存在或已失效，请重新上传');
  if (meta.ownerOpenid !== openid) throw new AppError(FileErrors.NOT_OWNER, '只能导入自己上传的文件');
  if (meta.size > MAX_PHOTO_BYTES) throw new AppError(FileErrors.TOO_LARGE, '文件不能超过 5 MB');
  const bytes = await files.read(fileId);
  if (!bytes) throw new AppError(FileErrors.NOT_FOUND, '文件不存在或已失效，请重新上传');
  // CloudBase uploads go straight to storage: the type is checked here, by the bytes.
  checkImportBytes(bytes);
  return bytes;
}
