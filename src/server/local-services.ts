import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger, Services } from './action';
import { openLocalFiles } from './files/local';
import { reusingSigner, signFileUrl } from './files/signed-url';
import { newId as defaultNewId } from './ids';
import { createJsonLogger } from './log';
import { createNotifications } from './notify/notifications';
import { outboxDeliver } from './notify/outbox';
import { loadTemplates } from './notify/templates';
import { openWordListSafety } from './safety/word-list';
import { openSqliteStore } from './store/sqlite';
import type { Store } from './store/store';

/** The local host's adapters: SQLite in <dataDir>/shishi.db, photos in <dataDir>/files, the word list. */
export interface LocalServicesOptions {
  dataDir: string;
  /** HMAC secret for signed file URLs (and the host's session tokens). */
  secret: string;
  demoMode?: boolean;
  now?: () => Date;
  newId?: () => string;
  log?: Logger;
  /** Another store in place of <dataDir>/shishi.db (the tests' CloudBase stand-in); notifications write to it too. */
  store?: Store;
}

/** Demo mode's template ids when NOTIFY_TEMPLATES is not set: placeholders, the outbox does not care. */
const DEMO_TEMPLATES = join(__dirname, '..', '..', 'config', 'notify-templates.demo.json');

export function createLocalServices(opts: LocalServicesOptions): Services {
  mkdirSync(opts.dataDir, { recursive: true });
  const now = opts.now ?? (() => new Date());
  const filesDir = join(opts.dataDir, 'files');
  mkdirSync(filesDir, { recursive: true });
  const store = opts.store ?? openSqliteStore(join(opts.dataDir, 'shishi.db'));
  const log = opts.log ?? createJsonLogger();
  const templates = loadTemplates(process.env, opts.demoMode ? DEMO_TEMPLATES : undefined);
  return {
    store,
    files: openLocalFiles({ dir: filesDir, urlFor: reusingSigner((fileId: string) => signFileUrl(fileId, opts.secret, now()), now), now }),
    safety: openWordListSafety(),
    notify: createNotifications({ store, templates, deliver: outboxDeliver(store, now), log, now }),
    log,
    now,
    newId: opts.newId ?? (() => defaultNewId(now())),
    demoMode: opts.demoMode ?? false,
  };
}
