/**
 * Differential test of the Binance depthUpdate fast path (electron/core/adapters/binance/
 * depth-fastpath.ts): for every frame, the scanner either declines (null -> JSON.parse path) or
 * returns exactly the BookUpdate the general path returns, levels and field order included.
 * Frames: the recorded spot diffs (depth_100ms.head.jsonl and the cryptofeed sessions), USD-M
 * frames in the documented format (T, pu), the bench's replay frames, and seeded fuzz.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BinanceParser } from '../../../electron/core/adapters/binance/stream';
import type { ParserContext, Stream } from '../../../electron/core/adapters/adapter';
import { binanceAdapter } from '../../../electron/core/adapters/binance/venue';
import type { MarketType } from '../../../shared/domain';
import { DepthSource } from '../../../bench/replay/depth-frames';
import { expectAgrees, sameEvents } from '../../helpers/same-events';
import { bookFuzz, levelsText } from '../../helpers/book-frame-fuzz';

const RX = 1_700_000_000_123;
const FIXTURES = fileURLToPath(new URL('../../fixtures/binance', import.meta.url));

function makeParser(market: MarketType = 'spot', natives = ['BTCUSDT', 'NKNUSDT', 'BTCUSD']): BinanceParser {
  const streams: Stream[] = natives.map((native) => ({ native, symbol: binanceAdapter.toCanonical(native, market), channel: 'book' }));
  const ctx: ParserContext = { exchange: 'binance', market, streams, toCanonical: (n) => binanceAdapter.toCanonical(n, market) };
  return new BinanceParser(ctx);
}

/** Checks one frame; returns whether the fast path took it. */
function check(p: BinanceParser, frame: string): boolean {
  const fast = p.fastDepth!.scan(frame, RX);
  return expectAgrees(frame, fast === null ? null : [fast], p.parseGeneral(frame, RX), p.parse(frame, RX));
}

function lines(file: string): string[] {
  return readFileSync(`${FIXTURES}/${file}`, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

/** Received frames of the recorded cryptofeed sessions. */
function sessionFrames(): string[] {
  return ['session.cryptofeed-2021-04-17.sample.jsonl', 'session.cryptofeed-2021-08-14.sample.jsonl', 'session.cryptofeed-2021-10-12.sample.jsonl']
    .flatMap(lines)
    .map((l) => JSON.parse(l) as { dir?: string; data?: unknown })
    .filter((r) => r.dir === 'recv' && typeof r.data === 'string')
    .map((r) => r.data as string);
}

const PERP = '{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000123,"T":1700000000120,"s":"BTCUSDT","U":157,"u":160,"pu":149,"b":[["64000.10","10.500"],["63999.90","0"]],"a":[["64000.20","100"]]}}';

afterEach(() => {
  delete process.env.TICKSCOPE_NO_FASTPATH;
});

describe('binance depthUpdate fast path', () => {
  it('reads a USD-M diff (T, pu) into exactly the general path record, fields in output order', () => {
    const p = makeParser('perp');
    const u = p.fastDepth!.scan(PERP, RX);
    expect(u).toStrictEqual({
      type: 'book', exchange: 'binance', market: 'perp', symbol: 'BTC-USDT', action: 'delta',
      bids: [[64000.1, 10.5], [63999.9, 0]], asks: [[64000.2, 100]], firstSeq: 157, lastSeq: 160, time: 1700000000120, receivedAt: RX, prevSeq: 149,
    });
    expect(JSON.stringify(u)).toBe(JSON.stringify(p.parseGeneral(PERP, RX)[0]));
    expect(check(p, PERP)).toBe(true);
  });

  it('takes every recorded spot diff (depth@100ms sample, cryptofeed sessions) with identical results; other frames are declined', () => {
    const p = makeParser('spot', ['NKNUSDT', 'BUSDTRY', 'SWRVBUSD', 'VETETH', 'BTCUSDT']);
    const recorded = lines('depth_100ms.head.jsonl');
    const sessions = sessionFrames();
    const sessionDiffs = sessions.filter((f) => f.includes('"e":"depthUpdate"'));
    expect(recorded.length).toBe(11);
    expect(sessionDiffs.length).toBeGreaterThan(5);
    for (const f of [...recorded, ...sessionDiffs]) expect(check(p, f), f).toBe(true);
    const others = [...sessions.filter((f) => !f.includes('"e":"depthUpdate"')), ...lines('aggTrade.jsonl'), ...lines('bookTicker.head.jsonl'), ...lines('control.docs-examples.jsonl')];
    expect(others.length).toBeGreaterThan(50);
    for (const f of others) expect(check(p, f), f).toBe(false);
  });

  it('takes the depth bench replay frames (20 levels, 8-decimal strings, removals)', () => {
    const p = makeParser('spot');
    const src = new DepthSource(3);
    for (let i = 0; i < 200; i++) expect(check(p, src.diff('BTCUSDT', RX + i, 20))).toBe(true);
  });

  it('declines what it cannot read exactly, and what the general path rejects (which then reports it)', () => {
    const p = makeParser('perp');
    const frame = (payload: string) => `{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,${payload}}}`;
    const cases: [string, boolean][] = [
      [frame('"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]'), true],
      [frame('"s":"BTCUSDT","U":1,"u":2,"pu":0.5,"b":[["5.","0.0"]],"a":[[".5","1"]]'), true], // pu not an integer: no prevSeq, as the general path
      [frame('"T":2e3,"s":"btcusdt","U":1e2,"u":9007199254740993,"b":[["00012.5","1"]],"a":[]'), true],
      [frame('"s":"BTCUSDT","U":1,"u":2,"b":[["0","1"]],"a":[]'), false], // price 0: a bad level
      [frame('"s":"BTCUSDT","U":1,"u":2,"b":[["0.00000000","1"]],"a":[]'), false],
      [frame('"s":"BTCUSDT","U":1,"u":2,"b":[["1","-0"]],"a":[]'), false], // general: -0 passes size >= 0; not read here
      [frame('"s":"BTCUSDT","U":1,"u":2,"b":[["1e3","1"]],"a":[]'), false],
      [frame('"s":"BTCUSDT","U":1,"u":2,"b":[["1","1","x"]],"a":[]'), false],
      [frame('"s":"BTCUSDT","U":1,"u":2,"b":[[1,"1"]],"a":[]'), false],
      [frame(`"s":"BTCUSDT","U":1,"u":2,"b":[["${'9'.repeat(400)}","1"]],"a":[]`), false],
      [frame('"s":"BTCUSDT","U":1.5,"u":2,"b":[],"a":[]'), false],
      [frame('"s":"BTCUSDT","U":1,"u":"2","b":[],"a":[]'), false],
      [frame('"s":"","U":1,"u":2,"b":[],"a":[]'), false],
      [frame('"s":"BTCUSDT","U":1,"u":2,"a":[],"b":[]'), false],
      [frame('"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[],"x":1'), false],
      [frame('"s":"BTCUSDT","U":1,"u":2,"b":[ ],"a":[]'), false],
      [frame('"s":"BTCUSDT","U":1,"u":2,"b":{},"a":[]'), false],
      [frame('"T":1e400,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]'), false],
      [frame('"s":"BTC\\u0055SDT","U":1,"u":2,"b":[],"a":[]'), false],
      [`${frame('"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]')} `, false],
      ['{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[["1","1"]],"a":[]}', true],
      ['{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[["1","1"]],"a":[]}}', false],
    ];
    for (const [f, taken] of cases) expect(check(p, f), f).toBe(taken);
  });

  it('fuzz: random levels, ids, optional T/pu, key swaps, whitespace, truncations and garbage never give a different result', () => {
    const f = bookFuzz(20_261_203);
    let clean = 0;
    let cleanTaken = 0;
    let taken = 0;
    for (let n = 0; n < 4_000; n++) {
      const market = f.pick(['spot', 'perp'] as const);
      const p = makeParser(market);
      const sym = f.random() < 0.9 ? f.pick(['BTCUSDT', 'NKNUSDT', 'btcusdt']) : f.pick(['', 'ETHBTC', 'BTC\\"USDT', 'ÄBC']);
      const idsPlain = f.random() < 0.85;
      const b = levelsText(f, Math.floor(f.random() * 12));
      const a = levelsText(f, Math.floor(f.random() * 12));
      const fields: [string, string][] = [
        ['e', '"depthUpdate"'],
        ['E', f.digits(13)],
        ...(market === 'perp' || f.random() < 0.1 ? ([['T', f.random() < 0.9 ? f.digits(13) : f.jsonNum()]] as [string, string][]) : []),
        ['s', `"${sym}"`],
        ['U', idsPlain ? f.digits(9) : f.jsonNum()],
        ['u', idsPlain ? f.digits(10) : f.jsonNum()],
        ...(market === 'perp' || f.random() < 0.1 ? ([['pu', f.random() < 0.9 ? f.digits(9) : f.jsonNum()]] as [string, string][]) : []),
        ['b', b.text],
        ['a', a.text],
      ];
      const reshape = f.random();
      if (reshape < 0.05) {
        const i = Math.floor(f.random() * fields.length);
        const j = Math.floor(f.random() * fields.length);
        [fields[i], fields[j]] = [fields[j]!, fields[i]!];
      } else if (reshape < 0.1) {
        fields.splice(Math.floor(f.random() * fields.length), 1);
      }
      const payload = `{${fields.map(([k, v]) => `"${k}":${v}`).join(',')}}`;
      const whole = f.random() < 0.7 ? `{"stream":"btcusdt@depth@100ms","data":${payload}}` : payload;
      const damaged = f.damage(whole);
      const ok = check(p, damaged ?? whole);
      if (ok) taken++;
      const tOk = fields.every(([k, v]) => k !== 'T' || /^[1-9]\d{12}$/.test(v));
      const puOk = fields.every(([k, v]) => k !== 'pu' || /^[1-9]\d{8}$/.test(v));
      if (reshape >= 0.1 && damaged === null && idsPlain && tOk && puOk && b.clean && a.clean && ['BTCUSDT', 'NKNUSDT', 'btcusdt'].includes(sym)) {
        clean++;
        if (ok) cleanTaken++;
        else expect.fail(`clean frame declined: ${whole}`);
      }
    }
    // The fast path really ran (not declining everything), and took every clean frame.
    expect(clean).toBeGreaterThan(1_000);
    expect(cleanTaken).toBe(clean);
    expect(taken).toBeGreaterThanOrEqual(clean);
  });

  it('TICKSCOPE_NO_FASTPATH=1 turns it off; the parser then gives the same results', () => {
    process.env.TICKSCOPE_NO_FASTPATH = '1';
    const off = makeParser('perp');
    expect(off.fastDepth).toBeNull();
    delete process.env.TICKSCOPE_NO_FASTPATH;
    const on = makeParser('perp');
    expect(on.fastDepth).not.toBeNull();
    expect(sameEvents(on.parse(PERP, RX), off.parse(PERP, RX))).toBe(true);
  });
});
