import { ApiError } from '../../client/api-error';

/** H5: picks an .xlsx with a file input and reads it as base64 (importRoster takes the file inline). */
export async function chooseRosterBase64(): Promise<{ name: string; base64: string } | null> {
  const file = await new Promise<File | null>((resolve) => {
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
  if (!file) return null;
  const dataUrl = await new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(new ApiError('IMPORT.UNREADABLE', '无法读取文件，请重新选择'));
    r.readAsDataURL(file);
  });
  return { name: file.name, base64: dataUrl.slice(dataUrl.indexOf(',') + 1) };
}
