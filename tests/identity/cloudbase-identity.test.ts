import { openidFromCloudbaseContext } from '../../src/server/cloudbase-identity';

/** Contexts shaped as SCF hands them to `main(event, context)`. */
const base = { memory_limit_in_mb: 256, time_limit_in_ms: 3000, request_id: 'r-1', function_version: '$LATEST', function_name: 'members', namespace: 'env-1' };

describe('openid from a CloudBase context', () => {
  it('reads WX_OPENID from the new-style `environment` JSON', () => {
    const context = { ...base, environment: JSON.stringify({ WX_OPENID: 'oAbc123', WX_APPID: 'wx0001', WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID' }) };
    expect(openidFromCloudbaseContext(context)).toBe('oAbc123');
  });

  it('reads WX_OPENID from the old-style `environ` string', () => {
    const context = { ...base, environ: 'WX_OPENID=oOld456;WX_APPID=wx0001;TCB_ENV=env-1' };
    expect(openidFromCloudbaseContext(context)).toBe('oOld456');
  });

  it('ignores an unprefixed OPENID: only WX_OPENID counts', () => {
    const context = { ...base, environment: JSON.stringify({ OPENID: 'oSpoof', WX_APPID: 'wx0001' }) };
    expect(openidFromCloudbaseContext(context)).toBeNull();
  });

  it.each([[{}], [null], [undefined], ['context'], [42], [{ ...base, environment: '{not json' }]])('returns null for %p', (context) => {
    expect(openidFromCloudbaseContext(context)).toBeNull();
  });

  it('returns null for an empty WX_OPENID', () => {
    expect(openidFromCloudbaseContext({ ...base, environment: JSON.stringify({ WX_OPENID: '' }) })).toBeNull();
  });
});
