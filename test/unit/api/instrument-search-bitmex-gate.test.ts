/**
 * The feed form's instrument search for BitMEX and Gate: the venues are offered (listAdapters,
 * with their market types and channels) and search runs over each venue's REST list, served here
 * by the fake venues (XBT named BTC; Gate futures from the contract list).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listAdapters } from '../../../electron/core/adapters/index';
import { FakeBitmex } from '../../fakes/bitmex';
import { FakeGate } from '../../fakes/gate';
import { marketSearch } from '../../helpers/search-markets';

const { search, cleanup, stopAll } = marketSearch();
afterEach(stopAll);

describe('BitMEX and Gate in the feed form', () => {
  it('are offered with their market types and channels', () => {
    const byId = new Map(listAdapters().map((a) => [a.id, a]));
    expect(byId.get('bitmex')).toMatchObject({ displayName: 'BitMEX', marketTypes: ['perp'], channels: { perp: ['trades', 'quotes', 'liquidations', 'funding'] } });
    expect(byId.get('gate')).toMatchObject({ displayName: 'Gate', marketTypes: ['spot', 'perp'] });
  });

  it('search BitMEX perpetuals by canonical name (XBTUSD is BTC-USD)', async () => {
    const fake = await FakeBitmex.start();
    cleanup(() => fake.close());
    const reply = await search({ exchange: 'bitmex', market: 'perp', query: 'btc', restUrl: fake.restUrl });
    expect(reply.result).toEqual({ symbols: ['BTC-USD', 'BTC-USDT'] });
  });

  it('search Gate spot pairs and futures contracts', async () => {
    const fake = await FakeGate.start();
    cleanup(() => fake.close());
    expect((await search({ exchange: 'gate', market: 'spot', query: 'eth', restUrl: fake.restUrl })).result).toEqual({ symbols: ['ETH-USDT'] });
    expect((await search({ exchange: 'gate', market: 'perp', query: 'usdt', restUrl: fake.restUrl })).result).toEqual({ symbols: ['BTC-USDT', 'ETH-USDT'] });
  });
});
