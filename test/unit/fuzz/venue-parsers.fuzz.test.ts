/**
 * Fuzz of every venue parser (electron/core/adapters/index.ts): random text, random JSON in the
 * venue's vocabulary, and sessions of real frames (test/fixtures/<venue>/) with hostile mutations.
 * Whatever arrives, parse() must not throw and must return well-formed events (well-formed.ts).
 * A parser keeps state per connection (channel ids, de-duplication, contract values), so a
 * session feeds several frames, mutated or not, to one parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParserContext, Stream, VenueAdapter } from '../../../electron/core/adapters/adapter';
import { listAdapters } from '../../../electron/core/adapters/index';
import type { Channel, MarketType } from '../../../shared/domain';
import { fixtureFrames, mutatedFrame, randomText, randomVenueJson, runs } from './fuzz-kit';
import { expectWellFormed } from './well-formed';

const RX = 1_700_000_000_123;

/** Native symbols the fixtures use, per venue, so frames reach the code past the symbol lookup. */
const NATIVES: Record<string, string[]> = {
  simulator: ['BTC-USDT', 'ETH-USDT'],
  binance: ['BTCUSDT', 'ETHUSDT', 'NKNUSDT', 'LRCBTC', 'BNBUSDT'],
  coinbase: ['BTC-USD', 'ETH-USD'],
  kraken: ['BTC/USD'],
  bybit: ['BTCUSDT', 'ETHUSDT', 'ROSEUSDT'],
  okx: ['BTC-USDT', 'BTC-USDT-SWAP', 'BTC-USD-SWAP', 'UNI-USD-SWAP'],
  bitstamp: ['ethusd', 'btcusd'],
  bitfinex: ['tBTCUSD', 'tBFTUSD'],
  bitmex: ['XBTUSD', 'XBTUSDT', 'ETHUSD'],
  kucoin: ['BTC-USDT', 'ETH-USDT', 'XBTUSDTM'],
  gate: ['BTC_USDT', 'GT_USDT', 'ETH_USDT'],
  hyperliquid: ['BTC', 'kPEPE'],
  deribit: ['BTC-PERPETUAL', 'BTC_USDC-PERPETUAL', 'ETH-27DEC24'],
};

function context(adapter: VenueAdapter, market: MarketType): ParserContext {
  const channels: readonly Channel[] = adapter.channels[market] ?? ['trades'];
  const streams: Stream[] = (NATIVES[adapter.id] ?? []).flatMap((native) =>
    channels.map((channel) => ({ native, symbol: adapter.toCanonical(native, market), channel })),
  );
  return { exchange: adapter.id, market, streams, toCanonical: (n) => adapter.toCanonical(n, market) };
}

/**
 * OKX, Bitfinex and the simulator catch anything their code throws and answer a generic error
 * ("parser failure"): well formed, but it means code threw on input it should have checked.
 */
const CAUGHT_THROW = /parser failure|could not be read/;

/** Feeds `frames` to one fresh parser, checking every answer. */
function session(adapter: VenueAdapter, market: MarketType, frames: readonly string[]): void {
  const parser = adapter.createParser(context(adapter, market));
  for (const frame of frames) {
    const events = parser.parse(frame, RX);
    expectWellFormed(events, frame);
    const caught = events.find((e) => e.type === 'error' && CAUGHT_THROW.test(e.message));
    if (caught) throw new Error(`the parser threw and caught it: ${JSON.stringify(caught)}`);
  }
}

const adapters = listAdapters();

it('covers every registered venue (a new adapter needs its natives here and fixture frames)', () => {
  expect(adapters.length).toBeGreaterThanOrEqual(8);
  expect(adapters.map((a) => a.id).filter((id) => !(id in NATIVES))).toEqual([]);
});

describe.each(adapters.map((a, i) => [a.id, a, i] as const))('%s parser', (id, adapter, i) => {
  const frames = fixtureFrames(id);
  const market = fc.constantFrom(...adapter.marketTypes);

  it('reads its fixture frames unchanged without an error', () => {
    for (const m of adapter.marketTypes) {
      const parser = adapter.createParser(context(adapter, m));
      for (const frame of frames) {
        const events = parser.parse(frame, RX);
        expectWellFormed(events, frame);
        // OKX and Binance perp warnings aside, a fixture frame is good input.
        expect(events.filter((e) => e.type === 'error' && e.kind === 'parse'), frame).toEqual([]);
      }
    }
  });

  it('random text and random JSON never throw and give well-formed events', () => {
    fc.assert(
      fc.property(market, fc.array(fc.oneof(randomText, randomVenueJson(frames)), { minLength: 1, maxLength: 4 }), (m, input) =>
        session(adapter, m, input),
      ),
      runs(9100 + i, 100),
    );
  });

  it('sessions of mutated real frames never throw and give well-formed events', () => {
    fc.assert(
      fc.property(market, fc.array(mutatedFrame(frames), { minLength: 1, maxLength: 8 }), (m, input) => session(adapter, m, input)),
      runs(9200 + i, 200),
    );
  });
});
