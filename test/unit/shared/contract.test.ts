/**
 * The UI <-> core contract in shared/: each command's argument schema and result type, the market
 * key format, and the venue list the adapter registry is keyed by. The type assertions are checked
 * by `tsc` (test/ is in tsconfig.json); the runtime ones by vitest.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  parseCommandArgs,
  type CommandArgs,
  type CommandHandlers,
  type CommandParsedArgs,
  type CommandResult,
} from '../../../shared/commands';
import type { FeedConfig } from '../../../shared/config';
import type { Bar } from '../../../shared/domain';
import type { PipelineHealth } from '../../../shared/health';
import { COMPOSITE, isComposite, marketKey, parseMarketKey } from '../../../shared/markets';
import { FEED_SOURCE_KINDS, isFeedSourceKind, isVenueId, VENUE_IDS, type FeedSourceKind, type VenueId } from '../../../shared/venues';
import { CoreClient } from '../../../renderer/src/transport/client';

describe('command results are typed at both ends', () => {
  it('the client resolves to the result type, the handler returns it', () => {
    expectTypeOf<CommandResult<'getBars'>>().toEqualTypeOf<Bar[]>();
    expectTypeOf<CommandResult<'listFeeds'>>().toEqualTypeOf<FeedConfig[]>();
    expectTypeOf<CommandResult<'exportCsv'>>().toEqualTypeOf<string>();
    expectTypeOf<CommandResult<'getHealth'>>().toEqualTypeOf<PipelineHealth>();
    expectTypeOf<CoreClient['request']>().toBeFunction();
    type GetBarsReply = ReturnType<typeof CoreClient.prototype.request<'getBars'>>;
    expectTypeOf<GetBarsReply>().toEqualTypeOf<Promise<Bar[]>>();
    expectTypeOf<ReturnType<CommandHandlers['getBars']>>().toEqualTypeOf<Bar[] | Promise<Bar[]>>();
  });

  it('a handler gets the schema output; a caller sends the schema input', () => {
    // addFeed: the caller may leave out defaults and give symbols as typed; the handler gets them filled in.
    expectTypeOf<CommandArgs<'addFeed'>['market']>().toEqualTypeOf<'spot' | 'perp' | undefined>();
    expectTypeOf<CommandParsedArgs<'addFeed'>['market']>().toEqualTypeOf<'spot' | 'perp'>();
    expectTypeOf<CommandParsedArgs<'addFeed'>['exchange']>().toEqualTypeOf<FeedSourceKind>();
    expectTypeOf<Parameters<CommandHandlers['removeFeed']>[0]>().toEqualTypeOf<{ id: string }>();
  });

  it('parseCommandArgs applies the named schema (defaults, normalised symbols) and names a bad field', () => {
    const ok = parseCommandArgs('addFeed', { exchange: 'okx', symbols: ['btc/usdt'] });
    expect(ok.success && ok.data).toMatchObject({ exchange: 'okx', market: 'spot', symbols: ['BTC-USDT'], enabled: true });
    const bad = parseCommandArgs('getBars', { exchange: 'okx', market: 'spot', symbol: 'BTC-USDT', tf: '7q' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['tf']);
  });
});

describe('market keys and the composite id', () => {
  it('marketKey and parseMarketKey are inverse, composite included', () => {
    for (const m of [
      { exchange: 'binance', market: 'spot' as const, symbol: 'BTC-USDT' },
      { exchange: COMPOSITE, market: 'perp' as const, symbol: 'ETH-USD' },
    ]) {
      expect(parseMarketKey(marketKey(m))).toEqual(m);
    }
    expect(marketKey({ exchange: COMPOSITE, market: 'spot', symbol: 'BTC-USDT' })).toBe('*:spot:BTC-USDT');
    expect(isComposite({ exchange: '*' })).toBe(true);
    expect(isComposite({ exchange: 'okx' })).toBe(false);
  });

  it('parseMarketKey refuses what marketKey never makes', () => {
    for (const bad of ['', 'okx', 'okx:spot', 'okx:futures:BTC-USDT', ':spot:BTC-USDT', 'okx:spot:', 'okx:spot:BTC-USDT:1m']) {
      expect(parseMarketKey(bad)).toBeNull();
    }
  });
});

describe('venue ids', () => {
  it('replay and nats are feed source kinds but not venues', () => {
    expect(FEED_SOURCE_KINDS).toEqual([...VENUE_IDS, 'replay', 'nats']);
    expect(isFeedSourceKind('replay')).toBe(true);
    expect(isVenueId('replay')).toBe(false);
    expect(isFeedSourceKind('nats')).toBe(true);
    expect(isVenueId('nats')).toBe(false);
    expect(isVenueId('binance')).toBe(true);
    expect(isVenueId('constructor')).toBe(false);
    expectTypeOf<Exclude<FeedSourceKind, VenueId>>().toEqualTypeOf<'replay' | 'nats'>();
  });
});
