/**
 * Kraken's WS v2 symbol names (`BTC/USD`) and its legacy asset codes (XBT, XDG) -> canonical;
 * used by the adapter and by the instrument list.
 */


/** Kraken's legacy asset codes -> the ISO codes used by WS v2 and by canonical symbols. */
const LEGACY_ASSETS: Record<string, string> = { XBT: 'BTC', XDG: 'DOGE' };

function isoAsset(code: string): string {
  const c = code.toUpperCase();
  return LEGACY_ASSETS[c] ?? c;
}

/** `XBT/USD` or `BTC/USD` -> `BTC-USD`. */
export function krakenToCanonical(native: string): string {
  const i = native.indexOf('/');
  if (i <= 0) return native.toUpperCase();
  return `${isoAsset(native.slice(0, i))}-${isoAsset(native.slice(i + 1))}`;
}
