/** Helpers shared by the canteen's use cases: errors, lookups, access. */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { AppError, ErrorCodes, forbidden, isAppError } from '../../../lib/errors';
import type { ActionContext } from '../../../server/action';
import type { Resource } from '../../../server/scope';
import type { Stored, TxStore } from '../../../server/store/store';
import type { Member } from '../../members/members.schema';
import { ancestry, regionName as regionNameOf, type Region } from '../../regions/regions.service';
import { canteens, elders } from '../canteen.collections';
import type { Canteen, Elder } from '../canteen.schema';

export const CanteenErrors = {
  NOT_FOUND: 'CANTEEN.NOT_FOUND',
  ELDER_NOT_FOUND: 'CANTEEN.ELDER_NOT_FOUND',
  DUPLICATE_ELDER: 'CANTEEN.DUPLICATE_ELDER',
  BAD_TRANSITION: 'CANTEEN.BAD_TRANSITION',
  BAD_PRICES: 'CANTEEN.BAD_PRICES',
  MEAL_NOT_SERVED: 'CANTEEN.MEAL_NOT_SERVED',
  ALREADY_CHECKED_IN: 'CANTEEN.ALREADY_CHECKED_IN',
  NOT_ELIGIBLE: 'CANTEEN.NOT_ELIGIBLE',
  NOT_APPROVED: 'CANTEEN.NOT_APPROVED',
  SUSPENDED: 'CANTEEN.SUSPENDED',
  INACTIVE: 'CANTEEN.INACTIVE',
  NO_PRICE: 'CANTEEN.NO_PRICE',
  UNDO_TOO_LATE: 'CANTEEN.UNDO_TOO_LATE',
  MEAL_NOT_FOUND: 'CANTEEN.MEAL_NOT_FOUND',
  CARD_MALFORMED: 'CANTEEN.CARD_MALFORMED',
  CARD_TRUNCATED: 'CANTEEN.CARD_TRUNCATED',
  CARD_FORGED: 'CANTEEN.CARD_FORGED',
  CARD_TAMPERED: 'CANTEEN.CARD_TAMPERED',
  CARD_OTHER_KEY: 'CANTEEN.CARD_OTHER_KEY',
  CARD_UNKNOWN: 'CANTEEN.CARD_UNKNOWN',
  CARD_REVOKED: 'CANTEEN.CARD_REVOKED',
  TOO_MANY_FAILURES: 'CANTEEN.TOO_MANY_FAILURES',
  NO_CARD: 'CANTEEN.NO_CARD',
  IMPORT_UNREADABLE: 'CANTEEN.IMPORT_UNREADABLE',
} as const;

export const LIST_PAGE = 50;

export type CanteenDoc = Stored<Canteen>;

export type ElderDoc = Stored<Elder>;

export const isCode = (e: unknown, code: string) => isAppError(e) && e.code === code;

export const err = (code: string, message: string) => new AppError(code, message);

const canteenNotFound = () => err(CanteenErrors.NOT_FOUND, '食堂不存在');

export const elderNotFound = () => err(CanteenErrors.ELDER_NOT_FOUND, '助餐对象不存在');

export const badInput = (path: string, message: string) => new AppError(ErrorCodes.INPUT_INVALID, message, [{ path: [path], message }]);

export function me(ctx: ActionContext): Stored<Member> {
  if (!ctx.caller.member) throw forbidden('请先加入社区');
  return ctx.caller.member;
}

// node:crypto: CloudBase's older Node runtimes have no global Web Crypto.
export const randomBytes = (n: number): Uint8Array => cryptoRandomBytes(n);

export async function getCanteen(store: TxStore, id: string): Promise<CanteenDoc> {
  const c = await store.collection(canteens).get(id);
  if (!c) throw canteenNotFound();
  return c;
}

/** District and city of a community, from its region path. */
export async function chainOf(ctx: ActionContext, communityId: string): Promise<{ community: Stored<Region>; districtId: string; cityId: string }> {
  const { regions, idOf } = await ancestry(ctx.store, communityId);
  const community = regions.find((r) => r._id === communityId);
  if (!community || community.kind !== 'community') throw err('CANTEEN.COMMUNITY_NOT_FOUND', '社区不存在');
  return { community, districtId: idOf('district'), cityId: idOf('city') };
}

export const regionName = (ctx: ActionContext, id: string): Promise<string> => regionNameOf(ctx.store, id);

export const elderScope = async (input: { elderId: string }, ctx: ActionContext) => (await ctx.store.collection(elders).get(input.elderId))?.communityId ?? null;

/** The canteen itself: its staff, and admins over its community (dispatch resolves it). */
export const canteenScope = (input: { canteenId: string }): Resource => ({ canteen: input.canteenId });
