/**
 * Local files (host, tests): bytes at `<dir>/<folder>/<id>.<ext>` plus a `<id>.<ext>.json` metadata sidecar.
 * Writes are durable: tmp file, fsync, rename, fsync the directory — bytes first, sidecar last, so a file
 * is visible only once both are on disk. Ids are `local:<folder>/<id>.<ext>`, parsed strictly (no traversal).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { newId } from '../ids';
import type { FilesPort, StoredFile } from './files';

const FOLDER = '[A-Za-z0-9][A-Za-z0-9_-]{0,31}';
const ID = '[0-9a-v]{22}';
const EXT = '[a-z0-9]{1,8}';
const FILE_ID_RE = new RegExp(`^local:(${FOLDER})/(${ID})\\.(${EXT})$`);
const FOLDER_RE = new RegExp(`^${FOLDER}$`);
const EXT_RE = new RegExp(`^${EXT}$`);

interface Parsed {
  folder: string;
  name: string;
}

/** Null for anything that is not exactly an id this adapter issued. */
function parseFileId(fileId: unknown): Parsed | null {
  if (typeof fileId !== 'string') return null;
  const m = FILE_ID_RE.exec(fileId);
  return m ? { folder: m[1] as string, name: `${m[2]}.${m[3]}` } : null;
}

async function writeDurably(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  const fh = await fs.open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Metadata entries kept per adapter (a few hundred bytes each). */
const KNOWN_MAX = 10_000;

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

export function openLocalFiles(opts: { dir: string; urlFor: (fileId: string) => string; now?: () => Date }): FilesPort {
  const now = opts.now ?? (() => new Date());
  const pathOf = (p: Parsed) => join(opts.dir, p.folder, p.name);
  /**
   * Metadata never changes once written and the port deletes nothing, so files known to exist are
   * remembered: listing photo URLs (every `mine` page) then reads no sidecar. Absence is not remembered.
   */
  const known = new Map<string, StoredFile>();
  const remember = (meta: StoredFile) => {
    if (known.size >= KNOWN_MAX) known.clear();
    known.set(meta.fileId, meta);
  };

  async function stat(fileId: string): Promise<StoredFile | null> {
    const hit = typeof fileId === 'string' ? known.get(fileId) : undefined;
    if (hit) return { ...hit };
    const p = parseFileId(fileId);
    if (!p) return null;
    try {
      const meta = JSON.parse(await fs.readFile(`${pathOf(p)}.json`, 'utf8')) as StoredFile;
      if (meta.fileId !== fileId) return null;
      remember({ ...meta });
      return meta;
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  return {
    async put(bytes, meta) {
      if (!FOLDER_RE.test(meta.folder)) throw new Error(`files: bad folder ${JSON.stringify(meta.folder)}`);
      if (!EXT_RE.test(meta.ext)) throw new Error(`files: bad extension ${JSON.stringify(meta.ext)}`);
      if (!meta.ownerOpenid) throw new Error('files: owner required');
      const at = now();
      const fileId = `local:${meta.folder}/${newId(at)}.${meta.ext}`;
      const p = parseFileId(fileId) as Parsed;
      const folderDir = join(opts.dir, p.folder);
      const created = await fs.mkdir(folderDir, { recursive: true });
      if (created) {
        // new directory entries must reach the disk too
        await syncDir(dirname(created));
        if (created !== folderDir) await syncDir(opts.dir);
      }
      const stored: StoredFile = {
        fileId,
        ownerOpenid: meta.ownerOpenid,
        contentType: meta.contentType,
        size: bytes.length,
        createdAt: at.toISOString(),
      };
      await writeDurably(pathOf(p), bytes);
      await writeDurably(`${pathOf(p)}.json`, JSON.stringify(stored));
      await syncDir(folderDir);
      remember({ ...stored });
      return stored;
    },

    stat,

    async read(fileId) {
      const p = parseFileId(fileId);
      if (!p || !(await stat(fileId))) return null;
      try {
        return await fs.readFile(pathOf(p));
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
    },

    async urls(fileIds) {
      const out: Record<string, string> = {};
      // Known files need no await each (a matter page asks for dozens); only the rest read their sidecar.
      for (const id of new Set(fileIds)) if (known.has(id) || (await stat(id))) out[id] = opts.urlFor(id);
      return out;
    },
  };
}
