/**
 * Plain regression tests for what the fuzz suite found in the venue parsers, one per defect, from
 * the shrunk counterexamples (trimmed to the frame that mattered). Each failed on the code before
 * the fix: parse() threw, or handed downstream a trade or quote with an Infinity, a time of
 * Infinity, an empty symbol or an error without a message.
 */
import { describe, expect, it } from 'vitest';
import type { ParsedEvent, ParserContext, Stream, VenueAdapter } from '../../../electron/core/adapters/adapter';
import { getAdapter } from '../../../electron/core/adapters/index';
import type { MarketType } from '../../../shared/domain';
import { expectWellFormed } from './well-formed';

const RX = 1_700_000_000_123;
const DEEP = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

function parser(exchange: string, natives: string[], market: MarketType = 'spot') {
  const adapter = getAdapter(exchange) as VenueAdapter;
  const streams: Stream[] = natives.map((native) => ({ native, symbol: adapter.toCanonical(native, market), channel: 'trades' }));
  const ctx: ParserContext = { exchange, market, streams, toCanonical: (n) => adapter.toCanonical(n, market) };
  return adapter.createParser(ctx);
}

/** Parses and checks the events are well formed (the parse must not throw either). */
function parse(p: ReturnType<typeof parser>, frame: string): ParsedEvent[] {
  const events = p.parse(frame, RX);
  expectWellFormed(events, frame);
  return events;
}

const types = (events: ParsedEvent[]) => events.map((e) => e.type);
const errorOf = (events: ParsedEvent[]) => events.find((e) => e.type === 'error') as Extract<ParsedEvent, { type: 'error' }> | undefined;

describe('out-of-range numbers ("1e400" reads as Infinity) are bad input, not a trade or quote', () => {
  it('bybit: a size of "0.1e400" (fast path and JSON.parse path alike)', () => {
    const frame = '{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1786310819681,"data":[{"T":1786310819680,"s":"BTCUSDT","S":"Sell","v":"0.1e400","p":"65114.20","L":"MinusTick","i":"a9188a0a-82bc-50de-be60-03eedbe3cdd7","BT":false,"RPI":false,"seq":753843954913}]}';
    const events = parse(parser('bybit', ['BTCUSDT']), frame);
    expect(types(events)).toEqual(['error']);
    expect(errorOf(events)).toMatchObject({ kind: 'parse', message: 'publicTrade entry with bad price, size or time' });
  });

  it('okx: a price of "30218.1e400"', () => {
    const frame = '{"arg":{"channel":"trades","instId":"BTC-USD-220527"},"data":[{"instId":"BTC-USD-220527","tradeId":"7849","px":"30218.1e400","sz":"1","side":"buy","ts":"1652459199958"}]}';
    const events = parse(parser('okx', ['BTC-USD-220527']), frame);
    expect(errorOf(events)).toMatchObject({ kind: 'parse', message: 'OKX: bad trade' });
    expect(types(events)).toEqual(['error']);
  });

  it('binance: a price of 400 digits, on the aggTrade fast path as on JSON.parse', () => {
    const frame = `{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":"${'9'.repeat(400)}","q":"1","f":1,"l":1,"T":2,"m":true,"M":true}}`;
    const events = parse(parser('binance', ['BTCUSDT']), frame);
    expect(errorOf(events)?.message).toBe('aggTrade with bad symbol, price, quantity or time');
  });

  it('coinbase: a best_bid_quantity of "0.1e400" reads as "not given" (0)', () => {
    const frame = '{"channel":"ticker","timestamp":"2026-08-09T21:05:48.298032046Z","sequence_num":10,"events":[{"type":"update","tickers":[{"type":"ticker","product_id":"ETH-USD","price":"1919.41","best_bid":"1919.44","best_ask":"1919.49","best_bid_quantity":"0.1e400","best_ask_quantity":"0.07814824"}]}]}';
    const [quote] = parse(parser('coinbase', ['ETH-USD']), frame);
    expect(quote).toMatchObject({ type: 'quote', bid: 1919.44, bidSize: 0, ask: 1919.49, askSize: 0.07814824 });
  });

  it('simulator: a trade time of 1e400 is a malformed row', () => {
    const frame = '{"type":"trades","market":"spot","symbol":"BTC-USDT","data":[[1024,"64012.51","0.01300","buy",1718000000123],[1025,"64012.50","0.00210","sell",1e400]]}';
    const events = parse(parser('simulator', ['BTC-USDT']), frame);
    expect(types(events)).toEqual(['trade', 'error']);
    expect(errorOf(events)?.message).toBe('1 malformed trade row(s) in a simulator trades frame');
  });

  it('bitstamp: a timestamp of 400 digits is no time', () => {
    const frame = `{"data":{"id":216000477,"timestamp":"${'9'.repeat(400)}","amount_str":"0.07920000","price_str":"3805.44","type":0},"channel":"live_trades_ethusd","event":"trade"}`;
    expect(types(parse(parser('bitstamp', ['ethusd']), frame))).toEqual(['error']);
  });

  it('bitfinex: a price or time of 1e400', () => {
    const p = parser('bitfinex', ['tBTCUSD']);
    parse(p, '{"event":"subscribed","channel":"trades","chanId":89,"symbol":"tBTCUSD","pair":"BTCUSD"}');
    expect(types(parse(p, '[89,"te",[382489563,1564617600709,0.00705845,1e400],18,1564617600784]'))).toEqual(['error']);
    expect(types(parse(p, '[89,"te",[382489564,1e400,0.00705845,10087.9],18,1564617600784]'))).toEqual(['error']);
  });
});

describe('values a parser turned into text threw out of parse()', () => {
  it('bitstamp: an event {"toString":1} ("Cannot convert object to primitive value")', () => {
    const events = parse(parser('bitstamp', ['ethusd']), '{"event":{"toString":1},"channel":"diff_order_book_sgbeur","data":{}}');
    expect(errorOf(events)).toMatchObject({ kind: 'protocol', message: 'unexpected message (event {"toString":1})' });
  });

  it('binance: an event type nested 10,000 deep (String() overflowed the stack)', () => {
    const events = parse(parser('binance', ['NKNUSDT']), `{"stream":"nknusdt@aggTrade","data":{"e":${DEEP}}}`);
    expect(errorOf(events)?.message).toMatch(/^unexpected event "\[\[\[/);
  });

  it('okx: a channel nested 10,000 deep, or [{"toString":null}], is named, not a "parser failure"', () => {
    const p = parser('okx', ['BTC-USD-220527']);
    for (const channel of [DEEP, '[{"toString":null}]']) {
      const frame = `{"arg":{"channel":${channel},"instId":"BTC-USD-220527"},"data":[{"instId":"BTC-USD-220527","tradeId":"7849","px":"30218.8","sz":"1","side":"buy","ts":"1652459199958"}]}`;
      const error = errorOf(parse(p, frame));
      expect(error?.message).toMatch(/^OKX: unexpected channel \[/);
      expect(error?.message).not.toMatch(/parser failure/);
    }
  });

  it('kraken and coinbase: null entries and a subscriptions list nested deep are reported, not thrown on', () => {
    const kraken = parser('kraken', ['BTC/USD']);
    expect(types(parse(kraken, '{"channel":"trade","type":"update","data":[null]}'))).toEqual(['error']);
    expect(types(parse(kraken, '{"channel":"ticker","type":"update","data":[null]}'))).toEqual(['error']);
    expect(types(parse(kraken, '{"channel":"trade","type":"snapshot","data":[null]}'))).toEqual(['control']);
    expect(types(parse(kraken, `{"channel":"status","data":[{"system":${DEEP}}]}`))).toEqual(['notice']);
    const coinbase = parser('coinbase', ['BTC-USD']);
    expect(types(parse(coinbase, '{"channel":"market_trades","events":[{"type":"update","trades":[null]}]}'))).toEqual(['error']);
    expect(types(parse(coinbase, '{"channel":"market_trades","events":[null,{"type":"snapshot","trades":[null]}]}'))).toEqual(['control']);
    expect(types(parse(coinbase, '{"channel":"ticker","timestamp":"2026-08-09T21:05:48Z","events":[{"tickers":[null]}]}'))).toEqual(['error']);
    expect(types(parse(coinbase, `{"channel":"subscriptions","events":[{"subscriptions":{"ticker":[${DEEP}]}}]}`))).toEqual(['control']);
  });
});

describe('an empty symbol or message is bad input, not a market named ""', () => {
  it('okx: instId "--USDT" maps to no symbol', () => {
    const frame = '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"--USDT","tradeId":"338476307","px":"30236","sz":"0.0002","side":"buy","ts":"1652459224818"}]}';
    expect(types(parse(parser('okx', ['BTC-USDT']), frame))).toEqual(['error']);
  });

  it('coinbase, kraken and the simulator: a product or symbol of ""', () => {
    expect(types(parse(parser('coinbase', ['BTC-USD']), '{"channel":"market_trades","timestamp":"2026-08-09T21:05:48.251397169Z","sequence_num":9,"events":[{"type":"update","trades":[{"product_id":"","trade_id":"1068572091","price":"65083.67","size":"0.01034361","time":"2026-08-09T21:05:48.167634Z","side":"SELL"}]}]}'))).toEqual(['error']);
    expect(types(parse(parser('kraken', ['BTC/USD']), '{"channel":"trade","type":"update","data":[{"symbol":"","side":"buy","price":68500,"qty":0.01044926,"ord_type":"limit","trade_id":70635299,"timestamp":"2024-05-27T12:43:11.798009Z"}]}'))).toEqual(['error']);
    expect(types(parse(parser('simulator', ['BTC-USDT']), '{"type":"liquidation","market":"perp","symbol":"","side":"sell","price":"63950.1","size":"0.412","time":1718000000150}'))).toEqual(['error']);
    expect(types(parse(parser('simulator', ['BTC-USDT']), '{"type":"trades","market":"spot","symbol":"","data":[[1024,"64012.51","0.01300","buy",1718000000123]]}'))).toEqual(['error']);
  });

  it('bybit: a trade whose symbol is "" (fast path declines, JSON.parse path reports)', () => {
    const frame = '{"topic":"publicTrade.BTCUSDT","ts":1,"data":[{"T":1786310819680,"s":"","S":"Sell","v":"0.004","p":"65114.20","i":"x"}]}';
    expect(errorOf(parse(parser('bybit', ['BTCUSDT']), frame))?.message).toBe('publicTrade entry without a symbol');
  });

  it('simulator: an error reply with message "" still says something', () => {
    const events = parse(parser('simulator', ['BTC-USDT']), '{"type":"error","id":1,"code":"unknown_symbol","symbol":"DOGE-USDT","message":""}');
    expect(errorOf(events)).toMatchObject({ kind: 'venue', message: 'simulator error without a message', symbol: 'DOGE-USDT' });
  });
});
