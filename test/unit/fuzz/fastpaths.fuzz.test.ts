/**
 * The hand-written trade and book scanners (adapters/{binance,bybit}/fastpath.ts and
 * depth-fastpath.ts) against JSON.parse, on mutated real frames: for every frame the scanner
 * either declines (null, the general path takes it) or returns exactly what the general path
 * returns, and parse() as a whole gives the general path's answer. Mutations that keep the frame's shape (a value
 * replaced, a number rewritten, a key repeated) are the ones that reach deep into a scanner, so
 * they dominate here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent, ParserContext, Stream } from '../../../electron/core/adapters/adapter';
import { BinanceParser } from '../../../electron/core/adapters/binance/stream';
import { binanceAdapter } from '../../../electron/core/adapters/binance/venue';
import { BybitParser } from '../../../electron/core/adapters/bybit/stream';
import { bybitAdapter } from '../../../electron/core/adapters/bybit/venue';
import type { MarketType } from '../../../shared/domain';
import { sameEvents } from '../../helpers/same-events';
import { fixtureFrames, mutate, mutation, poisonJson, runs, type Mutation } from './fuzz-kit';
import { expectWellFormed } from './well-formed';

const RX = 1_700_000_000_123;

function ctx(exchange: string, market: MarketType, natives: string[], toCanonical: (n: string) => string): ParserContext {
  const streams: Stream[] = natives.map((native) => ({ native, symbol: toCanonical(native), channel: 'trades' }));
  return { exchange, market, streams, toCanonical };
}

/** Value replacements, number rewrites and repeated keys keep the frame a frame the scanner reads. */
const shapeKeeping: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), raw: poisonJson }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), raw: poisonJson }),
  fc.record({ op: fc.constant('number' as const), at: fc.nat(), raw: fc.constantFrom('1e400', '0', '-0', '00', '1.', '.5', '-1', '1e3', '9'.repeat(400), `0.${'0'.repeat(30)}1`, '123456789012345678901234567890') }),
);

function frames(all: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat({ max: all.length - 1 }), fc.array(fc.oneof({ weight: 4, arbitrary: shapeKeeping }, { weight: 1, arbitrary: mutation }), { minLength: 1, maxLength: 3 }))
    .map(([i, ms]) => ms.reduce(mutate, all[i]!));
}

/** The scanner's answer is null or the general path's; parse() is the general path's. */
function agrees(fast: ParsedEvent[] | null, general: ParsedEvent[], viaParse: ParsedEvent[], frame: string): void {
  expectWellFormed(general, frame);
  if (fast !== null && !sameEvents(fast, general)) expect({ frame, fast }).toStrictEqual({ frame, fast: general });
  if (!sameEvents(viaParse, general)) expect({ frame, parse: viaParse }).toStrictEqual({ frame, parse: general });
}

describe('trade fast paths agree with JSON.parse or decline, on mutated frames', () => {
  it('binance aggTrade', () => {
    const aggTrades = fixtureFrames('binance').filter((f) => f.includes('"aggTrade"'));
    expect(aggTrades.length).toBeGreaterThanOrEqual(3);
    let runsSeen = 0;
    let taken = 0;
    fc.assert(
      fc.property(fc.constantFrom<MarketType>('spot', 'perp'), frames(aggTrades), (market, frame) => {
        const p = new BinanceParser(ctx('binance', market, ['BTCUSDT', 'NKNUSDT', 'LRCBTC'], (n) => binanceAdapter.toCanonical(n, market)));
        const fast = p.fast!.scan(frame, RX);
        runsSeen++;
        if (fast !== null) taken++;
        agrees(fast === null ? null : [fast], p.parseGeneral(frame, RX), p.parse(frame, RX), frame);
      }),
      runs(9301, 400),
    );
    // The mutations must reach the scanner, not only make frames it declines at the first byte.
    expect(taken / runsSeen).toBeGreaterThan(0.05);
  });

  it('bybit publicTrade', () => {
    const publicTrades = fixtureFrames('bybit').filter((f) => f.startsWith('{"topic":"publicTrade.'));
    expect(publicTrades.length).toBeGreaterThanOrEqual(3);
    let runsSeen = 0;
    let taken = 0;
    fc.assert(
      fc.property(fc.constantFrom<MarketType>('spot', 'perp'), frames(publicTrades), (market, frame) => {
        const p = new BybitParser(ctx('bybit', market, ['BTCUSDT', 'ETHUSDT'], (n) => bybitAdapter.toCanonical(n, market)));
        const fast = p.fast!.scan(frame, RX);
        runsSeen++;
        if (fast !== null) taken++;
        agrees(fast, p.parseGeneral(frame, RX), p.parse(frame, RX), frame);
      }),
      runs(9302, 400),
    );
    expect(taken / runsSeen).toBeGreaterThan(0.05);
  });
});

/** Mutated `all` frames through a scanner (`run` gives its answer, the general path's and parse()'s). */
function fuzzScanner(all: string[], seed: number, run: (market: MarketType, frame: string) => [ParsedEvent[] | null, ParsedEvent[], ParsedEvent[]]): void {
  let runsSeen = 0;
  let taken = 0;
  fc.assert(
    fc.property(fc.constantFrom<MarketType>('spot', 'perp'), frames(all), (market, frame) => {
      const [fast, general, viaParse] = run(market, frame);
      runsSeen++;
      if (fast !== null) taken++;
      agrees(fast, general, viaParse, frame);
    }),
    runs(seed, 400),
  );
  // The mutations must reach the scanner, not only make frames it declines at the first byte.
  expect(taken / runsSeen).toBeGreaterThan(0.05);
}

const lines = (path: string): string[] => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8').split('\n').filter((l) => l !== '');

describe('book fast paths agree with JSON.parse or decline, on mutated frames', () => {
  it('binance depthUpdate', () => {
    // Recorded spot diffs (README.md there); the first also rewritten as USD-M (T, pu).
    const spot = lines('../../fixtures/binance/depth_100ms.head.jsonl');
    const perp = spot[0]!.replace(/"E":(\d+),/, '"E":$1,"T":$1,').replace(/("u":\d+),/, '$1,"pu":499869749,');
    fuzzScanner([...spot, perp], 9303, (market, frame) => {
      const p = new BinanceParser(ctx('binance', market, ['NKNUSDT', 'BTCUSDT'], (n) => binanceAdapter.toCanonical(n, market)));
      const fast = p.fastDepth!.scan(frame, RX);
      return [fast === null ? null : [fast], p.parseGeneral(frame, RX), p.parse(frame, RX)];
    });
  });

  it('bybit orderbook', () => {
    const books = [...fixtureFrames('bybit'), ...lines('../../fixtures/bybit/orderbook.linear.head.jsonl')].filter((f) => f.startsWith('{"topic":"orderbook.'));
    expect(books.length).toBeGreaterThanOrEqual(5);
    fuzzScanner(books, 9304, (market, frame) => {
      const p = new BybitParser(ctx('bybit', market, ['BTCUSDT', 'ETHUSDT'], (n) => bybitAdapter.toCanonical(n, market)));
      const fast = p.fastDepth!.scan(frame, RX);
      return [fast === null ? null : [fast], p.parseGeneral(frame, RX), p.parse(frame, RX)];
    });
  });
});
