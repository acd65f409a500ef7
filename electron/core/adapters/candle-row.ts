/**
 * Venue candle rows -> Bar, shared by the adapters' `candles.parse`. Every venue sends OHLCV;
 * some add what we need for an exact bar (Binance: taker buy volume and trade count; Kraken:
 * VWAP and count; Bybit/OKX/Binance: quote turnover, hence VWAP). What a venue does not give is
 * estimated and the bar says so through `source: 'candles'`:
 * - buy/sell split unknown: both 0, the volume counts as side `unknown` (as an unknown-side trade);
 * - trade count unknown: 0;
 * - VWAP unknown: the typical price (high + low + close) / 3.
 */
import type { Bar } from '../../../shared/domain';
import { timeframeMs } from '../../../shared/timeframes';
import type { RestContext } from './adapter';
import { ParseError } from '../util/errors';

export interface CandleRow {
  start: number;
  open: unknown;
  high: unknown;
  low: unknown;
  close: unknown;
  volume: unknown;
  /** Taker buy base volume (Binance). */
  buyVolume?: unknown;
  trades?: unknown;
  vwap?: unknown;
  /** Quote-asset turnover; VWAP = quoteVolume / volume. */
  quoteVolume?: unknown;
  /** The venue says the candle is still forming (OKX confirm "0"); default: decided by time. */
  final?: boolean;
}

function num(v: unknown): number {
  return (typeof v === 'string' && v !== '') || typeof v === 'number' ? Number(v) : NaN;
}

/** A candle as a Bar with source 'candles'; throws a ParseError naming the bad field. */
export function candleBar(ctx: RestContext, row: CandleRow): Bar {
  const tfMs = timeframeMs(ctx.tf);
  const start = num(row.start);
  const [open, high, low, close, volume] = [row.open, row.high, row.low, row.close, row.volume].map(num) as [number, number, number, number, number];
  if (!Number.isFinite(start) || start % tfMs !== 0) throw new ParseError(`candle start ${String(row.start)} is not aligned to ${ctx.tf}`);
  if (![open, high, low, close].every((p) => p > 0 && p < Infinity) || !(volume >= 0 && volume < Infinity)) {
    throw new ParseError(`candle at ${start} has a bad price or volume`);
  }
  if (high < Math.max(open, close, low) || low > Math.min(open, close)) throw new ParseError(`candle at ${start}: high/low do not enclose open/close`);
  const buy = num(row.buyVolume);
  const trades = num(row.trades);
  const vwapGiven = num(row.vwap);
  const quote = num(row.quoteVolume);
  let vwap = (high + low + close) / 3;
  if (vwapGiven > 0) vwap = vwapGiven;
  else if (quote > 0 && volume > 0) vwap = quote / volume;
  const hasSplit = buy >= 0 && buy <= volume * (1 + 1e-12);
  return {
    type: 'bar',
    exchange: ctx.exchange,
    market: ctx.market,
    symbol: ctx.symbol,
    tf: ctx.tf,
    start,
    open,
    high,
    low,
    close,
    volume,
    buyVolume: hasSplit ? buy : 0,
    // Base-asset volumes in decimal strings: the difference is rounded to the venue's precision
    // (8 decimals covers every venue here) so 1.3 - 0.3 is 1 rather than 0.9999999999999999.
    sellVolume: hasSplit ? Math.max(0, Math.round((volume - buy) * 1e8) / 1e8) : 0,
    trades: Number.isInteger(trades) && trades >= 0 ? trades : 0,
    vwap,
    final: row.final ?? true,
    incomplete: false,
    source: 'candles',
  };
}

/** Throws a ParseError unless `v` is an array (the body or a list field of it). */
export function expectArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new ParseError(`${what} is not an array`);
  return v;
}

export function nativeInterval(table: Record<string, string>, tf: string, venue: string): string {
  const n = table[tf];
  if (n === undefined) throw new Error(`${venue} has no ${tf} candles`);
  return n;
}

/**
 * The contract size of a candles query whose volumes count contracts (Gate, KuCoin futures), from
 * RestContext.contractSize; throws when history could not give it (instrument list unavailable):
 * a volume off by the multiplier (x1000 on KuCoin XBTUSDTM) would be worse than no backfill.
 */
export function contractSizeOf(ctx: RestContext, venue: string): number {
  const size = ctx.contractSize;
  if (size === undefined || !(size > 0 && size < Infinity)) {
    throw new Error(`${venue} candles of ${ctx.symbol} count contracts and its contract size is unknown (instrument list unavailable); not backfilled`);
  }
  return size;
}

/** Contracts x size in base units, rounded to 15 digits so 602 x 0.001 reads 0.602; NaN for a non-number. */
export function contractsToBase(contracts: unknown, size: number): number {
  return Number((num(contracts) * size).toPrecision(15));
}
