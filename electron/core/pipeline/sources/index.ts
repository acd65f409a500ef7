/**
 * Which kind of source runs a feed, by its `exchange`: the simulator, replay and nats have their own;
 * every other venue id is a live venue (an id without an adapter fails to start, saying so).
 */
import { isFeedSourceKind, NATS_SOURCE, REPLAY_SOURCE, type FeedSourceKind } from '../../../../shared/venues';
import type { SourceKind } from './feed-source';
import { natsSource } from './nats-source';
import { replaySource } from './replay-source';
import { simulatorSource } from './simulator-source';
import { venueSource } from './venue-source';

const SPECIAL_KINDS: Partial<Record<FeedSourceKind, SourceKind>> = {
  simulator: simulatorSource,
  [REPLAY_SOURCE]: replaySource,
  [NATS_SOURCE]: natsSource,
};

export function sourceKindOf(exchange: string): SourceKind {
  return (isFeedSourceKind(exchange) ? SPECIAL_KINDS[exchange] : undefined) ?? venueSource;
}

export type { FeedSource, SourceContext, SourceKind } from './feed-source';
export { FeedStartError } from './feed-source';
