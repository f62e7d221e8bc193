/** Server only: telling a suggestion's author (and no one else) that something happened to it. */
import type { ActionContext } from '../../server/action';
import type { Stored } from '../../server/store/store';
import { shanghaiDateTime } from '../../server/xlsx';
import { excerpt } from './suggestions.rules';
import { STATUS_LABELS, type Suggestion } from './suggestions.schema';

/** A reply or status change of a box suggestion; without the author's consent nothing is sent. */
export async function tellAuthor(ctx: Pick<ActionContext, 'notify'>, s: Stored<Suggestion>, text: string | undefined): Promise<void> {
  if (s.source !== 'box' || !s.authorOpenid) return;
  await ctx.notify.send({
    openid: s.authorOpenid,
    template: 'suggestion_reply',
    page: `pages/suggestion/index?id=${s._id}`,
    data: { title: excerpt(s.text, 20), status: STATUS_LABELS[s.status], reply: text || STATUS_LABELS[s.status], time: shanghaiDateTime(s.updatedAt) },
  });
}
