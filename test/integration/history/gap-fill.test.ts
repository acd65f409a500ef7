/**
 * Gap fill after a forced disconnect.
 * - Binance: FeedRunner + binanceAdapter against the fake; the connection is dropped while the
 *   fake keeps trading (sequential aggTrade ids); the GapFiller fetches exactly the missing ids
 *   through /api/v3/aggTrades?fromId and the bars equal those of an uninterrupted run, complete.
 * - Bitstamp (no sequential ids): the gap's windows are filled from candles, marked 'candles';
 *   the timeframe the venue has no candles for and the still-open window stay incomplete.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { binanceAdapter } from '../../../electron/core/adapters/binance/venue';
import { HistoryService } from '../../../electron/core/history/backfill';
import { GapFiller, type GapFillResult } from '../../../electron/core/history/gap-filler';
import { Aggregator } from '../../../electron/core/pipeline/aggregator';
import { parseFeedConfig, type FeedConfigInput } from '../../../shared/config';
import type { Bar, Gap, Trade } from '../../../shared/domain';
import { aggTrade, FakeBinance } from '../../fakes/binance';
import { FakeBitstamp } from '../../fakes/bitstamp';
import { feedHarness } from '../../helpers/feed-harness';

let fake: FakeBinance | FakeBitstamp | undefined;
const { runFeed, waitFor, tearDown } = feedHarness(() => fake);
afterEach(async () => {
  await tearDown();
  fake = undefined;
});

/** VWAP sums run in a different order after a fill; compare it to 1e-9. */
const comparable = (bars: Bar[]) => bars.map((b) => ({ ...b, vwap: Math.round(b.vwap * 1e9) / 1e9 }));

describe('gap fill', () => {
  it('Binance: the missing aggTrade ids are fetched and the bars equal an uninterrupted run', async () => {
    const binance = await FakeBinance.start();
    fake = binance;
    const input: FeedConfigInput = { exchange: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], url: binance.url('spot'), restUrl: binance.restUrl };
    const config = parseFeedConfig(input);
    const tfs = ['1s', '1m'];
    const agg = new Aggregator({ timeframes: tfs, composite: false });
    const results: GapFillResult[] = [];
    const filler = new GapFiller({
      history: new HistoryService(),
      feedFor: () => config,
      timeframes: tfs,
      apply: (f) => agg.fillTrades(f),
      applyBars: (f) => agg.fillBars(f),
      onResult: (r) => results.push(r),
    });
    const received: Trade[] = [];
    const gaps: Gap[] = [];
    runFeed({
      config: input,
      adapter: binanceAdapter,
      tuning: { backoffInitialMs: 100, backoffMaxMs: 1_000, backoffJitter: 0, connectTimeoutMs: 3_000 },
      sink: {
        data: (e) => {
          if (e.type !== 'trade') return;
          received.push(e);
          agg.onTrade(e);
          filler.onTrade(e);
        },
        gap: (g) => {
          gaps.push(g);
          agg.onGap(g);
          filler.onGap(g);
        },
        status: () => {},
      },
    });
    await waitFor(() => binance.subscribers('btcusdt@aggTrade') === 1, 'subscription');

    let id = 0;
    const pushTrade = () => {
      id++;
      // Exact binary fractions: sums are exact whatever the order.
      binance.push('btcusdt@aggTrade', aggTrade({ s: 'BTCUSDT', a: id, p: (100 + (id % 7) * 0.5).toFixed(8), q: (0.25 * (1 + (id % 3))).toFixed(8), T: Date.now(), m: id % 2 === 0 }));
    };
    /** Trades one at a time, each received before the next is made: they spread over real time. */
    const tradeLive = async (count: number) => {
      for (let i = 0; i < count; i++) {
        pushTrade();
        const want = received.length + 1;
        await waitFor(() => received.length >= want, `live trade ${id}`);
      }
    };
    await tradeLive(30);

    // Disconnect; reconnecting is refused 4 times (about 1.5 s of backoff) while trading goes on.
    binance.rejectUpgrades(4);
    binance.dropAll();
    await waitFor(() => gaps.length === 1, 'gap start');
    expect(binance.subscribers('btcusdt@aggTrade')).toBe(0);
    const missed = 20;
    for (let i = 0; i < missed; i++) pushTrade();
    await waitFor(() => binance.subscribers('btcusdt@aggTrade') === 1, 'resubscription');
    await tradeLive(30);
    await waitFor(() => received.length === id - missed && gaps.length === 2 && results.length === 1, 'trades after the gap, gap end and the fill');
    await filler.idle();

    expect(gaps.map((g) => g.phase)).toEqual(['start', 'end']);
    expect(results).toEqual([{ exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', method: 'trades', complete: true, trades: 20, bars: 0 }]);
    expect(binance.historyRest.requests.map((r) => r.path)).toEqual(['/api/v3/aggTrades?symbol=BTCUSDT&fromId=31&limit=20']);

    // The reference: every trade the venue made, in id order, into a fresh aggregator.
    const all = binanceAdapter.tradesById!.parse(binance.historyRest.aggTrades.get('BTCUSDT'), { exchange: 'binance', market: 'spot', symbol: 'BTC-USDT' }, 0);
    expect(all).toHaveLength(id);
    const reference = new Aggregator({ timeframes: tfs, composite: false });
    for (const t of all) reference.onTrade(t);
    for (const tf of tfs) {
      const got = agg.history('binance', 'spot', 'BTC-USDT', tf);
      expect(comparable(got)).toEqual(comparable(reference.history('binance', 'spot', 'BTC-USDT', tf)));
      expect(got.filter((b) => b.incomplete)).toEqual([]);
    }
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1s').reduce((n, b) => n + b.trades, 0)).toBe(id);
  });

  it('Bitstamp: gap windows filled from candles (source candles); no-candle timeframe and open window stay incomplete', async () => {
    const bitstamp = await FakeBitstamp.start();
    fake = bitstamp;
    const cur = Math.floor(Date.now() / 60_000) * 60_000;
    const M = cur - 3 * 60_000;
    bitstamp.historyRest.setCandles('btcusd', 60_000, [
      { start: M, open: '100', high: '104', low: '99', close: '103', volume: '5' },
      { start: M + 60_000, open: '103', high: '106', low: '102', close: '105', volume: '3' },
      { start: M + 120_000, open: '105', high: '107', low: '104', close: '106', volume: '2' },
    ]);
    const tfs = ['15s', '1m'];
    const agg = new Aggregator({ timeframes: tfs, composite: false });
    const results: GapFillResult[] = [];
    const filler = new GapFiller({
      history: new HistoryService(),
      feedFor: () => ({ exchange: 'bitstamp', market: 'spot', restUrl: bitstamp.restUrl }),
      timeframes: tfs,
      apply: (f) => agg.fillTrades(f),
      applyBars: (f) => agg.fillBars(f),
      onResult: (r) => results.push(r),
    });
    const ref = { exchange: 'bitstamp', market: 'spot' as const, symbol: 'BTC-USD' };
    const t = (time: number, price: number, id: number): Trade => ({ type: 'trade', ...ref, price, size: 1, side: 'buy', time, receivedAt: time, id: String(id) });
    const g = (phase: 'start' | 'end', at: number): Gap => ({ type: 'gap', feedId: 'bitstamp-spot', ...ref, symbols: ['BTC-USD'], phase, at, reason: 'test' });
    for (const e of [t(M + 5_000, 100, 9001), t(M + 20_000, 101, 9007)]) { agg.onTrade(e); filler.onTrade(e); }
    agg.onGap(g('start', M + 30_000)); filler.onGap(g('start', M + 30_000));
    const after = t(M + 150_000, 106, 9950);
    agg.onTrade(after); filler.onTrade(after);
    agg.onGap(g('end', M + 150_000)); filler.onGap(g('end', M + 150_000));
    await filler.idle();

    expect(results).toEqual([{ ...ref, method: 'candles', complete: false, trades: 0, bars: 2 }]);
    expect(agg.history('bitstamp', 'spot', 'BTC-USD', '1m').map((b) => [b.start - M, b.open, b.close, b.volume, b.source ?? 'trades', b.incomplete, b.final])).toEqual([
      [0, 100, 103, 5, 'candles', false, true],
      [60_000, 103, 105, 3, 'candles', false, true],
      [120_000, 106, 106, 1, 'trades', true, false],
    ]);
    // Bitstamp has no candles that make 15s bars: those stay as the feed saw them, flagged.
    expect(agg.history('bitstamp', 'spot', 'BTC-USD', '15s').map((b) => [b.start - M, b.incomplete])).toEqual([
      [0, false],
      [15_000, true],
      [150_000, true],
    ]);
    expect(bitstamp.historyRest.requests.map((r) => r.path)).toEqual([`/api/v2/ohlc/btcusd/?step=60&start=${M / 1000}&end=${(M + 180_000 - 1 - ((M + 180_000 - 1) % 1000)) / 1000}&limit=3`]);
  });
});
