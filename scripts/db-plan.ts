/**
 * What `npm run deploy:db` does, without doing it: the collections declared in code and the CloudBase
 * indexes they need, compared with what an environment already has. Pure apart from `declaredCollections`,
 * which reads src/**\/*.collections.ts — the one place collections are declared (a new area's file is
 * picked up without registering it anywhere).
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { CollectionSpec } from '../src/server/store/store';

/** CloudBase allows at most 20 indexes per collection, the built-in `_id_` included. */
export const MAX_INDEXES = 20;
export const ID_INDEX = '_id_';

export interface IndexKey {
  Name: string;
  Direction: string;
}

export interface PlannedIndex {
  name: string;
  /** The declared fields followed by `_id`: the adapter orders every page by (field, _id). */
  keys: IndexKey[];
}

export interface DeclaredCollection {
  name: string;
  /** Where it is declared, relative to the repo root. */
  file: string;
  indexes: PlannedIndex[];
}

/** What an environment has for one collection: null when it does not exist. */
export interface ExistingCollection {
  indexes: { name: string; keys: IndexKey[] }[];
}

export type IndexStep = { index: PlannedIndex; action: 'create' } | { index: PlannedIndex; action: 'exists'; as: string } | { index: PlannedIndex; action: 'blocked'; reason: string };

export interface CollectionPlan {
  name: string;
  createCollection: boolean;
  steps: IndexStep[];
  /** Indexes present in the environment that code does not declare (kept: dropping is a console decision). */
  extra: string[];
  /** Set when nothing may be done for this collection (e.g. over the index limit). */
  error?: string;
}

const isSpec = (v: unknown): v is CollectionSpec =>
  !!v && typeof v === 'object' && typeof (v as CollectionSpec).name === 'string' && Array.isArray((v as CollectionSpec).indexes);

/** `ix_` + the fields; long names are cut and made unique with a short hash. */
export function indexName(fields: string[]): string {
  const plain = `ix_${fields.map((f) => f.replace(/[^A-Za-z0-9]/g, '_')).join('_')}`;
  if (plain.length <= 48) return plain;
  return `${plain.slice(0, 39)}_${createHash('sha256').update(fields.join(',')).digest('hex').slice(0, 8)}`;
}

/** A declared index (a field or a compound list) as CloudBase keys; null for `_id` alone (always indexed). */
export function planIndex(spec: string | string[]): PlannedIndex | null {
  const fields = typeof spec === 'string' ? [spec] : [...spec];
  if (fields.length === 0) throw new Error('an index needs at least one field');
  if (fields.length === 1 && fields[0] === '_id') return null;
  const keyed = fields[fields.length - 1] === '_id' ? fields : [...fields, '_id'];
  return { name: indexName(fields), keys: keyed.map((f) => ({ Name: f, Direction: '1' })) };
}

export function declare(spec: CollectionSpec, file: string): DeclaredCollection {
  const indexes: PlannedIndex[] = [];
  for (const s of spec.indexes) {
    const p = planIndex(s);
    if (p && !indexes.some((i) => sameKeys(i.keys, p.keys))) indexes.push(p);
  }
  return { name: spec.name, file, indexes };
}

/** Same fields in the same order, with the same directions or all of them reversed (one index serves both). */
export function sameKeys(a: IndexKey[], b: IndexKey[]): boolean {
  if (a.length !== b.length || a.some((k, i) => k.Name !== b[i]!.Name)) return false;
  const dir = (k: IndexKey) => String(k.Direction);
  const flip = (d: string) => (d === '1' ? '-1' : d === '-1' ? '1' : d);
  return a.every((k, i) => dir(k) === dir(b[i]!)) || a.every((k, i) => flip(dir(k)) === dir(b[i]!));
}

export function planCollection(declared: DeclaredCollection, existing: ExistingCollection | null): CollectionPlan {
  const have = existing?.indexes ?? [];
  const steps: IndexStep[] = declared.indexes.map((index) => {
    const match = have.find((h) => sameKeys(h.keys, index.keys));
    if (match) return { index, action: 'exists', as: match.name };
    const clash = have.find((h) => h.name === index.name);
    if (clash) return { index, action: 'blocked', reason: `an index named ${index.name} exists with other keys (${clash.keys.map((k) => k.Name).join(', ')})` };
    return { index, action: 'create' };
  });
  const extra = have.filter((h) => h.name !== ID_INDEX && !declared.indexes.some((d) => sameKeys(d.keys, h.keys))).map((h) => h.name);
  const plan: CollectionPlan = { name: declared.name, createCollection: existing === null, steps, extra };
  // `_id_` counts towards the limit: a new collection gets it, and an existing one has it whether listed or not.
  const base = existing === null ? 1 : have.length + (have.some((h) => h.name === ID_INDEX) ? 0 : 1);
  const total = base + steps.filter((s) => s.action === 'create').length;
  if (total > MAX_INDEXES) {
    plan.error = `${total} indexes (the built-in ${ID_INDEX} included) exceed CloudBase's limit of ${MAX_INDEXES} per collection`;
  }
  return plan;
}

/** Every `*.collections.ts` under src/, in path order. */
export function collectionFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile() && e.name.endsWith('.collections.ts')) out.push(p);
    }
  };
  visit(join(root, 'src'));
  return out;
}

/** Every collection declared in code (each exported `defineCollection(...)` value), by name. */
export function declaredCollections(root: string): DeclaredCollection[] {
  const byName = new Map<string, DeclaredCollection>();
  for (const file of collectionFiles(root)) {
    const rel = relative(root, file).split(sep).join('/');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if (!isSpec(value)) continue;
      const d = declare(value, rel);
      const seen = byName.get(d.name);
      if (seen && JSON.stringify(seen.indexes) !== JSON.stringify(d.indexes)) {
        throw new Error(`collection ${d.name} is declared twice with different indexes (${seen.file}, ${rel})`);
      }
      if (!seen) byName.set(d.name, d);
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
