/**
 * The feed form's instrument search for BitMEX and Gate: the venues are offered (listAdapters,
 * with their market types and channels) and search runs over each venue's REST list, served here
 * by the fake venues (XBT named BTC; Gate futures from the contract list).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplyMessage, ServerMessage } from '../../../shared/protocol';
import { CoreApi } from '../../../electron/core/api/core-api';
import { listAdapters } from '../../../electron/core/adapters/index';
import { startPipeline } from '../../../electron/core/pipeline/pipeline';
import { FakeBitmex } from '../../fakes/bitmex';
import { FakeGate } from '../../fakes/gate';

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

describe('BitMEX and Gate in the feed form', () => {
  it('are offered with their market types and channels', () => {
    const byId = new Map(listAdapters().map((a) => [a.id, a]));
    expect(byId.get('bitmex')).toMatchObject({ displayName: 'BitMEX', marketTypes: ['perp'], channels: { perp: ['trades', 'quotes', 'liquidations', 'funding'] } });
    expect(byId.get('gate')).toMatchObject({ displayName: 'Gate', marketTypes: ['spot', 'perp'] });
  });

  it('search BitMEX perpetuals by canonical name (XBTUSD is BTC-USD)', async () => {
    const fake = await FakeBitmex.start();
    cleanups.push(() => fake.close());
    const reply = await search({ exchange: 'bitmex', market: 'perp', query: 'btc', restUrl: fake.restUrl });
    expect(reply.result).toEqual({ symbols: ['BTC-USD', 'BTC-USDT'] });
  });

  it('search Gate spot pairs and futures contracts', async () => {
    const fake = await FakeGate.start();
    cleanups.push(() => fake.close());
    expect((await search({ exchange: 'gate', market: 'spot', query: 'eth', restUrl: fake.restUrl })).result).toEqual({ symbols: ['ETH-USDT'] });
    expect((await search({ exchange: 'gate', market: 'perp', query: 'usdt', restUrl: fake.restUrl })).result).toEqual({ symbols: ['BTC-USDT', 'ETH-USDT'] });
  });
});
