/** weapp: picks an .xlsx from a WeChat chat (chooseMessageFile) and reads it as base64. */
import Taro from '@tarojs/taro';
import { ApiError } from '../../client/api-error';

export async function chooseRosterBase64(): Promise<{ name: string; base64: string } | null> {
  let picked: Taro.chooseMessageFile.ChooseFile | undefined;
  try {
    picked = (await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx'] })).tempFiles[0];
  } catch {
    return null; // cancelled
  }
  if (!picked) return null;
  const path = picked.path;
  const base64 = await new Promise<string>((resolve, reject) =>
    Taro.getFileSystemManager().readFile({
      filePath: path,
      encoding: 'base64',
      success: (r) => resolve(String(r.data)),
      fail: () => reject(new ApiError('IMPORT.UNREADABLE', '无法读取文件，请重新选择')),
    }),
  );
  return { name: picked.name, base64 };
}
