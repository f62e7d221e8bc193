/**
 * CloudBase storage (production), over the app from `tcb.init()` of @cloudbase/node-sdk.
 *
 * Ownership is the cloud path: every upload lives at `uploads/<openid>/<folder>/<name>`, and the owner of
 * a file id is the `<openid>` segment. That is only trustworthy because the storage security rules must
 * let a client write solely under its own prefix (`uploads/${auth.openid}/…`); with the default
 * "anyone signed in may write anywhere" rules, a client could plant a file under someone else's openid.
 *
 * Type and size come from the bytes (stat downloads the file and sniffs it), never from the name.
 */
import { newId } from '../ids';
import type { FilesPort, StoredFile } from './files';
import { sniffImage } from './photos';

/* eslint-disable @typescript-eslint/no-explicit-any */
type App = any;

const OPENID = '[A-Za-z0-9_-]{1,64}';
const FOLDER = '[A-Za-z0-9][A-Za-z0-9_-]{0,31}';
const FILE_ID_RE = new RegExp(`^cloud://[^/\\s]+/uploads/(${OPENID})/(${FOLDER})/([A-Za-z0-9][A-Za-z0-9._-]{0,127})$`);
const OPENID_RE = new RegExp(`^${OPENID}$`);
const FOLDER_RE = new RegExp(`^${FOLDER}$`);
const URL_BATCH = 50; // getTempFileURL takes at most 50 ids a call

const OTHER_TYPES: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
  pdf: 'application/pdf',
};

/** Owner and file name of an id in our layout, or null. */
export function parseCloudFileId(fileId: unknown): { owner: string; folder: string; name: string } | null {
  if (typeof fileId !== 'string') return null;
  const m = FILE_ID_RE.exec(fileId);
  if (!m || (m[3] as string).includes('..')) return null;
  return { owner: m[1] as string, folder: m[2] as string, name: m[3] as string };
}

/** Our names start with a `newId()`, whose first 10 characters are the upload time. */
function createdAtOf(name: string): string {
  if (!/^[0-9a-v]{10}/.test(name)) return '';
  let t = 0;
  for (const ch of name.slice(0, 10)) t = t * 32 + parseInt(ch, 32);
  return new Date(t).toISOString();
}

const isMissing = (e: unknown) => {
  const code = String((e as { code?: unknown })?.code ?? '');
  const message = String((e as { message?: unknown })?.message ?? '');
  return /NOT_?EXIST|NOT_FOUND|NONEXIST/i.test(code) || /Status:\s*404/.test(message);
};

export function openCloudbaseFiles(app: App): FilesPort {
  if (!app || typeof app.uploadFile !== 'function') throw new Error('files: CloudBase app required');

  async function read(fileId: string): Promise<Buffer | null> {
    if (!parseCloudFileId(fileId)) return null;
    try {
      const res = await app.downloadFile({ fileID: fileId });
      const body = res?.fileContent;
      return Buffer.isBuffer(body) ? body : body ? Buffer.from(body) : null;
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  return {
    async put(bytes, meta) {
      if (!OPENID_RE.test(meta.ownerOpenid)) throw new Error('files: bad owner openid');
      if (!FOLDER_RE.test(meta.folder)) throw new Error(`files: bad folder ${JSON.stringify(meta.folder)}`);
      if (!/^[a-z0-9]{1,8}$/.test(meta.ext)) throw new Error(`files: bad extension ${JSON.stringify(meta.ext)}`);
      const at = new Date();
      const cloudPath = `uploads/${meta.ownerOpenid}/${meta.folder}/${newId(at)}.${meta.ext}`;
      const res = await app.uploadFile({ cloudPath, fileContent: bytes });
      if (!res?.fileID) throw new Error('files: upload returned no fileID');
      return { fileId: res.fileID, ownerOpenid: meta.ownerOpenid, contentType: meta.contentType, size: bytes.length, createdAt: at.toISOString() };
    },

    async stat(fileId): Promise<StoredFile | null> {
      const p = parseCloudFileId(fileId);
      if (!p) return null;
      const bytes = await read(fileId);
      if (!bytes) return null;
      const ext = p.name.includes('.') ? (p.name.split('.').pop() as string).toLowerCase() : '';
      const contentType = sniffImage(bytes)?.contentType ?? OTHER_TYPES[ext] ?? 'application/octet-stream';
      return { fileId, ownerOpenid: p.owner, contentType, size: bytes.length, createdAt: createdAtOf(p.name) };
    },

    read,

    async urls(fileIds) {
      const ids = [...new Set(fileIds)].filter((id) => parseCloudFileId(id));
      const out: Record<string, string> = {};
      for (let i = 0; i < ids.length; i += URL_BATCH) {
        const res = await app.getTempFileURL({ fileList: ids.slice(i, i + URL_BATCH) });
        for (const f of (res?.fileList ?? []) as { fileID: string; tempFileURL?: string; code?: string }[]) {
          if (f.code === 'SUCCESS' && f.tempFileURL) out[f.fileID] = f.tempFileURL;
        }
      }
      return out;
    },
  };
}
