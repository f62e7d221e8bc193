import http from 'node:http';
import { summarize, type LatencySummary } from './figures';

export interface LoadRequest {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface LoadOptions {
  /** Base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  /** Concurrent keep-alive clients, each sending its next request when the last one is answered. */
  clients: number;
  /** Measure for this long (ms) … */
  durationMs?: number;
  /** … or until this many requests have been answered (whichever comes first). */
  maxRequests?: number;
  /** Unmeasured run before the measurement (same clients and connections): JIT, caches. */
  warmupMs?: number;
  /** Builds request n (global sequence number) for client c. */
  request: (n: number, client: number) => LoadRequest;
  /** Returns an error label for a bad answer, or null. Default: HTTP 200 and JSON `{ ok: true }`. */
  check?: (status: number, body: string) => string | null;
  /** Per-request timeout, ms. */
  timeoutMs?: number;
  /** Called after the warm-up, just before the measured run (e.g. to read the server's CPU time). */
  beforeMeasure?: () => void;
}

export interface LoadResult {
  /** Answered requests in the measured window (errors included). */
  requests: number;
  errors: number;
  /** Error label → count, e.g. `HTTP 500`, `INPUT.INVALID`, `ECONNRESET`. */
  errorKinds: Record<string, number>;
  durationMs: number;
  /** Requests per second over the measured window. */
  throughput: number;
  /** Latency in milliseconds, errors included. */
  latency: LatencySummary;
  /** The raw latencies (ms), for merging rounds. */
  samples: number[];
}

/** Merges runs of the same step (e.g. interleaved rounds): throughput over their summed durations. */
export function mergeResults(runs: readonly LoadResult[]): LoadResult {
  if (runs.length === 0) throw new Error('mergeResults: nothing to merge');
  const samples = runs.flatMap((r) => r.samples);
  const errorKinds: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + v;
  const requests = runs.reduce((s, r) => s + r.requests, 0);
  const durationMs = runs.reduce((s, r) => s + r.durationMs, 0);
  return {
    requests,
    errors: runs.reduce((s, r) => s + r.errors, 0),
    errorKinds,
    durationMs,
    throughput: (requests / durationMs) * 1000,
    latency: summarize(samples),
    samples,
  };
}

export const defaultCheck = (status: number, body: string): string | null => {
  if (status !== 200) return `HTTP ${status}`;
  try {
    const parsed = JSON.parse(body) as { ok?: unknown; error?: { code?: unknown } };
    if (parsed.ok === true) return null;
    return typeof parsed.error?.code === 'string' ? parsed.error.code : 'not ok';
  } catch {
    return 'bad JSON';
  }
};

function send(agent: http.Agent, base: URL, req: LoadRequest, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string | number> = { ...req.headers };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    const r = http.request(
      { agent, host: base.hostname, port: base.port, path: req.path, method: payload ? 'POST' : 'GET', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.setTimeout(timeoutMs, () => r.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    r.on('error', reject);
    r.end(payload);
  });
}

/**
 * Closed-loop load: `clients` keep-alive connections, each with one request in flight.
 * Latency is measured from just before the request is written to the end of the response body.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (opts.durationMs === undefined && opts.maxRequests === undefined) throw new Error('runLoad: give durationMs or maxRequests');
  const base = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.clients, maxFreeSockets: opts.clients });
  const check = opts.check ?? defaultCheck;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let seq = 0;

  const phase = async (durationMs: number, maxRequests: number, record: boolean) => {
    const latencies: number[] = [];
    const errorKinds: Record<string, number> = {};
    let answered = 0;
    let errors = 0;
    const start = performance.now();
    const deadline = start + durationMs;
    let issued = 0;
    const client = async (c: number) => {
      while (performance.now() < deadline && issued < maxRequests) {
        issued++;
        const req = opts.request(seq++, c);
        const t0 = performance.now();
        let error: string | null;
        try {
          const res = await send(agent, base, req, timeoutMs);
          error = check(res.status, res.body);
        } catch (e) {
          error = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        }
        const ms = performance.now() - t0;
        answered++;
        if (record) latencies.push(ms);
        if (error) {
          errors++;
          errorKinds[error] = (errorKinds[error] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: opts.clients }, (_, c) => client(c)));
    const elapsed = performance.now() - start;
    return { latencies, errorKinds, answered, errors, elapsed };
  };

  try {
    if (opts.warmupMs && opts.warmupMs > 0) await phase(opts.warmupMs, Number.POSITIVE_INFINITY, false);
    opts.beforeMeasure?.();
    const m = await phase(opts.durationMs ?? Number.POSITIVE_INFINITY, opts.maxRequests ?? Number.POSITIVE_INFINITY, true);
    if (!Number.isFinite(m.elapsed) || m.answered === 0) throw new Error('load run answered no requests');
    return {
      requests: m.answered,
      errors: m.errors,
      errorKinds: m.errorKinds,
      durationMs: m.elapsed,
      throughput: (m.answered / m.elapsed) * 1000,
      latency: summarize(m.latencies),
      samples: m.latencies,
    };
  } finally {
    agent.destroy();
  }
}
