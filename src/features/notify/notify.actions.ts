/** Subscription messages (订阅消息): template ids for the client, consents, and the demo outbox. */
import { AppError } from '../../lib/errors';
import { defineArea } from '../../server/action';
import { notifyOutbox } from '../../server/notify/notify.collections';
import { notifyContract } from './notify.schema';

const mask = (openid: string): string => (openid.length <= 6 ? '***' : `${openid.slice(0, 3)}***${openid.slice(-3)}`);

export const notifyArea = defineArea('notify', notifyContract, {
  templates: {
    roles: 'signed-in',
    run: async (input, ctx) => ({ templates: ctx.notify.templateIds(input.keys) }),
  },

  subscribe: {
    roles: 'signed-in',
    async run(input, ctx) {
      const keys = [...new Set(input.keys)].filter((k) => ctx.notify.templateIds([k])[k]);
      await ctx.notify.recordConsent(ctx.caller.openid, keys);
      return { recorded: keys.length };
    },
  },

  outbox: {
    roles: ['community_admin', 'district_admin', 'city_admin'],
    async run(input, ctx) {
      if (!ctx.demoMode) throw new AppError('NOTIFY.DEMO_ONLY', '消息发件箱仅在演示模式下可查看');
      const page = await ctx.store.collection(notifyOutbox).find({ orderBy: { field: 'at', direction: 'desc' }, limit: input.limit, cursor: input.cursor ?? null });
      return {
        items: page.items.map((m) => ({ _id: m._id, openidMasked: mask(m.openid), template: m.template, templateId: m.templateId, data: m.data, page: m.page, at: m.at })),
        nextCursor: page.nextCursor,
      };
    },
  },
});
