/**
 * What the simulator trades: per market (spot or perp + canonical symbol) a start price, tick and
 * lot size and a typical trade size close to the big venues' listings, so prices and sizes look
 * like what a trader is used to (BTC-USDT spot: tick 0.01, lot 0.00001; perp: tick 0.1, lot 0.001).
 *
 * Symbols not in the table still work: their parameters are derived from a hash of the symbol,
 * so the same symbol always gets the same made-up start price and sizes.
 */
import type { MarketType } from '../../../shared/domain';
import { normaliseSymbol } from '../../../shared/symbols';
import { hashString } from './rng';

export interface MarketSpec {
  market: MarketType;
  symbol: string;
  /** Price of the symbol's fair value at time 0. */
  startPrice: number;
  /** Annualised volatility of the fair value in calm conditions (0.55 = 55 %). */
  annualVol: number;
  tick: number;
  lot: number;
  /** Mean trade size, in base units. */
  typicalSize: number;
}

interface SymbolEntry {
  price: number;
  vol: number;
  spot: { tick: number; lot: number; typical: number };
  perp: { tick: number; lot: number; typical: number };
}

/** Rounded from Binance spot and USD-M futures listings. */
const KNOWN: Record<string, SymbolEntry> = {
  'BTC-USDT': { price: 64000, vol: 0.55, spot: { tick: 0.01, lot: 0.00001, typical: 0.01 }, perp: { tick: 0.1, lot: 0.001, typical: 0.05 } },
  'ETH-USDT': { price: 3400, vol: 0.7, spot: { tick: 0.01, lot: 0.0001, typical: 0.2 }, perp: { tick: 0.01, lot: 0.001, typical: 1 } },
  'SOL-USDT': { price: 150, vol: 0.9, spot: { tick: 0.01, lot: 0.001, typical: 5 }, perp: { tick: 0.01, lot: 1, typical: 20 } },
  'BNB-USDT': { price: 580, vol: 0.6, spot: { tick: 0.01, lot: 0.001, typical: 0.8 }, perp: { tick: 0.01, lot: 0.01, typical: 3 } },
  'XRP-USDT': { price: 0.52, vol: 0.8, spot: { tick: 0.0001, lot: 1, typical: 600 }, perp: { tick: 0.0001, lot: 1, typical: 2500 } },
  'DOGE-USDT': { price: 0.15, vol: 0.95, spot: { tick: 0.00001, lot: 1, typical: 2500 }, perp: { tick: 0.00001, lot: 1, typical: 10000 } },
  'BTC-USD': { price: 64000, vol: 0.55, spot: { tick: 0.01, lot: 0.00000001, typical: 0.01 }, perp: { tick: 0.5, lot: 0.0001, typical: 0.05 } },
  'ETH-USD': { price: 3400, vol: 0.7, spot: { tick: 0.01, lot: 0.00000001, typical: 0.2 }, perp: { tick: 0.05, lot: 0.001, typical: 1 } },
};

export const DEFAULT_SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT'] as const;

/** Symbols with hand-set parameters (any other canonical symbol also works, with derived ones). */
export const LISTED_SYMBOLS: readonly string[] = Object.keys(KNOWN);

/** A power of ten at or below x. */
function pow10Floor(x: number): number {
  return 10 ** Math.floor(Math.log10(x));
}

function derivedEntry(symbol: string): SymbolEntry {
  const h = hashString(symbol);
  // A start price between 0.1 and 1000, stable per symbol.
  const price = Number((10 ** (-1 + ((h % 10007) / 10007) * 4)).toPrecision(4));
  const tick = pow10Floor(price) / 10000;
  const typical = 300 / price; // about 300 quote units a trade
  const lot = Math.max(1e-8, pow10Floor(typical) / 100);
  return {
    price,
    vol: 0.8,
    spot: { tick, lot, typical },
    perp: { tick, lot: lot * 10, typical: typical * 4 },
  };
}

export function marketSpec(market: MarketType, symbol: string): MarketSpec {
  const e = KNOWN[symbol] ?? derivedEntry(symbol);
  const m = e[market];
  return { market, symbol, startPrice: e.price, annualVol: e.vol, tick: m.tick, lot: m.lot, typicalSize: m.typical };
}

/**
 * Reads the `markets` option. A bare symbol (`BTC-USDT`) means both its spot and perp markets;
 * `spot:BTC-USDT` or `perp:BTC-USDT` means only that one. Symbols are normalised like user input
 * (`btc/usdt` works). Throws an Error naming the bad entry.
 */
export function parseMarkets(entries: readonly string[] = DEFAULT_SYMBOLS): MarketSpec[] {
  const out: MarketSpec[] = [];
  const seen = new Set<string>();
  for (const raw of entries) {
    const colon = raw.indexOf(':');
    const prefix = colon >= 0 ? raw.slice(0, colon).trim().toLowerCase() : '';
    const symbol = normaliseSymbol(colon >= 0 ? raw.slice(colon + 1) : raw);
    if (!symbol) throw new Error(`markets: "${raw}" is not a canonical symbol (BASE-QUOTE, e.g. BTC-USDT)`);
    let types: MarketType[];
    if (colon < 0) types = ['spot', 'perp'];
    else if (prefix === 'spot' || prefix === 'perp') types = [prefix];
    else throw new Error(`markets: "${raw}" has an unknown market type "${prefix}" (spot or perp)`);
    for (const t of types) {
      const key = `${t}:${symbol}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(marketSpec(t, symbol));
    }
  }
  if (out.length === 0) throw new Error('markets: at least one market is required');
  return out;
}

/** Digits after the decimal point needed to write x exactly (x a tick or lot size). */
export function decimalsOf(x: number): number {
  for (let d = 0; d <= 12; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 12;
}

/**
 * Writes an integer count of 10^-decimals units as a fixed-point string without toFixed's float
 * detour: 6400012 with 2 decimals is "64000.12". Integer string slicing is exact and fast.
 */
export function formatUnits(units: number, decimals: number): string {
  const s = String(units);
  if (decimals === 0) return s;
  if (s.length > decimals) return `${s.slice(0, s.length - decimals)}.${s.slice(s.length - decimals)}`;
  return `0.${'0'.repeat(decimals - s.length)}${s}`;
}
