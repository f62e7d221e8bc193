/**
 * The ten matters (一社区一年10件实事), part 1 so far: the demand list (需求清单). A demand is fed by
 * sources (a suggestion adopted, an admin's entry; questionnaires and council meetings later); its
 * supporters are distinct people across all of them. Merge, split and undo keep every source.
 */
import { z } from 'zod';
import { defineContract } from '../../lib/contract';
import { Category } from '../suggestions/suggestions.schema';

export const SOURCE_KINDS = ['suggestion', 'admin'] as const;
export const SourceKind = z.enum(SOURCE_KINDS);
export type SourceKind = z.infer<typeof SourceKind>;

export const DemandStatus = z.enum(['open', 'merged']);
export type DemandStatus = z.infer<typeof DemandStatus>;

/** The stored demand. Counters are kept on write (the list never recounts): see demands.rules.ts. */
export const Demand = z.object({
  _id: z.string(),
  communityId: z.string(),
  districtId: z.string(),
  cityId: z.string(),
  year: z.number().int(),
  title: z.string(),
  description: z.string(),
  category: Category,
  status: DemandStatus,
  /** Set while merged into another demand; cleared by undo. */
  mergedInto: z.string().nullable(),
  mergedAt: z.string().nullable(),
  /** Distinct identified supporters across its sources and everything merged into it. */
  supporters: z.number().int().nonnegative(),
  /** Anonymous backers (cannot be told apart), shown beside the figure. */
  anonymous: z.number().int().nonnegative(),
  /** Its own sources (not those of demands merged into it). */
  ownSources: z.number().int().nonnegative(),
  /** Demands merged straight into it. */
  mergedCount: z.number().int().nonnegative(),
  /** Sources by kind, including merged demands': “where it came from” on the list. */
  kinds: z.record(z.string(), z.number().int()),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
});
export type Demand = z.infer<typeof Demand>;

/** The backer tally of one demand (its id is the demand's), apart so list pages stay small. */
export const DemandSupport = z.object({
  _id: z.string(),
  backers: z.record(z.string(), z.number().int().positive()),
  anonymous: z.number().int().nonnegative(),
});
export type DemandSupport = z.infer<typeof DemandSupport>;

/** One source fed into a demand. Its id names what it came from, so a suggestion feeds one demand only. */
export const DemandSource = z.object({
  _id: z.string(),
  demandId: z.string(),
  communityId: z.string(),
  kind: SourceKind,
  /** The suggestion's id; for an admin's entry, the demand it created. */
  ref: z.string(),
  excerpt: z.string(),
  /** Person keys (hashes of member ids), never names. */
  backers: z.array(z.string()),
  anonymous: z.number().int().nonnegative(),
  note: z.string().nullable(),
  at: z.string(),
  by: z.string(),
  /** Set when a split moved it here from another demand. */
  movedFrom: z.string().nullable(),
});
export type DemandSource = z.infer<typeof DemandSource>;

const Id = z.string().min(1).max(100);
const Year = z.number().int().min(2020).max(2100);
const Title = z.string().trim().min(2, '标题至少 2 个字').max(40, '标题最多 40 字');
const Description = z.string().trim().max(500, '说明最多 500 字');
const Note = z.string().trim().min(2, '请写明来由（至少 2 个字）').max(200, '最多 200 字');
const Cursor = z.string().max(500).nullable().optional();

export const DemandRow = Demand.pick({ _id: true, title: true, category: true, status: true, supporters: true, anonymous: true, kinds: true, mergedCount: true, year: true, createdAt: true });
export type DemandRow = z.infer<typeof DemandRow>;

export const SourceView = z.object({
  _id: z.string(),
  kind: SourceKind,
  ref: z.string(),
  excerpt: z.string(),
  supporters: z.number().int(),
  anonymous: z.number().int(),
  note: z.string().nullable(),
  at: z.string(),
  /** The demand it belongs to: this one, or one merged into it. */
  demandId: z.string(),
  movedFrom: z.string().nullable(),
});
export type SourceView = z.infer<typeof SourceView>;

export const DemandDetail = z.object({
  demand: Demand.omit({ createdBy: true }),
  sources: z.array(SourceView),
  /** Demands merged straight into this one (each may be un-merged). */
  merged: z.array(z.object({ _id: z.string(), title: z.string(), supporters: z.number().int(), mergedAt: z.string().nullable() })),
});
export type DemandDetail = z.infer<typeof DemandDetail>;

export const mattersContract = defineContract({
  /** A demand entered by the community, with where it came from (e.g. “居民议事会上多位居民提出”). */
  createDemand: {
    input: z.object({ requestId: Id, communityId: Id, year: Year.optional(), title: Title, description: Description.default(''), category: Category, note: Note }),
    output: Demand,
  },
  /** A suggestion joins the demand list: into an existing demand of its community, or as a new one. */
  adoptSuggestion: {
    input: z.object({
      suggestionId: Id,
      into: Id.nullable().default(null),
      title: Title.optional(),
      reason: z.string().trim().min(2).max(200).default('已纳入社区需求清单'),
    }),
    output: z.object({ demandId: z.string(), created: z.boolean() }),
  },
  /** The three open demands of the suggestion's community most like it (confirm one with adoptSuggestion). */
  similarDemands: {
    input: z.object({ suggestionId: Id }),
    output: z.object({ items: z.array(z.object({ _id: z.string(), title: z.string(), supporters: z.number().int(), score: z.number() })) }),
  },
  listDemands: {
    input: z.object({ communityId: Id, year: Year, sort: z.enum(['supporters', 'newest']).default('supporters'), cursor: Cursor }),
    output: z.object({ items: z.array(DemandRow), nextCursor: z.string().nullable() }),
  },
  getDemand: {
    input: z.object({ id: Id }),
    output: DemandDetail,
  },
  mergeDemands: {
    input: z.object({ into: Id, from: Id }),
    output: Demand,
  },
  undoMerge: {
    input: z.object({ id: Id }),
    output: z.object({ restored: Demand, from: Demand }),
  },
  splitDemand: {
    input: z.object({ id: Id, sourceIds: z.array(Id).min(1).max(100), title: Title, requestId: Id }),
    output: z.object({ kept: Demand, created: Demand }),
  },
});
