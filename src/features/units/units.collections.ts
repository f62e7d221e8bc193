import { defineCollection } from '../../server/store/store';
import type { Unit } from './units.schema';

/** Units by home region (a district's registry). Links to communities live in their own collection (arrays cannot be queried). */
export const units = defineCollection<Unit>({ name: 'units_units', indexes: [['homeRegionId', 'name']] });
