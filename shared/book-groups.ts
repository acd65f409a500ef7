/**
 * Price grouping of book levels, shared by the core (composite books are summed per bucket before
 * the top-N cut, electron/core/books/composite-books.ts) and the renderer's ladder
 * (renderer/src/lib/book-ladder.ts), so a bucket means the same price on both ends.
 *
 * A bid rounds DOWN to its group and an ask rounds UP, so a grouped level never claims a better
 * price than the venue's, and the grouped best bid stays below the grouped best ask.
 */

/** Decimals a grouped price is shown with (0.1 -> 1, 10 -> 0, 0.005 -> 3). */
export function groupDecimals(group: number): number {
  return group > 0 && group < 1 ? Math.ceil(-Math.log10(group) - 1e-9) : 0;
}

// Prices divided by a group carry float noise (64012.3 / 0.1 = 640122.9999...): a price within
// this many group units of a boundary is on it.
const EPS = 1e-7;

/** The grouped price of one level: bids round down to the group, asks round up (group 0: the price). */
export function groupPrice(price: number, group: number, side: 'bid' | 'ask'): number {
  if (group <= 0) return price;
  const k = side === 'bid' ? Math.floor(price / group + EPS) : Math.ceil(price / group - EPS);
  // toFixed, so 0.1 x 640123 is 64012.3 and not 64012.300000000004 (equal prices must compare equal).
  return Number((k * group).toFixed(groupDecimals(group) + 2));
}
