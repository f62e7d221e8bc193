import { createJsonLogger, scrubFields, type LogLine } from '../../src/server/log';

describe('JSON-lines logger', () => {
  const capture = () => {
    const lines: string[] = [];
    const log = createJsonLogger((l) => lines.push(l), () => new Date('2025-03-03T02:00:00.000Z'));
    return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as LogLine) };
  };

  it('writes one JSON object per line with time, level and message', () => {
    const { log, lines, parsed } = capture();
    log.info('invitation created', { requestId: 'req-1', count: 3, ok: true });
    log.warn('slow', { ms: 12.5 });
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(parsed()).toEqual([
      { t: '2025-03-03T02:00:00.000Z', level: 'info', msg: 'invitation created', requestId: 'req-1', count: 3, ok: true },
      { t: '2025-03-03T02:00:00.000Z', level: 'warn', msg: 'slow', ms: 12.5 },
    ]);
  });

  it.each([
    ['a name', { who: '李秀兰' }],
    ['a phone', { id: '13800000001' }],
    ['an ID number', { ref: '610902199001011234' }],
    ['free text', { detail: 'broke on floor 3' }],
    ['a personal key', { phone: 'x' }],
    ['a nested personal key', { person: { name: 'Li' } }],
  ])('redacts %s', (_what, fields) => {
    expect(JSON.stringify(scrubFields(fields))).toContain('[redacted]');
  });

  it('keeps ids, codes and counts', () => {
    const fields = { requestId: 'test-1', code: 'MEMBERS.INVITATION_USED', memberId: '01jd3k2x9a8b7c6d5e4f3g', area: 'members', n: 42 };
    expect(scrubFields(fields)).toEqual(fields);
  });

  it('keeps a stack’s class name and frames, never its message', () => {
    const err = new TypeError('cannot read 李秀兰 13800000001');
    const out = scrubFields({ error: err.stack }).error as string;
    expect(out.split('\n')[0]).toBe('TypeError');
    expect(out).toContain('at ');
    expect(out).not.toContain('李秀兰');
    expect(out).not.toContain('13800000001');
  });

  it('keeps zod issue paths but drops their messages', () => {
    expect(scrubFields({ issues: [{ path: ['phone'], message: '请输入 11 位手机号' }] })).toEqual({ issues: [{ path: ['phone'] }] });
  });

  it('fields cannot overwrite time, level or message', () => {
    const { log, parsed } = capture();
    log.error('x', { level: 'info', msg: 'y', t: 'z' });
    expect(parsed()[0]).toMatchObject({ level: 'error', msg: 'x', t: '2025-03-03T02:00:00.000Z' });
  });
});
