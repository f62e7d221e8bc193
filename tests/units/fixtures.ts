/** Matters on fixed lists, written as fixList writes them (part 1 makes them; these suites only need some to exist). */
import { matters } from '../../src/features/matters/matters.collections';
import type { Matter } from '../../src/features/matters/matters.schema';
import { REGION_IDS as R } from '../../src/server/demo/demo-data';
import type { Fields } from '../../src/server/store/store';
import type { Harness } from '../support/harness';

export const YEAR = 2025;

const PLACES = {
  peixin: { communityId: R.peixin, districtId: R.hanbin, path: [R.city, R.hanbin, R.laocheng, R.peixin] },
  xiaojiaba: { communityId: R.xiaojiaba, districtId: R.hanbin, path: [R.city, R.hanbin, R.jiangbei, R.xiaojiaba] },
  dongcheng: { communityId: R.dongcheng, districtId: R.hanyin, path: [R.city, R.hanyin, R.chengguan, R.dongcheng] },
} as const;

export type Place = keyof typeof PLACES;

export async function addMatter(h: Harness, id: string, place: Place, title: string, extra: Partial<Fields<Matter>> = {}): Promise<string> {
  const p = PLACES[place];
  const now = h.services.now().toISOString();
  await h.services.store.collection(matters).insert(
    {
      communityId: p.communityId, districtId: p.districtId, cityId: R.city, year: YEAR, demandId: `dm-${id}`, title, category: '公共设施', path: [...p.path],
      state: 'planning', leadUnitId: null, supportUnitIds: [], claimedBy: [], progress: 0, createdAt: now, updatedAt: now, ...extra,
    },
    { id: `matter:dm-${id}` },
  );
  return `matter:dm-${id}`;
}

/** A new staff member from an invitation code (a fresh openid redeems it). */
export async function redeem(h: Harness, code: string, openid: string, name: string) {
  const r = await h.call('members', 'redeemInvitation', { code, name }, openid);
  if (!r.ok) throw new Error(`redeem failed: ${r.error.code}`);
  return r.data;
}
