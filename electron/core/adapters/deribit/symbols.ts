/**
 * Deribit instrument names <-> canonical symbols (perpetuals and futures; options are out of scope).
 *
 * - Inverse (BTC-margined, USD-quoted) perpetual `BTC-PERPETUAL` -> `BTC-USD`.
 * - Linear perpetuals name their quote: `BTC_USDC-PERPETUAL` -> `BTC-USDC`.
 * - Dated futures carry the expiry, which must stay in the canonical name (each expiry is its own
 *   market): `BTC-27DEC24` -> `BTC27DEC24-USD`, `XRP_USDC-27DEC24` -> `XRP27DEC24-USDC`.
 * Linear instruments (with `_`) count `amount` in the base coin; inverse ones in USD (stream.ts).
 */

const EXPIRY = /^\d{1,2}[A-Z]{3}\d{2}$/;
/** A canonical base that ends in an expiry: `BTC27DEC24`. */
const DATED_BASE = /^([A-Z0-9]+?)(\d{1,2}[A-Z]{3}\d{2})$/;

export function deribitToCanonical(native: string): string {
  const m = /^([A-Z0-9]+)(?:_([A-Z0-9]+))?-([A-Z0-9]+)$/.exec(native.toUpperCase());
  if (!m) return '';
  const [, base, quote = 'USD', tail] = m as unknown as [string, string, string | undefined, string];
  if (tail === 'PERPETUAL') return `${base}-${quote}`;
  return EXPIRY.test(tail) ? `${base}${tail}-${quote}` : '';
}

export function deribitToNative(symbol: string): string {
  const [base = symbol, quote = 'USD'] = symbol.toUpperCase().split('-');
  const dated = DATED_BASE.exec(base);
  const coin = dated ? dated[1]! : base;
  const pair = quote === 'USD' ? coin : `${coin}_${quote}`;
  return `${pair}-${dated ? dated[2]! : 'PERPETUAL'}`;
}

/** Linear instruments (USDC/USDT-settled, `BTC_USDC-PERPETUAL`) count amounts in the base coin. */
export function deribitIsLinear(native: string): boolean {
  return native.includes('_');
}
