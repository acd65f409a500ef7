import { describe, expect, it } from 'vitest';
import { coinbaseAdapter } from '../../../electron/core/adapters/coinbase/venue';
import { isoToEpochMs } from '../../../electron/core/util/time';
import type { ParsedEvent, Stream } from '../../../electron/core/adapters/adapter';

const streams: Stream[] = [
  { symbol: 'BTC-USD', native: 'BTC-USD', channel: 'trades' },
  { symbol: 'BTC-USD', native: 'BTC-USD', channel: 'quotes' },
  { symbol: 'ETH-USD', native: 'ETH-USD', channel: 'trades' },
];

function parser() {
  return coinbaseAdapter.createParser({
    exchange: 'coinbase',
    market: 'spot',
    toCanonical: (n) => coinbaseAdapter.toCanonical(n, 'spot'),
    streams,
  });
}

const RECV = 1_786_309_549_000;
const T = Date.UTC(2026, 7, 9, 21, 5, 0); // 2026-08-09T21:05:00Z

const trade = (id: string, price: string, size: string, time: string, side: string, product = 'BTC-USD') =>
  ({ product_id: product, trade_id: id, price, size, time, side });
const mt = (seq: number, type: 'snapshot' | 'update', trades: object[]) =>
  JSON.stringify({ channel: 'market_trades', client_id: '', timestamp: '2026-08-09T21:05:48.251397169Z', sequence_num: seq, events: [{ type, trades }] });

const data = (evs: ParsedEvent[]) => evs.filter((e) => e.type === 'trade' || e.type === 'quote');

describe('coinbase time parsing', () => {
  it('keeps µs and ns as fractional ms, with trailing zeros trimmed', () => {
    expect(isoToEpochMs('2026-08-09T21:05:38.50436Z')).toBe(T + 38_504.36);
    expect(isoToEpochMs('2026-08-09T21:05:48.167634Z')).toBe(T + 48_167.634);
    expect(isoToEpochMs('2026-08-09T21:05:48.59377133Z')).toBeCloseTo(T + 48_593.77133, 3);
    expect(isoToEpochMs('2026-08-09T21:05:48Z')).toBe(T + 48_000);
    expect(isoToEpochMs('2026-08-09T23:05:48.5+02:00')).toBe(T + 48_500);
    expect(isoToEpochMs('2026-08-09 21:05:48')).toBeNaN();
  });
});

describe('coinbase subscribe messages', () => {
  it('sends one message per channel plus heartbeats, in the recorded shape', () => {
    expect(coinbaseAdapter.subscribeMessages(streams, 'spot')).toEqual([
      '{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"market_trades"}',
      '{"type":"subscribe","product_ids":["BTC-USD"],"channel":"ticker"}',
      '{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"heartbeats"}',
    ]);
    expect(coinbaseAdapter.unsubscribeMessages!(streams.slice(0, 1), 'spot')).toEqual([
      '{"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"market_trades"}',
      '{"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"heartbeats"}',
    ]);
  });
});

describe('coinbase parser', () => {
  it('inverts the maker side, splits batches oldest first and parses µs times', () => {
    const p = parser();
    const out = p.parse(
      mt(9, 'update', [
        trade('1068572096', '65083.67', '0.01034361', '2026-08-09T21:05:48.16763Z', 'SELL'),
        trade('1068572095', '65083.66', '0.00007299', '2026-08-09T21:05:48.1676Z', 'BUY'),
      ]),
      RECV,
    );
    expect(out).toEqual([
      { type: 'trade', exchange: 'coinbase', market: 'spot', symbol: 'BTC-USD', price: 65083.66, size: 0.00007299, side: 'sell', time: T + 48_167.6, receivedAt: RECV, id: '1068572095' },
      { type: 'trade', exchange: 'coinbase', market: 'spot', symbol: 'BTC-USD', price: 65083.67, size: 0.01034361, side: 'buy', time: T + 48_167.63, receivedAt: RECV, id: '1068572096' },
    ]);
  });

  it('skips snapshot trades and drops later updates that repeat them', () => {
    const p = parser();
    const snap = p.parse(
      mt(0, 'snapshot', [
        trade('1068572090', '65083.67', '0.002186', '2026-08-09T21:05:42.514318Z', 'SELL'),
        trade('1068572089', '65083.67', '0.00064389', '2026-08-09T21:05:41.139922Z', 'SELL'),
      ]),
      RECV,
    );
    expect(data(snap)).toEqual([]);
    expect(snap).toEqual([{ type: 'control', what: 'info', message: 'market_trades snapshot: 2 past trades skipped' }]);
    const upd = p.parse(
      mt(1, 'update', [
        trade('1068572091', '65083.68', '0.5', '2026-08-09T21:05:48.2Z', 'BUY'),
        trade('1068572090', '65083.67', '0.002186', '2026-08-09T21:05:42.514318Z', 'SELL'),
      ]),
      RECV,
    );
    expect(data(upd).map((t) => (t.type === 'trade' ? [t.id, t.side, t.size] : null))).toEqual([['1068572091', 'sell', 0.5]]);
    // A replay of an update already emitted is dropped too.
    expect(data(p.parse(mt(2, 'update', [trade('1068572091', '65083.68', '0.5', '2026-08-09T21:05:48.2Z', 'BUY')]), RECV))).toEqual([]);
  });

  it('turns ticker best bid/ask into quotes stamped with the envelope time', () => {
    const frame = JSON.stringify({
      channel: 'ticker', client_id: '', timestamp: '2026-08-09T21:05:48.348050942Z', sequence_num: 11,
      events: [{ type: 'update', tickers: [{ type: 'ticker', product_id: 'BTC-USD', price: '65086.18', volume_24_h: '2867.54532609', best_bid: '65083.66', best_ask: '65083.67', best_bid_quantity: '0.20371215', best_ask_quantity: '0.15556334' }] }],
    });
    const [q] = parser().parse(frame, RECV);
    expect(q).toEqual({ type: 'quote', exchange: 'coinbase', market: 'spot', symbol: 'BTC-USD', bid: 65083.66, bidSize: 0.20371215, ask: 65083.67, askSize: 0.15556334, time: T + 48_348.050942, receivedAt: RECV });
  });

  it('treats heartbeats and cumulative subscriptions acks as control, not data', () => {
    const p = parser();
    const hb = '{"channel":"heartbeats","client_id":"","timestamp":"2026-08-09T21:05:48.856364007Z","sequence_num":0,"events":[{"current_time":"2026-08-09 21:05:48.854840045 +0000 UTC m=+41691.260485341","heartbeat_counter":41691}]}';
    const ack = '{"channel":"subscriptions","client_id":"","timestamp":"2026-08-09T21:05:48.229148053Z","sequence_num":1,"events":[{"subscriptions":{"heartbeats":["heartbeats"],"market_trades":["ETH-USD","BTC-USD"]}}]}';
    expect(p.parse(hb, RECV)).toEqual([{ type: 'control', what: 'heartbeat' }]);
    expect(p.parse(ack, RECV)).toEqual([{ type: 'control', what: 'ack', message: 'heartbeats: heartbeats; market_trades: ETH-USD,BTC-USD' }]);
  });

  it('reports venue errors with the venue text and the market it names', () => {
    const p = parser();
    expect(p.parse('{"type":"error","message":"failure to subscribe"}', RECV)).toEqual([
      { type: 'error', kind: 'venue', message: 'Coinbase error: failure to subscribe', cause: 'failure to subscribe' },
    ]);
    const [e] = p.parse('{"type":"error","message":"Failed to subscribe","reason":"ETH-USD is not a valid product"}', RECV);
    expect(e).toMatchObject({ type: 'error', kind: 'venue', symbol: 'ETH-USD', cause: 'Failed to subscribe: ETH-USD is not a valid product' });
  });

  it('counts a malformed frame and keeps parsing the good ones around it', () => {
    const p = parser();
    const frames = [
      mt(5, 'update', [trade('10', '100.5', '1', '2026-08-09T21:05:00.000001Z', 'BUY')]),
      '{"channel":"market_trades","events":[{"type":"upd',
      mt(6, 'update', [trade('11', 'abc', '1', '2026-08-09T21:05:00.1Z', 'BUY'), trade('12', '101', '2', '2026-08-09T21:05:00.2Z', 'SELL')]),
    ];
    const all = frames.flatMap((f) => p.parse(f, RECV));
    expect(all.filter((e) => e.type === 'trade').map((t) => (t.type === 'trade' ? [t.id, t.price, t.side, t.time] : 0))).toEqual([
      ['10', 100.5, 'sell', T + 0.001],
      ['12', 101, 'buy', T + 200],
    ]);
    expect(all.filter((e) => e.type === 'error').map((e) => (e.type === 'error' ? e.kind : ''))).toEqual(['parse', 'parse']);
  });

  it('flags a sequence_num jump as lost messages', () => {
    const p = parser();
    p.parse(mt(3, 'update', []), RECV);
    const out = p.parse(mt(7, 'update', []), RECV);
    expect(out).toEqual([{ type: 'error', kind: 'protocol', message: 'sequence gap: 3 message(s) lost (3 -> 7)' }]);
  });

  it('reads the REST product list, keeping spot products only', () => {
    const body = {
      products: [
        { product_id: 'BTC-USD', price: '65083.67', base_currency_id: 'BTC', quote_currency_id: 'USD', product_type: 'SPOT', status: 'online' },
        { product_id: 'ETH-USDC', base_currency_id: 'ETH', quote_currency_id: 'USDC', product_type: 'SPOT', status: 'online' },
        { product_id: 'BIT-31JAN25-CDE', product_type: 'FUTURE' },
      ],
      num_products: 3,
    };
    expect(coinbaseAdapter.instruments!.parse(body, 'spot')).toEqual([
      { symbol: 'BTC-USD', native: 'BTC-USD' },
      { symbol: 'ETH-USDC', native: 'ETH-USDC' },
    ]);
    expect(() => coinbaseAdapter.instruments!.parse({ message: 'nope' }, 'spot')).toThrow(/products/);
    expect(coinbaseAdapter.toNative('btc-usd', 'spot')).toBe('BTC-USD');
  });
});
