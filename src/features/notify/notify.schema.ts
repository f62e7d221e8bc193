import { z } from 'zod';
import { defineContract } from '../../lib/contract';

/** Template keys the mini-program may ask consent for; their WeChat ids are configuration. */
export const TemplateKey = z.enum(['suggestion_reply', 'milestone_due']);
export type TemplateKey = z.infer<typeof TemplateKey>;

export const OutboxItem = z.object({
  _id: z.string(),
  /** Masked: the demo page shows that it went to someone, not who. */
  openidMasked: z.string(),
  template: z.string(),
  templateId: z.string(),
  data: z.record(z.string(), z.string()),
  page: z.string().nullable(),
  at: z.string(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

export const notifyContract = defineContract({
  /** Configured template ids by key, for `requestSubscribeMessage`; unconfigured keys are left out. */
  templates: {
    input: z.object({ keys: z.array(TemplateKey).max(3) }),
    output: z.object({ templates: z.record(z.string(), z.string()) }),
  },
  /** The keys the person accepted in `requestSubscribeMessage`: one message each may be sent to them. */
  subscribe: {
    input: z.object({ keys: z.array(TemplateKey).min(1).max(3) }),
    output: z.object({ recorded: z.number().int() }),
  },
  /** Demo mode only: the local outbox, newest first. */
  outbox: {
    input: z.object({ cursor: z.string().max(500).nullish(), limit: z.number().int().min(1).max(50).default(20) }),
    output: z.object({ items: z.array(OutboxItem), nextCursor: z.string().nullable() }),
  },
});
