/** Bars to lightweight-charts points. Incomplete bars (a feed gap inside the window) are greyed. */
import type { CandlestickData, HistogramData, UTCTimestamp } from 'lightweight-charts';
import type { Bar } from '../../../shared/domain';

export const COLORS = {
  up: '#26a69a',
  down: '#ef5350',
  incomplete: '#8d8d8d',
  buyVolume: 'rgba(38, 166, 154, 0.55)',
  sellVolume: 'rgba(239, 83, 80, 0.75)',
  incompleteVolume: 'rgba(141, 141, 141, 0.5)',
} as const;

export function chartTime(startMs: number): UTCTimestamp {
  return (startMs / 1000) as UTCTimestamp;
}

export function toCandle(b: Bar): CandlestickData<UTCTimestamp> {
  const c: CandlestickData<UTCTimestamp> = { time: chartTime(b.start), open: b.open, high: b.high, low: b.low, close: b.close };
  if (b.incomplete) {
    // Hollow grey body: visibly different from any ordinary up or down bar.
    c.color = 'rgba(0, 0, 0, 0)';
    c.borderColor = COLORS.incomplete;
    c.wickColor = COLORS.incomplete;
  }
  return c;
}

/**
 * The volume column is drawn as two overlaid histograms on one scale: the total (buy colour)
 * behind, the sell volume in front, so the visible top part of each column is the buy volume.
 */
export function toTotalVolume(b: Bar): HistogramData<UTCTimestamp> {
  return { time: chartTime(b.start), value: b.volume, color: b.incomplete ? COLORS.incompleteVolume : COLORS.buyVolume };
}

export function toSellVolume(b: Bar): HistogramData<UTCTimestamp> {
  return { time: chartTime(b.start), value: b.sellVolume, color: b.incomplete ? COLORS.incompleteVolume : COLORS.sellVolume };
}
