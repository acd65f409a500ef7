import { describe, expect, it } from 'vitest';
import { simulatorAdapter } from '../../../electron/core/adapters/simulator/venue';

const parser = simulatorAdapter.createParser({ exchange: 'simulator', market: 'spot', toCanonical: (n) => n, streams: [] });

describe('simulator adapter: book frames', () => {
  it('parses a snapshot and a delta (size "0" removes) into book records with their seq', () => {
    const snap = '{"type":"book","action":"snapshot","market":"spot","symbol":"BTC-USDT","seq":41,"bids":[["64012.50","0.02000"]],"asks":[["64012.51","0.01100"]],"time":1718000000140}';
    expect(parser.parse(snap, 5)).toEqual([
      { type: 'book', exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT', action: 'snapshot', bids: [[64012.5, 0.02]], asks: [[64012.51, 0.011]], lastSeq: 41, time: 1718000000140, receivedAt: 5 },
    ]);
    const delta = '{"type":"book","action":"delta","market":"spot","symbol":"BTC-USDT","seq":42,"bids":[["64012.50","0"]],"asks":[],"time":1718000000240}';
    expect(parser.parse(delta, 6)).toMatchObject([{ action: 'delta', bids: [[64012.5, 0]], asks: [], lastSeq: 42 }]);
  });

  it('a malformed book frame is a parse error naming it, not a record', () => {
    for (const bad of [
      '{"type":"book","action":"delta","symbol":"BTC-USDT","seq":1,"bids":[["x","1"]],"asks":[],"time":1}',
      '{"type":"book","action":"delta","symbol":"BTC-USDT","seq":1,"bids":[["1","-1"]],"asks":[],"time":1}',
      '{"type":"book","action":"merge","symbol":"BTC-USDT","seq":1,"bids":[],"asks":[],"time":1}',
      '{"type":"book","action":"delta","symbol":"BTC-USDT","bids":[],"asks":[],"time":1}',
    ]) {
      expect(parser.parse(bad, 1)).toMatchObject([{ type: 'error', kind: 'parse', message: 'malformed simulator book frame' }]);
    }
  });
});
