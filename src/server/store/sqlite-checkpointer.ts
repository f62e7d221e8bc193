/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside a COMMIT, on the
 * writer, and syncs the -wal and the database there: a stall of 5–30 ms every ~1,000 pages, on the
 * event loop. The writer turns it off (wal_autocheckpoint=0) and this worker thread, with its own
 * connection at synchronous=NORMAL, runs PASSIVE checkpoints when asked: they copy committed frames
 * into the database without taking the write lock, syncing the -wal before and the database after,
 * exactly as an automatic checkpoint would. The writer restarts the -wal only after a complete
 * checkpoint (every frame copied); under a steady stream of commits the worker's passes may always
 * trail by a few frames, so the store then finishes on the writer, between groups (a few frames and
 * two fsyncs instead of the whole copy).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Plain JS, so it runs the same under tsx, jest and node (no transpiling of a worker file). */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    // Writes go on meanwhile: a few passes catch up with the frames committed during the previous one.
    let r;
    for (let pass = 0; pass < 4; pass++) {
      [r] = db.pragma('wal_checkpoint(PASSIVE)');
      if (r.checkpointed >= r.log) break;
    }
    parentPort.postMessage({ ok: true, log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ ok: false, message: String(e && e.message) });
  }
});
`;

export interface CheckpointResult {
  ok: boolean;
  /** Frames in the -wal, and how many of them are now in the database. */
  log?: number;
  checkpointed?: number;
  message?: string;
}

export class Checkpointer {
  private readonly worker: Worker;
  private running = false;
  /** The worker has exited (closed, or crashed: then checkpoints stop and the -wal grows). */
  private gone = false;
  private waiters: ((r: CheckpointResult) => void)[] = [];
  private exited: Promise<void>;
  /** The last outcome (for tests and diagnosis). */
  last: CheckpointResult | null = null;

  constructor(file: string, onError: (message: string) => void) {
    const driver = createRequire(__filename).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { file, driver } });
    // Keeps the process alive only while a checkpoint or the close runs (someone may be awaiting it;
    // an idle worker must not hold the process open).
    this.worker.unref();
    const settle = (r: CheckpointResult) => {
      this.running = false;
      this.worker.unref();
      this.last = r;
      if (!r.ok) onError(r.message ?? 'checkpoint failed');
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f(r);
    };
    this.exited = new Promise((r) =>
      this.worker.once('exit', () => {
        this.gone = true;
        if (this.running) settle({ ok: false, message: 'checkpoint worker exited' });
        r();
      }),
    );
    this.worker.on('message', settle);
    this.worker.on('error', (e) => onError(e.message));
  }


  /** Starts a checkpoint unless one is running; resolves with its outcome. */
  run(): Promise<CheckpointResult> {
    if (this.gone) return Promise.resolve({ ok: false, message: 'checkpoint worker exited' });
    const done = new Promise<CheckpointResult>((r) => this.waiters.push(r));
    if (!this.running) {
      this.running = true;
      this.worker.ref();
      this.worker.postMessage('checkpoint');
    }
    return done;
  }

  get busy(): boolean {
    return this.running;
  }

  /** Waits for a running checkpoint, then closes the worker's connection. */
  async close(): Promise<void> {
    if (this.gone) return;
    if (this.running) await new Promise((r) => this.waiters.push(r));
    if (!this.gone) {
      this.worker.ref();
      this.worker.postMessage('close');
    }
    await this.exited;
  }
}
