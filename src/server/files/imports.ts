/** Uploads to the `imports` folder: spreadsheets (.xlsx is a zip), checked by their bytes like photos. */
import { AppError } from '../../lib/errors';
import { FileErrors } from './photos';

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
