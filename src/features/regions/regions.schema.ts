import { z } from 'zod';
import { defineContract } from '../../lib/contract';

export const RegionKind = z.enum(['city', 'district', 'street', 'community', 'grid']);
export type RegionKind = z.infer<typeof RegionKind>;

/** A node of city → district → street → community → grid. `path` lists ancestors' ids, root first, then itself. */
export const Region = z.object({
  _id: z.string(),
  kind: RegionKind,
  name: z.string().min(1).max(50),
  parentId: z.string().nullable(),
  path: z.array(z.string()).min(1),
});
export type Region = z.infer<typeof Region>;

export const CommunityOption = z.object({ _id: z.string(), name: z.string(), districtName: z.string() });

export const regionsContract = defineContract({
  /** Communities a person can join (public: shown before sign-up). */
  listCommunities: { input: z.object({}), output: z.object({ items: z.array(CommunityOption) }) },
  /** Direct children of a region, for district/city dashboards. */
  children: { input: z.object({ regionId: z.string().min(1) }), output: z.object({ items: z.array(Region) }) },
});
