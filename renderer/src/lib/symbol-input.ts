/**
 * Symbols as a user types them, made canonical (`BASE-QUOTE`): `BTCUSDT`, `btc/usdt`, `BTC_USDT`,
 * `XBT/USD`, `BTC-USDT-SWAP` and `BTCUSDT.P` all become what the app uses. A concatenated name is
 * split at a known quote currency (USDT, USDC, USD, BTC, ETH, EUR...: shared/symbols.ts). What
 * cannot be read gets a message in plain words saying what to type instead.
 */
import { isCanonicalSymbol, splitConcatenated } from '../../../shared/symbols';

export type TypedSymbol = { input: string; symbol: string } | { input: string; error: string };

/** Venue and charting-site suffixes for perpetuals: the market type is chosen separately. */
const PERP_SUFFIX = /(?:[-_.]?(?:PERPETUAL|PERP|SWAP)|\.P)$/;
/** Old ticker names some venues still use (Kraken's XBT). */
const ALIASES: Record<string, string> = { XBT: 'BTC', XDG: 'DOGE' };

const EXAMPLE = 'for example BTC-USDT';

function alias(part: string): string {
  return ALIASES[part] ?? part;
}

export function normaliseTyped(raw: string): TypedSymbol {
  const input = raw.trim().replace(/^["'“”]+|["'“”]+$/g, '');
  let s = input.toUpperCase().replace(PERP_SUFFIX, '').replace(/[/_: ]/g, '-');
  if (!/^[A-Z0-9-]+$/.test(s)) {
    return { input, error: `“${input}” has characters a symbol cannot have: use letters and digits as BASE-QUOTE, ${EXAMPLE}` };
  }
  if (!s.includes('-')) {
    const split = splitConcatenated(s);
    if (!split) return { input, error: `“${input}”: no quote currency recognised (USDT, USDC, USD, BTC, ETH, EUR...): write it as BASE-QUOTE, ${EXAMPLE}` };
    s = split;
  }
  const parts = s.split('-').filter((p) => p.length > 0);
  if (parts.length !== 2) return { input, error: `“${input}” is not one base and one quote currency: write it as BASE-QUOTE, ${EXAMPLE}` };
  const symbol = `${alias(parts[0]!)}-${alias(parts[1]!)}`;
  if (!isCanonicalSymbol(symbol)) return { input, error: `“${input}” is too long for a symbol: write it as BASE-QUOTE, ${EXAMPLE}` };
  return { input, symbol };
}

/** The symbols typed in a list (commas, spaces, semicolons or new lines between them), deduplicated. */
export function parseSymbolList(text: string): { symbols: string[]; errors: string[] } {
  const symbols: string[] = [];
  const errors: string[] = [];
  for (const token of text.split(/[\s,;]+/).filter((t) => t.length > 0)) {
    const r = normaliseTyped(token);
    if ('error' in r) errors.push(r.error);
    else if (!symbols.includes(r.symbol)) symbols.push(r.symbol);
  }
  return { symbols, errors };
}
