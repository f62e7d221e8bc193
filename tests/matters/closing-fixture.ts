/** Matters near their end, written straight into the store (progress actions come with another part of issue 10), and extra residents. */
import { members } from '../../src/features/members/members.collections';
import { matters } from '../../src/features/matters/matters.collections';
import type { Matter } from '../../src/features/matters/matters.schema';
import { matterId } from '../../src/features/matters/matters.service';
import { regionPath } from '../../src/features/regions/regions.service';
import { DEMO_PEOPLE as P, REGION_IDS as R } from '../../src/server/demo/demo-data';
import { readAll } from '../../src/server/read-all';
import { notifyOutbox } from '../../src/server/notify/notify.collections';
import { dataOf, type Harness } from '../support/harness';

export const ADMIN = P.adminPeixin.openid;
export const RESIDENT = P.residentPeixin.openid;
export const OTHER_RESIDENT = P.residentXiaojiaba.openid;
export const YEAR = 2025;

let seq = 0;

/** A matter of 培新街社区 in the given state; with `fromSuggestion`, a resident's suggestion feeds it (so its author is told). */
export async function makeMatter(h: Harness, over: Partial<Matter> = {}, opts: { fromSuggestion?: string } = {}): Promise<string> {
  const n = ++seq;
  let demandId = `demand-closing-${n}`;
  if (opts.fromSuggestion) {
    const sid = dataOf(await h.call('suggestions', 'submit', { requestId: `closing-${n}-abcdefgh`, communityId: R.peixin, category: '公共设施', text: opts.fromSuggestion }, RESIDENT))._id as string;
    demandId = dataOf(await h.call('matters', 'adoptSuggestion', { suggestionId: sid, into: null, title: '小区路灯维修' }, ADMIN)).demandId as string;
  }
  const now = h.services.now().toISOString();
  const doc: Omit<Matter, '_id'> = {
    communityId: R.peixin, districtId: R.hanbin, cityId: R.city, year: YEAR, demandId, title: `实事${n}：小区路灯维修`, category: '公共设施',
    path: (await regionPath(h.services.store, R.peixin))!, state: 'in_progress', leadUnitId: null, supportUnitIds: [], claimedBy: [], progress: 100,
    createdAt: now, updatedAt: now, ...over,
  };
  const id = matterId(demandId);
  await h.services.store.collection(matters).insert(doc, { id });
  return id;
}

export const getMatterDoc = async (h: Harness, id: string) => (await h.services.store.collection(matters).get(id))!;

/** Residents (or other people) who exist only for a test: a member with one grant, signed in by `openid`. */
export async function addPerson(h: Harness, openid: string, grant: Record<string, string> = { role: 'resident', regionId: R.peixin, regionName: '培新街社区' }, name = '王小明'): Promise<string> {
  const m = await h.services.store.collection(members).insert({ openid, name, grants: [grant as never], createdAt: h.services.now().toISOString() }, { id: `m-${openid}` });
  return m._id;
}

export const outbox = async (h: Harness) => (await readAll(h.services.store.collection(notifyOutbox), { orderBy: { field: 'at', direction: 'asc' } })).items;

/** Completed and accepted today by the admin with one named representative; answers the accepted matter's id. */
export async function acceptedMatter(h: Harness, over: Partial<Matter> = {}, extra: Record<string, unknown> = {}): Promise<string> {
  const id = await makeMatter(h, over);
  dataOf(await h.call('matters', 'completeMatter', { matterId: id }, ADMIN));
  const photo = await h.uploadPhoto(ADMIN);
  dataOf(await h.call('matters', 'acceptMatter', { matterId: id, date: '2025-03-03', representatives: [{ name: '王建华' }], notes: '路灯全部点亮，验收合格', photos: [photo], ...extra }, ADMIN));
  return id;
}
