// Child entry: the local host on an existing data dir (BENCH_DATA_DIR), in its own process so the
// load generator does not share its event loop.
import { createLocalServices } from '../../src/server/local-services';
import { startHost } from '../../src/server/host';
import { coalescingWriter, createJsonLogger } from '../../src/server/log';
import { announceReady } from '../lib/child';

const dataDir = process.env.BENCH_DATA_DIR;
const secret = process.env.BENCH_SECRET;
if (!dataDir || !secret) throw new Error('BENCH_DATA_DIR and BENCH_SECRET are required');

// As in production (host-main.ts): one JSON line per request, the lines of one turn of the event loop
// written together; on stdout here (the parent reads and drops it after READY), errors on stderr.
const toStdout = coalescingWriter((chunk) => process.stdout.write(chunk));
const toStderr = coalescingWriter((chunk) => process.stderr.write(chunk));
const log = createJsonLogger((line) => {
  if (line.includes('"level":"error"')) toStderr(line);
  else toStdout(line);
});

async function main() {
  const services = await createLocalServices({ dataDir: dataDir!, secret: secret!, demoMode: true, log });
  const host = await startHost({ services, secret: secret!, demoMode: true, port: 0, host: '127.0.0.1' });
  process.once('SIGTERM', () => {
    void (async () => {
      await host.close();
      await services.store.close();
      process.exit(0);
    })();
  });
  announceReady({ url: host.url, port: host.port });
}

main().catch((e) => {
  process.stderr.write(`host child failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
