/** Test data for the browser layer: a small real PNG, and demo sign-in / submit over HTTP for setup. */
import { rgbPng } from '../../src/server/demo/demo-png';

/** A width×height RGB PNG with a simple pattern (a street lamp photo stand-in). */
export const makePng = (width = 96, height = 64): Buffer =>
  rgbPng(width, height, (x, y) => {
    const lamp = (x - width / 2) ** 2 + (y - height / 3) ** 2 < (height / 6) ** 2;
    return lamp ? [250, 220, 90] : [30 + y, 40 + x, 90];
  });

interface Body<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string };
}

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Body<T>;
  if (!json.ok) throw new Error(`POST ${url} failed: ${json.error?.code} ${json.error?.message}`);
  return json.data as T;
}

/** The demo sign-in the login page uses, done over HTTP (for setup only). */
export const demoToken = async (hostUrl: string, openid: string): Promise<string> =>
  (await post<{ token: string }>(`${hostUrl}/auth/demo`, { openid })).token;

/** Calls an action on the host as `token`. */
export const callAction = <T>(hostUrl: string, token: string, area: string, action: string, input: unknown): Promise<T> =>
  post<T>(`${hostUrl}/fn/${area}`, { action, input }, token);
