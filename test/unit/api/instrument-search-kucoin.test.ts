/**
 * The feed form's instrument search for KuCoin: the venue is offered (listAdapters, with its market
 * types and channels) and search runs over its REST lists, served by the fake KuCoin (spot
 * /api/v2/symbols; futures /api/v1/contracts/active, XBTUSDTM named BTC-USDT, the inverse XBTUSDM
 * left out).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplyMessage, ServerMessage } from '../../../shared/protocol';
import { CoreApi } from '../../../electron/core/api/core-api';
import { listAdapters } from '../../../electron/core/adapters/index';
import { startPipeline } from '../../../electron/core/pipeline/pipeline';
import { FakeKucoin } from '../../fakes/kucoin';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function search(args: unknown): Promise<ReplyMessage> {
  const p = await startPipeline({ feeds: [], dataDir: mkdtempSync(join(tmpdir(), 'tickscope-search-')), backfill: false, store: false });
  cleanups.push(() => p.stop());
  const got: ServerMessage[] = [];
  const session = new CoreApi(p, { timeframes: ['1m'] }).connect({ send: (m) => void got.push(JSON.parse(JSON.stringify(m)) as ServerMessage), ready: () => true });
  await session.receive({ type: 'command', id: 1, name: 'searchMarkets', args });
  session.close();
  return got.find((m): m is ReplyMessage => m.type === 'reply')!;
}

describe('KuCoin in the feed form', () => {
  it('is offered with its market types and channels', () => {
    expect(listAdapters().find((a) => a.id === 'kucoin')).toMatchObject({
      displayName: 'KuCoin', marketTypes: ['spot', 'perp'], channels: { spot: ['trades', 'quotes'], perp: ['trades', 'quotes', 'funding'] },
    });
  });

  it('searches spot pairs and linear perpetuals by canonical name', async () => {
    const spot = await FakeKucoin.start('spot');
    cleanups.push(() => spot.close());
    expect((await search({ exchange: 'kucoin', market: 'spot', query: 'eth', restUrl: spot.restUrl })).result).toEqual({ symbols: ['ETH-USDT'] });
    const perp = await FakeKucoin.start('perp');
    cleanups.push(() => perp.close());
    expect((await search({ exchange: 'kucoin', market: 'perp', query: 'btc', restUrl: perp.restUrl })).result).toEqual({ symbols: ['BTC-USDT'] });
  });
});
