/** Yuan as people type it ↔ integer fen as the server keeps it (no floating-point arithmetic on money). */

/** "1234", "1,234.5", "0.05" → fen; empty → 0; anything else (negative, 3 decimals, letters) → null. */
export function yuanToFen(text: string): number | null {
  const s = text.replace(/[,，\s]/g, '');
  if (s === '') return 0;
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** fen → "1234.5" for an input box ("" for 0). */
export const fenToInput = (fen: number | undefined): string => (fen ? String(fen / 100) : '');

/** fen → "1,234.5 元" for reading. */
export const yuan = (fen: number): string => `${(fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;
