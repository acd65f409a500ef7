import { describe, expect, it } from 'vitest';
import type { Bar, Quote, Trade } from '../../../shared/domain';
import type { PipelineHealth, StatusRecord } from '../../../shared/health';
import type { StreamBatch } from '../../../shared/protocol';
import { Aggregator } from '../../../electron/core/pipeline/aggregator';
import { Publisher, type Subscriber } from '../../../electron/core/pipeline/publisher';
import { ManualClock } from '../../helpers/manual-clock';
import { T0, trade } from './trades';

function collector(ready?: () => boolean): Subscriber & { got: StreamBatch[] } {
  const got: StreamBatch[] = [];
  return { got, send: (b) => got.push(b), ...(ready ? { ready } : {}) };
}

const tradeN = (n: number): Trade => ({ ...trade(T0 + n, 100 + n, 1, 'buy'), id: String(n) });

function quote(exchange: string, bid: number): Quote {
  return { type: 'quote', exchange, market: 'spot', symbol: 'BTC-USDT', bid, bidSize: 1, ask: bid + 1, askSize: 1, time: T0, receivedAt: T0 };
}

function status(n: number): StatusRecord {
  return { type: 'status', feedId: 'binance-spot', exchange: 'binance', market: 'spot', state: 'live', at: T0 + n, cause: `s${n}` };
}

const health: PipelineHealth = {
  at: T0, feeds: [], queues: [], tradesInPerSec: 0, tradesOutPerSec: 0, eventLoopDelayP99Ms: 0, heapUsedBytes: 0, rssBytes: 0,
};

/** A bar as the aggregator would report it; only start/close vary here. */
function bar(start: number, close: number): Bar {
  return {
    type: 'bar', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', tf: '1s', start, open: close, high: close, low: close,
    close, volume: 1, buyVolume: 1, sellVolume: 0, trades: 1, vwap: close, final: false, incomplete: false,
  };
}

describe('Publisher', () => {
  it('numbers batches from 1 without gaps and skips empty flushes', () => {
    const clock = new ManualClock(T0);
    const pub = new Publisher({ clock }, () => []);
    const sub = collector();
    pub.subscribe(sub);
    pub.flush(); // nothing pending
    expect(sub.got).toEqual([]);
    expect(pub.stats().seq).toBe(0);
    pub.pushTrade(tradeN(1));
    clock.advance(40);
    pub.flush();
    pub.flush(); // nothing new
    pub.setHealth(health);
    pub.flush();
    pub.pushStatus(status(1));
    pub.flush();
    expect(sub.got.map((b) => b.seq)).toEqual([1, 2, 3]);
    expect(sub.got[0]).toEqual({
      type: 'batch', seq: 1, at: T0 + 40, bars: [], trades: [tradeN(1)], tradesOmitted: 0, quotes: [], liquidations: [],
      funding: [], statuses: [], books: [], conflated: 0,
    });
    expect(sub.got[1]!.health).toBe(health);
    expect('health' in sub.got[2]!).toBe(false); // health only when a new snapshot was taken
    expect(sub.got[2]!.statuses).toEqual([status(1)]);
    expect(pub.stats()).toMatchObject({ seq: 3, subscribers: 1, batchesSent: 3, conflated: 0 });
  });

  it('coalesces many updates of one bar into one entry per flush', () => {
    const agg = new Aggregator({ timeframes: ['1m'], composite: false });
    const pub = new Publisher({ clock: new ManualClock(T0) }, () => agg.takeChanged());
    const sub = collector();
    pub.subscribe(sub);
    for (let i = 0; i < 100; i++) agg.onTrade(trade(T0 + i * 10, 100 + (i % 7), 0.5, i % 2 ? 'sell' : 'buy'));
    pub.flush();
    expect(sub.got).toHaveLength(1);
    expect(sub.got[0]!.bars).toHaveLength(1);
    expect(sub.got[0]!.bars[0]).toMatchObject({ tf: '1m', start: T0, trades: 100, volume: 50, buyVolume: 25, sellVolume: 25, high: 106, low: 100, final: false });
  });

  it('keeps the newest maxTradesPerBatch trades and counts the rest in tradesOmitted', () => {
    const pub = new Publisher({ clock: new ManualClock(T0), maxTradesPerBatch: 3 }, () => []);
    const sub = collector();
    pub.subscribe(sub);
    for (let i = 1; i <= 5; i++) pub.pushTrade(tradeN(i));
    pub.flush();
    pub.pushTrade(tradeN(6));
    pub.flush();
    expect(sub.got.map((b) => [b.trades.map((t) => t.id), b.tradesOmitted])).toEqual([
      [['3', '4', '5'], 2],
      [['6'], 0],
    ]);
  });

  it('sends the latest quote per market and every liquidation and status', () => {
    const pub = new Publisher({ clock: new ManualClock(T0) }, () => []);
    const sub = collector();
    pub.subscribe(sub);
    pub.pushQuote(quote('binance', 1));
    pub.pushQuote(quote('okx', 10));
    pub.pushQuote(quote('binance', 2));
    pub.pushQuote(quote('binance', 3));
    for (let i = 0; i < 3; i++) pub.pushStatus(status(i));
    pub.pushLiquidation({ type: 'liquidation', exchange: 'bybit', market: 'perp', symbol: 'BTC-USDT', price: 1, size: 2, side: 'sell', time: T0, receivedAt: T0 });
    pub.flush();
    const b = sub.got[0]!;
    expect(b.quotes.map((q) => [q.exchange, q.bid])).toEqual([['binance', 3], ['okx', 10]]);
    expect(b.statuses.map((s) => s.cause)).toEqual(['s0', 's1', 's2']);
    expect(b.liquidations).toHaveLength(1);
    pub.pushQuote(quote('okx', 11));
    pub.flush();
    expect(sub.got[1]!.quotes.map((q) => [q.exchange, q.bid])).toEqual([['okx', 11]]);
  });

  it('bounds statuses per batch, keeping the newest and counting the excess', () => {
    const pub = new Publisher({ clock: new ManualClock(T0) }, () => []);
    const sub = collector();
    pub.subscribe(sub);
    for (let i = 0; i < 1005; i++) pub.pushStatus(status(i));
    pub.flush();
    expect(sub.got[0]!.statuses).toHaveLength(1000);
    expect(sub.got[0]!.statuses[0]!.cause).toBe('s5');
    expect(pub.stats().statusesOmitted).toBe(5);
  });

  it('a slow subscriber gets one conflated, bounded batch; the others are unaffected', () => {
    const clock = new ManualClock(T0);
    let pendingBars: Bar[] = [];
    const pub = new Publisher({ clock, maxTradesPerBatch: 3 }, () => {
      const out = pendingBars;
      pendingBars = [];
      return out;
    });
    const fast = collector();
    let slowReady = false;
    const slow = collector(() => slowReady);
    pub.subscribe(fast);
    pub.subscribe(slow);
    // Four flushes while the slow one is busy: each has one trade, one status, one quote and the
    // bars that changed; the bar window moves on at the third flush.
    const barsPerFlush: Bar[][] = [
      [bar(T0, 101)],
      [bar(T0, 102)],
      [{ ...bar(T0, 102), final: true }, bar(T0 + 1000, 103)],
      [bar(T0 + 1000, 104)],
    ];
    for (let i = 1; i <= 4; i++) {
      pub.pushTrade(tradeN(i));
      pendingBars = barsPerFlush[i - 1]!;
      pub.pushStatus(status(i));
      pub.pushQuote(quote('binance', i));
      clock.advance(10);
      if (i === 4) slowReady = true;
      pub.flush();
    }
    expect(fast.got.map((b) => [b.seq, b.conflated, b.trades.length])).toEqual([[1, 0, 1], [2, 0, 1], [3, 0, 1], [4, 0, 1]]);
    expect(slow.got).toHaveLength(1);
    const c = slow.got[0]!;
    expect(c.seq).toBe(4);
    expect(c.at).toBe(T0 + 40);
    expect(c.conflated).toBe(3);
    expect(c.trades.map((t) => t.id)).toEqual(['2', '3', '4']); // capped at 3, newest kept
    expect(c.tradesOmitted).toBe(1);
    expect(c.bars.map((b) => [b.start - T0, b.close, b.final])).toEqual([[0, 102, true], [1000, 104, false]]);
    expect(c.quotes.map((q) => q.bid)).toEqual([4]);
    expect(c.statuses.map((s) => s.cause)).toEqual(['s1', 's2', 's3', 's4']);
    expect(pub.stats()).toMatchObject({ seq: 4, conflated: 3, batchesSent: 5 });

    // However long it stays busy, what it holds stays bounded; the fast one keeps its pace.
    slowReady = false;
    for (let i = 5; i <= 304; i++) {
      pub.pushTrade(tradeN(i));
      pendingBars = [bar(T0 + 1000, i)];
      pub.pushQuote(quote('binance', i));
      pub.flush();
    }
    slowReady = true;
    pub.flush(); // nothing new, but the held batch goes out now that the subscriber is ready
    expect(fast.got).toHaveLength(304);
    expect(slow.got).toHaveLength(2);
    const d = slow.got[1]!;
    expect([d.seq, d.conflated, d.trades.length, d.tradesOmitted, d.bars.length, d.quotes.length]).toEqual([304, 299, 3, 297, 1, 1]);
    expect(d.bars[0]!.close).toBe(304);
    expect(JSON.stringify(d).length).toBeLessThan(4000);
  });

  it('drops a subscriber whose send throws and keeps serving the others', () => {
    const pub = new Publisher({ clock: new ManualClock(T0) }, () => []);
    const good1 = collector();
    const good2 = collector();
    pub.subscribe(good1);
    pub.subscribe({
      send: () => {
        throw new Error('port closed');
      },
    });
    pub.subscribe(good2);
    for (let i = 1; i <= 3; i++) {
      pub.pushTrade(tradeN(i));
      pub.flush();
    }
    expect(good1.got.map((b) => b.seq)).toEqual([1, 2, 3]);
    expect(good2.got.map((b) => b.seq)).toEqual([1, 2, 3]);
    expect(pub.stats()).toMatchObject({ subscribers: 2, subscriberErrors: 1, batchesSent: 6 });
  });

  it('unsubscribe stops delivery and is idempotent', () => {
    const pub = new Publisher({ clock: new ManualClock(T0) }, () => []);
    const sub = collector();
    const off = pub.subscribe(sub);
    pub.pushTrade(tradeN(1));
    pub.flush();
    off();
    off();
    pub.pushTrade(tradeN(2));
    pub.flush();
    expect(sub.got.map((b) => b.seq)).toEqual([1]);
    expect(pub.stats()).toMatchObject({ subscribers: 0, seq: 2 });
  });

  it('flushes on its cadence between start and stop, and survives a failing bar source', () => {
    const clock = new ManualClock(T0);
    let calls = 0;
    const pub = new Publisher({ clock, cadenceMs: 100 }, () => {
      calls++;
      if (calls === 2) throw new Error('source bug');
      return [];
    });
    const sub = collector();
    pub.subscribe(sub);
    pub.start();
    pub.start(); // idempotent: still one timer
    pub.pushTrade(tradeN(1));
    clock.advance(99);
    expect(sub.got).toHaveLength(0);
    clock.advance(1);
    expect(sub.got.map((b) => [b.seq, b.at - T0])).toEqual([[1, 100]]);
    pub.pushTrade(tradeN(2));
    clock.advance(100); // the source throws here: trades still go out
    pub.pushTrade(tradeN(3));
    clock.advance(100);
    expect(sub.got.map((b) => b.trades[0]!.id)).toEqual(['1', '2', '3']);
    expect(pub.stats().sourceErrors).toBe(1);
    pub.stop();
    pub.pushTrade(tradeN(4));
    clock.advance(1000);
    expect(sub.got).toHaveLength(3);
    expect(clock.pending()).toBe(0);
  });
});

/** A clock whose next timers fire late by the given amounts (an event loop busy elsewhere). */
class LateClock extends ManualClock {
  lateBy: number[] = [];
  override setTimeout(fn: () => void, ms: number): unknown {
    return super.setTimeout(fn, ms + (this.lateBy.shift() ?? 0));
  }
}

describe('Publisher cadence', () => {
  it('keeps flushes on a fixed grid: a late flush does not push the later ones back', () => {
    const clock = new LateClock(T0);
    const pub = new Publisher({ clock, cadenceMs: 40 }, () => []);
    const at: number[] = [];
    pub.subscribe({ send: (b) => void at.push(b.at - T0) });
    clock.lateBy = [0, 15]; // the second flush fires 15 ms late
    pub.start();
    for (let i = 1; i <= 20; i++) {
      pub.pushTrade(tradeN(i)); // a trade every 10 ms, so no flush is empty
      clock.advance(10);
    }
    pub.stop();
    // A chained timeout would give 40, 95, 135, 175: every flush after the late one 15 ms behind.
    expect(at).toEqual([40, 95, 120, 160, 200]);
  });

  it('a flush more than a cadence late restarts the grid from itself (no back-to-back flush)', () => {
    const clock = new LateClock(T0);
    const pub = new Publisher({ clock, cadenceMs: 40 }, () => []);
    const at: number[] = [];
    pub.subscribe({ send: (b) => void at.push(b.at - T0) });
    clock.lateBy = [0, 200];
    pub.start();
    for (let i = 1; i <= 4; i++) {
      pub.pushTrade(tradeN(i));
      clock.advance(i === 2 ? 200 : 40);
    }
    pub.stop();
    expect(at).toEqual([40, 280, 320]);
  });
});
