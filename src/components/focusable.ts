/**
 * Spread on a View that acts as a button (role="button"): H5 keyboard and screen-reader users can
 * reach it. Mini-program templates drop the attribute; taps work the same.
 */
export const FOCUSABLE = { tabIndex: 0 } as unknown as Record<string, never>;
