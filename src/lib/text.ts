/** Text helpers shared by areas (pure; client and server). */

/** One line of at most `max` characters (code points), whitespace collapsed. */
export function excerpt(text: string, max = 40): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (!(max >= 1)) {
    const chars = Array.from(t);
    return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
  }
  // Counted in code points (an emoji is one), without splitting the text into an array: this runs
  // for every row of every inbox page.
  let i = 0;
  let count = 0;
  let cut = 0;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && (t.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    count++;
    if (count === max - 1) cut = i;
    if (count > max) return `${t.slice(0, cut)}…`;
  }
  return t;
}
