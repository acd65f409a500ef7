/**
 * Canonical symbol rules (docs/architecture.md, Normalisation): `BASE-QUOTE`, upper case, e.g. `BTC-USDT`.
 * Venue-specific native names are mapped by each adapter; these helpers are the venue-neutral
 * part: validation, normalisation of what a user types, and splitting a concatenated native
 * name (`BTCUSDT`) by known quote assets when no instrument metadata is available.
 */

const CANONICAL_RE = /^[A-Z0-9]{1,20}-[A-Z0-9]{1,20}$/;

export function isCanonicalSymbol(s: string): boolean {
  return CANONICAL_RE.test(s);
}

/** Accepts what a user types (`btc/usdt`, `btc-usdt`, ` BTC_USDT `) and returns `BTC-USDT`, or null. */
export function normaliseSymbol(input: string): string | null {
  const s = input.trim().toUpperCase().replace(/[/_: ]/g, '-');
  return isCanonicalSymbol(s) ? s : null;
}

export function splitCanonical(symbol: string): { base: string; quote: string } {
  const i = symbol.indexOf('-');
  if (i <= 0) throw new Error(`not a canonical symbol: "${symbol}"`);
  return { base: symbol.slice(0, i), quote: symbol.slice(i + 1) };
}

/** Quote assets tried, longest first, when splitting a concatenated native name. */
export const KNOWN_QUOTES = [
  'FDUSD', 'USDT', 'USDC', 'TUSD', 'BUSD', 'USDE', 'DAI', 'EUR', 'USD', 'GBP', 'JPY', 'TRY', 'BRL',
  'AUD', 'BTC', 'ETH', 'BNB', 'SOL',
].sort((a, b) => b.length - a.length);

/** `BTCUSDT` -> `BTC-USDT` using KNOWN_QUOTES; null when no known quote asset matches. */
export function splitConcatenated(native: string): string | null {
  const s = native.toUpperCase();
  for (const q of KNOWN_QUOTES) {
    if (s.length > q.length && s.endsWith(q)) return `${s.slice(0, -q.length)}-${q}`;
  }
  return null;
}
