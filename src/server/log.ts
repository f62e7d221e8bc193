import type { Logger } from './action';

/**
 * JSON-lines logger that cannot carry personal data by construction: field values must look like
 * codes, ids or counts. Free text (names, phones, ID numbers, messages) is replaced by '[redacted]';
 * a stack keeps only the error's class name and its `at …` frames, never the message.
 */
export type LogLine = { t: string; level: 'info' | 'warn' | 'error'; msg: string } & Record<string, unknown>;

const SAFE_STRING = /^[A-Za-z0-9_.:@/+-]{0,100}$/;
/** 7+ digits in a row may be a phone or an ID number. */
const LONG_DIGITS = /\d{7,}/;
const PERSONAL_KEY = /name|phone|mobile|tel|text|content|address|idcard|reply|reason|message|body|input/i;
const REDACTED = '[redacted]';

function scrubStack(stack: string): string {
  const lines = stack.split('\n');
  const head = /^([A-Za-z_$][\w$]*)(:|$)/.exec(lines[0] ?? '')?.[1] ?? 'Error';
  const frames = lines.filter((l) => /^\s+at /.test(l)).map((l) => l.trim().replace(/\d{7,}/g, '#'));
  return [head, ...frames].join('\n');
}

function scrub(key: string, value: unknown, depth: number): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') {
    if ((key === 'error' || key === 'stack') && value.includes('\n')) return scrubStack(value);
    if (PERSONAL_KEY.test(key)) return REDACTED;
    return SAFE_STRING.test(value) && !LONG_DIGITS.test(value) ? value : REDACTED;
  }
  if (depth >= 3) return REDACTED;
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => scrub(key, v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 20)) {
      // zod issue messages may quote input: dropped, the paths stay.
      if (k !== 'message') out[k] = scrub(k, v, depth + 1);
    }
    return out;
  }
  return REDACTED;
}

export function scrubFields(fields: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = scrub(k, v, 0);
  return out;
}

/** `write` defaults to stderr; `now` to the wall clock (log time is not domain time). */
export function createJsonLogger(write: (line: string) => void = (l) => process.stderr.write(l), now: () => Date = () => new Date()): Logger {
  const emit = (level: LogLine['level'], msg: string, fields?: Record<string, unknown>) => {
    // scrubFields returns a fresh object: assigning (rather than spreading into a new one) keeps the
    // same keys in the same order at a third of the cost, once per request.
    const line = scrubFields(fields) as LogLine;
    line.t = now().toISOString();
    line.level = level;
    line.msg = msg.slice(0, 120);
    write(`${JSON.stringify(line)}\n`);
  };
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

/**
 * A `write` for createJsonLogger that gathers the lines of one turn of the event loop into one write
 * to `out` (one system call for many requests instead of one each). Pending lines are written when
 * the process exits normally or by process.exit; a kill -9 loses at most that turn's lines.
 */
export function coalescingWriter(out: (chunk: string) => void, maxPending = 64 * 1024): (line: string) => void {
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    out(chunk);
  };
  process.on('exit', flush);
  return (line) => {
    if (pending === '') setImmediate(flush);
    pending += line;
    if (pending.length > maxPending) flush();
  };
}
