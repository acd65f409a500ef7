/**
 * Instrument.contractSize: a venue's REST list may say how many base units one contract is (Gate
 * futures `quanto_multiplier`); the resolver hands it to parsers by native name
 * (SymbolResolver.contractSize -> ParserContext.contractSize). A cached list is read back
 * unchecked beyond symbol/native, so only a usable size counts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VenueAdapter } from '../../../electron/core/adapters/adapter';
import { bybitAdapter } from '../../../electron/core/adapters/bybit/venue';
import { instrumentCachePath } from '../../../electron/core/instruments/cache';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';

const contractsVenue: VenueAdapter = {
  ...bybitAdapter,
  id: 'contracts-test',
  instruments: {
    path: () => '/contracts',
    parse: () => [
      { symbol: 'BTC-USDT', native: 'BTC_USDT', contractSize: 0.0001 },
      { symbol: 'ETH-USDT', native: 'ETH_USDT' },
    ],
  },
};
const answer = (body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('contract sizes from the instrument list', () => {
  it('maps a native name to the size its REST row gave, and nothing for rows without one', async () => {
    const r = await resolveSymbols({ adapter: contractsVenue, market: 'perp', restUrl: 'http://127.0.0.1:9', cacheDir: null, fetchImpl: answer([]) });
    expect(r.source).toBe('rest');
    expect(r.contractSize?.('BTC_USDT')).toBe(0.0001);
    expect(r.contractSize?.('ETH_USDT')).toBeUndefined();
    expect(r.contractSize?.('SOL_USDT')).toBeUndefined();
  });

  it('ignores a cached size that is not a positive finite number', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tickscope-contracts-'));
    await mkdir(join(dir, 'instruments'), { recursive: true });
    await writeFile(instrumentCachePath(dir, 'contracts-test', 'perp'), JSON.stringify({
      exchange: 'contracts-test', market: 'perp', fetchedAt: Date.now(),
      instruments: [{ symbol: 'BTC-USDT', native: 'BTC_USDT', contractSize: '0.0001' }, { symbol: 'ETH-USDT', native: 'ETH_USDT', contractSize: 0.01 }, { symbol: 'X-USDT', native: 'X_USDT', contractSize: -1 }],
    }));
    const r = await resolveSymbols({ adapter: contractsVenue, market: 'perp', cacheDir: dir });
    expect(r.source).toBe('cache');
    expect([r.contractSize?.('BTC_USDT'), r.contractSize?.('ETH_USDT'), r.contractSize?.('X_USDT')]).toEqual([undefined, 0.01, undefined]);
  });
});
