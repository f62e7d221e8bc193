import { defineCollection } from '../../server/store/store';
import type { Anomaly, Canteen, Card, CareAlert, DayCounter, Elder, Marker, Meal, MealUndo, MonthCounter } from './canteen.schema';

/**
 * Indexes follow the queries:
 * - canteens by community (admin lists, staff pages)
 * - elders: a community's list by status; the counter's fallback search by exact name or phone tail, city-wide
 * - meals: today's roster of a canteen (newest first); one elder's recent days (absences, status anomalies)
 * - day counters: a canteen's or a district's month (reports sum ≤ 31 × canteens rows, never meals)
 */
export const canteens = defineCollection<Canteen>({ name: 'canteens', indexes: ['communityId', 'districtId'] });

export const elders = defineCollection<Elder>({
  name: 'canteen_elders',
  indexes: [['communityId', 'status', 'createdAt'], ['communityId', 'createdAt'], ['cityId', 'name'], ['cityId', 'phoneLast4'], ['cityId', 'guardianLast4']],
});

/** `_id` = `idh:<hash>` → the elder: a second elder with the same ID number fails the insert. */
export const idKeys = defineCollection<{ elderId: string }>({ name: 'canteen_idkeys', indexes: [] });

export const cards = defineCollection<Card>({ name: 'canteen_cards', indexes: ['elderId'] });

/** Who may show an elder's card on their phone (the elder or family who applied): `_id` = `link:<openid>:<elderId>`. */
export const cardLinks = defineCollection<{ openid: string; elderId: string; createdAt: string }>({ name: 'canteen_links', indexes: [['openid', 'createdAt']] });

export const meals = defineCollection<Meal>({
  name: 'canteen_meals',
  indexes: [['canteenId', 'day', 'at'], ['elderId', 'day'], ['districtId', 'day']],
});

export const mealUndos = defineCollection<MealUndo>({ name: 'canteen_meal_undos', indexes: [['canteenId', 'day']] });

export const dayCounters = defineCollection<DayCounter>({
  name: 'canteen_days',
  indexes: [['canteenId', 'month', 'day'], ['districtId', 'month'], ['districtId', 'day']],
});

export const monthCounters = defineCollection<MonthCounter>({ name: 'canteen_months', indexes: [] });
export const markers = defineCollection<Marker>({ name: 'canteen_markers', indexes: [] });

/** Failed card codes per staff member per 10 minutes: `_id` = `fail:<memberId>:<window>`. */
export const failures = defineCollection<{ n: number }>({ name: 'canteen_failures', indexes: [] });

export const anomalies = defineCollection<Anomaly>({
  name: 'canteen_anomalies',
  indexes: [['communityId', 'at'], ['districtId', 'at'], ['elderCommunityId', 'at']],
});

/** Generic follow-up list for grid workers; the canteen writes `kind: 'canteen_absence'`. */
export const careAlerts = defineCollection<CareAlert>({ name: 'care_alerts', indexes: [['communityId', 'createdAt'], ['householdOrElderRef', 'createdAt']] });
