/** The one export path: a generated file saved as the caller's, answered with its id and a URL to open it. */
import type { FilesPort } from './files';
import { XLSX_TYPE } from './imports';

export const EXPORT_FOLDER = 'exports';

export async function saveExport(files: FilesPort, ownerOpenid: string, bytes: Buffer): Promise<{ fileId: string; url: string }> {
  const file = await files.put(bytes, { ownerOpenid, contentType: XLSX_TYPE, ext: 'xlsx', folder: EXPORT_FOLDER });
  const url = (await files.urls([file.fileId]))[file.fileId];
  if (!url) throw new Error('export saved without a URL');
  return { fileId: file.fileId, url };
}
