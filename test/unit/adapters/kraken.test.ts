import { describe, expect, it } from 'vitest';
import { krakenAdapter } from '../../../electron/core/adapters/kraken/venue';
import type { ParsedEvent, Stream } from '../../../electron/core/adapters/adapter';

const streams: Stream[] = [
  { symbol: 'BTC-USD', native: 'BTC/USD', channel: 'trades' },
  { symbol: 'BTC-USD', native: 'BTC/USD', channel: 'quotes' },
  { symbol: 'DOGE-USD', native: 'DOGE/USD', channel: 'trades' },
];

function parser() {
  return krakenAdapter.createParser({
    exchange: 'kraken',
    market: 'spot',
    toCanonical: (n) => krakenAdapter.toCanonical(n, 'spot'),
    streams,
  });
}

const RECV = 1_722_114_961_000;
const trades = (evs: ParsedEvent[]) =>
  evs.flatMap((e) => (e.type === 'trade' ? [[e.symbol, e.id, e.price, e.size, e.side, e.time]] : []));

describe('kraken subscribe messages', () => {
  it('asks for trades without snapshot and bbo-triggered tickers, one request per channel', () => {
    expect(krakenAdapter.subscribeMessages(streams, 'spot')).toEqual([
      '{"method":"subscribe","params":{"channel":"trade","symbol":["BTC/USD","DOGE/USD"],"snapshot":false},"req_id":1}',
      '{"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD"],"event_trigger":"bbo"},"req_id":2}',
    ]);
    expect(krakenAdapter.unsubscribeMessages!(streams.slice(0, 1), 'spot')).toEqual([
      '{"method":"unsubscribe","params":{"channel":"trade","symbol":["BTC/USD"]},"req_id":1}',
    ]);
  });

  it('splits long symbol lists into requests of 50', () => {
    const many: Stream[] = Array.from({ length: 120 }, (_, i) => ({ symbol: `C${i}-USD`, native: `C${i}/USD`, channel: 'trades' }));
    const msgs = krakenAdapter.subscribeMessages(many, 'spot').map((m) => JSON.parse(m) as { params: { symbol: string[] } });
    expect(msgs.map((m) => m.params.symbol.length)).toEqual([50, 50, 20]);
  });
});

describe('kraken symbols', () => {
  it('maps v1/REST legacy codes to ISO canonical names', () => {
    expect(krakenAdapter.toCanonical('XBT/USD', 'spot')).toBe('BTC-USD');
    expect(krakenAdapter.toCanonical('XDG/EUR', 'spot')).toBe('DOGE-EUR');
    expect(krakenAdapter.toCanonical('BTC/USDT', 'spot')).toBe('BTC-USDT');
    expect(krakenAdapter.toNative('ETH-USD', 'spot')).toBe('ETH/USD');
  });

  it('reads AssetPairs wsname into v2 native names', () => {
    const body = {
      error: [],
      result: {
        XXBTZUSD: { altname: 'XBTUSD', wsname: 'XBT/USD', base: 'XXBT', quote: 'ZUSD', status: 'online' },
        XDGUSD: { altname: 'XDGUSD', wsname: 'XDG/USD', base: 'XXDG', quote: 'ZUSD', status: 'online' },
        XETHZEUR: { altname: 'ETHEUR', wsname: 'ETH/EUR', base: 'XETH', quote: 'ZEUR', status: 'online' },
        WEIRD: { altname: 'WEIRD' },
      },
    };
    expect(krakenAdapter.instruments!.parse(body, 'spot')).toEqual([
      { symbol: 'BTC-USD', native: 'BTC/USD' },
      { symbol: 'DOGE-USD', native: 'DOGE/USD' },
      { symbol: 'ETH-EUR', native: 'ETH/EUR' },
    ]);
    expect(() => krakenAdapter.instruments!.parse({ error: ['EGeneral:Temporary lockout'] }, 'spot')).toThrow('EGeneral:Temporary lockout');
  });
});

describe('kraken parser', () => {
  it('emits every trade of a batched update with taker side and µs time', () => {
    const frame =
      '{"channel":"trade","type":"update","data":[{"symbol":"BTC/USDT","side":"buy","price":118832.9,"qty":0.00409283,"ord_type":"market","trade_id":9622656,"timestamp":"2025-07-23T04:41:46.919844Z"},{"symbol":"BTC/USDT","side":"sell","price":118837.0,"qty":0.00033315,"ord_type":"market","trade_id":9622657,"timestamp":"2025-07-23T04:41:46.919844Z"},{"symbol":"BTC/USDT","side":"buy","price":118837.5,"qty":0.07963402,"ord_type":"market","trade_id":9622658,"timestamp":"2025-07-23T04:41:46.91Z"}]}';
    const t0 = Date.UTC(2025, 6, 23, 4, 41, 46);
    const out = parser().parse(frame, RECV);
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual({ type: 'trade', exchange: 'kraken', market: 'spot', symbol: 'BTC-USDT', price: 118832.9, size: 0.00409283, side: 'buy', time: t0 + 919.844, receivedAt: RECV, id: '9622656' });
    expect(trades(out).slice(1)).toEqual([
      ['BTC-USDT', '9622657', 118837, 0.00033315, 'sell', t0 + 919.844],
      ['BTC-USDT', '9622658', 118837.5, 0.07963402, 'buy', t0 + 910],
    ]);
  });

  it('skips a trade snapshot and drops its trades when updates repeat them', () => {
    const p = parser();
    const snap =
      '{"channel":"trade","type":"snapshot","data":[{"symbol":"BTC/USD","side":"sell","price":68466.9,"qty":0.01919415,"ord_type":"market","trade_id":70635251,"timestamp":"2024-05-27T12:33:10.826003Z"},{"symbol":"BTC/USD","side":"buy","price":68471.2,"qty":0.00007723,"ord_type":"limit","trade_id":70635252,"timestamp":"2024-05-27T12:33:10.980704Z"}]}';
    expect(p.parse(snap, RECV)).toEqual([{ type: 'control', what: 'info', message: 'trade snapshot: 2 past trades skipped' }]);
    const upd =
      '{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":68471.2,"qty":0.00007723,"ord_type":"limit","trade_id":70635252,"timestamp":"2024-05-27T12:33:10.980704Z"},{"symbol":"BTC/USD","side":"buy","price":68500.0,"qty":0.01044926,"ord_type":"limit","trade_id":70635299,"timestamp":"2024-05-27T12:43:11.798009Z"}]}';
    expect(trades(p.parse(upd, RECV)).map((t) => t[1])).toEqual(['70635299']);
  });

  it('turns ticker bid/ask into quotes, using receive time when the frame has none', () => {
    const p = parser();
    const withTs =
      '{"channel":"ticker","type":"snapshot","data":[{"symbol":"BTC/USD","bid":65972.8,"bid_qty":0.10000000,"ask":65972.9,"ask_qty":39.67506683,"last":65972.9,"volume":4216.6182937,"vwap":64275.2,"low":61325.4,"high":66450.0,"change":4412.1,"change_pct":7.17,"timestamp":"2024-05-19T16:45:24.204654Z"}]}';
    const noTs =
      '{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":65843.7,"bid_qty":12.31628629,"ask":65843.8,"ask_qty":0.31232000,"last":65843.7,"volume":4182.59447976,"vwap":64223.4,"low":61325.4,"high":66450.0,"change":4213.8,"change_pct":6.84}]}';
    expect(p.parse(withTs, RECV)).toEqual([
      { type: 'quote', exchange: 'kraken', market: 'spot', symbol: 'BTC-USD', bid: 65972.8, bidSize: 0.1, ask: 65972.9, askSize: 39.67506683, time: Date.UTC(2024, 4, 19, 16, 45, 24) + 204.654, receivedAt: RECV },
    ]);
    expect(p.parse(noTs, RECV)).toMatchObject([{ type: 'quote', bid: 65843.7, ask: 65843.8, time: RECV }]);
  });

  it('treats status, heartbeats, acks and pongs as control', () => {
    const p = parser();
    const frames = [
      '{"channel":"status","data":[{"api_version":"v2","connection_id":15564437896659189083,"system":"online","version":"2.0.7"}],"type":"update"}',
      '{"method":"subscribe","result":{"channel":"trade","snapshot":false,"symbol":"BTC/USD"},"success":true,"time_in":"2024-07-27T21:15:57.923475Z","time_out":"2024-07-27T21:15:57.923542Z"}',
      '{"channel":"heartbeat"}',
      '{"method":"pong","req_id":1,"time_in":"2024-05-20T11:08:49.272922Z","time_out":"2024-05-20T11:08:49.272940Z"}',
    ];
    expect(frames.flatMap((f) => p.parse(f, RECV))).toEqual([
      { type: 'control', what: 'info', message: 'status online' },
      { type: 'control', what: 'ack', message: 'subscribe trade BTC/USD' },
      { type: 'control', what: 'heartbeat' },
      { type: 'control', what: 'pong' },
    ]);
  });

  it('reports a rejected symbol with Kraken’s message, the channel it asked for and the canonical symbol', () => {
    const frame =
      '{"error":"Currency pair not supported XBT/USD","method":"subscribe","req_id":1,"success":false,"symbol":"XBT/USD","time_in":"2024-07-27T21:15:57.923475Z","time_out":"2024-07-27T21:15:57.923542Z"}';
    expect(parser().parse(frame, RECV)).toEqual([
      { type: 'error', kind: 'venue', message: 'Kraken subscribe trade failed: Currency pair not supported XBT/USD', cause: 'Currency pair not supported XBT/USD', symbol: 'BTC-USD' },
    ]);
    // Without a req_id of ours the channel is unknown; the venue's text still comes through.
    expect(parser().parse('{"error":"Unsupported event","method":"subscribe","success":false}', RECV)).toEqual([
      { type: 'error', kind: 'venue', message: 'Kraken subscribe failed: Unsupported event', cause: 'Unsupported event' },
    ]);
  });

  it('shows the Cloudflare text frame as a notice and counts a malformed frame between good ones', () => {
    const p = parser();
    const good = (id: number) =>
      `{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"sell","price":59121.8,"qty":0.00022946,"ord_type":"market","trade_id":${id},"timestamp":"2024-08-12T19:38:30.575191Z"}]}`;
    const out = [good(72823289), 'CloudFlare WebSocket proxy restarting', '{"channel":"trade","type":"upd', good(72823290)].flatMap((f) => p.parse(f, RECV));
    expect(out.map((e) => e.type)).toEqual(['trade', 'notice', 'error', 'trade']);
    expect(out[1]).toEqual({ type: 'notice', message: 'Kraken: CloudFlare WebSocket proxy restarting' });
    expect(out[2]).toMatchObject({ type: 'error', kind: 'parse' });
  });

  it('rejects a trade with a non-positive price without dropping its neighbours', () => {
    const frame =
      '{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":0,"qty":1,"trade_id":1,"timestamp":"2024-08-12T19:38:30.5Z"},{"symbol":"BTC/USD","side":"buy","price":1,"qty":2,"trade_id":2,"timestamp":"2024-08-12T19:38:30.5Z"}]}';
    const out = parser().parse(frame, RECV);
    expect(out.map((e) => e.type)).toEqual(['error', 'trade']);
    expect(trades(out)).toEqual([['BTC-USD', '2', 1, 2, 'buy', Date.UTC(2024, 7, 12, 19, 38, 30) + 500]]);
  });
});
