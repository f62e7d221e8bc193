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

/**
 * Links reused for a few minutes: a matter page lists a hundred photos, and signing each on every read
 * costs more than the rest of the read. A reused link keeps at least `ttl - reuse` of its life.
 */
export function reusingSigner(sign: (fileId: string) => string, now: () => Date, reuseMs = 5 * 60_000, max = 20_000): (fileId: string) => string {
  const signed = new Map<string, { url: string; at: number }>();
  return (fileId) => {
    const t = now().getTime();
    const hit = signed.get(fileId);
    if (hit && t - hit.at < reuseMs && t >= hit.at) return hit.url;
    if (signed.size >= max) signed.clear();
    const url = sign(fileId);
    signed.set(fileId, { url, at: t });
    return url;
  };
}
