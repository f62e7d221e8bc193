/** Query rules shared by the store adapters: declared fields, conditions, limits and cursors. */
import { AppError, ErrorCodes } from '../../lib/errors';
import { MAX_PAGE, type CollectionSpec, type Condition, type FindOptions, type Range, type Scalar, type Where } from './store';

export const DEFAULT_PAGE = 20;

const NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const FIELD_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function assertCollectionName(name: string): void {
  if (!NAME_RE.test(name)) throw new Error(`store: bad collection name ${JSON.stringify(name)}`);
}

/** Every field named in the declared indexes, plus `_id`. Field names are checked so adapters may inline them. */
export function declaredFields(spec: CollectionSpec): Set<string> {
  const fields = new Set<string>(['_id']);
  for (const entry of spec.indexes) {
    for (const f of typeof entry === 'string' ? [entry] : entry) {
      if (!FIELD_RE.test(f) || f === '_rev') throw new Error(`store: bad index field ${JSON.stringify(f)} in ${spec.name}`);
      fields.add(f);
    }
  }
  return fields;
}

export function assertDeclared(fields: Set<string>, field: string, collection: string): void {
  if (!fields.has(field)) {
    throw new Error(`store: field "${field}" is not declared in the indexes of collection "${collection}"`);
  }
}

export type Cond =
  | { kind: 'eq'; value: Scalar }
  | { kind: 'in'; values: Scalar[] }
  | { kind: 'range'; range: Range }
  | { kind: 'contains'; text: string };

const isScalar = (v: unknown): v is Scalar =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** Classifies a condition; anything malformed (undefined, NaN, unknown keys) is a programming error. */
export function parseCondition(field: string, c: Condition | undefined): Cond {
  const bad = (): never => {
    throw new Error(`store: bad condition on "${field}"`);
  };
  if (isScalar(c)) return { kind: 'eq', value: c };
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return bad();
  const keys = Object.keys(c).filter((k) => (c as Record<string, unknown>)[k] !== undefined);
  if ('in' in c && keys.length === 1) {
    if (!Array.isArray(c.in) || !c.in.every(isScalar)) return bad();
    return { kind: 'in', values: c.in };
  }
  if ('contains' in c && keys.length === 1) {
    if (typeof c.contains !== 'string') return bad();
    return { kind: 'contains', text: c.contains };
  }
  const range: Range = {};
  for (const k of keys) {
    if (k !== 'gt' && k !== 'gte' && k !== 'lt' && k !== 'lte') return bad();
    const v = (c as Record<string, unknown>)[k];
    if (!isScalar(v) || v === null) return bad();
    range[k] = v;
  }
  if (keys.length === 0) return bad();
  return { kind: 'range', range };
}

export function parseWhere(where: Where | undefined, fields: Set<string>, collection: string): [string, Cond][] {
  if (!where) return [];
  return Object.keys(where).map((field) => {
    assertDeclared(fields, field, collection);
    return [field, parseCondition(field, where[field])];
  });
}

/** Limit policy: absent → 20; above 100 → clamped to 100; below 1 or not an integer → programming error. */
export function normalizeLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`store: bad limit ${limit}`);
  return Math.min(limit, MAX_PAGE);
}

export interface Order {
  field: string;
  direction: 'asc' | 'desc';
}

export function normalizeOrder(opts: FindOptions, fields: Set<string>, collection: string): Order {
  const order = opts.orderBy ?? { field: '_id', direction: 'asc' as const };
  assertDeclared(fields, order.field, collection);
  if (order.direction !== 'asc' && order.direction !== 'desc') throw new Error(`store: bad direction ${order.direction}`);
  return order;
}

/** Keyset position: the sort value and `_id` of the last item of the previous page. */
export interface CursorPos {
  value: Scalar;
  id: string;
}

const badCursor = () => new AppError(ErrorCodes.INPUT_INVALID, '分页参数无效，请刷新后重试');

export function encodeCursor(order: Order, pos: CursorPos): string {
  return Buffer.from(JSON.stringify([order.field, order.direction, pos.value, pos.id])).toString('base64url');
}

/** Cursors come from clients: a malformed one, or one from another ordering, is bad input. */
export function decodeCursor(cursor: string | null | undefined, order: Order): CursorPos | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw badCursor();
  const [field, direction, value, id] = parsed as unknown[];
  if (field !== order.field || direction !== order.direction || !isScalar(value) || typeof id !== 'string') throw badCursor();
  return { value, id };
}

/** Reads a dotted path from a document. */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Fields a caller may not set: the store manages them. */
export function stripManaged<T extends object>(doc: T): Record<string, unknown> {
  const { _id: _a, _rev: _b, ...rest } = doc as Record<string, unknown>;
  return rest;
}

export const duplicate = () => new AppError(ErrorCodes.DUPLICATE, '记录已存在');
export const conflict = () => new AppError(ErrorCodes.CONFLICT, '数据已被他人修改，请刷新后重试');
export const missing = () => new AppError('STORE.NOT_FOUND', '记录不存在或已被删除');

export function assertDeltas(deltas: Record<string, number>): [string, number][] {
  const entries = Object.entries(deltas);
  if (entries.length === 0) throw new Error('store: increment needs at least one field');
  for (const [f, d] of entries) {
    if (!FIELD_RE.test(f) || f === '_id' || f === '_rev') throw new Error(`store: bad increment field ${JSON.stringify(f)}`);
    if (typeof d !== 'number' || !Number.isFinite(d)) throw new Error(`store: bad increment delta for ${f}`);
  }
  return entries;
}
