/**
 * Money in one unit: the tape's highlight levels, the liquidation markers and the watchlist's
 * "Vol $" are in US dollars. A market quoted in a dollar stablecoin (or USD) is taken at face
 * value; any other quote asset (ETH-BTC) is converted through that asset's own dollar price when
 * the app watches a market giving it (BTC-USDT), and is otherwise left unconverted (null).
 */
import { splitCanonical } from '../../../shared/symbols';

export const USD_QUOTES: ReadonlySet<string> = new Set(['USD', 'USDT', 'USDC', 'FDUSD', 'TUSD', 'BUSD', 'USDE', 'DAI', 'USDP', 'PYUSD']);

/** The quote asset of a canonical symbol (`BTC-USDT` -> `USDT`); '' for anything else. */
export function quoteAsset(symbol: string): string {
  try {
    return splitCanonical(symbol).quote;
  } catch {
    return '';
  }
}

export function isUsdQuoted(symbol: string): boolean {
  return USD_QUOTES.has(quoteAsset(symbol));
}

/** The dollar price of an asset (e.g. BTC), or null when no watched market gives one. */
export type UsdPriceOf = (asset: string) => number | null;

/** `amount` in `symbol`'s quote currency, in dollars; null when it cannot be converted. */
export function toUsd(amount: number, symbol: string, usdPriceOf: UsdPriceOf): number | null {
  const quote = quoteAsset(symbol);
  if (USD_QUOTES.has(quote)) return amount;
  const p = quote ? usdPriceOf(quote) : null;
  return p !== null && p > 0 ? amount * p : null;
}

/** `$950`, `$12.3k`, `$10k` (not `$10.0k`), `$1.5k` (not `$1.50k`), `$1.25M`, `$2B`. */
export function formatUsd(v: number | null | undefined): string {
  return usdText(v).replace(/(\.\d*[1-9])0+(?=[kMB]$)/, '$1').replace(/\.0+(?=[kMB]$)/, '');
}

function usdText(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  if (abs >= 1e9) return `${sign}$${(abs / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${sign}$${(abs / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${sign}$${(abs / 1e3).toFixed(1)}k`;
  if (abs >= 1e3) return `${sign}$${(abs / 1e3).toFixed(2)}k`;
  return `${sign}$${abs.toFixed(abs >= 10 ? 0 : 2)}`;
}

/** A notional for display: in dollars when known, else in the quote currency (`0.52 BTC`). */
export function formatNotional(amount: number, symbol: string, usd: number | null): string {
  if (usd !== null) return formatUsd(usd);
  const quote = quoteAsset(symbol);
  const abs = Math.abs(amount);
  const n = abs >= 1e6 ? `${(amount / 1e6).toFixed(2)}M` : abs >= 1e4 ? `${(amount / 1e3).toFixed(1)}k` : abs >= 1 ? amount.toFixed(2) : amount.toPrecision(3);
  return quote ? `${n} ${quote}` : n;
}
