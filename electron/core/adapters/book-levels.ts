/**
 * Book levels as venues that write them as decimal strings send them (Bybit, OKX):
 * `[["price","size", ...venue extras], ...]`. A size of "0" removes a level.
 */

export interface TextLevels {
  /** [price, size] as numbers, in the venue's units (contracts where the venue counts them). */
  levels: [number, number][];
  /** The venue's own [price, size] text, parallel to `levels` (what checksums are defined on). */
  text: [string, string][];
}

/** A non-empty decimal string as a finite number, else NaN ("", "1e400" and non-strings are not numbers). */
function decimal(v: unknown): number {
  const n = typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

/**
 * The levels of one side, or null when any level is malformed (not an array, a price that is not
 * > 0, a size that is not >= 0): a book must not be half applied, so the caller reports the frame.
 */
export function textLevels(v: unknown): TextLevels | null {
  if (!Array.isArray(v)) return null;
  const levels = new Array<[number, number]>(v.length);
  const text = new Array<[string, string]>(v.length);
  for (let i = 0; i < v.length; i++) {
    const row: unknown = v[i];
    if (!Array.isArray(row)) return null;
    const [p, s] = row as unknown[];
    const price = decimal(p);
    const size = decimal(s);
    if (!(price > 0) || !(size >= 0)) return null;
    levels[i] = [price, size];
    text[i] = [p as string, s as string];
  }
  return { levels, text };
}
