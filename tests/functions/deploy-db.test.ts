/**
 * `npm run deploy:db`: the dry run lists every collection and index declared in code without credentials
 * or network; the plan is idempotent against what an environment already has and keeps CloudBase's limits.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { collectionFiles, declare, MAX_INDEXES, planCollection, planIndex, type ExistingCollection } from '../../scripts/db-plan';
import type { CollectionSpec } from '../../src/server/store/store';
import { ROOT, tempDir } from '../host/fixtures';

jest.setTimeout(60_000);

/** Runs the dry run in a child whose every socket and DNS lookup fails and is counted. */
function dryRun(): { status: number | null; stdout: string; attempts: number } {
  const dir = tempDir('deploy-db');
  const guard = join(dir, 'no-network.js');
  const counter = join(dir, 'attempts');
  writeFileSync(
    guard,
    `const fs = require('node:fs'); const net = require('node:net'); const dns = require('node:dns');
    let n = 0; const note = () => { n++; fs.writeFileSync(${JSON.stringify(counter)}, String(n)); };
    dns.lookup = function (h, o, cb) { if (typeof o === 'function') cb = o; note(); process.nextTick(() => cb(new Error('blocked'))); return {}; };
    const connect = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (...a) { const o = Array.isArray(a[0]) ? a[0][0] : a[0]; if (o && typeof o === 'object' && o.path) return connect.apply(this, a); note(); process.nextTick(() => this.destroy(new Error('blocked'))); return this; };`,
  );
  writeFileSync(counter, '0');
  const env: NodeJS.ProcessEnv = { ...process.env, TCB_ENV: '', TENCENTCLOUD_SECRETID: '', TENCENTCLOUD_SECRETKEY: '' };
  const r = spawnSync(process.execPath, ['-r', guard, '--import', 'tsx', 'scripts/deploy-db.ts', '--dry-run'], { cwd: ROOT, encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, attempts: Number(readFileSync(counter, 'utf8')) };
}

/** The dry run's block for one collection: its header line up to the next header. */
function block(stdout: string, name: string): string {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${name} `));
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** A collections file's source with the sources it re-exports (`export { … } from '…'`) appended. */
function declaredSource(file: string): string {
  const text = readFileSync(file, 'utf8');
  const reexports = [...text.matchAll(/^export\s+\{[^}]*\}\s+from\s+'([^']+)'/gm)].map((m) => join(dirname(file), `${m[1]!}.ts`));
  return [text, ...reexports.map(declaredSource)].join('\n');
}

test('the dry run lists every declared collection and index, without credentials or network', () => {
  const { status, stdout, attempts } = dryRun();
  expect(status).toBe(0);
  expect(attempts).toBe(0);
  const files = collectionFiles(ROOT);
  expect(files.length).toBeGreaterThanOrEqual(6);
  const collections = new Set<string>();
  for (const file of files) {
    // Read the source on its own terms: every defineCollection({ name: '…' }) in the file…
    const names = [...declaredSource(file).matchAll(/defineCollection<[^>]*>\(\{\s*name:\s*'([^']+)'/g)].map((m) => m[1]!);
    // …and every exported spec with its indexes.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const specs = Object.values(require(file) as Record<string, unknown>).filter((v): v is CollectionSpec => !!v && typeof (v as CollectionSpec).name === 'string');
    expect(specs.map((s) => s.name).sort()).toEqual([...names].sort());
    for (const spec of specs) {
      collections.add(spec.name);
      const text = block(stdout, spec.name);
      expect(text).toContain('would create');
      for (const idx of spec.indexes) {
        const fields = typeof idx === 'string' ? [idx] : idx;
        if (fields.length === 1 && fields[0] === '_id') continue;
        // The declared fields in order, then _id (every page is ordered by (field, _id)).
        expect(text).toContain(` ${[...fields, '_id'].join(', ')}   would create`);
      }
      const declaredIndexes = spec.indexes.filter((i) => !(i === '_id' || (Array.isArray(i) && i.length === 1 && i[0] === '_id')));
      if (declaredIndexes.length === 0) expect(text).toContain('(no indexes besides _id)');
    }
  }
  expect(stdout).toMatch(new RegExp(`^deploy:db --dry-run: ${collections.size} collections`, 'm'));
});

describe('the plan', () => {
  const elders = declare({ name: 'canteen_elders', indexes: [['communityId', 'status', 'createdAt'], 'cityId', '_id'] }, 'x.collections.ts');

  test('compound indexes keep their field order and end with _id; _id alone is built in', () => {
    expect(planIndex('_id')).toBeNull();
    expect(planIndex(['_id'])).toBeNull();
    expect(planIndex(['a', 'b'])!.keys.map((k) => k.Name)).toEqual(['a', 'b', '_id']);
    expect(planIndex(['a', '_id'])!.keys.map((k) => k.Name)).toEqual(['a', '_id']);
    expect(elders.indexes.map((i) => i.name)).toEqual(['ix_communityId_status_createdAt', 'ix_cityId']);
    // Long names stay within limits and stay distinct.
    const long1 = planIndex(['householdOrElderRef', 'someVeryLongFieldName', 'anotherLongField', 'a'])!.name;
    const long2 = planIndex(['householdOrElderRef', 'someVeryLongFieldName', 'anotherLongField', 'b'])!.name;
    expect(long1.length).toBeLessThanOrEqual(48);
    expect(long1).not.toBe(long2);
  });

  test('a new collection gets everything; running again against the result does nothing', () => {
    const first = planCollection(elders, null);
    expect(first.createCollection).toBe(true);
    expect(first.steps.map((s) => s.action)).toEqual(['create', 'create']);
    const after: ExistingCollection = {
      indexes: [{ name: '_id_', keys: [{ Name: '_id', Direction: '1' }] }, ...first.steps.map((s) => ({ name: s.index.name, keys: s.index.keys }))],
    };
    const second = planCollection(elders, after);
    expect(second.createCollection).toBe(false);
    expect(second.steps.map((s) => s.action)).toEqual(['exists', 'exists']);
    expect(second.extra).toEqual([]);
    expect(second.error).toBeUndefined();
  });

  test('an index made by hand with the same keys counts, under any name or with every direction reversed', () => {
    const plan = planCollection(elders, {
      indexes: [
        { name: 'by_community', keys: ['communityId', 'status', 'createdAt', '_id'].map((Name) => ({ Name, Direction: '-1' })) },
        { name: 'by_city_desc', keys: [{ Name: 'cityId', Direction: '1' }, { Name: '_id', Direction: '-1' }] },
        { name: 'legacy', keys: [{ Name: 'name', Direction: '1' }] },
      ],
    });
    expect(plan.steps.map((s) => s.action)).toEqual(['exists', 'create']);
    expect(plan.steps[0]).toMatchObject({ as: 'by_community' });
    // Mixed directions are another index; an undeclared one is reported and kept.
    expect(plan.extra).toEqual(['by_city_desc', 'legacy']);
  });

  test('a name taken by other keys is not overwritten', () => {
    const plan = planCollection(elders, { indexes: [{ name: 'ix_cityId', keys: [{ Name: 'cityId', Direction: '1' }] }] });
    expect(plan.steps[1]).toMatchObject({ action: 'blocked' });
  });

  test(`no collection passes ${MAX_INDEXES} indexes, _id_ included`, () => {
    const nineteen = Array.from({ length: 19 }, (_, i) => `f${i}`);
    expect(planCollection(declare({ name: 'ok', indexes: nineteen }, 'x'), null).error).toBeUndefined();
    expect(planCollection(declare({ name: 'over', indexes: [...nineteen, 'f19'] }, 'x'), null).error).toMatch(/20/);
    // Existing undeclared indexes count too.
    const existing: ExistingCollection = { indexes: Array.from({ length: 5 }, (_, i) => ({ name: `old${i}`, keys: [{ Name: `old${i}`, Direction: '1' }] })) };
    expect(planCollection(declare({ name: 'crowded', indexes: nineteen.slice(0, 15) }, 'x'), existing).error).toMatch(/21 indexes/);
  });
});
