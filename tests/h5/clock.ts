/**
 * The host's clock under a browser test's control: pass `env` to useH5, then `advance` moves the host's
 * now() forward (see movableClock in src/server/host-main.ts). The browser's own clock is not moved:
 * pages show what the server answers (days left, stages), not their own reckoning.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HostClock {
  /** For useH5({ env }): CLOCK_FILE. */
  env: { CLOCK_FILE: string };
  /** Moves the host's clock `ms` further ahead (the offset adds up). */
  advance(ms: number): void;
  /** Removes the file's folder (afterAll). */
  dispose(): void;
}

export function hostClock(): HostClock {
  const dir = mkdtempSync(join(tmpdir(), 'shishi-clock-'));
  const file = join(dir, 'offset');
  let offset = 0;
  return {
    env: { CLOCK_FILE: file },
    advance(ms) {
      offset += ms;
      // Write then rename: the host never reads a half-written number.
      writeFileSync(`${file}.tmp`, String(offset));
      renameSync(`${file}.tmp`, file);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
