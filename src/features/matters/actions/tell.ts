import type { ActionContext } from '../../../server/action';
import { readAll } from '../../../server/read-all';
import { tellAuthorsOfProgress } from '../../suggestions/suggestions.service';
import { demands, demandSources } from '../matters.collections';

/**
 * As a demand moves on (公示, fixed, started, done, 回访): the authors of the suggestions behind these demands (and those merged
 * into them) are told, each under their own suggestion; without their consent nothing is sent.
 */
export async function tellAuthors(ctx: ActionContext, roots: string[], status: string, textFor: (rootId: string) => string): Promise<void> {
  const rootOf = new Map(roots.map((id) => [id, id]));
  let frontier = roots;
  while (frontier.length) {
    const next: string[] = [];
    for (let i = 0; i < frontier.length; i += 50) {
      for (const d of (await readAll(ctx.store.collection(demands), { where: { mergedInto: { in: frontier.slice(i, i + 50) } } }, 5000)).items) {
        rootOf.set(d._id, rootOf.get(d.mergedInto!)!);
        next.push(d._id);
      }
    }
    frontier = next;
  }
  const bySuggestion = new Map<string, string>();
  const ids = [...rootOf.keys()];
  for (let i = 0; i < ids.length; i += 50) {
    for (const src of (await readAll(ctx.store.collection(demandSources), { where: { demandId: { in: ids.slice(i, i + 50) } } }, 20_000)).items) {
      if (src.kind === 'suggestion') bySuggestion.set(src.ref, rootOf.get(src.demandId)!);
    }
  }
  await tellAuthorsOfProgress(ctx, [...bySuggestion.keys()], status, (sid) => textFor(bySuggestion.get(sid)!));
}
