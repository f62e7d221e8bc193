import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger, Services } from './action';
import { openLocalFiles } from './files/local';
import { signFileUrl } from './files/signed-url';
import { newId as defaultNewId } from './ids';
import { createJsonLogger } from './log';
import { openWordListSafety } from './safety/word-list';
import { openSqliteStore } from './store/sqlite';

/** The local host's adapters: SQLite in <dataDir>/shishi.db, photos in <dataDir>/files, the word list. */
export interface LocalServicesOptions {
  dataDir: string;
  /** HMAC secret for signed file URLs (and the host's session tokens). */
  secret: string;
  demoMode?: boolean;
  now?: () => Date;
  newId?: () => string;
  log?: Logger;
}

export function createLocalServices(opts: LocalServicesOptions): Services {
  mkdirSync(opts.dataDir, { recursive: true });
  const now = opts.now ?? (() => new Date());
  const filesDir = join(opts.dataDir, 'files');
  mkdirSync(filesDir, { recursive: true });
  return {
    store: openSqliteStore(join(opts.dataDir, 'shishi.db')),
    files: openLocalFiles({ dir: filesDir, urlFor: (fileId: string) => signFileUrl(fileId, opts.secret, now()), now }),
    safety: openWordListSafety(),
    log: opts.log ?? createJsonLogger(),
    now,
    newId: opts.newId ?? (() => defaultNewId(now())),
    demoMode: opts.demoMode ?? false,
  };
}
