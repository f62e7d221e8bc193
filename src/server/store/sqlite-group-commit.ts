/**
 * Group commit for the SQLite store: the writes that arrive together run in one SQLite transaction and
 * share one fsync; each caller is answered only once that fsync has finished.
 *
 * - A group is what queued while the previous group ran or synced, plus the current turn of the event
 *   loop (one setImmediate, no timer): a process serving one request at a time gets groups of one.
 * - Entries run one after another: a transaction's callback runs whole inside its own savepoint (a
 *   failure rolls back that savepoint only), a plain write is one statement (no savepoint needed: a
 *   failed statement leaves the transaction as it was). Then one COMMIT for the group.
 * - `durable` (when given) makes the committed groups durable: at most one runs at a time; it covers
 *   every group committed before it started, and the next group runs meanwhile. Without it, COMMIT
 *   itself is durable (synchronous=FULL) and callers are answered right after it.
 * - If COMMIT fails, every caller of the group gets the error. If `durable` fails, nothing committed
 *   since the last good one can be trusted (the kernel may have dropped the dirty pages): those callers
 *   get the error and the store refuses every later write.
 */

/** The statements the group runner needs on the writer connection. */
export interface GroupDb {
  begin(): void;
  commit(): void;
  rollback(): void;
  savepoint(): void;
  release(): void;
  rollbackTo(): void;
  inTransaction(): boolean;
}

export interface EntryHooks {
  /** After the group's COMMIT (before it is durable): e.g. tables created in it are now known. */
  committed?: () => void;
  /** After this entry's writes were undone (its savepoint, or the whole group). */
  rolledBack?: () => void;
}

interface Entry extends EntryHooks {
  run: () => unknown;
  /** A transaction's callback: async, gets a savepoint. */
  tx: boolean;
  value?: unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export const MAX_GROUP = 64;

export class GroupCommit {
  private queue: Entry[] = [];
  private scheduled = false;
  private running = false;
  /** Committed, waiting for a durable() that started after their COMMIT. */
  private unsynced: Entry[] = [];
  private syncing = false;
  /** Groups committed so far, and how many of them are known durable. */
  private committedSeq = 0;
  private durableSeq = 0;
  private idleWaiters: (() => void)[] = [];
  private broken: unknown = null;

  constructor(
    private readonly db: GroupDb,
    private readonly durable: (() => Promise<void>) | null,
    /** After each durable() that succeeded: how many groups it made durable. */
    private readonly onDurable: (groups: number) => void = () => {},
    private readonly max = MAX_GROUP,
  ) {}

  /** Queues a plain write (sync, one statement) or a transaction (async, own savepoint). */
  submit<R>(run: () => R | Promise<R>, tx: boolean, hooks: EntryHooks = {}): Promise<R> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ run, tx, resolve: resolve as (v: unknown) => void, reject, ...hooks });
      this.schedule();
    });
  }

  /** Resolves when nothing is queued, running or waiting for durability. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private isIdle(): boolean {
    return !this.scheduled && !this.running && !this.syncing && this.queue.length === 0 && this.unsynced.length === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // The rest of this turn's requests join the group (setImmediate runs right after I/O polling).
    setImmediate(() => {
      this.scheduled = false;
      void this.runGroups();
    });
  }

  private async runGroups(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.max);
        if (this.broken) {
          for (const e of group) e.reject(this.broken);
          continue;
        }
        try {
          await this.runGroup(group);
        } catch (e) {
          // Only the control statements themselves (ROLLBACK TO, RELEASE) can get here. Settled promises
          // ignore a second outcome, so rejecting the whole group reaches exactly those still waiting.
          if (this.db.inTransaction()) this.db.rollback();
          for (const x of group) x.reject(e);
        }
        if (this.queue.length > 0) await new Promise<void>((r) => setImmediate(r));
      }
    } finally {
      this.running = false;
      this.checkIdle();
    }
  }

  private async runGroup(group: Entry[]): Promise<void> {
    const db = this.db;
    try {
      db.begin();
    } catch (e) {
      for (const x of group) x.reject(e);
      return;
    }
    // A group of one needs no savepoint: its rollback is the transaction's.
    const savepoints = group.length > 1;
    const done: Entry[] = [];
    /** The transaction itself is gone (SQLite rolls back on some I/O errors): all of the group fails. */
    const lost = (e: unknown, from: number) => {
      for (const x of done) {
        x.rolledBack?.();
        x.reject(e);
      }
      for (const x of group.slice(from)) {
        x.rolledBack?.();
        x.reject(e);
      }
    };
    for (let i = 0; i < group.length; i++) {
      const e = group[i]!;
      if (!e.tx) {
        try {
          e.value = e.run();
          done.push(e);
        } catch (err) {
          if (!db.inTransaction()) return lost(err, i);
          e.reject(err);
        }
        continue;
      }
      try {
        if (savepoints) db.savepoint();
        e.value = await e.run();
        if (savepoints) db.release();
        done.push(e);
      } catch (err) {
        if (!db.inTransaction()) return lost(err, i);
        if (savepoints) {
          db.rollbackTo();
          db.release();
        } else {
          db.rollback();
        }
        e.rolledBack?.();
        e.reject(err);
        if (!savepoints) return;
      }
    }
    try {
      db.commit();
    } catch (err) {
      if (db.inTransaction()) db.rollback();
      return lost(err, group.length);
    }
    for (const e of done) e.committed?.();
    this.committedSeq++;
    if (!this.durable) {
      this.durableSeq = this.committedSeq;
      for (const e of done) e.resolve(e.value);
      return;
    }
    this.unsynced.push(...done);
    this.sync();
  }

  /** One durable() at a time; it covers every group committed before it started. */
  private sync(): void {
    if (this.syncing || !this.durable) return;
    if (this.unsynced.length === 0 && this.durableSeq === this.committedSeq) return;
    const batch = this.unsynced;
    const upTo = this.committedSeq;
    this.unsynced = [];
    this.syncing = true;
    const from = this.durableSeq;
    this.durable().then(
      () => {
        this.durableSeq = upTo;
        this.onDurable(upTo - from);
        for (const e of batch) e.resolve(e.value);
      },
      (err: unknown) => {
        this.broken = err;
        for (const e of [...batch, ...this.unsynced]) e.reject(err);
        this.unsynced = [];
      },
    ).finally(() => {
      this.syncing = false;
      if (!this.broken) this.sync();
      this.checkIdle();
    });
  }
}
