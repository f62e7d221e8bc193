import { KEYS, readStored, writeStored } from './storage';

/** H5 keeps the demo sign-in's token; weapp has no token (CloudBase knows the caller). */
export interface Session {
  token: string;
  openid: string;
  /** The demo person's label, shown on the home page. */
  label?: string;
}

let current: Session | null | undefined;

export const getSession = (): Session | null => {
  if (current === undefined) {
    const s = readStored<Session>(KEYS.session);
    current = s && typeof s.token === 'string' && s.token ? s : null;
  }
  return current;
};

export const setSession = (s: Session | null): void => {
  current = s;
  writeStored(KEYS.session, s);
};

/** The caller's openid as the server reported it (members.me); weapp uses it for upload paths. */
let openid: string | null = null;
export const rememberOpenid = (id: string): void => {
  openid = id;
};
export const knownOpenid = (): string | null => openid ?? getSession()?.openid ?? null;
