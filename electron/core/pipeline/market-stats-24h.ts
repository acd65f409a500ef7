/**
 * A market's last 24 hours for the watchlist (change, volume, turnover), computed in the core from
 * the bars it holds (the local store plus memory), so a reloaded window shows the same numbers
 * instead of starting a new "session" at zero.
 *
 * The finest timeframe from 1m up whose bars reach back 24 h is used (1m normally; 5m/15m/1h when
 * only venue candles reach that far back: a feed's backfill takes 500 bars of each, 8 h of 1m but
 * 41 h of 5m). When none reaches back, the one reaching furthest is used and the answer says from
 * when (`covered: false`, `since`). Bars are whole windows: the first one counted is the bar
 * holding the moment 24 h ago, so the window is 24 h plus at most one bar; the price 24 h ago is
 * that bar's open, or the close of the last bar before it when that minute had no trade.
 */
import type { Bar, MarketRef, MarketType } from '../../../shared/domain';
import type { MarketStats24h } from '../../../shared/market-stats';
import { timeframeMs, windowStart } from '../../../shared/timeframes';

export const DAY_MS = 86_400_000;
const MIN_TF_MS = 60_000;
const MAX_TF_MS = 3_600_000;

export type BarsQuery = (q: { exchange: string; market: MarketType; symbol: string; tf: string; from: number; limit: number }) => Bar[];

/** The timeframes worth asking, finest first: 1m to 1h (finer ones would need 86,400+ bars a day). */
export function statsTimeframes(timeframes: readonly string[]): string[] {
  return timeframes
    .map((tf) => ({ tf, ms: safeMs(tf) }))
    .filter((t) => t.ms >= MIN_TF_MS && t.ms <= MAX_TF_MS)
    .sort((a, b) => a.ms - b.ms)
    .map((t) => t.tf);
}

function safeMs(tf: string): number {
  try {
    return timeframeMs(tf);
  } catch {
    return NaN;
  }
}

/** How far before the cut a bar may end and still give the price 24 h ago (a quiet minute has no bar). */
const LOOKBACK_MS = 3_600_000;

export function marketStats24h(m: MarketRef, bars: BarsQuery, timeframes: readonly string[], now: number): MarketStats24h {
  const cut = now - DAY_MS;
  let best: { tf: string; ms: number; bars: Bar[] } | null = null;
  for (const tf of statsTimeframes(timeframes)) {
    const ms = timeframeMs(tf);
    const back = Math.max(LOOKBACK_MS, ms);
    const got = bars({ exchange: m.exchange, market: m.market, symbol: m.symbol, tf, from: windowStart(cut - back, ms), limit: Math.ceil((DAY_MS + back) / ms) + 2 });
    if (got.length === 0) continue;
    if (got[0]!.start <= cut) {
      best = { tf, ms, bars: got };
      break;
    }
    // Not covered: keep the one whose data surely reaches furthest back. A bar's start is its
    // window's, not its first trade's: a 1h bar started at 16:00 says data began before 17:00,
    // which a 1m bar started at 16:17 beats; so compare where the first windows end.
    if (!best || got[0]!.start + ms < best.bars[0]!.start + best.ms) best = { tf, ms, bars: got };
  }
  return summarise(m, best, cut);
}

function summarise(m: MarketRef, best: { tf: string; ms: number; bars: Bar[] } | null, cut: number): MarketStats24h {
  const base = { exchange: m.exchange, market: m.market, symbol: m.symbol };
  if (!best) return { ...base, open: null, last: null, high: null, low: null, volume: 0, quoteVolume: 0, since: null, covered: false, tf: null };
  const list = best.bars;
  // The price 24 h ago: the open of the bar holding that moment, else the close of the last bar before it.
  let open: number | null = null;
  let volume = 0;
  let quoteVolume = 0;
  let high = -Infinity;
  let low = Infinity;
  let first: Bar | null = null;
  for (const b of list) {
    if (b.start + best.ms <= cut) {
      open = b.close;
      continue;
    }
    if (first === null) {
      first = b;
      if (b.start <= cut) open = b.open;
    }
    volume += b.volume;
    // A bar's VWAP is its turnover per unit; candles without a VWAP estimate it (candle-bar.ts).
    quoteVolume += (b.vwap > 0 ? b.vwap : b.close) * b.volume;
    if (b.high > high) high = b.high;
    if (b.low < low) low = b.low;
  }
  const covered = list[0]!.start <= cut;
  const last = list[list.length - 1]!.close;
  return {
    ...base,
    open: open ?? first?.open ?? last,
    last,
    high: first ? high : last,
    low: first ? low : last,
    volume,
    quoteVolume,
    since: covered ? cut : list[0]!.start,
    covered,
    tf: best.tf,
  };
}

/** Every market asked for; one market's failure (a damaged store page) gives it an empty answer, not the others. */
export function marketStats24hAll(markets: readonly MarketRef[], bars: BarsQuery, timeframes: readonly string[], now: number): MarketStats24h[] {
  return markets.map((m) => {
    try {
      return marketStats24h(m, bars, timeframes, now);
    } catch {
      return summarise(m, null, now - DAY_MS);
    }
  });
}
