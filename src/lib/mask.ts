/** Masks for personal data shown to roles that do not need it in full. */

/** 张三 → 张*, 张三华 → 张*华, 欧阳小明 → 欧**明. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join('') || '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 13812345678 → 138****5678; anything else keeps only its last 2 characters. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  if (/^1\d{10}$/.test(phone)) return `${phone.slice(0, 3)}****${phone.slice(7)}`;
  return `${'*'.repeat(Math.max(phone.length - 2, 1))}${phone.slice(-2)}`;
}
