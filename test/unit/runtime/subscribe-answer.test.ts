/**
 * The runtime fails a connection whose subscribe gets no answer within subscribeAckTimeoutMs
 * (connection.ts): an ack, a venue rejection or market data. A venue whose real ack its adapter
 * did not report as `control: ack` would be reconnected every 10 s on a quiet market, so every
 * venue's recorded ack must parse as one (the frames below are copied from the recordings in
 * /work/shared/fixtures/exchanges/<venue>/, outside the repository).
 */
import { describe, expect, it } from 'vitest';
import type { MarketType } from '../../../shared/domain';
import { getAdapter } from '../../../electron/core/adapters/index';
import { DEFAULT_TUNING, resolveTuning } from '../../../electron/core/runtime/tuning';

const ACKS: { venue: string; market: MarketType; frame: string }[] = [
  // binance/control.docs-examples.jsonl
  { venue: 'binance', market: 'spot', frame: '{"result":null,"id":1}' },
  // bybit/subscribe_ack.spot.jsonl, subscribe_ack.linear.jsonl
  { venue: 'bybit', market: 'spot', frame: '{"success":true,"ret_msg":"subscribe","conn_id":"d9avt8shteepr00gfc1g-4zd1x","op":"subscribe"}' },
  { venue: 'bybit', market: 'perp', frame: '{"success":true,"ret_msg":"","conn_id":"d8bu1olkndm7crnfs1e0-j6akw","req_id":"","op":"subscribe"}' },
  // okx/subscribe_ack.jsonl
  { venue: 'okx', market: 'spot', frame: '{"event":"subscribe","arg":{"channel":"tickers","instId":"BTC-USDT"}}' },
  // bitstamp/subscription_succeeded.jsonl
  { venue: 'bitstamp', market: 'spot', frame: '{"event":"bts:subscription_succeeded","channel":"diff_order_book_ethusd","data":{}}' },
  // coinbase_advanced/subscriptions.jsonl
  { venue: 'coinbase', market: 'spot', frame: '{"channel":"subscriptions","timestamp":"2026-08-09T21:05:48.228846629Z","sequence_num":2,"events":[{"subscriptions":{"market_trades":["BTC-USD","ETH-USD"]}}]}' },
  // bitfinex/events.jsonl
  { venue: 'bitfinex', market: 'spot', frame: '{"event":"subscribed","channel":"ticker","chanId":232949,"symbol":"tBFTUSD","pair":"BFTUSD"}' },
  // kraken/control.jsonl
  { venue: 'kraken', market: 'spot', frame: '{"method":"subscribe","result":{"channel":"trade","snapshot":false,"symbol":"BTC/USD"},"success":true,"time_in":"2024-07-27T21:15:57.923475Z","time_out":"2024-07-27T21:15:57.923542Z"}' },
  // KuCoin (no recording: the documented ack, test/fixtures/kucoin/README.md), spot and futures alike
  { venue: 'kucoin', market: 'spot', frame: '{"id":"subscribe-BTC-USDT","type":"ack"}' },
  { venue: 'kucoin', market: 'perp', frame: '{"id":"subscribe-XBTUSDTM","type":"ack"}' },
  // Hyperliquid, Deribit (no recordings: the documented acks, test/fixtures/<venue>/README.md)
  { venue: 'hyperliquid', market: 'perp', frame: '{"channel":"subscriptionResponse","data":{"method":"subscribe","subscription":{"type":"trades","coin":"BTC"}}}' },
  { venue: 'deribit', market: 'perp', frame: '{"jsonrpc":"2.0","id":100,"result":["trades.BTC-PERPETUAL.100ms"],"usIn":1733200000000200,"usOut":1733200000000260,"usDiff":60,"testnet":false}' },
  // BitMEX, Gate (no recordings: the documented acks, test/fixtures/<venue>/README.md)
  { venue: 'bitmex', market: 'perp', frame: '{"success":true,"subscribe":"trade:XBTUSD","request":{"op":"subscribe","args":["trade:XBTUSD"]}}' },
  { venue: 'gate', market: 'spot', frame: '{"time":1606292218,"time_ms":1606292218231,"channel":"spot.trades","event":"subscribe","result":{"status":"success"}}' },
  { venue: 'gate', market: 'perp', frame: '{"time":1545459681,"time_ms":1545459681123,"channel":"futures.trades","event":"subscribe","result":{"status":"success"}}' },
  // the built-in simulator (electron/core/simulator/frames.ts ackFrame)
  { venue: 'simulator', market: 'spot', frame: '{"type":"ack","id":1,"op":"subscribe","market":"spot","channels":["trades"],"symbols":["BTC-USDT"]}' },
];

describe('subscribe answers', () => {
  it.each(ACKS)('$venue $market: the recorded subscribe ack parses as control ack', ({ venue, market, frame }) => {
    const adapter = getAdapter(venue)!;
    const parser = adapter.createParser({ exchange: adapter.id, market, toCanonical: (n) => adapter.toCanonical(n, market), streams: [] });
    expect(parser.parse(frame, 1_000)).toContainEqual(expect.objectContaining({ type: 'control', what: 'ack' }));
  });

  it('every venue the app offers is covered above', async () => {
    const { listAdapters } = await import('../../../electron/core/adapters/index');
    const covered = new Set(ACKS.map((a) => a.venue));
    expect(listAdapters().map((a) => a.id).filter((id) => id !== 'replay' && !covered.has(id))).toEqual([]);
  });

  it('defaults to a 10 s deadline and refuses a zero or negative one', () => {
    expect(DEFAULT_TUNING.subscribeAckTimeoutMs).toBe(10_000);
    expect(() => resolveTuning({ subscribeAckTimeoutMs: 0 })).toThrow('runtime tuning: subscribeAckTimeoutMs must be a positive number (got 0)');
    expect(() => resolveTuning({ maxFrameBytes: -1 })).toThrow('runtime tuning: maxFrameBytes must be a positive number or null (got -1)');
    expect(resolveTuning({}).maxFrameBytes).toBeNull();
  });
});
