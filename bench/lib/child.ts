import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const READY = 'READY ';

export interface Child<T> {
  info: T;
  pid: number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop: (graceMs?: number) => Promise<void>;
}

/**
 * Runs a TypeScript entry in its own Node process (through tsx) and waits for it to print
 * `READY <json>` on stdout. Its stderr is passed through; other stdout lines are dropped.
 */
export function startChild<T>(entry: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Child<T>> {
  const tsx = createRequire(__filename).resolve('tsx');
  // BENCH_CHILD_ARGS: extra node flags for the children, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const extra = process.env.BENCH_CHILD_ARGS ? process.env.BENCH_CHILD_ARGS.split(' ').filter(Boolean) : [];
  const proc: ChildProcess = spawn(process.execPath, [...extra, '--import', tsx, entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async (graceMs = 5000) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let buf = '';
    let ready = false;
    const timer = setTimeout(() => {
      void stop(0);
      reject(new Error(`${entry}: not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited before it was ready (code ${code}, signal ${signal})`));
    });
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (chunk: string) => {
      if (ready) return; // later lines (request logs) are read and dropped
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith(READY)) {
          ready = true;
          buf = '';
          clearTimeout(timer);
          resolve({ info: JSON.parse(line.slice(READY.length)) as T, pid: proc.pid!, stop });
        }
      }
    });
  });
}

/** For child entries: announce readiness to startChild. */
export const announceReady = (info: unknown): void => {
  process.stdout.write(READY + JSON.stringify(info) + '\n');
};

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux); null elsewhere.
 * Unlike throughput, CPU per request hardly changes when other processes compete for the cores.
 */
export function cpuTimeMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at state (field 3).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime (14) + stime (15)
    return Number.isFinite(ticks) ? (ticks * 1000) / CLK_TCK : null;
  } catch {
    return null;
  }
}

/** Linux reports /proc times in USER_HZ, 100 on every mainstream architecture. */
const CLK_TCK = 100;
