/** The units area's door for other areas: unit lookups, and a unit as a scope resource. */
import { AppError } from '../../lib/errors';
import type { ResolvedResource } from '../../server/scope';
import type { Store, Stored, TxStore } from '../../server/store/store';
import { units } from './units.collections';
import type { Unit } from './units.schema';

export type { Unit };

export const unitsByIds = (store: Store | TxStore, ids: string[]): Promise<Stored<Unit>[]> => store.collection(units).getMany([...new Set(ids)]);

/** A unit: its home region's path, and its own contacts (unit_contact grants naming it). */
export async function unitResource(store: Store, id: string): Promise<ResolvedResource | null> {
  const u = await store.collection(units).get(id);
  if (!u) throw new AppError('UNITS.NOT_FOUND', '共建单位不存在');
  return { path: u.path, holds: (g) => g.role === 'unit_contact' && g.unitId === id };
}
