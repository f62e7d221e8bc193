// Child entry: the bare node:http baseline, in its own process like the host.
import { startBareServer } from '../lib/bare-server';
import { announceReady } from '../lib/child';

void startBareServer().then(({ url, close }) => {
  process.once('SIGTERM', () => void close().then(() => process.exit(0)));
  announceReady({ url });
});
