/**
 * The import rules themselves: a small tree of files that break (and keep) the rules, cruised with the
 * project's .dependency-cruiser.cjs. The real tree is cruised by `npm test`; this proves the rules bite.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
let dir: string;

const files: Record<string, string> = {
  'tsconfig.json': '{"compilerOptions":{"module":"commonjs","moduleResolution":"node"}}',
  'src/features/canteen/canteen.collections.ts': 'export const careAlerts = 1;\n',
  'src/features/canteen/canteen.service.ts': 'export const canteenResource = 1;\n',
  'src/features/canteen/canteen.schema.ts': 'export type Canteen = { name: string };\nexport const Canteen = 1;\n',
  'src/features/canteen/canteen.actions.ts': 'export const canteenArea = 1;\n',
  'src/features/suggestions/suggestions.rules.ts': 'export const suggestionId = 1;\n',
  // An area: another area's service and schema are fine; its collections, rules and actions are not.
  'src/features/visits/visits.use.ts': [
    "import { careAlerts } from '../canteen/canteen.collections';",
    "import { canteenResource } from '../canteen/canteen.service';",
    "import type { Canteen } from '../canteen/canteen.schema';",
    "import { suggestionId } from '../suggestions/suggestions.rules';",
    "import { canteenArea } from '../canteen/canteen.actions';",
    'export const x: [unknown, unknown, unknown, unknown, Canteen | null] = [careAlerts, canteenResource, suggestionId, canteenArea, null];',
  ].join('\n'),
  // server/: only the composition root reaches features; elsewhere type-only contract imports.
  'src/server/dispatch.ts': "import { canteenResource } from '../features/canteen/canteen.service';\nexport const y = canteenResource;\n",
  'src/server/action.ts': "import type { Canteen } from '../features/canteen/canteen.schema';\nexport const a: Canteen | null = null;\n",
  'src/server/host.ts': "import { Canteen } from '../features/canteen/canteen.schema';\nexport const b = Canteen;\n",
  'src/server/access.ts': "import { canteenResource } from '../features/canteen/canteen.service';\nexport const z = canteenResource;\n",
  'src/server/areas.ts': "import { canteenArea } from '../features/canteen/canteen.actions';\nexport const areas = { canteenArea };\n",
  // The client never sees a service.
  'src/client/api.ts': "import { canteenResource } from '../features/canteen/canteen.service';\nexport const c = canteenResource;\n",
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shishi-arrows-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('areas meet through services; server reaches features only through the composition root', () => {
  let out = '';
  try {
    out = execFileSync(join(ROOT, 'node_modules', '.bin', 'depcruise'), ['src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
      cwd: dir,
      encoding: 'utf8',
    });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exits non-zero when it finds violations
  }
  const violations = (JSON.parse(out) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } }).summary.violations
    .map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)
    .sort();
  expect(violations).toEqual([
    'areas-meet-through-services: src/features/visits/visits.use.ts → src/features/canteen/canteen.actions.ts',
    'areas-meet-through-services: src/features/visits/visits.use.ts → src/features/canteen/canteen.collections.ts',
    'areas-meet-through-services: src/features/visits/visits.use.ts → src/features/suggestions/suggestions.rules.ts',
    'client-code-never-imports-server: src/client/api.ts → src/features/canteen/canteen.service.ts',
    'server-reaches-features-through-one-root: src/server/dispatch.ts → src/features/canteen/canteen.service.ts',
    'server-uses-contract-types-only: src/server/host.ts → src/features/canteen/canteen.schema.ts',
  ]);
}, 60_000);
