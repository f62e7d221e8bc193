/**
 * The grid worker's outbox on this device (see features/visits/visits.outbox.ts): notes in storage,
 * photos kept by outbox-device(.weapp).ts, sent through the API. Started when a grid worker opens the
 * app, and again whenever the network comes back.
 */
import { useEffect, useState } from 'react';
import { createOutbox, type Outbox, type OutboxEntry } from '../features/visits/visits.outbox';
import { api } from './api';
import { displayMessage, toApiError } from './api-error';
import { onNetworkBack, photoStore } from './outbox-device';
import { readStored, writeStored } from './storage';
import { transport } from './transport';
import type { LocalImage } from './transport-types';

/** Storage key of the outbox's notes (tests/h5/UI-MAP.md). */
export const OUTBOX_KEY = 'shishi.visits.outbox';

let box: Outbox | null = null;
let stopListening: (() => void) | null = null;

export function visitOutbox(): Outbox {
  if (!box) {
    box = createOutbox({
      load: () => readStored<OutboxEntry[]>(OUTBOX_KEY) ?? [],
      save: (entries) => writeStored(OUTBOX_KEY, entries.length ? entries : null),
      upload: async (ref, onProgress) => (await transport.upload(await photoStore.image(ref), 'visits', onProgress)).fileId,
      record: (input) => api.visits.record(input),
      dropPhoto: (ref) => photoStore.drop(ref),
      codeOf: (e) => ((e as { code?: string } | null)?.code === 'FILE.LOCAL_MISSING' ? 'FILE.LOCAL_MISSING' : toApiError(e).code),
      messageOf: (e) => ((e as { code?: string } | null)?.code === 'FILE.LOCAL_MISSING' ? '照片已从手机中丢失，请删除后重拍' : displayMessage(toApiError(e))),
      now: () => new Date(),
    });
  }
  return box;
}

/** Once per app run: send what is waiting now and whenever the network returns. */
export function startVisitOutbox(): void {
  const b = visitOutbox();
  if (!stopListening) stopListening = onNetworkBack(() => void b.flush());
  if (b.list().some((e) => e.status === 'queued')) void b.flush();
}

/** Compresses a picked photo and keeps it on the device; returns its ref. */
export async function keepPhoto(image: LocalImage, key: string): Promise<string> {
  return photoStore.keep(await transport.compress(image), key);
}

export const photoPreview = (ref: string): Promise<string> => photoStore.preview(ref);

/** Re-renders on every outbox change (entries, per-photo progress). */
export function useVisitOutbox(): { outbox: Outbox; entries: OutboxEntry[] } {
  const outbox = visitOutbox();
  const [, bump] = useState(0);
  useEffect(() => outbox.subscribe(() => bump((n) => n + 1)), [outbox]);
  return { outbox, entries: outbox.list() };
}

/** A fresh client id for a new note (crypto-random where available). */
export function newClientId(): string {
  const bytes = new Uint8Array(16);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return `v${Date.now().toString(36)}${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').slice(0, 20)}`;
}
