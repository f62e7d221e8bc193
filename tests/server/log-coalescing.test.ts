import { coalescingWriter, createJsonLogger } from '../../src/server/log';

const turn = () => new Promise((r) => setImmediate(r));

test('lines written in one turn of the event loop reach the output in one write, in order', async () => {
  const writes: string[] = [];
  const log = createJsonLogger(coalescingWriter((chunk) => writes.push(chunk)), () => new Date('2025-03-03T02:00:00.000Z'));
  log.info('a', { n: 1 });
  log.info('b', { n: 2 });
  log.error('c', { n: 3 });
  expect(writes).toEqual([]);
  await turn();
  expect(writes).toHaveLength(1);
  expect(writes[0]!.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['a', 'b', 'c']);
  log.info('d');
  await turn();
  expect(writes).toHaveLength(2);
  expect(writes[1]).toMatch(/"msg":"d"\}\n$/);
});

test('a large backlog is written without waiting for the end of the turn', async () => {
  const writes: string[] = [];
  const write = coalescingWriter((chunk) => writes.push(chunk), 100);
  const line = `${'x'.repeat(30)}\n`;
  for (let i = 0; i < 10; i++) write(line);
  expect(writes.length).toBeGreaterThanOrEqual(2);
  expect(writes.every((w) => w.length <= 100 + line.length)).toBe(true);
  await turn();
  expect(writes.join('')).toBe(line.repeat(10));
});
