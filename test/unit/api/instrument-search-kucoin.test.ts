/**
 * The feed form's instrument search for KuCoin: the venue is offered (listAdapters, with its market
 * types and channels) and search runs over its REST lists, served by the fake KuCoin (spot
 * /api/v2/symbols; futures /api/v1/contracts/active, XBTUSDTM named BTC-USDT, the inverse XBTUSDM
 * left out).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listAdapters } from '../../../electron/core/adapters/index';
import { FakeKucoin } from '../../fakes/kucoin';
import { marketSearch } from '../../helpers/search-markets';

const { search, cleanup, stopAll } = marketSearch();
afterEach(stopAll);

describe('KuCoin in the feed form', () => {
  it('is offered with its market types and channels', () => {
    expect(listAdapters().find((a) => a.id === 'kucoin')).toMatchObject({
      displayName: 'KuCoin', marketTypes: ['spot', 'perp'], channels: { spot: ['trades', 'quotes'], perp: ['trades', 'quotes', 'funding'] },
    });
  });

  it('searches spot pairs and linear perpetuals by canonical name', async () => {
    const spot = await FakeKucoin.start('spot');
    cleanup(() => spot.close());
    expect((await search({ exchange: 'kucoin', market: 'spot', query: 'eth', restUrl: spot.restUrl })).result).toEqual({ symbols: ['ETH-USDT'] });
    const perp = await FakeKucoin.start('perp');
    cleanup(() => perp.close());
    expect((await search({ exchange: 'kucoin', market: 'perp', query: 'btc', restUrl: perp.restUrl })).result).toEqual({ symbols: ['BTC-USDT'] });
  });
});
