import { defineCollection } from '../../server/store/store';
import type { Unit, UnitLink, UnitName } from './units.schema';

/** Units by home region, and a district's registry by name. Links to communities live in their own collection (arrays cannot be queried). */
export const units = defineCollection<Unit>({ name: 'units_units', indexes: [['homeRegionId', 'name'], ['districtId', 'name']] });

/** `link:<unit>:<community>`: a community's units. */
export const unitLinks = defineCollection<UnitLink>({ name: 'units_links', indexes: [['communityId', 'at']] });

/** `name:<homeRegion>:<name>`: read and written by id only (uniqueness of names). */
export const unitNames = defineCollection<UnitName>({ name: 'units_names', indexes: [] });
