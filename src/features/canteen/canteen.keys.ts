/**
 * Server-only keys of the elderly canteen: per-city meal-card signing keys (versioned, for rotation)
 * and the key of the ID-number hash used for duplicate checks.
 *
 * Production: env CANTEEN_KEYS, JSON
 *   { "cities": { "<cityId>": { "issuer": "AK", "current": 1, "keys": { "1": "<64+ hex chars>" } } },
 *     "idHashKey": "<64+ hex chars>" }
 * Demo mode without CANTEEN_KEYS: fixed demo keys (printed demo cards keep working across restarts).
 * Never both missing: outside demo mode a missing configuration is an error, not a silent default.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../lib/errors';
import { macChars, signingInput, type CardParts } from './canteen.token';

export interface CityKeys {
  issuer: string;
  current: number;
  keys: Map<number, Buffer>;
}

export interface CanteenKeyring {
  cities: Map<string, CityKeys>;
  idHashKey: Buffer;
}

const DEMO_CITIES: Record<string, string> = { 'city-ankang': 'AK' };

function demoKeyring(): CanteenKeyring {
  const derive = (label: string) => createHash('sha256').update(`shishi-demo-only|${label}`).digest();
  const cities = new Map<string, CityKeys>();
  for (const [cityId, issuer] of Object.entries(DEMO_CITIES)) {
    cities.set(cityId, { issuer, current: 1, keys: new Map([[1, derive(`card|${cityId}|1`)]]) });
  }
  return { cities, idHashKey: derive('idhash') };
}

const hexKey = (v: unknown, what: string): Buffer => {
  if (typeof v !== 'string' || !/^[0-9a-fA-F]{64,}$/.test(v)) throw new Error(`CANTEEN_KEYS: ${what} must be at least 64 hex characters`);
  return Buffer.from(v, 'hex');
};

/** Parses CANTEEN_KEYS (exported for tests). */
export function parseKeyring(json: string): CanteenKeyring {
  const raw = JSON.parse(json) as { cities?: Record<string, { issuer?: unknown; current?: unknown; keys?: Record<string, unknown> }>; idHashKey?: unknown };
  const cities = new Map<string, CityKeys>();
  for (const [cityId, c] of Object.entries(raw.cities ?? {})) {
    if (typeof c.issuer !== 'string' || !/^[0-9A-HJKMNP-TV-Z]{2}$/.test(c.issuer)) throw new Error(`CANTEEN_KEYS: bad issuer for ${cityId}`);
    const keys = new Map<number, Buffer>();
    for (const [v, k] of Object.entries(c.keys ?? {})) keys.set(Number(v), hexKey(k, `key ${cityId}/${v}`));
    if (typeof c.current !== 'number' || !keys.has(c.current)) throw new Error(`CANTEEN_KEYS: current key of ${cityId} is missing`);
    cities.set(cityId, { issuer: c.issuer, current: c.current, keys });
  }
  return { cities, idHashKey: hexKey(raw.idHashKey, 'idHashKey') };
}

let cached: { source: string; ring: CanteenKeyring } | null = null;

export function canteenKeyring(demoMode: boolean | undefined): CanteenKeyring {
  const source = process.env.CANTEEN_KEYS ?? (demoMode ? 'demo' : '');
  if (!source) throw new AppError('CANTEEN.KEYS_MISSING', '助餐卡密钥未配置，请联系系统管理员');
  if (cached?.source === source) return cached.ring;
  const ring = source === 'demo' ? demoKeyring() : parseKeyring(source);
  cached = { source, ring };
  return ring;
}

export function cityKeys(ring: CanteenKeyring, cityId: string): CityKeys {
  const c = ring.cities.get(cityId);
  if (!c) throw new AppError('CANTEEN.KEYS_MISSING', '本市的助餐卡密钥未配置，请联系系统管理员');
  return c;
}

export const macFor = (key: Buffer, p: CardParts): string => macChars(createHmac('sha256', key).update(signingInput(p)).digest());

export function macMatches(key: Buffer, p: CardParts, mac: string): boolean {
  const want = Buffer.from(macFor(key, p));
  const got = Buffer.from(mac);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Keyed hash of a normalised ID number: equal numbers collide, the number cannot be recovered without the key. */
export const idNumberHash = (ring: CanteenKeyring, normalisedId: string): string =>
  createHmac('sha256', ring.idHashKey).update(`shishi-id/1|${normalisedId}`).digest('hex').slice(0, 40);
