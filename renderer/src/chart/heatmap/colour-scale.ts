/**
 * Colour by resting size: a 256-step palette from a faint deep blue (a little liquidity) through
 * cyan and yellow to white (the scale's top and above). Size maps through a square root, so a
 * level a quarter of the top is half-way up the palette: books have a few very large levels and
 * many small ones, and a linear scale would show only the large ones. The top is a round number
 * (1-2-5 series) so the legend reads "0 / 0.5 / 2 BTC", not "1.8374". Pure.
 */
import { niceStep } from './bucketing';

export const PALETTE_STEPS = 256;

/** [position 0..1, r, g, b, alpha 0..255] */
const STOPS: readonly (readonly [number, number, number, number, number])[] = [
  [0, 20, 50, 130, 140],
  [0.3, 20, 90, 210, 150],
  [0.6, 0, 200, 215, 205],
  [0.85, 245, 215, 50, 235],
  [1, 255, 255, 240, 255],
];

/** The palette as RGBA bytes, PALETTE_STEPS x 4. */
export const PALETTE: Uint8ClampedArray = buildPalette();

function buildPalette(): Uint8ClampedArray {
  const out = new Uint8ClampedArray(PALETTE_STEPS * 4);
  for (let i = 0; i < PALETTE_STEPS; i++) {
    const t = i / (PALETTE_STEPS - 1);
    let k = 0;
    while (k < STOPS.length - 2 && t > STOPS[k + 1]![0]) k++;
    const a = STOPS[k]!;
    const b = STOPS[k + 1]!;
    const f = (t - a[0]) / (b[0] - a[0]);
    for (let c = 1; c <= 4; c++) out[i * 4 + c - 1] = Math.round(a[c]! + (b[c]! - a[c]!) * f);
  }
  return out;
}

/** Palette index of a size against the scale's top; -1 for nothing resting. */
export function colourIndex(size: number, top: number): number {
  if (!(size > 0) || !(top > 0)) return -1;
  return Math.round((PALETTE_STEPS - 1) * Math.sqrt(Math.min(1, size / top)));
}

/** A CSS colour of the palette at position t (0..1), for the legend. */
export function paletteCss(t: number): string {
  const i = Math.max(0, Math.min(PALETTE_STEPS - 1, Math.round(t * (PALETTE_STEPS - 1)))) * 4;
  return `rgba(${PALETTE[i]}, ${PALETTE[i + 1]}, ${PALETTE[i + 2]}, ${(PALETTE[i + 3]! / 255).toFixed(2)})`;
}

/**
 * The scale's top for a set of level sizes: the 90th percentile rounded up to a 1-2-5 step (the few
 * biggest levels saturate to white rather than darkening everything else). 0 when there are none.
 */
export function scaleTopFor(sizes: ArrayLike<number>, count = sizes.length): number {
  const positive: number[] = [];
  for (let i = 0; i < count; i++) if (sizes[i]! > 0) positive.push(sizes[i]!);
  if (positive.length === 0) return 0;
  positive.sort((a, b) => a - b);
  return niceStep(positive[Math.floor((positive.length - 1) * 0.9)]!);
}

/** Column tops the scale follows (about 6 s of 100 ms columns). */
export const SCALE_WINDOW = 64;

/**
 * The top to use, given the recent columns' own tops: their median, changed only when it is at
 * least twice or at most half the current one. A change recolours the whole history (a rebuild),
 * so the scale follows the book's usual sizes, not every column, and not the rare huge level
 * (an ever-growing maximum left the usual book a faint blue).
 */
export function nextScaleTop(current: number, recentTops: readonly number[]): number {
  const tops = recentTops.filter((t) => t > 0).sort((a, b) => a - b);
  if (tops.length === 0) return current;
  const median = tops[Math.floor((tops.length - 1) / 2)]!;
  if (!(current > 0) || median >= current * 2 || median <= current / 2) return median;
  return current;
}

/** The legend's marks: size and palette position (0, a quarter of the top = half-way, the top). */
export function legendMarks(top: number): { size: number; at: number }[] {
  return top > 0
    ? [
        { size: 0, at: 0 },
        { size: top / 4, at: 0.5 },
        { size: top, at: 1 },
      ]
    : [];
}
