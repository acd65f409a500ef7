/**
 * Liquidations on a chart: one marker per bar (not one per liquidation, which piled up into
 * unreadable columns), sized by the bar's total dollar notional, and only for bars at or above a
 * threshold (the tape's settings). Hovering such a bar shows what was liquidated, long and short.
 *
 * Pure (tested without a canvas); liquidation-layer.ts keeps a chart's recent liquidations and
 * its tooltip, driven by the chart controller.
 */
import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts';
import type { Liquidation } from '../../../shared/domain';
import { windowStart } from '../../../shared/timeframes';
import { formatClock, formatPrice } from '../lib/format';
import { formatNotional, formatUsd, toUsd, type UsdPriceOf } from '../lib/usd';
import { chartTime } from './series-data';

export interface LiqSide {
  count: number;
  /** Quote-currency notional (price x size). */
  quote: number;
  /** Dollars, or null when the quote currency has no known dollar price. */
  usd: number | null;
}

export interface LiqBucket {
  start: number;
  /** Sell liquidations: long positions closed (the price was pushed down). */
  longs: LiqSide;
  /** Buy liquidations: short positions closed. */
  shorts: LiqSide;
  largest: Liquidation;
  largestQuote: number;
  symbol: string;
}

/**
 * Longs liquidated (forced sells) and shorts liquidated (forced buys) in colours of their own,
 * apart from the candles' green and red: a trader tells them apart without reading the text.
 */
export const LIQ_COLORS = { longs: '#f5a623', shorts: '#4dd0e1' } as const;
/** Biggest marker (lightweight-charts' size multiplier; 1 is the default). */
export const MAX_MARKER_SIZE = 2;

function emptySide(): LiqSide {
  return { count: 0, quote: 0, usd: 0 };
}

/** Liquidations grouped by the bar (window of `tfMs`) they fall in, oldest first. */
export function bucketLiquidations(liqs: readonly Liquidation[], tfMs: number, usdPrice: UsdPriceOf): LiqBucket[] {
  const byStart = new Map<number, LiqBucket>();
  for (const l of liqs) {
    const start = windowStart(l.time, tfMs);
    let b = byStart.get(start);
    const quote = l.price * l.size;
    if (!b) {
      b = { start, longs: emptySide(), shorts: emptySide(), largest: l, largestQuote: quote, symbol: l.symbol };
      byStart.set(start, b);
    }
    const side = l.side === 'buy' ? b.shorts : b.longs;
    side.count++;
    side.quote += quote;
    const usd = toUsd(quote, l.symbol, usdPrice);
    side.usd = side.usd === null || usd === null ? null : side.usd + usd;
    if (quote > b.largestQuote) {
      b.largest = l;
      b.largestQuote = quote;
    }
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

/** A bucket's total in dollars; null when any part cannot be converted. */
export function bucketUsd(b: LiqBucket): number | null {
  return b.longs.usd === null || b.shorts.usd === null ? null : b.longs.usd + b.shorts.usd;
}

/** 1 at the threshold, growing with the log of the notional, up to MAX_MARKER_SIZE. */
export function markerSize(usd: number, minUsd: number): number {
  const base = Math.max(minUsd, 1_000);
  return Math.min(MAX_MARKER_SIZE, Math.max(1, 1 + Math.log10(Math.max(usd, base) / base) / 2));
}

/**
 * One marker per bucket at or above `minUsd` (a bucket whose dollar value is unknown always shows:
 * the threshold cannot judge it). Placed on the side of the larger liquidated notional.
 */
export function liquidationMarkers(buckets: readonly LiqBucket[], minUsd: number): SeriesMarker<UTCTimestamp>[] {
  const out: SeriesMarker<UTCTimestamp>[] = [];
  for (const b of buckets) {
    const usd = bucketUsd(b);
    if (usd !== null && usd < minUsd) continue;
    const longsLead = b.longs.quote >= b.shorts.quote;
    out.push({
      time: chartTime(b.start),
      id: `liq-${b.start}`,
      // Longs liquidated push the price down: mark below the bar, pointing up at it; shorts above.
      position: longsLead ? 'belowBar' : 'aboveBar',
      shape: longsLead ? 'arrowUp' : 'arrowDown',
      color: longsLead ? LIQ_COLORS.longs : LIQ_COLORS.shorts,
      size: usd === null ? 1 : markerSize(usd, minUsd),
      text: usd === null ? formatNotional(b.longs.quote + b.shorts.quote, b.symbol, null) : formatUsd(usd),
    });
  }
  return out;
}

function sideText(label: string, s: LiqSide, symbol: string): string {
  return `${label}: ${s.count === 0 ? 'none' : `${formatNotional(s.quote, symbol, s.usd)} (${s.count})`}`;
}

/** The hover text of one bucket, line by line. */
export function describeBucket(b: LiqBucket, tf: string, usdPrice: UsdPriceOf): string[] {
  const l = b.largest;
  return [
    `Liquidations, ${tf} bar at ${formatClock(b.start).slice(0, 8)}`,
    sideText('Longs liquidated', b.longs, b.symbol),
    sideText('Shorts liquidated', b.shorts, b.symbol),
    `Largest: ${l.side === 'buy' ? 'short' : 'long'} ${formatNotional(b.largestQuote, b.symbol, toUsd(b.largestQuote, b.symbol, usdPrice))} at ${formatPrice(l.price)}`,
  ];
}
