/**
 * The venue ids: the one list every other place derives from. The core's adapter registry
 * (electron/core/adapters/index.ts) is keyed by `VenueId` and checked with `satisfies`, and each
 * venue's options schema (venue-options.ts) likewise, so a venue added here and not there (or the
 * other way round) fails to compile.
 *
 * A feed's `exchange` may also be `replay`: a feed source that plays a recording back through the
 * recorded venue's adapter. It is not a venue (it has no adapter and no connection of its own).
 */

/** Venues with an adapter: a live exchange, or the built-in simulator. */
export const VENUE_IDS = ['simulator', 'binance', 'coinbase', 'kraken', 'bybit', 'okx', 'bitstamp', 'bitfinex', 'hyperliquid', 'bitmex', 'gate', 'deribit', 'kucoin'] as const;
export type VenueId = (typeof VENUE_IDS)[number];

/** Plays a raw recording back (options.file, options.speed): see README "Recording and replay". */
export const REPLAY_SOURCE = 'replay';

/**
 * Subscribes to a shared ingest node through NATS JetStream (options.sources, README "A shared
 * ingest node"): its records keep their original venue, so it is not a venue either.
 */
export const NATS_SOURCE = 'nats';

/** What a feed's `exchange` may name: a venue, the replay source or the NATS source. */
export const FEED_SOURCE_KINDS = [...VENUE_IDS, REPLAY_SOURCE, NATS_SOURCE] as const;
export type FeedSourceKind = VenueId | typeof REPLAY_SOURCE | typeof NATS_SOURCE;

export function isVenueId(id: string): id is VenueId {
  return (VENUE_IDS as readonly string[]).includes(id);
}

export function isFeedSourceKind(id: string): id is FeedSourceKind {
  return (FEED_SOURCE_KINDS as readonly string[]).includes(id);
}
