import { describe, expect, it } from 'vitest';
import { bitfinexAdapter } from '../../../electron/core/adapters/bitfinex/venue';
import { createBitfinexParser } from '../../../electron/core/adapters/bitfinex/stream';
import type { ParsedEvent, Stream } from '../../../electron/core/adapters/adapter';

const RX = 1_700_000_000_000;
const streams: Stream[] = [
  { symbol: 'BTC-USD', native: 'tBTCUSD', channel: 'trades' },
  { symbol: 'BTC-USD', native: 'tBTCUSD', channel: 'quotes' },
];
const parser = () => createBitfinexParser({
  exchange: 'bitfinex', market: 'spot', streams, toCanonical: (n) => bitfinexAdapter.toCanonical(n, 'spot'),
});
const run = (frames: string[]) => {
  const p = parser();
  return frames.flatMap((f) => p.parse(f, RX));
};
const trades = (evs: ParsedEvent[]) => evs.filter((e) => e.type === 'trade');

// Wire format as recorded (fixtures/exchanges/bitfinex: events.jsonl, hb.jsonl, trades te/tu REC-JS).
const INFO = '{"event":"info","version":2,"serverId":"083bd8d4-aca7-4690-a573-eabfc8103de8","platform":{"status":1}}';
const SUB_TRADES = '{"event":"subscribed","channel":"trades","chanId":89,"symbol":"tBTCUSD","pair":"BTCUSD"}';
const SUB_TICKER = '{"event":"subscribed","channel":"ticker","chanId":90,"symbol":"tBTCUSD","pair":"BTCUSD"}';
const SNAPSHOT = '[89,[[382489562,1564617598688,0.01302607,10088],[382489561,1564617598100,-0.5,10087.5]]]';
const TE = '[89,"te",[382489563,1564617600709,0.00705845,10087.98969503]]';
const TU = '[89,"tu",[382489563,1564617600709,0.00705845,10087.98969503]]';

describe('bitfinex parser', () => {
  it('skips the subscribe snapshot and emits a te/tu pair exactly once', () => {
    const evs = run([INFO, SUB_TRADES, SNAPSHOT, TE, TU]);
    expect(trades(evs)).toEqual([{
      type: 'trade', exchange: 'bitfinex', market: 'spot', symbol: 'BTC-USD',
      price: 10087.98969503, size: 0.00705845, side: 'buy', time: 1564617600709, receivedAt: RX, id: '382489563',
    }]);
    expect(evs.map((e) => e.type)).toEqual(['control', 'control', 'control', 'trade']);
  });

  it('takes the side from the sign of AMOUNT and emits a tu whose te was missed', () => {
    const evs = run([SUB_TRADES, '[89,"tu",[382490248,1564617600489,-0.43426,218.74]]', '[89,"te",[382490249,1564617600490,-1.5,218.7]]']);
    expect(trades(evs).map((t) => t.type === 'trade' && [t.id, t.side, t.size, t.price])).toEqual([
      ['382490248', 'sell', 0.43426, 218.74],
      ['382490249', 'sell', 1.5, 218.7],
    ]);
  });

  it('does not re-emit a snapshot trade when its tu arrives after the snapshot', () => {
    expect(trades(run([SUB_TRADES, SNAPSHOT, '[89,"tu",[382489562,1564617598688,0.01302607,10088]]']))).toEqual([]);
  });

  it('tolerates a trailing SEQ_ALL sequence and timestamp', () => {
    const evs = run([SUB_TRADES, '[89,"te",[382489563,1564617600709,0.00705845,10087.98969503],18,1564617600784]']);
    expect(trades(evs)).toHaveLength(1);
  });

  it('maps the ticker to a quote (BID, BID_SIZE, ASK, ASK_SIZE) stamped with receive time', () => {
    const evs = run([SUB_TICKER, '[90,[60400,76.16686512,60406,86.2067634199999,-1292,-0.0209,60410,10.05320242,62408,60057]]']);
    expect(evs[1]).toEqual({
      type: 'quote', exchange: 'bitfinex', market: 'spot', symbol: 'BTC-USD',
      bid: 60400, bidSize: 76.16686512, ask: 60406, askSize: 86.2067634199999, time: RX, receivedAt: RX,
    });
  });

  it('treats heartbeats (with or without seq), pong and conf as control, never data', () => {
    const evs = run([SUB_TRADES, '[89,"hb"]', '[89,"hb",144]', '{"event":"pong","ts":1511545528111,"cid":1}', '{"event":"conf","status":"OK","flags":65536}']);
    expect(evs.map((e) => e.type === 'control' && e.what)).toEqual(['ack', 'heartbeat', 'heartbeat', 'pong', 'ack']);
  });

  it('reports error replies with Bitfinex\'s message and the symbol', () => {
    const evs = run(['{"event":"error","msg":"symbol: invalid","code":10300,"channel":"trades","symbol":"tFOOBAR"}']);
    expect(evs).toEqual([{ type: 'error', kind: 'venue', message: 'Bitfinex error 10300: symbol: invalid', cause: 'symbol: invalid', symbol: 'FOO-BAR' }]);
  });

  it('asks for a reconnect on info 20051 (server restart)', () => {
    const evs = run(['{"event":"info","code":20051,"msg":"Stopping. Please try to reconnect"}']);
    expect(evs).toEqual([{ type: 'notice', message: 'Bitfinex 20051: Stopping. Please try to reconnect', reconnect: true }]);
  });

  it('counts a malformed frame and unknown chanIds, keeping the good trades around them', () => {
    const evs = run([SUB_TRADES, TE, '[89,"te",[1,2', '[777,"te",[5,1564617600709,1,100]]',
      '[89,"te",[382489564,1564617600800,-2,10087]]']);
    expect(evs.map((e) => e.type)).toEqual(['control', 'trade', 'error', 'error', 'trade']);
    expect(evs[2]).toMatchObject({ kind: 'parse', message: 'Bitfinex: malformed JSON frame' });
    expect(evs[3]).toMatchObject({ kind: 'protocol', message: 'Bitfinex: data for unknown chanId 777' });
  });

  it('keeps channel ids per connection: a new parser does not know the old chanIds', () => {
    expect(run([TE])[0]).toMatchObject({ type: 'error', kind: 'protocol' });
  });
});

describe('bitfinex symbols and declarations', () => {
  it('maps canonical <-> native including UST and the colon form', () => {
    expect(bitfinexAdapter.toNative('BTC-USD', 'spot')).toBe('tBTCUSD');
    expect(bitfinexAdapter.toNative('BTC-USDT', 'spot')).toBe('tBTCUST');
    expect(bitfinexAdapter.toNative('TESTBTC-TESTUSD', 'spot')).toBe('tTESTBTC:TESTUSD');
    expect(bitfinexAdapter.toNative('DOGE-USD', 'spot')).toBe('tDOGE:USD');
    expect(bitfinexAdapter.toCanonical('tBTCUST', 'spot')).toBe('BTC-USDT');
    expect(bitfinexAdapter.toCanonical('tTESTBTC:TESTUSD', 'spot')).toBe('TESTBTC-TESTUSD');
    expect(bitfinexAdapter.toCanonical('tETHBTC', 'spot')).toBe('ETH-BTC');
  });

  it('parses the pub:list:pair:exchange body', () => {
    const body = [['BTCUSD', 'BTCUST', 'TESTBTC:TESTUSD', '1INCH:USD']];
    expect(bitfinexAdapter.instruments!.parse(body, 'spot')).toEqual([
      { symbol: 'BTC-USD', native: 'tBTCUSD' },
      { symbol: 'BTC-USDT', native: 'tBTCUST' },
      { symbol: 'TESTBTC-TESTUSD', native: 'tTESTBTC:TESTUSD' },
      { symbol: '1INCH-USD', native: 't1INCH:USD' },
    ]);
    expect(bitfinexAdapter.instruments!.parse({ error: 'ERR_RATE_LIMIT' }, 'spot')).toEqual([]);
  });

  it('subscribes one message per stream with the wire channel names', () => {
    expect(bitfinexAdapter.subscribeMessages(streams, 'spot')).toEqual([
      '{"event":"subscribe","channel":"trades","symbol":"tBTCUSD"}',
      '{"event":"subscribe","channel":"ticker","symbol":"tBTCUSD"}',
    ]);
  });
});
