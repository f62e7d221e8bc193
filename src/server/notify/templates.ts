/**
 * Template configuration, read once at start: NOTIFY_TEMPLATES is JSON mapping a template key to its
 * WeChat template id, or to `{ id, fields }` where `fields` maps our field names to the template's
 * keywords (`{ "status": "phrase1", "reply": "thing2" }`); a field not mapped keeps its name.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const Entry = z.union([
  z.string().min(1).max(128),
  z.object({ id: z.string().min(1).max(128), fields: z.record(z.string(), z.string().min(1).max(32)).optional() }),
]);
const Config = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,40}$/), Entry);

export interface TemplateConfig {
  id: string;
  fields: Record<string, string>;
}
export type Templates = Record<string, TemplateConfig>;

/** Parses the JSON text; throws with the offending key path (never echoes values) when it is malformed. */
export function parseTemplates(json: string): Templates {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('NOTIFY_TEMPLATES is not valid JSON');
  }
  const parsed = Config.safeParse(raw);
  if (!parsed.success) throw new Error(`NOTIFY_TEMPLATES is malformed at ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const out: Templates = {};
  for (const [key, v] of Object.entries(parsed.data)) out[key] = typeof v === 'string' ? { id: v, fields: {} } : { id: v.id, fields: v.fields ?? {} };
  return out;
}

/** NOTIFY_TEMPLATES, else the file NOTIFY_TEMPLATES_FILE, else `fallbackFile` (the demo's), else none. */
export function loadTemplates(env: NodeJS.ProcessEnv, fallbackFile?: string): Templates {
  if (env.NOTIFY_TEMPLATES) return parseTemplates(env.NOTIFY_TEMPLATES);
  const file = env.NOTIFY_TEMPLATES_FILE || fallbackFile;
  return file ? parseTemplates(readFileSync(file, 'utf8')) : {};
}
