import type { Category, InboxFilter, Status } from '../../../features/suggestions/suggestions.schema';

export interface Filter {
  status?: Status;
  category?: Category;
  from?: string;
  to?: string;
  q?: string;
}

/** The inbox filter as the contract wants it: absent fields rather than empty ones. */
export const buildFilter = (communityId: string, f: Filter): InboxFilter => ({
  communityId,
  ...(f.status ? { status: f.status } : {}),
  ...(f.category ? { category: f.category } : {}),
  ...(f.from ? { from: f.from } : {}),
  ...(f.to ? { to: f.to } : {}),
  ...(f.q ? { q: f.q } : {}),
});
