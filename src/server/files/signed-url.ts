/** Short-lived signed links for the local host's `/files/<id>` route (CloudBase has its own temp URLs). */
import { createHmac, timingSafeEqual } from 'node:crypto';

const mac = (fileId: string, exp: number, secret: string) =>
  createHmac('sha256', secret).update(`file\n${fileId}\n${exp}`).digest('hex');

export function signFileUrl(fileId: string, secret: string, now: Date, ttlSeconds = 3600): string {
  const exp = Math.floor(now.getTime() / 1000) + ttlSeconds;
  return `/files/${encodeURIComponent(fileId)}?exp=${exp}&sig=${mac(fileId, exp, secret)}`;
}

/** True only for an unexpired link signed with `secret` for exactly this file. */
export function verifyFileUrl(fileId: string, exp: string | number, sig: string, secret: string, now: Date): boolean {
  const expText = String(exp);
  if (!/^\d{1,12}$/.test(expText) || !/^[0-9a-f]{64}$/.test(sig) || !secret) return false;
  const expSec = Number(expText);
  if (now.getTime() >= expSec * 1000) return false;
  return timingSafeEqual(Buffer.from(mac(fileId, expSec, secret), 'hex'), Buffer.from(sig, 'hex'));
}
