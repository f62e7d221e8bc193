/**
 * Server code draws randomness from node:crypto: a global Web Crypto is not there on every CloudBase
 * runtime (Node 16 has none), and a missing one turned invitation codes into INTERNAL errors.
 * Client-shared files (schemas, rules, labels) take their random source as a parameter.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../host/fixtures';

const SHARED_WITH_CLIENT = /\.(schema|rules|labels)\.ts$/;

function serverFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...serverFiles(p));
    else if (/\.tsx?$/.test(e.name) && !SHARED_WITH_CLIENT.test(e.name)) out.push(p);
  }
  return out;
}

test('no server file relies on a global Web Crypto', () => {
  const files = [...serverFiles(join(ROOT, 'src', 'server')), ...serverFiles(join(ROOT, 'src', 'features'))];
  expect(files.length).toBeGreaterThan(20);
  const offenders = files
    .filter((f) => /globalThis\.crypto|(^|[^.\w])crypto\.(getRandomValues|randomUUID|subtle)/m.test(readFileSync(f, 'utf8')))
    .map((f) => relative(ROOT, f));
  expect(offenders).toEqual([]);
});
