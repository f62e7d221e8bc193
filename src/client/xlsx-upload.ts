/** The one spreadsheet upload path (H5): pick an .xlsx, upload it to the host's `imports` folder; actions then import by file id. */
import { ApiError, fromBody, networkError } from './api-error';
import { getSession } from './session';

const pick = (): Promise<File | null> =>
  new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    input.style.display = 'none';
    input.onchange = () => {
      resolve(input.files?.[0] ?? null);
      input.remove();
    };
    document.body.appendChild(input);
    input.click();
  });

/** Resolves with the uploaded file's id and name, or null when nothing was chosen. */
export async function chooseAndUploadXlsx(onProgress: (percent: number) => void): Promise<{ fileId: string; name: string } | null> {
  const file = await pick();
  if (!file) return null;
  const token = getSession()?.token;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API_BASE}/files?folder=imports`);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.min(99, Math.round((e.loaded / e.total) * 100)));
    xhr.onload = () => {
      let body: { ok?: boolean; data?: { fileId: string }; error?: Parameters<typeof fromBody>[0] } | null = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (body?.ok && body.data) {
        onProgress(100);
        resolve({ fileId: body.data.fileId, name: file.name });
      } else reject(body?.error ? fromBody(body.error) : new ApiError('INTERNAL', '上传失败，请稍后再试'));
    };
    xhr.onerror = () => reject(networkError());
    xhr.send(file);
  });
}
