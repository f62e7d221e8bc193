/** Who is signed in, which of their grants is active, and a small cache so pages share one `me`. */
import { useCallback, useState } from 'react';
import type { Grant, MeView, Role } from '../features/members/members.schema';
import { api } from './api';
import { rememberOpenid } from './session';
import { KEYS, readStored, writeStored } from './storage';

let cached: MeView | null = null;

export const setMe = (me: MeView | null): void => {
  cached = me;
  if (me) rememberOpenid(me.openid);
};

export const loadMe = async (force = false): Promise<MeView> => {
  if (cached && !force) return cached;
  const me = await api.members.me({});
  setMe(me);
  return me;
};

export const grantKey = (g: Pick<Grant, 'role' | 'regionId'>): string => `${g.role}@${g.regionId}`;

const STAFF_FIRST: Role[] = ['community_admin', 'district_admin', 'city_admin', 'grid_worker', 'resident'];

/** The grant the person chose on the home page, else their most senior one. */
export const activeGrant = (me: MeView | null): Grant | null => {
  const grants = me?.member?.grants ?? [];
  if (grants.length === 0) return null;
  const chosen = readStored<string>(KEYS.role);
  const found = chosen ? grants.find((g) => grantKey(g) === chosen) : undefined;
  if (found) return found;
  return [...grants].sort((a, b) => STAFF_FIRST.indexOf(a.role) - STAFF_FIRST.indexOf(b.role))[0] ?? null;
};

export const useActiveGrant = (me: MeView | null): [Grant | null, (g: Grant) => void] => {
  const [, bump] = useState(0);
  const choose = useCallback((g: Grant) => {
    writeStored(KEYS.role, grantKey(g));
    bump((n) => n + 1);
  }, []);
  return [activeGrant(me), choose];
};

/** The community the person lives in (for submitting), preferring the active grant. */
export const residentGrant = (me: MeView | null): Grant | null => {
  const active = activeGrant(me);
  if (active?.role === 'resident') return active;
  return me?.member?.grants.find((g) => g.role === 'resident') ?? null;
};

/** The community the person administers, preferring the active grant. */
export const adminGrant = (me: MeView | null): Grant | null => {
  const active = activeGrant(me);
  if (active?.role === 'community_admin') return active;
  return me?.member?.grants.find((g) => g.role === 'community_admin') ?? null;
};
