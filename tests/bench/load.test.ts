import { startBareServer } from '../../bench/lib/bare-server';
import { runLoad } from '../../bench/lib/load';

describe('runLoad against the bare server', () => {
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    server = await startBareServer();
  });
  afterAll(() => server.close());

  test('answers exactly maxRequests with no errors and sane latencies', async () => {
    const seen = new Set<number>();
    const r = await runLoad({
      url: server.url,
      clients: 4,
      maxRequests: 200,
      request: (n) => {
        seen.add(n);
        return { path: '/fn/x', body: { action: 'a', input: { n } } };
      },
    });
    expect(r.requests).toBe(200);
    expect(seen.size).toBe(200);
    expect(r.errors).toBe(0);
    expect(r.latency.count).toBe(200);
    expect(r.latency.p50).toBeGreaterThan(0);
    expect(r.latency.p50).toBeLessThanOrEqual(r.latency.p99);
    expect(r.throughput).toBeGreaterThan(0);
  });

  test('counts answers the check rejects, by label', async () => {
    const r = await runLoad({
      url: server.url,
      clients: 2,
      maxRequests: 10,
      request: (n) => ({ path: `/${n}` }),
      check: () => 'REJECTED',
    });
    expect(r.errors).toBe(10);
    expect(r.errorKinds).toEqual({ REJECTED: 10 });
  });

  test('a closed port is an error, not a hang', async () => {
    const r = await runLoad({ url: 'http://127.0.0.1:1', clients: 1, maxRequests: 3, request: () => ({ path: '/' }) });
    expect(r.errors).toBe(3);
    expect(Object.keys(r.errorKinds)).toEqual(['ECONNREFUSED']);
  });
});
