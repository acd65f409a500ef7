import { describe, expect, it } from 'vitest';
import { simulatorAdapter } from '../../../electron/core/adapters/simulator/venue';
import type { ParserContext, Stream } from '../../../electron/core/adapters/adapter';
import { MarketFrames } from '../../../electron/core/simulator/frames';
import { parseMarkets } from '../../../electron/core/simulator/markets';
import { Simulation } from '../../../electron/core/simulator/simulation';

const RX = 1_718_000_000_500;

function parser(market: 'spot' | 'perp' = 'spot') {
  const ctx: ParserContext = {
    exchange: 'simulator',
    market,
    toCanonical: (n) => simulatorAdapter.toCanonical(n, market),
    streams: [],
  };
  return simulatorAdapter.createParser(ctx);
}

describe('simulator adapter: parsing', () => {
  it('turns a trades frame into one trade record per row, numbers parsed', () => {
    const frame =
      '{"type":"trades","market":"spot","symbol":"BTC-USDT","data":[[1024,"64012.51","0.01300","buy",1718000000123],[1025,"64012.50","0.00210","sell",1718000000125]]}';
    expect(parser().parse(frame, RX)).toEqual([
      { type: 'trade', exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT', price: 64012.51, size: 0.013, side: 'buy', time: 1718000000123, receivedAt: RX, id: '1024' },
      { type: 'trade', exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT', price: 64012.5, size: 0.0021, side: 'sell', time: 1718000000125, receivedAt: RX, id: '1025' },
    ]);
  });

  it('turns quotes, liquidations and funding into their records with the feed market type', () => {
    const p = parser('perp');
    expect(p.parse('{"type":"quote","market":"perp","symbol":"ETH-USDT","bid":"3400.01","bidSize":"1.500","ask":"3400.02","askSize":"0.250","time":1718000000140}', RX)).toEqual([
      { type: 'quote', exchange: 'simulator', market: 'perp', symbol: 'ETH-USDT', bid: 3400.01, bidSize: 1.5, ask: 3400.02, askSize: 0.25, time: 1718000000140, receivedAt: RX },
    ]);
    expect(p.parse('{"type":"liquidation","market":"perp","symbol":"BTC-USDT","side":"sell","price":"63950.1","size":"0.412","time":1718000000150}', RX)).toEqual([
      { type: 'liquidation', exchange: 'simulator', market: 'perp', symbol: 'BTC-USDT', price: 63950.1, size: 0.412, side: 'sell', time: 1718000000150, receivedAt: RX },
    ]);
    expect(
      p.parse('{"type":"funding","market":"perp","symbol":"BTC-USDT","rate":"-0.00002500","markPrice":"64020.3","indexPrice":"64012.5","nextFundingTime":1718006400000,"time":1718000000000}', RX),
    ).toEqual([
      { type: 'funding', exchange: 'simulator', market: 'perp', symbol: 'BTC-USDT', rate: -0.000025, markPrice: 64020.3, indexPrice: 64012.5, nextFundingTime: 1718006400000, time: 1718000000000, receivedAt: RX },
    ]);
    // Open interest rides on the funding frame; a bad value is dropped, the frame kept.
    const withOi = '{"type":"funding","market":"perp","symbol":"BTC-USDT","rate":"0","markPrice":"64020.3","indexPrice":"64012.5","openInterest":"781.063","time":1718000000000}';
    expect(p.parse(withOi, RX)).toEqual([expect.objectContaining({ type: 'funding', openInterest: 781.063 })]);
    expect(p.parse(withOi.replace('"781.063"', '"x"'), RX)[0]).not.toHaveProperty('openInterest');
  });

  it('reports heartbeats, pongs, acks and the greeting as control events', () => {
    const p = parser();
    expect(p.parse('{"type":"heartbeat","time":1718000000000}', RX)).toEqual([{ type: 'control', what: 'heartbeat' }]);
    expect(p.parse('{"type":"pong","id":3,"time":1718000000000}', RX)).toEqual([{ type: 'control', what: 'pong' }]);
    expect(p.parse('{"type":"ack","id":1,"op":"subscribe","market":"spot","channels":["trades","quotes"],"symbols":["BTC-USDT","ETH-USDT"]}', RX)).toEqual([
      { type: 'control', what: 'ack', message: 'subscribe trades, quotes: BTC-USDT, ETH-USDT (spot)' },
    ]);
    expect(p.parse('{"type":"info","server":"tickscope-simulator","protocol":1,"markets":{},"time":1}', RX)).toEqual([
      { type: 'control', what: 'info', message: 'tickscope-simulator protocol 1' },
    ]);
  });

  it("reports an error reply with the server's own message and the symbol", () => {
    const frame = '{"type":"error","id":1,"code":"unknown_symbol","symbol":"DOGE-USDT","message":"unknown symbol \\"DOGE-USDT\\" on the simulator\'s spot market (available: BTC-USDT)"}';
    expect(parser().parse(frame, RX)).toEqual([
      { type: 'error', kind: 'venue', message: 'unknown symbol "DOGE-USDT" on the simulator\'s spot market (available: BTC-USDT)', cause: frame, symbol: 'DOGE-USDT' },
    ]);
  });

  it('reports malformed frames as parse errors and never throws', () => {
    const p = parser();
    const cases = [
      '{"type":"trades","market":"spot","symbol":"BTC-USDT","data":[[1,"64000.00","0.0',
      '<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>',
      'undefined',
      '[1,2,3]',
      'null',
      '{"type":"trades","symbol":"BTC-USDT","data":"nope"}',
      '{"type":"quote","symbol":"BTC-USDT","bid":"x","bidSize":"1","ask":"2","askSize":"1","time":1}',
    ];
    for (const frame of cases) {
      const out = p.parse(frame, RX);
      expect(out, frame).toHaveLength(1);
      expect(out[0], frame).toMatchObject({ type: 'error', kind: 'parse', cause: frame });
    }
  });

  it('keeps the good rows of a trades frame and counts the bad ones', () => {
    const frame =
      '{"type":"trades","market":"spot","symbol":"BTC-USDT","data":[[1,"not-a-price",null,"buy"],[2,"64000.00","0.01000","buy",1718000000000],[3,"-5","1","sell",1],[4,"Infinity","1","buy",1]]}';
    const out = parser().parse(frame, RX);
    expect(out.map((e) => e.type)).toEqual(['trade', 'error']);
    expect(out[0]).toMatchObject({ id: '2', price: 64000, size: 0.01 });
    expect(out[1]).toMatchObject({ kind: 'parse', message: '3 malformed trade row(s) in a simulator trades frame', symbol: 'BTC-USDT' });
  });

  it('reports an unknown message type as a protocol error', () => {
    expect(parser().parse('{"type":"orderbook"}', RX)).toEqual([
      { type: 'error', kind: 'protocol', message: 'unknown simulator message type "orderbook"', cause: '{"type":"orderbook"}' },
    ]);
  });

  it('reads back exactly what the server writes', () => {
    const sim = new Simulation({ seed: 11, rate: 300, markets: parseMarkets(['BTC-USDT']) });
    const model = sim.find('perp', 'BTC-USDT')!;
    sim.advance(1000);
    expect(model.trades.length).toBeGreaterThan(50);
    const anchor = 1_718_000_000_000;
    const records = parser('perp').parse(new MarketFrames(model).trades(model.trades, anchor), RX);
    expect(records).toEqual(
      model.trades.map((t) => ({
        type: 'trade', exchange: 'simulator', market: 'perp', symbol: 'BTC-USDT',
        price: model.price(t.priceTicks), size: model.size(t.sizeLots), side: t.side,
        time: Math.floor(anchor + t.t), receivedAt: RX, id: String(t.id),
      })),
    );
  });
});

describe('simulator adapter: requests and metadata', () => {
  const streams: Stream[] = [
    { symbol: 'BTC-USDT', native: 'BTC-USDT', channel: 'trades' },
    { symbol: 'ETH-USDT', native: 'ETH-USDT', channel: 'trades' },
    { symbol: 'BTC-USDT', native: 'BTC-USDT', channel: 'quotes' },
  ];

  it('subscribes one request per channel naming the market type', () => {
    expect(simulatorAdapter.subscribeMessages(streams, 'perp').map((m) => JSON.parse(m))).toEqual([
      { op: 'subscribe', id: 1, market: 'perp', channels: ['trades'], symbols: ['BTC-USDT', 'ETH-USDT'] },
      { op: 'subscribe', id: 2, market: 'perp', channels: ['quotes'], symbols: ['BTC-USDT'] },
    ]);
    expect(JSON.parse(simulatorAdapter.unsubscribeMessages!(streams.slice(2), 'spot')[0]!)).toEqual({
      op: 'unsubscribe', id: 1, market: 'spot', channels: ['quotes'], symbols: ['BTC-USDT'],
    });
  });

  it('splits long symbol lists into requests of 200', () => {
    const many: Stream[] = Array.from({ length: 450 }, (_, i) => ({ symbol: `S${i}-USDT`, native: `S${i}-USDT`, channel: 'trades' }));
    expect(simulatorAdapter.subscribeMessages(many, 'spot').map((m) => JSON.parse(m).symbols.length)).toEqual([200, 200, 50]);
  });

  it('describes the venue', () => {
    expect(simulatorAdapter.id).toBe('simulator');
    expect(simulatorAdapter.channels).toEqual({ spot: ['trades', 'quotes', 'book'], perp: ['trades', 'quotes', 'liquidations', 'funding', 'book'] });
    expect(simulatorAdapter.keepalive).toEqual({ kind: 'text', intervalMs: 10_000, message: '{"op":"ping"}' });
    expect(simulatorAdapter.toNative('BTC-USDT', 'spot')).toBe('BTC-USDT');
    expect(simulatorAdapter.toCanonical('btc-usdt', 'spot')).toBe('BTC-USDT');
    expect(simulatorAdapter.knownSymbols!('spot')).toContain('SOL-USDT');
  });
});
