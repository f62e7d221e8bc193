/** The plan page's yuan ↔ fen conversion: integer fen, no float drift, refusals as null. */
import { fenToInput, yuan, yuanToFen } from '../../src/packages/matters-admin/plan/money';

test.each([
  ['', 0], ['0', 0], ['50000', 5_000_000], ['2000.5', 200_050], ['0.05', 5], ['0.1', 10], ['19.99', 1999], ['1,234.56', 123_456], [' 12 ', 1200], ['1，000', 100_000],
])('%p yuan → %p fen', (text, fen) => {
  expect(yuanToFen(text)).toBe(fen);
});

test.each(['-1', '1.234', 'abc', '1e3', '.5', '5.', '12.3.4', '1234567890'])('%p is refused', (text) => {
  expect(yuanToFen(text)).toBeNull();
});

test('fen back to an input and to words', () => {
  expect(fenToInput(200_050)).toBe('2000.5');
  expect(fenToInput(undefined)).toBe('');
  expect(fenToInput(0)).toBe('');
  expect(yuan(5_200_050)).toBe('52,000.5 元');
  // Every two-decimal amount survives the round trip exactly.
  for (let fen = 0; fen < 3000; fen += 7) expect(yuanToFen(fenToInput(fen))).toBe(fen);
});
