/**
 * The grid worker's outbox (client only, no platform code): visit notes are kept on the phone first,
 * shown as 待上传, and sent when the network allows — photos one by one (each file id saved as soon as
 * it is known, so a reload never uploads a finished photo again), then the note that references them.
 * The note's client id makes `visits.record` idempotent, so a retry after a lost answer is harmless.
 * Storage, upload and the call are injected (visit-outbox.ts wires them; tests pass fakes).
 */
import type { Location, RecordInput, VisitKind } from './visits.schema';

export interface OutboxPhoto {
  /** Local copy that survives a reload (IndexedDB key on H5, a saved file path on weapp). */
  ref: string;
  fileId: string | null;
}

/** draft: being written, not sent; queued: waiting for the network; sending: in flight; failed: refused, needs an edit. */
export type OutboxStatus = 'draft' | 'queued' | 'sending' | 'failed';

export interface OutboxEntry {
  clientId: string;
  status: OutboxStatus;
  householdId: string;
  /** For the list: address and head of household (the device already holds them for the form). */
  householdLabel: string;
  visitedAt: string;
  kind: VisitKind;
  findings: string;
  requests: { text: string; category?: string }[];
  photoConsent: boolean;
  location: Location | null;
  followUpOf: string | null;
  photos: OutboxPhoto[];
  /** Chinese, for the person: why it is still here. */
  error: string | null;
  attempts: number;
  updatedAt: string;
}

export type OutboxDraft = Omit<OutboxEntry, 'status' | 'error' | 'attempts' | 'updatedAt'>;

export interface OutboxDeps {
  load(): OutboxEntry[];
  save(entries: OutboxEntry[]): void;
  /** Uploads the local photo; reports 0–100; resolves with the stored file id. */
  upload(ref: string, onProgress: (percent: number) => void): Promise<string>;
  record(input: RecordInput): Promise<{ _id: string }>;
  /** Deletes the local copy of a photo (after sending, or when removed from a draft). */
  dropPhoto(ref: string): Promise<void>;
  /** Error code of a failure ('NETWORK', 'INPUT.INVALID', …). */
  codeOf(e: unknown): string;
  messageOf(e: unknown): string;
  now(): Date;
}

export interface FlushResult {
  sent: string[];
  failed: string[];
  /** Still queued (the network went away). */
  waiting: number;
}

/** Worth retrying later without an edit: no network, a server hiccup, an expired session. */
export const RETRYABLE = (code: string): boolean => code === 'NETWORK' || code === 'INTERNAL' || code === 'AUTH.UNAUTHENTICATED';

export const WAITING_MESSAGE = '网络不可用，恢复后自动上传';

export function toRecordInput(e: OutboxEntry): RecordInput {
  return {
    clientId: e.clientId,
    householdId: e.householdId,
    visitedAt: e.visitedAt,
    kind: e.kind,
    findings: e.findings,
    requests: e.requests.filter((r) => r.text.trim()).map((r) => ({ text: r.text, ...(r.category ? { category: r.category as never } : {}) })),
    photos: e.photos.map((p) => p.fileId!).filter(Boolean),
    photoConsent: e.photoConsent,
    location: e.location,
    followUpOf: e.followUpOf,
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

export function createOutbox(deps: OutboxDeps) {
  // A note that was in flight when the app closed is simply sent again (same client id).
  let entries: OutboxEntry[] = deps.load().map((e) => (e.status === 'sending' ? { ...e, status: 'queued' as const } : e));
  /** Per-photo upload progress: transient, not persisted on every tick. */
  const progress = new Map<string, number>();
  const listeners = new Set<() => void>();
  let flushing: Promise<FlushResult> | null = null;

  const notify = () => listeners.forEach((f) => f());
  const persist = () => {
    deps.save(entries);
    notify();
  };
  const find = (id: string) => entries.find((e) => e.clientId === id);
  const patch = (id: string, p: Partial<OutboxEntry>) => {
    entries = entries.map((e) => (e.clientId === id ? { ...e, ...p, updatedAt: deps.now().toISOString() } : e));
    persist();
  };

  async function sendOne(id: string, out: FlushResult): Promise<'sent' | 'failed' | 'offline'> {
    patch(id, { status: 'sending', error: null, attempts: (find(id)?.attempts ?? 0) + 1 });
    try {
      for (const photo of find(id)!.photos) {
        if (photo.fileId) continue;
        progress.set(photo.ref, 0);
        notify();
        const fileId = await deps.upload(photo.ref, (p) => {
          progress.set(photo.ref, p);
          notify();
        });
        progress.set(photo.ref, 100);
        // Saved at once: a reload from here on never uploads this photo again.
        const cur = find(id)!;
        patch(id, { photos: cur.photos.map((p) => (p.ref === photo.ref ? { ...p, fileId } : p)) });
      }
      await deps.record(toRecordInput(find(id)!));
      const done = find(id)!;
      entries = entries.filter((e) => e.clientId !== id);
      persist();
      for (const p of done.photos) {
        progress.delete(p.ref);
        await deps.dropPhoto(p.ref).catch(() => undefined);
      }
      out.sent.push(id);
      return 'sent';
    } catch (e) {
      const code = deps.codeOf(e);
      if (RETRYABLE(code)) {
        patch(id, { status: 'queued', error: code === 'NETWORK' ? WAITING_MESSAGE : deps.messageOf(e) });
        return 'offline';
      }
      // A file the server no longer has is uploaded again on the next send.
      const cur = find(id)!;
      patch(id, {
        status: 'failed',
        error: deps.messageOf(e),
        photos: code.startsWith('FILE.') ? cur.photos.map((p) => ({ ...p, fileId: null })) : cur.photos,
      });
      out.failed.push(id);
      return 'failed';
    }
  }

  async function flushNow(): Promise<FlushResult> {
    const out: FlushResult = { sent: [], failed: [], waiting: 0 };
    const tried = new Set<string>();
    // Notes queued while this run is under way are picked up by it too.
    for (let e = entries.find((x) => x.status === 'queued'); e; e = entries.find((x) => x.status === 'queued' && !tried.has(x.clientId))) {
      tried.add(e.clientId);
      if ((await sendOne(e.clientId, out)) === 'offline') break;
    }
    out.waiting = entries.filter((e) => e.status === 'queued').length;
    return out;
  }

  const flush = (): Promise<FlushResult> => {
    if (!flushing) {
      flushing = flushNow().finally(() => {
        flushing = null;
      });
    }
    return flushing;
  };

  return {
    list: (): OutboxEntry[] => entries,
    get: (clientId: string): OutboxEntry | undefined => find(clientId),
    /** 0–100 while a photo uploads; undefined before. */
    progressOf: (ref: string): number | undefined => progress.get(ref),

    /** Creates or edits a note (not while it is being sent). Photos taken out of it are deleted locally. */
    saveDraft(d: OutboxDraft): OutboxEntry {
      const cur = find(d.clientId);
      if (cur?.status === 'sending') throw new Error('outbox: entry is being sent');
      const kept = new Set(d.photos.map((p) => p.ref));
      for (const p of cur?.photos ?? []) if (!kept.has(p.ref)) void deps.dropPhoto(p.ref).catch(() => undefined);
      const entry: OutboxEntry = { ...d, status: 'draft', error: null, attempts: cur?.attempts ?? 0, updatedAt: deps.now().toISOString() };
      entries = cur ? entries.map((e) => (e.clientId === d.clientId ? entry : e)) : [...entries, entry];
      persist();
      return entry;
    },

    /** Queues a note and tries to send everything queued. */
    async send(clientId: string): Promise<FlushResult> {
      const cur = find(clientId);
      if (cur && cur.status !== 'sending') patch(clientId, { status: 'queued', error: null });
      return flush();
    },

    async remove(clientId: string): Promise<void> {
      const cur = find(clientId);
      if (!cur || cur.status === 'sending') return;
      entries = entries.filter((e) => e.clientId !== clientId);
      persist();
      for (const p of cur.photos) await deps.dropPhoto(p.ref).catch(() => undefined);
    },

    /** One flush at a time: a network-back event and an app-open both join the same run. */
    flush,

    subscribe(fn: () => void): () => void {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
