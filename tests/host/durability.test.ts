/**
 * Durability: the host process is killed with SIGKILL in the middle of a burst of submits.
 * After a restart on the same data folder, every submit that was acknowledged must be there.
 */
import { demoToken, postJson, spawnHost, tempDir, type HostProcess } from './fixtures';

const RESIDENT = 'demo-resident-peixin';
const WORKERS = 8;
/** Kill once this many submits have been acknowledged. */
const KILL_AFTER = 60;

jest.setTimeout(90_000);

let running: HostProcess | null = null;
afterEach(() => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
  running = null;
});

const submitInput = (requestId: string, i: number) => ({
  requestId,
  communityId: 'comm-peixin',
  category: '环境卫生',
  text: `小区东门垃圾桶满了没人清理（第 ${i} 次反映）`,
  photos: [],
  showName: false,
});

async function allMine(base: string, token: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const r = await postJson(`${base}/fn/suggestions`, { action: 'mine', input: { cursor } }, token);
    if (!r.body.ok) throw new Error(`mine failed: ${JSON.stringify(r.body)}`);
    for (const s of r.body.data.items as { _id: string }[]) ids.add(s._id);
    cursor = r.body.data.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('mine never ended');
}

test('every acknowledged submit survives a SIGKILL of the host', async () => {
  const dataDir = tempDir('durability');
  const env = { DATA_DIR: dataDir, DEMO: '1' };

  running = await spawnHost(env);
  const first = running;
  const token = await demoToken(first.url, RESIDENT);
  const before = await allMine(first.url, token);

  /** suggestion id by client request id, for submits the host answered with ok. */
  const acked = new Map<string, string>();
  let attempted = 0;
  let stop = false;
  let killedAt = -1;
  let refused: unknown = null;

  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const requestId = `dur-${w}-${i}-${Date.now().toString(36)}`;
      attempted++;
      let r;
      try {
        r = await postJson(`${first.url}/fn/suggestions`, { action: 'submit', input: submitInput(requestId, i) }, token);
      } catch {
        return; // the host is gone: this submit was never acknowledged
      }
      if (!r.body.ok) {
        refused = r.body;
        stop = true;
        return;
      }
      acked.set(requestId, r.body.data._id);
      if (acked.size >= KILL_AFTER && killedAt < 0) {
        killedAt = acked.size;
        first.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  expect(refused).toBeNull();
  const exit = await first.exited;
  expect(exit.signal).toBe('SIGKILL');
  expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);
  // Requests were still in flight when the process died.
  expect(attempted).toBeGreaterThan(acked.size);

  // Same folder, same persisted secret: the old session token is still good.
  running = await spawnHost(env);
  const after = await allMine(running.url, token);
  const missing = [...acked.values()].filter((id) => !after.has(id));
  expect(missing).toEqual([]);
  for (const id of before) expect(after.has(id)).toBe(true);
  // Unacknowledged in-flight submits may or may not have landed, but nothing beyond what was attempted.
  expect(after.size - before.size).toBeLessThanOrEqual(attempted);

  // A client retrying an acknowledged submit after the crash gets the same suggestion, not a second one.
  const [someRequestId, someId] = [...acked.entries()][0]!;
  const retry = await postJson(`${running.url}/fn/suggestions`, { action: 'submit', input: submitInput(someRequestId, 0) }, token);
  expect(retry.body.ok).toBe(true);
  expect(retry.body.data._id).toBe(someId);
  expect((await allMine(running.url, token)).size).toBe(after.size);

  running.child.kill('SIGTERM');
  const clean = await running.exited;
  expect(clean.code).toBe(0);
});
