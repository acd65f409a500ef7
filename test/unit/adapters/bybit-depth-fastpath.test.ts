/**
 * Differential test of the Bybit orderbook fast path (electron/core/adapters/bybit/
 * depth-fastpath.ts): for every frame, the scanner either declines (null -> JSON.parse path) or
 * returns exactly the BookUpdate the general path returns, levels and field order included.
 * Frames: the recorded spot and linear orderbook.200 snapshots and deltas, the bench's replay
 * frames, hand-written edge cases, and seeded fuzz (key orders, repeated and odd fields).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BybitParser } from '../../../electron/core/adapters/bybit/stream';
import { bybitAdapter } from '../../../electron/core/adapters/bybit/venue';
import type { ParserContext, Stream } from '../../../electron/core/adapters/adapter';
import type { MarketType } from '../../../shared/domain';
import { BybitDepthSource } from '../../../bench/replay/depth-frames';
import { expectAgrees, sameEvents } from '../../helpers/same-events';
import { bookFuzz, levelsText } from '../../helpers/book-frame-fuzz';

const RX = 1_700_000_000_123;
const FIXTURES = fileURLToPath(new URL('../../fixtures/bybit', import.meta.url));

function makeParser(market: MarketType = 'spot', natives = ['BTCUSDT', 'ETHUSDT']): BybitParser {
  const streams: Stream[] = natives.map((native) => ({ native, symbol: bybitAdapter.toCanonical(native, market), channel: 'book' }));
  const ctx: ParserContext = { exchange: 'bybit', market, streams, toCanonical: (n) => bybitAdapter.toCanonical(n, market) };
  return new BybitParser(ctx);
}

/** Checks one frame; returns whether the fast path took it. */
function check(p: BybitParser, frame: string): boolean {
  const fast = p.fastDepth!.scan(frame, RX);
  return expectAgrees(frame, fast === null ? null : [fast], p.parseGeneral(frame, RX), p.parse(frame, RX));
}

function lines(file: string): string[] {
  return readFileSync(`${FIXTURES}/${file}`, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

const DELTA = '{"topic":"orderbook.50.BTCUSDT","ts":1786310816618,"type":"delta","data":{"s":"BTCUSDT","b":[["65140.4","0.875077"]],"a":[["65154.6","0.09948"],["65239.1","0"]],"u":62505425,"seq":112488545865},"cts":1786310816585}';

afterEach(() => {
  delete process.env.TICKSCOPE_NO_FASTPATH;
});

describe('bybit orderbook fast path', () => {
  it('reads a delta into exactly the general path record (time from cts), fields in output order', () => {
    const p = makeParser('spot');
    const u = p.fastDepth!.scan(DELTA, RX);
    expect(u).toStrictEqual({
      type: 'book', exchange: 'bybit', market: 'spot', symbol: 'BTC-USDT', action: 'delta',
      bids: [[65140.4, 0.875077]], asks: [[65154.6, 0.09948], [65239.1, 0]], lastSeq: 62505425, time: 1786310816585, receivedAt: RX,
    });
    expect(JSON.stringify(u)).toBe(JSON.stringify(p.parseGeneral(DELTA, RX)[0]));
  });

  it('takes every recorded spot and linear orderbook.200 frame (snapshot and deltas, both key orders); orderbook.1 and other topics are declined', () => {
    for (const [market, file] of [['spot', 'orderbook.spot.head.jsonl'], ['perp', 'orderbook.linear.head.jsonl']] as const) {
      const p = makeParser(market);
      const frames = lines(file);
      expect(frames.length).toBeGreaterThan(5);
      for (const f of frames) expect(check(p, f), f).toBe(true);
      expect(p.fastDepth!.scan(frames[0]!, RX)?.action).toBe('snapshot');
    }
    const p = makeParser('spot');
    const others = ['frames.jsonl', 'publicTrade.spot.jsonl', 'tickers.spot.head.jsonl', 'subscribe_ack.spot.jsonl'].flatMap(lines).filter((f) => !f.includes('"topic":"orderbook.200.'));
    expect(others.some((f) => f.includes('"topic":"orderbook.1.'))).toBe(true);
    for (const f of others) expect(check(p, f), f).toBe(false);
  });

  it('takes the depth bench replay frames (the 50-level snapshot, then 20-level deltas)', () => {
    const p = makeParser('spot');
    const src = new BybitDepthSource(3);
    for (let i = 0; i < 200; i++) expect(check(p, src.frame('BTCUSDT', RX + i, 20))).toBe(true);
  });

  it('declines what it cannot read exactly, and what the general path rejects (which then reports it)', () => {
    const p = makeParser('perp');
    const frame = (top: string, data: string) => `{"topic":"orderbook.50.BTCUSDT"${top},"data":{${data}}}`;
    const cases: [string, boolean][] = [
      [frame(',"type":"delta","ts":5', '"b":[],"a":[],"u":7'), true], // no cts: time from ts
      [frame(',"type":"delta","ts":5', '"u":1,"b":[],"a":[]'), true], // u = 1: a snapshot whatever the type says
      [frame(',"type":"snapshot","ts":5,"x":null,"y":true', '"seq":1e3,"s":"X","a":[["1.","5."]],"b":[[".5","0"]],"u":7.0'), true],
      [`{"topic":"orderbook.50."${',"type":"delta","ts":5'},"data":{"b":[],"a":[],"u":7}}`, false], // no native symbol
      [frame(',"type":"Delta","ts":5', '"b":[],"a":[],"u":7'), false],
      [frame(',"type":"delta","ts":"5"', '"b":[],"a":[],"u":7'), false],
      [frame(',"type":"delta","ts":5,"cts":null', '"b":[],"a":[],"u":7'), false],
      [frame(',"type":"delta","ts":5,"ts":6', '"b":[],"a":[],"u":7'), false],
      [frame(',"type":"delta","type":"snapshot","ts":5', '"b":[],"a":[],"u":7'), false],
      [frame(',"type":"delta","ts":1e400', '"b":[],"a":[],"u":7'), false],
      [frame(',"type":"delta","ts":5', '"b":[],"a":[],"u":7.5'), false],
      [frame(',"type":"delta","ts":5', '"b":[],"a":[],"u":"7"'), false],
      [frame(',"type":"delta","ts":5', '"b":[],"a":[]'), false],
      [frame(',"type":"delta","ts":5', '"b":[],"u":7'), false],
      [frame(',"type":"delta","ts":5', '"b":[],"b":[],"a":[],"u":7'), false],
      [frame(',"type":"delta","ts":5', '"b":[["0","1"]],"a":[],"u":7'), false],
      [frame(',"type":"delta","ts":5', '"b":[["1",""]],"a":[],"u":7'), false],
      [frame(',"type":"delta","ts":5', '"b":[["1","1",""]],"a":[],"u":7'), false],
      [frame(',"type":"delta","ts":5', '"b":[],"a":[],"u":7,"x":{}'), false],
      [frame(',"type":"delta","ts":5,"topic":"orderbook.50.ETHUSDT"', '"b":[],"a":[],"u":7'), false],
      [`{"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":5,"data":{"b":[["1","1"]],"a":[["2","1"]],"u":7}}`, false],
      [`{"type":"delta","topic":"orderbook.50.BTCUSDT","ts":5,"data":{"b":[],"a":[],"u":7}}`, false],
      [`${frame(',"type":"delta","ts":5', '"b":[],"a":[],"u":7')} `, false],
    ];
    for (const [f, taken] of cases) expect(check(p, f), f).toBe(taken);
  });

  it('fuzz: random levels, key orders, repeated and odd fields, whitespace, truncations and garbage never give a different result', () => {
    const f = bookFuzz(20_261_204);
    let clean = 0;
    let cleanTaken = 0;
    for (let n = 0; n < 4_000; n++) {
      const p = makeParser(f.pick(['spot', 'perp'] as const));
      const b = levelsText(f, Math.floor(f.random() * 12));
      const a = levelsText(f, Math.floor(f.random() * 12));
      const odd = f.random() < 0.15;
      const data: [string, string][] = [['s', '"BTCUSDT"'], ['b', b.text], ['a', a.text], ['u', odd ? f.jsonNum() : f.digits(8)], ['seq', f.digits(12)]];
      const top: [string, string][] = [['ts', f.digits(13)], ['type', f.pick(['"snapshot"', '"delta"', '"delta"', '"delta"'])], ['cts', f.digits(13)]];
      if (f.random() < 0.3) top.pop();
      const shuffle = (xs: [string, string][]) => xs.sort(() => f.random() - 0.5);
      shuffle(data);
      shuffle(top);
      if (odd) (f.random() < 0.5 ? data : top).push([f.pick(['b', 'a', 'u', 'ts', 'cts', 'type', 'x']), f.pick(['1', '"y"', 'null', '{}', '[]', '[["1","1"]]'])]);
      const obj = (xs: [string, string][]) => xs.map(([k, v]) => `"${k}":${v}`).join(',');
      const whole = `{"topic":"orderbook.50.${f.pick(['BTCUSDT', 'BTCUSDT', 'ETHUSDT'])}",${obj(top)},"data":{${obj(data)}}}`;
      const damaged = f.damage(whole);
      const ok = check(p, damaged ?? whole);
      if (!odd && damaged === null && b.clean && a.clean) {
        clean++;
        if (ok) cleanTaken++;
        else expect.fail(`clean frame declined: ${whole}`);
      }
    }
    expect(clean).toBeGreaterThan(1_000);
    expect(cleanTaken).toBe(clean);
  });

  it('TICKSCOPE_NO_FASTPATH=1 turns it off; the parser then gives the same results', () => {
    process.env.TICKSCOPE_NO_FASTPATH = '1';
    const off = makeParser();
    expect(off.fastDepth).toBeNull();
    delete process.env.TICKSCOPE_NO_FASTPATH;
    expect(sameEvents(makeParser().parse(DELTA, RX), off.parse(DELTA, RX))).toBe(true);
  });
});
