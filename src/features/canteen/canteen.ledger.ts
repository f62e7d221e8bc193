/**
 * Server only: writing a meal and keeping the report counters in step with it, inside one transaction.
 * Reports read these counters (≤ 31 rows per canteen a month), never the meals themselves.
 */
import type { Fields, Stored, TxCollection, TxStore } from '../../server/store/store';
import { dayCounters, markers, meals, mealUndos, monthCounters } from './canteen.collections';
import { dayCounterId, markerId, monthCounterId } from './canteen.rules';
import type { DayCounter, Meal, MealUndo } from './canteen.schema';

/**
 * Inserts `init` or adds `deltas` to what is there. If a concurrent transaction inserts the id between our
 * read and our insert, the insert's STORE.DUPLICATE aborts the transaction (as on CloudBase): callers run
 * it under withRetry({ duplicates: true }) and the next attempt reads the counter and adds to it.
 */
async function upsertAdd<T>(col: TxCollection<T>, id: string, init: Fields<T>, deltas: Record<string, number>): Promise<void> {
  if (await col.get(id)) await col.increment(id, deltas);
  else await col.insert(init, { id });
}

/** Meals of one elder in one bucket; returns +1 when it went 0 → 1, −1 when 1 → 0, else 0. */
async function bumpMarker(tx: TxStore, id: string, delta: 1 | -1): Promise<number> {
  const col = tx.collection(markers);
  if (!(await col.get(id))) {
    if (delta < 0) return 0;
    await col.insert({ n: 1 }, { id });
    return 1;
  }
  const after = (await col.increment(id, { n: delta })).n;
  if (delta > 0 && after === 1) return 1;
  if (delta < 0 && after === 0) return -1;
  return 0;
}

async function bumpMonth(tx: TxStore, id: string, delta: number): Promise<void> {
  if (delta === 0) return;
  await upsertAdd(tx.collection(monthCounters), id, { elders: Math.max(0, delta) }, { elders: delta });
}

/** Adds (+1) or removes (−1) one meal's share of every counter. */
async function count(tx: TxStore, m: Fields<Meal>, sign: 1 | -1): Promise<void> {
  const cd = await bumpMarker(tx, markerId('cd', m.canteenId, m.day, m.elderId), sign);
  const cm = await bumpMarker(tx, markerId('cm', m.canteenId, m.month, m.elderId), sign);
  const dd = await bumpMarker(tx, markerId('dd', m.districtId, m.day, m.elderId), sign);
  const dm = await bumpMarker(tx, markerId('dm', m.districtId, m.month, m.elderId), sign);
  await bumpMonth(tx, monthCounterId('c', m.canteenId, m.month), cm);
  await bumpMonth(tx, monthCounterId('d', m.districtId, m.day), dd);
  await bumpMonth(tx, monthCounterId('d', m.districtId, m.month), dm);
  const deltas: Record<string, number> = {
    meals: sign,
    cash: sign * m.price,
    subsidy: sign * m.subsidy,
    elders: cd,
    [`tiers.${m.tierKey}.meals`]: sign,
    [`tiers.${m.tierKey}.cash`]: sign * m.price,
  };
  const init: Fields<DayCounter> = {
    canteenId: m.canteenId,
    communityId: m.communityId,
    districtId: m.districtId,
    cityId: m.cityId,
    day: m.day,
    month: m.month,
    meals: 1,
    cash: m.price,
    subsidy: m.subsidy,
    elders: cd,
    tiers: { [m.tierKey]: { meals: 1, cash: m.price } },
  };
  if (sign < 0) {
    await tx.collection(dayCounters).increment(dayCounterId(m.canteenId, m.day), deltas);
    return;
  }
  await upsertAdd(tx.collection(dayCounters), dayCounterId(m.canteenId, m.day), init, deltas);
}

/**
 * Writes the meal under its deterministic id and counts it; 'duplicate' when the id is taken (the elder
 * already ate). Reads the id first: inside a transaction a duplicate insert aborts everything.
 * Run it in its own transaction under withRetry({ duplicates: true }). The SQLite store's group commit
 * writes check-ins that arrive together with one fsync; there is no batching here.
 */
export async function recordMeal(tx: TxStore, id: string, m: Fields<Meal>): Promise<'recorded' | 'duplicate'> {
  if (await tx.collection(meals).get(id)) return 'duplicate';
  await tx.collection(meals).insert(m, { id });
  await count(tx, m, 1);
  return 'recorded';
}

/** Moves the meal to the undo log with who and why, frees its id, and takes it out of the counters. */
export async function undoMeal(tx: TxStore, meal: Stored<Meal>, undo: { undoneAt: string; undoneBy: string; undoReason: string }): Promise<void> {
  const { _id, _rev, ...fields } = meal;
  const record: Fields<MealUndo> = { ...fields, ...undo };
  await tx.collection(mealUndos).insert(record, { id: `undo:${_id}:${undo.undoneAt}` });
  if (!(await tx.collection(meals).remove(_id, _rev))) throw new Error('meal vanished during undo');
  await count(tx, fields, -1);
}
