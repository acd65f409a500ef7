/**
 * Bars to lightweight-charts points. Three looks, so a trader can tell how much to trust a bar:
 * - from trades (live, replay, exact gap fill): solid up/down body;
 * - from the venue's REST candles (`source: 'candles'`, backfill or candle gap fill): a faded body
 *   inside a full-colour border; its volume column is neutral when the venue gave no buy/sell
 *   split (the split would otherwise read as "all buy");
 * - incomplete (a feed gap inside the window, not recovered): hollow grey, whatever its source.
 */
import type { CandlestickData, HistogramData, UTCTimestamp } from 'lightweight-charts';
import type { Bar } from '../../../shared/domain';

export const COLORS = {
  up: '#26a69a',
  down: '#ef5350',
  incomplete: '#8d8d8d',
  candlesUpBody: 'rgba(38, 166, 154, 0.3)',
  candlesDownBody: 'rgba(239, 83, 80, 0.3)',
  buyVolume: 'rgba(38, 166, 154, 0.55)',
  sellVolume: 'rgba(239, 83, 80, 0.75)',
  incompleteVolume: 'rgba(141, 141, 141, 0.5)',
  /** Candle volume without a buy/sell split. */
  unsplitVolume: 'rgba(120, 144, 180, 0.5)',
} as const;

export function chartTime(startMs: number): UTCTimestamp {
  return (startMs / 1000) as UTCTimestamp;
}

export function fromCandles(b: Bar): boolean {
  return b.source === 'candles';
}

export function toCandle(b: Bar): CandlestickData<UTCTimestamp> {
  const c: CandlestickData<UTCTimestamp> = { time: chartTime(b.start), open: b.open, high: b.high, low: b.low, close: b.close };
  if (b.incomplete) {
    // Hollow grey body: visibly different from any ordinary up or down bar.
    c.color = 'rgba(0, 0, 0, 0)';
    c.borderColor = COLORS.incomplete;
    c.wickColor = COLORS.incomplete;
  } else if (fromCandles(b)) {
    const up = b.close >= b.open;
    c.color = up ? COLORS.candlesUpBody : COLORS.candlesDownBody;
    c.borderColor = up ? COLORS.up : COLORS.down;
    c.wickColor = up ? COLORS.up : COLORS.down;
  }
  return c;
}

/** True when the bar's volume has no buy/sell split (candles of most venues). */
function unsplit(b: Bar): boolean {
  return fromCandles(b) && b.volume > 0 && b.buyVolume + b.sellVolume === 0;
}

/**
 * The volume column is drawn as two overlaid histograms on one scale: the total (buy colour)
 * behind, the sell volume in front, so the visible top part of each column is the buy volume.
 */
export function toTotalVolume(b: Bar): HistogramData<UTCTimestamp> {
  const color = b.incomplete ? COLORS.incompleteVolume : unsplit(b) ? COLORS.unsplitVolume : COLORS.buyVolume;
  return { time: chartTime(b.start), value: b.volume, color };
}

export function toSellVolume(b: Bar): HistogramData<UTCTimestamp> {
  return { time: chartTime(b.start), value: b.sellVolume, color: b.incomplete ? COLORS.incompleteVolume : COLORS.sellVolume };
}
