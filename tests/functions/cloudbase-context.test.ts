/**
 * The function entries read the caller from the context without loading @cloudbase/node-sdk
 * (src/server/cloudbase-identity.ts). Whatever the context, the answer must be the SDK's own
 * `getCloudbaseContext(context).WX_OPENID` — here compared with the real SDK.
 */
import { getCloudbaseContext } from '@cloudbase/node-sdk';
import { openidFromCloudbaseContext } from '../../src/server/cloudbase-identity';

const base = { memory_limit_in_mb: 256, time_limit_in_ms: 3000, request_id: 'r-1', function_version: '$LATEST', function_name: 'members', namespace: 'env-1' };

const contexts: [string, unknown][] = [
  ['environment JSON', { ...base, environment: JSON.stringify({ WX_OPENID: 'oNew', WX_APPID: 'wx1', WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID' }) }],
  ['environment without keys', { ...base, environment: JSON.stringify({ WX_OPENID: 'oNoKeys' }) }],
  ['environ string', { ...base, environ: 'WX_OPENID=oOld;WX_APPID=wx1;WX_CONTEXT_KEYS=WX_OPENID,WX_APPID;TCB_ENV=env-1' }],
  ['environ, no openid', { ...base, environ: 'WX_APPID=wx1' }],
  ['environ, openid with a comma', { ...base, environ: 'WX_OPENID=a,b' }],
  ['environ, empty openid', { ...base, environ: 'WX_OPENID=' }],
  ['environment, empty openid', { ...base, environment: JSON.stringify({ WX_OPENID: '' }) }],
  ['environment, numeric openid', { ...base, environment: JSON.stringify({ WX_OPENID: 42 }) }],
  ['unprefixed OPENID', { ...base, environment: JSON.stringify({ OPENID: 'oSpoof' }) }],
  ['environment not JSON', { ...base, environment: '{"WX_OPENID":' }],
  ['environment is JSON null', { ...base, environment: 'null', environ: 'WX_OPENID=oFallback' }],
  ['empty environment, environ present', { ...base, environment: '', environ: 'WX_OPENID=oEnviron' }],
  ['empty object', {}],
];

/** The SDK's answer, or null where it throws INVALID_CONTEXT (the entry treats that as anonymous). */
function sdk(context: unknown): string | null {
  try {
    const openid = getCloudbaseContext(context as Parameters<typeof getCloudbaseContext>[0]).WX_OPENID;
    return typeof openid === 'string' && openid.length > 0 ? openid : null;
  } catch {
    return null;
  }
}

const saved = { keys: process.env.WX_CONTEXT_KEYS, openid: process.env.WX_OPENID };
afterEach(() => {
  for (const [k, v] of [['WX_CONTEXT_KEYS', saved.keys], ['WX_OPENID', saved.openid]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

test.each(contexts)('%s: the same caller as the SDK', (_name, context) => {
  expect(openidFromCloudbaseContext(context)).toBe(sdk(context));
});

test('the table covers callers and non-callers alike', () => {
  const answers = contexts.map(([, c]) => openidFromCloudbaseContext(c));
  expect(answers.filter((a) => a !== null)).toEqual(['oNew', 'oNoKeys', 'oOld', 'oEnviron']);
});

test.each(contexts)('%s, with WX_CONTEXT_KEYS and WX_OPENID in process.env: the same as the SDK', (_name, context) => {
  process.env.WX_CONTEXT_KEYS = 'WX_OPENID,WX_APPID';
  process.env.WX_OPENID = 'oFromProcessEnv';
  expect(openidFromCloudbaseContext(context)).toBe(sdk(context));
});
