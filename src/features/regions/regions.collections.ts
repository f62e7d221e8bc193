import { defineCollection } from '../../server/store/store';
import type { Region } from './regions.schema';

export const regions = defineCollection<Region>({ name: 'regions', indexes: ['kind', 'parentId'] });
