/**
 * Replies of the UI's query commands that are not plain domain records: a market's last 24 hours
 * (command `marketStats`) and an instrument search (command `searchMarkets`). Types only.
 */
import type { MarketRef } from './domain';

/** One market's last 24 h, from the core's bars (store + memory), so it survives a UI reload. */
export interface MarketStats24h extends MarketRef {
  /** Price at the start of the window (open of the bar holding it); null when no bar is held. */
  open: number | null;
  /** Close of the newest bar (the UI prefers the live price from the stream). */
  last: number | null;
  high: number | null;
  low: number | null;
  /** Base-currency volume over the window. */
  volume: number;
  /** Turnover in the quote currency (sum of each bar's VWAP x volume). */
  quoteVolume: number;
  /**
   * Epoch ms the numbers start from: 24 h ago when the bars reach back that far (`covered`), else
   * the first bar held ("since 14:02"). null when there are no bars at all.
   */
  since: number | null;
  covered: boolean;
  /** Timeframe of the bars the numbers come from. */
  tf: string | null;
}

/** Reply of `searchMarkets`. */
export interface InstrumentSearchResult {
  symbols: string[];
  /**
   * Set when the venue's instrument list could not be had (offline, REST down, no cached copy):
   * `symbols` then holds only what the app knows without it (maybe nothing), and this says why.
   */
  listUnavailable?: string;
}
