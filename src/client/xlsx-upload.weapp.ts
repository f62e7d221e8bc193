/** The one spreadsheet upload path (weapp): pick an .xlsx from a chat, upload it under the caller's `imports` folder; actions import by file id. */
import Taro from '@tarojs/taro';
import { networkError } from './api-error';
import { loadMe } from './me';

export async function chooseAndUploadXlsx(onProgress: (percent: number) => void): Promise<{ fileId: string; name: string } | null> {
  let picked: Taro.chooseMessageFile.ChooseFile | undefined;
  try {
    picked = (await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx'] })).tempFiles[0];
  } catch {
    return null; // cancelled
  }
  if (!picked) return null;
  const { openid } = await loadMe();
  const cloudPath = `uploads/${openid}/imports/${Date.now()}.xlsx`;
  return new Promise((resolve, reject) => {
    const task = Taro.cloud.uploadFile({
      cloudPath,
      filePath: picked!.path,
      success: (r) => {
        onProgress(100);
        resolve({ fileId: r.fileID, name: picked!.name });
      },
      fail: () => reject(networkError()),
    });
    task?.onProgressUpdate?.((p) => onProgress(Math.min(99, p.progress)));
  });
}
