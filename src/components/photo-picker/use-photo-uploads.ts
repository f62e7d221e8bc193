import { useCallback, useRef, useState } from 'react';
import { displayMessage, toApiError } from '../../client/api-error';
import { transport } from '../../client/transport';
import type { LocalImage } from '../../client/transport-types';

const MAX_BYTES = 5 * 1024 * 1024;

export interface PhotoItem {
  key: number;
  preview: string;
  status: 'compressing' | 'uploading' | 'done' | 'failed';
  /** 0–100 while uploading. */
  progress: number;
  fileId?: string;
  error?: string;
}

/** Photos of one form: pick → compress → upload with progress; the form submits `fileIds`. */
export function usePhotoUploads(max: number, folder: string) {
  const [items, setItems] = useState<PhotoItem[]>([]);
  const nextKey = useRef(1);
  const locals = useRef(new Map<number, LocalImage>());

  const patch = useCallback((key: number, p: Partial<PhotoItem>) => {
    setItems((list) => list.map((it) => (it.key === key ? { ...it, ...p } : it)));
  }, []);

  const send = useCallback(
    async (key: number, picked: LocalImage) => {
      patch(key, { status: 'compressing', progress: 0, error: undefined });
      const image = await transport.compress(picked);
      locals.current.set(key, image);
      if (image.size > MAX_BYTES) {
        patch(key, { status: 'failed', error: '照片超过 5MB，请换一张' });
        return;
      }
      patch(key, { status: 'uploading', preview: image.path });
      try {
        const up = await transport.upload(image, folder, (progress) => patch(key, { progress }));
        patch(key, { status: 'done', progress: 100, fileId: up.fileId });
      } catch (e) {
        patch(key, { status: 'failed', error: displayMessage(toApiError(e)) });
      }
    },
    [folder, patch],
  );

  const add = useCallback(
    async (room: number) => {
      if (room <= 0) return;
      let picked: LocalImage[];
      try {
        picked = (await transport.chooseImages(room)).slice(0, room);
      } catch {
        return; // cancelled
      }
      const fresh = picked.map((img) => {
        const key = nextKey.current++;
        locals.current.set(key, img);
        return { key, img, item: { key, preview: img.path, status: 'compressing' as const, progress: 0 } };
      });
      setItems((list) => [...list, ...fresh.map((f) => f.item)].slice(0, max));
      await Promise.all(fresh.map((f) => send(f.key, f.img)));
    },
    [max, send],
  );

  const remove = useCallback((key: number) => {
    locals.current.delete(key);
    setItems((list) => list.filter((it) => it.key !== key));
  }, []);

  const retry = useCallback(
    (key: number) => {
      const img = locals.current.get(key);
      if (img) void send(key, img);
    },
    [send],
  );

  const fileIds = items.filter((it) => it.status === 'done' && it.fileId).map((it) => it.fileId as string);
  const busy = items.some((it) => it.status === 'compressing' || it.status === 'uploading');
  const failed = items.some((it) => it.status === 'failed');
  return { items, add: () => add(max - items.length), remove, retry, fileIds, busy, failed };
}
