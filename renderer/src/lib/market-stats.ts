/**
 * Per-market live statistics for the watchlist, built from the stream's bars of the smallest
 * timeframe (bars count every trade even when a batch caps its trade list), quotes (bid/ask) and
 * funding records. "Session" = since this window connected to the core; the 24 h figures come
 * from the core instead (stores/stats-24h.ts), so they survive a reload.
 */
import type { Bar, Funding, Quote } from '../../../shared/domain';
import { marketKey } from '../../../shared/markets';
import { USD_QUOTES, quoteAsset } from './usd';

export interface MarketStats {
  last: number | null;
  sessionOpen: number | null;
  /** Base-currency volume since the session started. */
  volume: number;
  totalTrades: number;
  tradesPerSec: number;
  fundingRate: number | null;
  markPrice: number | null;
  /** Open interest in base units, from perp feeds with the funding channel (Binance polled, the others streamed). */
  openInterest: number | null;
  /** Top of book from the quotes channel; null until a quote arrived. */
  bid: number | null;
  ask: number | null;
  /** Local epoch ms of the last bar change. */
  updatedAt: number | null;
}

interface Accum extends MarketStats {
  barStart: number;
  barVolume: number;
  barTrades: number;
  doneVolume: number;
  doneTrades: number;
  /** (local ms, totalTrades) samples, one per second at most, for the trade rate. */
  samples: { at: number; total: number }[];
}

const RATE_WINDOW_MS = 5_000;

export class MarketStatsBook {
  private readonly byKey = new Map<string, Accum>();
  /** Last dollar price per base asset, from any market quoted in a dollar stablecoin (usd.ts). */
  private readonly usd = new Map<string, number>();

  constructor(private readonly tf: string) {}

  /** Call with each batch's bars; ignores other timeframes. `now` is local epoch ms. */
  onBars(bars: readonly Bar[], now: number): void {
    for (const b of bars) {
      if (b.tf !== this.tf) continue;
      const a = this.entry(marketKey(b));
      if (a.sessionOpen === null) a.sessionOpen = b.open;
      if (b.start > a.barStart) {
        // A new window: the previous bar's last known totals are final.
        a.doneVolume += a.barVolume;
        a.doneTrades += a.barTrades;
        a.barStart = b.start;
      } else if (b.start < a.barStart) {
        continue; // a late change to an older window: its totals were already counted
      }
      a.barVolume = b.volume;
      a.barTrades = b.trades;
      a.last = b.close;
      if (b.market === 'spot') this.noteUsd(b.symbol, b.close);
      a.volume = a.doneVolume + a.barVolume;
      a.totalTrades = a.doneTrades + a.barTrades;
      a.updatedAt = now;
    }
    for (const a of this.byKey.values()) this.sample(a, now);
  }

  onFunding(records: readonly Funding[]): void {
    for (const f of records) {
      const a = this.entry(marketKey(f));
      if (f.rate !== undefined) a.fundingRate = f.rate;
      if (f.markPrice !== undefined) a.markPrice = f.markPrice;
      if (f.openInterest !== undefined) a.openInterest = f.openInterest;
    }
  }

  /** Latest top of book per market (the stream sends the latest quote of each market that changed). */
  onQuotes(quotes: readonly Quote[]): void {
    for (const q of quotes) {
      const a = this.entry(marketKey(q));
      a.bid = q.bid > 0 ? q.bid : null;
      a.ask = q.ask > 0 ? q.ask : null;
    }
  }

  /** The dollar price of an asset (`BTC`), from the last trade of any spot market quoting it in dollars. */
  usdPrice = (asset: string): number | null => this.usd.get(asset) ?? null;

  private noteUsd(symbol: string, price: number): void {
    const quote = quoteAsset(symbol);
    if (USD_QUOTES.has(quote)) this.usd.set(symbol.slice(0, symbol.length - quote.length - 1), price);
  }

  get(key: string): MarketStats | undefined {
    return this.byKey.get(key);
  }

  private sample(a: Accum, now: number): void {
    const lastSample = a.samples[a.samples.length - 1];
    if (!lastSample || now - lastSample.at >= 1_000) {
      a.samples.push({ at: now, total: a.totalTrades });
      while (a.samples.length > 2 && now - a.samples[1]!.at >= RATE_WINDOW_MS) a.samples.shift();
    }
    const first = a.samples[0]!;
    const dt = now - first.at;
    a.tradesPerSec = dt >= 900 ? ((a.totalTrades - first.total) * 1000) / dt : 0;
  }

  private entry(key: string): Accum {
    let a = this.byKey.get(key);
    if (!a) {
      a = {
        last: null,
        sessionOpen: null,
        volume: 0,
        totalTrades: 0,
        tradesPerSec: 0,
        fundingRate: null,
        markPrice: null,
        openInterest: null,
        bid: null,
        ask: null,
        updatedAt: null,
        barStart: -Infinity,
        barVolume: 0,
        barTrades: 0,
        doneVolume: 0,
        doneTrades: 0,
        samples: [],
      };
      this.byKey.set(key, a);
    }
    return a;
  }
}

/** Change since the session open, as a fraction (0.01 = +1 %); null when unknown. */
export function sessionChange(s: Pick<MarketStats, 'last' | 'sessionOpen'>): number | null {
  if (s.last === null || s.sessionOpen === null || s.sessionOpen === 0) return null;
  return s.last / s.sessionOpen - 1;
}
