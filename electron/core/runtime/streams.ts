/**
 * Which streams a feed subscribes and how they are spread over connections.
 * streams = config.symbols x (config.channels the adapter supports for the market type),
 * packed into connections of at most adapter.maxStreamsPerConnection streams. All channels of one
 * symbol stay on one connection where they fit, so one lost socket is one set of whole markets.
 */
import type { Channel } from '../../../shared/domain';
import type { Stream, VenueAdapter } from '../adapters/adapter';
import { ConfigError, type FeedConfig } from '../../../shared/config';

export interface StreamPlan {
  /** One entry per connection; never empty. */
  shards: Stream[][];
  /** Configured channels the venue does not offer on this market type (reported once as a notice). */
  unsupported: Channel[];
}

export function planStreams(
  config: Pick<FeedConfig, 'exchange' | 'market' | 'symbols' | 'channels'>,
  adapter: Pick<VenueAdapter, 'marketTypes' | 'channels' | 'maxStreamsPerConnection' | 'displayName' | 'connectionGroup'>,
  toNative: (symbol: string) => string,
): StreamPlan {
  if (!adapter.marketTypes.includes(config.market)) {
    throw new ConfigError(`${adapter.displayName} has no ${config.market} market (supports ${adapter.marketTypes.join(', ')})`);
  }
  const offered = adapter.channels[config.market] ?? [];
  const channels = unique(config.channels).filter((c) => offered.includes(c));
  const unsupported = unique(config.channels).filter((c) => !offered.includes(c));
  if (channels.length === 0) {
    throw new ConfigError(
      `${adapter.displayName} ${config.market} offers none of the configured channels (${config.channels.join(', ')}); it offers ${offered.join(', ') || 'none'}`,
    );
  }
  const max = Math.floor(adapter.maxStreamsPerConnection);
  if (!(max >= 1)) throw new ConfigError(`${adapter.displayName}: maxStreamsPerConnection must be >= 1`);

  const groups: Stream[][] = [];
  for (const symbol of unique(config.symbols)) {
    let native: string;
    try {
      native = toNative(symbol);
    } catch (err) {
      throw new ConfigError(`${adapter.displayName}: cannot map ${symbol} to a native name`, { cause: err });
    }
    groups.push(channels.map((channel) => ({ symbol, native, channel })));
  }
  // Streams the venue serves on different endpoints are packed separately (connectionGroup).
  const byRoute = new Map<string, Stream[][]>();
  for (const group of groups) {
    for (const s of group) {
      const route = adapter.connectionGroup?.(s, config.market) ?? '';
      let routed = byRoute.get(route);
      if (!routed) byRoute.set(route, (routed = []));
      const last = routed.at(-1);
      if (last && last[0]!.symbol === s.symbol) last.push(s);
      else routed.push([s]);
    }
  }
  return { shards: [...byRoute.values()].flatMap((g) => pack(g, max)), unsupported };
}

/** First-fit packing of whole symbol groups; a group larger than a connection is split. */
function pack(groups: Stream[][], max: number): Stream[][] {
  const shards: Stream[][] = [];
  let current: Stream[] = [];
  for (const group of groups) {
    if (current.length + group.length > max && current.length > 0) {
      shards.push(current);
      current = [];
    }
    for (const s of group) {
      if (current.length === max) {
        shards.push(current);
        current = [];
      }
      current.push(s);
    }
  }
  if (current.length > 0) shards.push(current);
  return shards;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** Canonical symbols carried by a set of streams, in subscription order. */
export function symbolsOf(streams: readonly Stream[]): string[] {
  return unique(streams.map((s) => s.symbol));
}
