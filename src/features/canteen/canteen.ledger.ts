/**
 * Server only: writing a meal and keeping the report counters in step with it, inside one transaction.
 * Reports read these counters (≤ 31 rows per canteen a month), never the meals themselves.
 */
import { ErrorCodes, isAppError } from '../../lib/errors';
import type { Fields, Store, Stored, TxCollection, TxStore } from '../../server/store/store';
import { dayCounters, markers, meals, mealUndos, monthCounters } from './canteen.collections';
import { dayCounterId, markerId, monthCounterId } from './canteen.rules';
import type { DayCounter, Meal, MealUndo } from './canteen.schema';

const isDuplicate = (e: unknown) => isAppError(e) && e.code === ErrorCodes.DUPLICATE;

/** Inserts `init` or, if the id exists (CloudBase has no serialised transactions), adds `deltas`. */
async function upsertAdd<T>(col: TxCollection<T>, id: string, init: Fields<T>, deltas: Record<string, number>): Promise<void> {
  const have = await col.get(id);
  if (have) {
    await col.increment(id, deltas);
    return;
  }
  try {
    await col.insert(init, { id });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
    await col.increment(id, deltas);
  }
}

/** Meals of one elder in one bucket; returns +1 when it went 0 → 1, −1 when 1 → 0, else 0. */
async function bumpMarker(tx: TxStore, id: string, delta: 1 | -1): Promise<number> {
  const col = tx.collection(markers);
  const have = await col.get(id);
  if (!have) {
    if (delta < 0) return 0;
    try {
      await col.insert({ n: 1 }, { id });
      return 1;
    } catch (e) {
      if (!isDuplicate(e)) throw e;
    }
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

/** Inserts the meal under its deterministic id (STORE.DUPLICATE if the elder already ate) and counts it. */
export async function recordMeal(tx: TxStore, id: string, m: Fields<Meal>): Promise<Stored<Meal>> {
  const stored = await tx.collection(meals).insert(m, { id });
  await count(tx, m, 1);
  return stored;
}

/**
 * Group commit for check-ins. Meals that arrive while a write is in flight (or in the same turn of the
 * event loop) are written together in one transaction: one fsync for many meals instead of one each,
 * which is what bounds a counter's throughput on a synchronous=FULL disk. Each meal still gets its own
 * outcome: a meal whose id exists is 'duplicate' and does not disturb the others; any other failure
 * rolls the batch back and every caller in it gets the error (nothing acknowledged is lost). Where a
 * process serves one request at a time (a cloud function instance) batches are simply of one.
 */
const MAX_BATCH = 64;
interface PendingMeal {
  id: string;
  meal: Fields<Meal>;
  resolve: (outcome: 'recorded' | 'duplicate') => void;
  reject: (e: unknown) => void;
}
const queues = new WeakMap<Store, { pending: PendingMeal[]; running: boolean }>();

export function recordMealGrouped(store: Store, id: string, meal: Fields<Meal>): Promise<'recorded' | 'duplicate'> {
  let q = queues.get(store);
  if (!q) queues.set(store, (q = { pending: [], running: false }));
  const queue = q;
  return new Promise((resolve, reject) => {
    queue.pending.push({ id, meal, resolve, reject });
    if (!queue.running) void drain(store, queue);
  });
}

async function drain(store: Store, q: { pending: PendingMeal[]; running: boolean }): Promise<void> {
  q.running = true;
  try {
    while (q.pending.length > 0) {
      // Let the other requests of this turn join the batch.
      await new Promise<void>((r) => setImmediate(r));
      const batch = q.pending.splice(0, MAX_BATCH);
      const outcomes: ('recorded' | 'duplicate')[] = [];
      try {
        await store.transaction(async (tx) => {
          outcomes.length = 0;
          for (const b of batch) {
            try {
              await recordMeal(tx, b.id, b.meal);
              outcomes.push('recorded');
            } catch (e) {
              if (!isDuplicate(e)) throw e;
              outcomes.push('duplicate');
            }
          }
        });
        batch.forEach((b, i) => b.resolve(outcomes[i]!));
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
  } finally {
    q.running = false;
  }
}

/** Moves the meal to the undo log with who and why, frees its id, and takes it out of the counters. */
export async function undoMeal(tx: TxStore, meal: Stored<Meal>, undo: { undoneAt: string; undoneBy: string; undoReason: string }): Promise<void> {
  const { _id, _rev, ...fields } = meal;
  const record: Fields<MealUndo> = { ...fields, ...undo };
  await tx.collection(mealUndos).insert(record, { id: `undo:${_id}:${undo.undoneAt}` });
  if (!(await tx.collection(meals).remove(_id, _rev))) throw new Error('meal vanished during undo');
  await count(tx, fields, -1);
}
