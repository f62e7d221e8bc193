/** Meal cards: codes, revocation and reissue, printable sheets, family view. */
import { ErrorCodes } from '../../../lib/errors';
import type { ActionContext, AreaActions } from '../../../server/action';
import { canteenKeyring, cityKeys, macFor } from '../canteen.keys';
import { withRetry } from '../../../server/conflict-retry';
import { readAll } from '../../../server/read-all';
import type { TxStore } from '../../../server/store/store';
import { cardLinks, cards, elders } from '../canteen.collections';
import { canteenContract, type Card, type CardView } from '../canteen.schema';
import { type CardParts, formatCode, newCardNo } from '../canteen.token';
import { CanteenErrors, type ElderDoc, elderNotFound, elderScope, err, isCode, randomBytes, regionName } from './shared';

const SHEET_MAX = 300;

function cardCode(ctx: ActionContext, card: Card & { _id: string }): string {
  const city = cityKeys(canteenKeyring(ctx.demoMode), card.cityId);
  const parts: CardParts = { issuer: city.issuer, keyVersion: city.current, cardNo: card._id, generation: card.generation };
  return formatCode(parts, macFor(city.keys.get(city.current)!, parts));
}

async function cardViews(ctx: ActionContext, list: ElderDoc[]): Promise<CardView[]> {
  const withCards = list.filter((e) => e.cardNo);
  const cs = new Map((await ctx.store.collection(cards).getMany(withCards.map((e) => e.cardNo!))).map((c) => [c._id, c]));
  const names = new Map<string, string>();
  const out: CardView[] = [];
  for (const e of withCards) {
    const c = cs.get(e.cardNo!);
    if (!c || c.status !== 'active') continue;
    if (!names.has(e.communityId)) names.set(e.communityId, await regionName(ctx, e.communityId));
    out.push({ elderId: e._id, name: e.name, communityName: names.get(e.communityId)!, code: cardCode(ctx, c), generation: c.generation });
  }
  return out;
}

/** Issues a card (a fresh random number; a collision is retried) and links it to the elder. */
export async function issueCard(tx: TxStore, ctx: ActionContext, elder: ElderDoc): Promise<ElderDoc> {
  for (let attempt = 0; ; attempt++) {
    const no = newCardNo(randomBytes);
    try {
      await tx.collection(cards).insert(
        { elderId: elder._id, cityId: elder.cityId, generation: 0, status: 'active', issuedAt: ctx.now().toISOString(), revokedAt: null, revokedReason: null },
        { id: no },
      );
      return tx.collection(elders).update(elder._id, elder._rev, { cardNo: no });
    } catch (e) {
      if (!isCode(e, ErrorCodes.DUPLICATE) || attempt >= 5) throw e;
    }
  }
}

export const cardActions = {
  revokeCard: {
    roles: ['community_admin'],
    scope: elderScope,
    async run(input, ctx) {
      const e = await ctx.store.collection(elders).get(input.elderId);
      if (!e) throw elderNotFound();
      if (!e.cardNo) throw err(CanteenErrors.NO_CARD, '该老人还没有助餐卡');
      const now = ctx.now().toISOString();
      const cardNo = e.cardNo;
      const saved = await withRetry(async () => {
        const card = await ctx.store.collection(cards).get(cardNo);
        if (!card) throw err(CanteenErrors.NO_CARD, '该老人还没有助餐卡');
        const patch: Partial<Card> = input.reissue
          ? { generation: card.generation + 1, status: 'active', issuedAt: now, revokedAt: now, revokedReason: input.reason }
          : { status: 'revoked', revokedAt: now, revokedReason: input.reason };
        return ctx.store.collection(cards).update(card._id, card._rev, patch);
      });
      ctx.log.info('card revoked', { elderId: e._id, reissued: input.reissue, generation: saved.generation, requestId: ctx.requestId });
      if (saved.status !== 'active') return { card: null };
      return { card: { elderId: e._id, name: e.name, communityName: await regionName(ctx, e.communityId), code: cardCode(ctx, saved), generation: saved.generation } };
    },
  },

  cardSheet: {
    roles: ['community_admin'],
    scope: (input) => input.communityId,
    async run(input, ctx) {
      const list = input.elderIds
        ? (await ctx.store.collection(elders).getMany(input.elderIds)).filter((e) => e.communityId === input.communityId)
        : (await readAll(ctx.store.collection(elders), { where: { communityId: input.communityId, status: 'approved' }, orderBy: { field: 'createdAt', direction: 'asc' } }, SHEET_MAX)).items;
      return { items: await cardViews(ctx, list.filter((e) => e.status === 'approved')) };
    },
  },

  myCards: {
    roles: 'signed-in',
    async run(_input, ctx) {
      const links = await ctx.store.collection(cardLinks).find({ where: { openid: ctx.caller.openid }, orderBy: { field: 'createdAt', direction: 'asc' }, limit: 20 });
      const list = await ctx.store.collection(elders).getMany(links.items.map((l) => l.elderId));
      const views = new Map((await cardViews(ctx, list.filter((e) => e.status === 'approved'))).map((v) => [v.elderId, v]));
      const communityNames = new Map<string, string>();
      const items = [];
      for (const e of list) {
        if (!communityNames.has(e.communityId)) communityNames.set(e.communityId, await regionName(ctx, e.communityId));
        const v = views.get(e._id);
        items.push({ elderId: e._id, name: e.name, communityName: communityNames.get(e.communityId)!, code: v?.code ?? '', generation: v?.generation ?? 0, status: e.status });
      }
      return { items };
    },
  },
} satisfies Partial<AreaActions<typeof canteenContract>>;
