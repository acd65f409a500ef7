/**
 * The watchlist's 24 h numbers come from the core (command marketStats), computed from the bars it
 * holds in the store and in memory: so they are the same after the UI reloads and after the app
 * restarts on the same data dir, and they say "since" when the bars do not reach back 24 h.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import type { MarketStats24h } from '../../../shared/market-stats';
import type { ReplyMessage, ServerMessage } from '../../../shared/protocol';
import { CoreApi } from '../../../electron/core/api/core-api';
import { DAY_MS, marketStats24h, statsTimeframes, type BarsQuery } from '../../../electron/core/pipeline/market-stats-24h';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';

const NOW = Date.UTC(2026, 11, 1, 15, 7, 30);
const MIN = 60_000;

function bar(tf: string, start: number, open: number, close: number, volume: number, vwap = (open + close) / 2): Bar {
  return {
    type: 'bar', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', tf, start, open, high: Math.max(open, close) + 1, low: Math.min(open, close) - 1,
    close, volume, buyVolume: volume / 2, sellVolume: volume / 2, trades: 10, vwap, final: true, incomplete: false,
  };
}

/** A bars query over fixed series per timeframe, honouring from and limit as the pipeline does. */
function query(series: Record<string, Bar[]>): BarsQuery {
  return (q) => (series[q.tf] ?? []).filter((b) => b.start >= q.from).slice(-q.limit);
}

const m = { exchange: 'binance', market: 'spot' as const, symbol: 'BTC-USDT' };

describe('marketStats24h', () => {
  it('uses 1m to 1h timeframes only, finest first', () => {
    expect(statsTimeframes(['1s', '5s', '1h', '15m', '1m', '5m', '1d'])).toEqual(['1m', '5m', '15m', '1h']);
  });

  it('takes change, volume and turnover over 24 h from 1m bars that reach back that far', () => {
    const start = Math.floor((NOW - DAY_MS) / MIN) * MIN;
    const bars = Array.from({ length: 1441 }, (_, i) => bar('1m', start + i * MIN, 100 + i, 101 + i, 2, 100.5 + i));
    const s = marketStats24h(m, query({ '1m': bars }), ['1m', '5m'], NOW);
    expect(s).toMatchObject({ covered: true, since: NOW - DAY_MS, tf: '1m', open: 100, last: 1541, volume: 2 * 1441 });
    // Turnover: each bar's VWAP x volume, summed; not base units.
    expect(s.quoteVolume).toBeCloseTo(bars.reduce((sum, b) => sum + b.vwap * b.volume, 0), 6);
  });

  it('falls back to a coarser timeframe that covers the day (venue candles reach further back)', () => {
    const oneMin = [bar('1m', NOW - 2 * 3_600_000, 200, 210, 1)];
    const fiveStart = Math.floor((NOW - DAY_MS) / (5 * MIN)) * 5 * MIN;
    const five = Array.from({ length: 289 }, (_, i) => bar('5m', fiveStart + i * 5 * MIN, 150, 151, 3));
    const s = marketStats24h(m, query({ '1m': oneMin, '5m': five }), ['1m', '5m', '1h'], NOW);
    expect(s).toMatchObject({ covered: true, tf: '5m', open: 150, volume: 3 * 289 });
  });

  it('takes the price 24 h ago from the last bar before it when that minute had no trade', () => {
    const cut = NOW - DAY_MS;
    const bars = [bar('1m', cut - 20 * MIN, 90, 95, 1), bar('1m', cut + 5 * MIN, 96, 99, 2), bar('1m', NOW - MIN, 99, 104.5, 3)];
    const s = marketStats24h(m, query({ '1m': bars }), ['1m'], NOW);
    // 20 min before the cut: not counted in the volume, but its close is the price 24 h ago.
    expect(s).toMatchObject({ covered: true, since: cut, open: 95, last: 104.5, volume: 5, high: 105.5, low: 95 });
  });

  it('says from when when no timeframe reaches back 24 h, and gives nulls (not zeros) with no bars', () => {
    const first = NOW - 3 * 3_600_000;
    const s = marketStats24h(m, query({ '1m': [bar('1m', first, 100, 110, 4), bar('1m', first + MIN, 110, 99, 1)] }), ['1m'], NOW);
    expect(s).toMatchObject({ covered: false, since: first, open: 100, last: 99, volume: 5 });
    // A fresh feed: the open 1h bar started at the top of the hour, the 1m bars say when data began.
    const hour = Math.floor(first / 3_600_000) * 3_600_000;
    const fresh = marketStats24h(m, query({ '1m': [bar('1m', first, 100, 101, 1)], '1h': [bar('1h', hour, 100, 101, 1)] }), ['1m', '1h'], NOW);
    expect(fresh).toMatchObject({ covered: false, since: first, tf: '1m' });
    expect(marketStats24h(m, query({}), ['1m'], NOW)).toMatchObject({ open: null, last: null, since: null, covered: false, tf: null, volume: 0 });
  });
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function ask(core: CoreApi, name: string, args: unknown): Promise<ReplyMessage> {
  const got: ServerMessage[] = [];
  const session = core.connect({ send: (msg) => void got.push(JSON.parse(JSON.stringify(msg)) as ServerMessage), ready: () => true });
  await session.receive({ type: 'command', id: 7, name, args });
  session.close();
  return got.find((x): x is ReplyMessage => x.type === 'reply' && x.id === 7)!;
}

describe('command marketStats on a real pipeline and bar store', () => {
  it('answers from stored bars, the same after a restart on the same data dir; bad arguments name the field', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickscope-stats24-'));
    const open = async (): Promise<Pipeline> => startPipeline({ feeds: [], dataDir, backfill: false, timeframes: ['1s', '1m'] });
    const yesterday = Math.floor((Date.now() - DAY_MS - 5 * MIN) / MIN) * MIN;
    const bars = Array.from({ length: 30 }, (_, i) => bar('1m', yesterday + i * 60 * MIN, 60_000 + i * 100, 60_050 + i * 100, 0.5));

    const first = await open();
    for (const b of bars) first['store']!.put(b);
    first['store']!.flush();
    const asked = { markets: [m, { exchange: 'simulator', market: 'spot', symbol: 'ETH-USDT' }] };
    const before = await ask(new CoreApi(first, { timeframes: ['1s', '1m'] }), 'marketStats', asked);
    await first.stop();

    const second = await open();
    cleanups.push(() => second.stop());
    const core = new CoreApi(second, { timeframes: ['1s', '1m'] });
    const after = await ask(core, 'marketStats', asked);
    expect(after.ok).toBe(true);
    const [btc, eth] = after.result as MarketStats24h[];
    // The first bar ended 24 h 4 min ago: its close is the price 24 h ago, its volume is not counted.
    // A restart does not start a new "session" at zero.
    expect(btc).toMatchObject({ symbol: 'BTC-USDT', covered: true, tf: '1m', volume: 0.5 * 29, open: 60_050, last: 60_050 + 29 * 100 });
    expect(eth).toMatchObject({ symbol: 'ETH-USDT', open: null, tf: null });
    expect((before.result as MarketStats24h[])[0]).toMatchObject({ open: btc!.open, volume: btc!.volume });

    const bad = await ask(core, 'marketStats', { markets: [{ exchange: 'binance', market: 'swap', symbol: 'BTC-USDT' }] });
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/^markets\[0\]\.market:/);
  });
});
