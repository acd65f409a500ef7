import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOkxParser } from '../../../electron/core/adapters/okx/stream';
import { okxAdapter } from '../../../electron/core/adapters/okx/venue';
import type { ParsedEvent, ParserContext, Stream } from '../../../electron/core/adapters/adapter';
import type { MarketType } from '../../../shared/domain';

const RX = 1_700_000_000_000;

function parserFor(market: MarketType, streams: Stream[]) {
  const ctx: ParserContext = {
    exchange: 'okx',
    market,
    toCanonical: (n) => okxAdapter.toCanonical(n, market),
    streams,
  };
  return createOkxParser(ctx);
}
const spot = () => parserFor('spot', [
  { symbol: 'BTC-USDT', native: 'BTC-USDT', channel: 'trades' },
  { symbol: 'BTC-USDT', native: 'BTC-USDT', channel: 'quotes' },
]);
const perpStreams: Stream[] = [
  { symbol: 'BTC-USDT', native: 'BTC-USDT-SWAP', channel: 'trades' },
  { symbol: 'BTC-USD', native: 'BTC-USD-SWAP', channel: 'trades' },
  { symbol: 'BTC-USDT', native: 'BTC-USDT-SWAP', channel: 'liquidations' },
  { symbol: 'BTC-USDT', native: 'BTC-USDT-SWAP', channel: 'funding' },
  { symbol: 'BTC-USDT', native: 'BTC-USDT-SWAP', channel: 'quotes' },
];
const ofType = <T extends ParsedEvent['type']>(evs: ParsedEvent[], t: T) =>
  evs.filter((e): e is Extract<ParsedEvent, { type: T }> => e.type === t);

// Frames in the recorded wire format (fixtures/exchanges/okx, 2022-05-13).
const TRADE_1 = '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"338476307","px":"30236","sz":"0.0002","side":"buy","ts":"1652459224818"}]}';
const TRADE_BATCH = '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"338476316","px":"30250.1","sz":"0.00066996","side":"sell","ts":"1652459226753"},{"instId":"BTC-USDT","tradeId":"338476317","px":"30250.1","sz":"0.00083294","side":"sell","ts":"1652459226765","count":"2","source":"0","seqId":1234}]}';
const TICKER = '{"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{"instType":"SPOT","instId":"BTC-USDT","last":"30236","lastSz":"0.0002","askPx":"30228.7","askSz":"1.55896972","bidPx":"30228.6","bidSz":"0.23393","open24h":"29700.4","high24h":"31073","low24h":"28020.3","sodUtc0":"29028.8","sodUtc8":"30337.7","volCcy24h":"525802090.62716611","vol24h":"17602.13085371","ts":"1652459224956"}]}';
const SWAP_INSTRUMENTS = '{"arg":{"channel":"instruments","instType":"SWAP"},"data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","uly":"BTC-USDT","instFamily":"BTC-USDT","ctVal":"0.01","ctValCcy":"BTC","ctType":"linear","settleCcy":"USDT","state":"live"},{"instType":"SWAP","instId":"BTC-USD-SWAP","uly":"BTC-USD","instFamily":"BTC-USD","ctVal":"100","ctValCcy":"USD","ctType":"inverse","settleCcy":"BTC","state":"live"}]}';

// OKX docs, WebSocket open interest channel, "Push Data Example" (test/fixtures/okx/README.md).
const OPEN_INTEREST_DOCS = readFileSync(new URL('../../fixtures/okx/open-interest.docs-example.json', import.meta.url), 'utf8').trim();

describe('okx parser: spot', () => {
  it('normalises a trade: taker side, ms string time, string id', () => {
    expect(spot().parse(TRADE_1, RX)).toEqual([{
      type: 'trade', exchange: 'okx', market: 'spot', symbol: 'BTC-USDT',
      price: 30236, size: 0.0002, side: 'buy', time: 1652459224818, receivedAt: RX, id: '338476307',
    }]);
  });

  it('splits a batched data[] into one trade each, ignoring unknown keys', () => {
    const trades = ofType(spot().parse(TRADE_BATCH, RX), 'trade');
    expect(trades.map((t) => [t.id, t.price, t.size, t.side, t.time])).toEqual([
      ['338476316', 30250.1, 0.00066996, 'sell', 1652459226753],
      ['338476317', 30250.1, 0.00083294, 'sell', 1652459226765],
    ]);
  });

  it('maps tickers to a top-of-book quote', () => {
    expect(spot().parse(TICKER, RX)).toEqual([{
      type: 'quote', exchange: 'okx', market: 'spot', symbol: 'BTC-USDT',
      bid: 30228.6, bidSize: 0.23393, ask: 30228.7, askSize: 1.55896972, time: 1652459224956, receivedAt: RX,
    }]);
  });

  it('shows no quote for a one-sided book, without counting an error', () => {
    const frame = '{"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{"instType":"SPOT","instId":"BTC-USDT","last":"30236","askPx":"30228.7","askSz":"1.5","bidPx":"","bidSz":"","ts":"1652459224956"}]}';
    expect(spot().parse(frame, RX)).toEqual([]);
  });

  it('treats the non-JSON text pong as control, and acks as control', () => {
    const p = spot();
    expect(p.parse('pong', RX)).toEqual([{ type: 'control', what: 'pong' }]);
    const ack = p.parse('{"event":"subscribe","arg":{"channel":"trades","instId":"BTC-USDT"},"connId":"a4d3ae55"}', RX);
    expect(ack).toEqual([{ type: 'control', what: 'ack', message: 'subscribe trades BTC-USDT' }]);
  });

  it('reports a venue error with OKX\'s own message and the symbol it names', () => {
    const msg = "Wrong URL or channel:trades,instId:BTC-XYZ doesn't exist. Please use the correct URL, channel and parameters referring to API document.";
    const evs = spot().parse(JSON.stringify({ event: 'error', code: '60018', msg, connId: 'a4d3ae55' }), RX);
    expect(evs).toEqual([{ type: 'error', kind: 'venue', message: `OKX error 60018: ${msg}`, cause: msg, symbol: 'BTC-XYZ' }]);
  });

  it('counts a malformed frame and keeps parsing the good ones around it', () => {
    const p = spot();
    const out = [TRADE_1, '{"arg":{"channel":"trades"', TRADE_BATCH].map((f) => p.parse(f, RX));
    expect(out.map((evs) => evs.map((e) => e.type))).toEqual([['trade'], ['error'], ['trade', 'trade']]);
    expect(out[1]![0]).toMatchObject({ kind: 'parse', message: 'OKX: malformed JSON frame' });
  });

  it('rejects absurd numbers per item without losing the rest of the batch', () => {
    const frame = '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"1","px":"abc","sz":"1","side":"buy","ts":"1652459224818"},{"instId":"BTC-USDT","tradeId":"2","px":"30000","sz":"1","side":"sell","ts":"1652459224819"}]}';
    const evs = spot().parse(frame, RX);
    expect(evs.map((e) => e.type)).toEqual(['error', 'trade']);
    expect(ofType(evs, 'trade')[0]!.id).toBe('2');
  });

  it('turns a non-JSON notice into a NoticeEvent and a service-upgrade notice into a reconnect', () => {
    const p = spot();
    expect(p.parse('Service Unavailable', RX)).toEqual([{ type: 'notice', message: 'Service Unavailable' }]);
    const n = p.parse('{"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"x"}', RX);
    expect(n[0]).toMatchObject({ type: 'notice', reconnect: true });
  });
});

describe('okx parser: swap contracts', () => {
  it('holds swap trades until the instruments push gives contract values, then converts to base units', () => {
    const p = parserFor('perp', perpStreams);
    const linear = '{"arg":{"channel":"trades","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","tradeId":"901","px":"30000","sz":"30","side":"sell","ts":"1652459230000"}]}';
    expect(p.parse(linear, RX)).toEqual([]);
    const released = p.parse(SWAP_INSTRUMENTS, RX + 5);
    expect(ofType(released, 'trade')).toEqual([{
      type: 'trade', exchange: 'okx', market: 'perp', symbol: 'BTC-USDT',
      price: 30000, size: 0.3, side: 'sell', time: 1652459230000, receivedAt: RX, id: '901',
    }]);
    // Inverse: 15 contracts x 100 USD at 30000 USD/BTC = 0.05 BTC.
    const inverse = '{"arg":{"channel":"trades","instId":"BTC-USD-SWAP"},"data":[{"instId":"BTC-USD-SWAP","tradeId":"77","px":"30000","sz":"15","side":"buy","ts":"1652459230001"}]}';
    const t = ofType(p.parse(inverse, RX), 'trade')[0]!;
    expect([t.symbol, t.size, t.side]).toEqual(['BTC-USD', 0.05, 'buy']);
  });

  it('maps liquidation-orders of subscribed swaps only, with the order side and base size', () => {
    const p = parserFor('perp', perpStreams);
    p.parse(SWAP_INSTRUMENTS, RX);
    const frame = '{"arg":{"channel":"liquidation-orders","instType":"SWAP"},"data":[{"details":[{"bkLoss":"0","bkPx":"29500.5","ccy":"","posSide":"long","side":"sell","sz":"13","ts":"1692266434010"},{"bkLoss":"0","bkPx":"29600","ccy":"","posSide":"short","side":"buy","sz":"2","ts":"1692266434020"}],"instFamily":"BTC-USDT","instId":"BTC-USDT-SWAP","instType":"SWAP","uly":"BTC-USDT"},{"details":[{"bkLoss":"0","bkPx":"0.007831","ccy":"","posSide":"short","side":"buy","sz":"13","ts":"1692266434010"}],"instFamily":"IOST-USDT","instId":"IOST-USDT-SWAP","instType":"SWAP","uly":"IOST-USDT"}]}';
    expect(p.parse(frame, RX)).toEqual([
      { type: 'liquidation', exchange: 'okx', market: 'perp', symbol: 'BTC-USDT', price: 29500.5, size: 0.13, side: 'sell', time: 1692266434010, receivedAt: RX },
      { type: 'liquidation', exchange: 'okx', market: 'perp', symbol: 'BTC-USDT', price: 29600, size: 0.02, side: 'buy', time: 1692266434020, receivedAt: RX },
    ]);
  });

  it('merges funding-rate and mark-price into one Funding per market', () => {
    const p = parserFor('perp', perpStreams);
    const rate = '{"arg":{"channel":"funding-rate","instId":"BTC-USDT-SWAP"},"data":[{"fundingRate":"0.0001515","fundingTime":"1652486400000","instId":"BTC-USDT-SWAP","instType":"SWAP","method":"next_period","nextFundingRate":"0.00029","nextFundingTime":"1652515200000","ts":"1652459230000"}]}';
    const mark = '{"arg":{"channel":"mark-price","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","instType":"SWAP","markPx":"30001.2","ts":"1652459231000"}]}';
    expect(p.parse(rate, RX)).toEqual([{
      type: 'funding', exchange: 'okx', market: 'perp', symbol: 'BTC-USDT',
      rate: 0.0001515, nextFundingTime: 1652486400000, time: 1652459230000, receivedAt: RX,
    }]);
    expect(p.parse(mark, RX + 1)).toEqual([{
      type: 'funding', exchange: 'okx', market: 'perp', symbol: 'BTC-USDT',
      rate: 0.0001515, nextFundingTime: 1652486400000, markPrice: 30001.2, time: 1652459231000, receivedAt: RX + 1,
    }]);
  });

  it('adds open interest in the coin (oiCcy) to the merged Funding, keeping rate and mark', () => {
    const p = parserFor('perp', perpStreams);
    const rate = '{"arg":{"channel":"funding-rate","instId":"BTC-USDT-SWAP"},"data":[{"fundingRate":"0.0001","fundingTime":"1743062400000","instId":"BTC-USDT-SWAP","instType":"SWAP","ts":"1743041249000"}]}';
    p.parse(rate, RX);
    expect(p.parse(OPEN_INTEREST_DOCS, RX + 1)).toEqual([{
      type: 'funding', exchange: 'okx', market: 'perp', symbol: 'BTC-USDT',
      rate: 0.0001, nextFundingTime: 1743062400000, openInterest: 22161.1301000000309, time: 1743041250440, receivedAt: RX + 1,
    }]);
    // The next funding-rate push keeps the open interest.
    expect(p.parse(rate, RX + 2)).toMatchObject([{ rate: 0.0001, openInterest: 22161.1301000000309 }]);
  });

  it('falls back to oi contracts x ctVal on a linear swap, and reports an open interest it cannot size', () => {
    const p = parserFor('perp', perpStreams);
    const noCcy = '{"arg":{"channel":"open-interest","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","instType":"SWAP","oi":"2216113","oiCcy":"","ts":"1743041250440"}]}';
    expect(ofType(p.parse(noCcy, RX), 'error')[0]?.message).toBe('OKX: bad open interest');
    p.parse(SWAP_INSTRUMENTS, RX);
    expect(ofType(p.parse(noCcy, RX), 'funding')[0]?.openInterest).toBe(22161.13);
    const bad = '{"arg":{"channel":"open-interest","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","oi":"x","oiCcy":"-1","ts":"1"}]}';
    expect(p.parse(bad, RX).map((e) => e.type)).toEqual(['error']);
  });

  it('converts swap ticker sizes from contracts', () => {
    const p = parserFor('perp', perpStreams);
    p.parse(SWAP_INSTRUMENTS, RX);
    const frame = '{"arg":{"channel":"tickers","instId":"BTC-USDT-SWAP"},"data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","last":"30000","lastSz":"1","askPx":"30000.1","askSz":"7","bidPx":"30000","bidSz":"120","ts":"1652459223143"}]}';
    expect(ofType(p.parse(frame, RX), 'quote')[0]).toMatchObject({ bid: 30000, bidSize: 1.2, ask: 30000.1, askSize: 0.07 });
  });
});

describe('okx adapter declarations', () => {
  it('builds one subscribe request per 50 args, instruments and liquidations once per connection', () => {
    const msgs = okxAdapter.subscribeMessages(perpStreams, 'perp').map((m) => JSON.parse(m));
    expect(msgs).toEqual([{
      op: 'subscribe',
      args: [
        { channel: 'instruments', instType: 'SWAP' },
        { channel: 'liquidation-orders', instType: 'SWAP' },
        { channel: 'trades', instId: 'BTC-USDT-SWAP' },
        { channel: 'trades', instId: 'BTC-USD-SWAP' },
        { channel: 'funding-rate', instId: 'BTC-USDT-SWAP' },
        { channel: 'mark-price', instId: 'BTC-USDT-SWAP' },
        { channel: 'open-interest', instId: 'BTC-USDT-SWAP' },
        { channel: 'tickers', instId: 'BTC-USDT-SWAP' },
      ],
    }]);
    const many: Stream[] = Array.from({ length: 120 }, (_, i) => ({ symbol: `C${i}-USDT`, native: `C${i}-USDT`, channel: 'trades' }));
    expect(okxAdapter.subscribeMessages(many, 'spot').map((m) => JSON.parse(m).args.length)).toEqual([50, 50, 20]);
  });

  it('maps symbols without metadata and parses the REST instrument list', () => {
    expect(okxAdapter.toNative('BTC-USDT', 'perp')).toBe('BTC-USDT-SWAP');
    expect(okxAdapter.toNative('BTC-USDT', 'spot')).toBe('BTC-USDT');
    expect(okxAdapter.toCanonical('ETH-USD-SWAP', 'perp')).toBe('ETH-USD');
    expect(okxAdapter.instruments!.path('perp')).toBe('/api/v5/public/instruments?instType=SWAP');
    const spotBody = { code: '0', msg: '', data: [
      { instType: 'SPOT', instId: 'BTC-USDT', baseCcy: 'BTC', quoteCcy: 'USDT', state: 'live' },
      { instType: 'SPOT', instId: 'ETH-BTC', baseCcy: 'ETH', quoteCcy: 'BTC', state: 'live' },
    ] };
    expect(okxAdapter.instruments!.parse(spotBody, 'spot')).toEqual([
      { symbol: 'BTC-USDT', native: 'BTC-USDT' }, { symbol: 'ETH-BTC', native: 'ETH-BTC' },
    ]);
    const swapBody = { code: '0', msg: '', data: [
      { instType: 'SWAP', instId: 'BTC-USDT-SWAP', baseCcy: '', quoteCcy: '', uly: 'BTC-USDT', instFamily: 'BTC-USDT', ctVal: '0.01' },
      { instType: 'SWAP', instId: 'BTC-USD-SWAP', baseCcy: '', quoteCcy: '', uly: 'BTC-USD', instFamily: 'BTC-USD', ctVal: '100' },
    ] };
    expect(okxAdapter.instruments!.parse(swapBody, 'perp')).toEqual([
      { symbol: 'BTC-USDT', native: 'BTC-USDT-SWAP' }, { symbol: 'BTC-USD', native: 'BTC-USD-SWAP' },
    ]);
    expect(okxAdapter.instruments!.parse({ code: '50011', msg: 'Too Many Requests' }, 'spot')).toEqual([]);
  });
});
